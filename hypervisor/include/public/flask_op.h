/*
 * Guest ABI: the FLASK operations carried by xsm_op (27). Every call
 * passes one struct xen_flask_op; a wrong interface_version is answered
 * with -ENOSYS. Strings are passed as (guest address, size). Facts of
 * Xen's public xsm/flask_op.h (interface version 1).
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_FLASK_OP_H
#define PALISADE_PUBLIC_FLASK_OP_H

#include "event_channel.h"

#define XEN_FLASK_INTERFACE_VERSION 1

#define FLASK_LOAD 1
#define FLASK_GETENFORCE 2
#define FLASK_SETENFORCE 3
#define FLASK_CONTEXT_TO_SID 4
#define FLASK_SID_TO_CONTEXT 5
#define FLASK_ACCESS 6
#define FLASK_CREATE 7
#define FLASK_RELABEL 8
#define FLASK_USER 9 /* no longer implemented */
#define FLASK_POLICYVERS 10
#define FLASK_GETBOOL 11
#define FLASK_SETBOOL 12
#define FLASK_COMMITBOOLS 13
#define FLASK_MLS 14
#define FLASK_DISABLE 15 /* no longer implemented */
#define FLASK_GETAVC_THRESHOLD 16
#define FLASK_SETAVC_THRESHOLD 17
#define FLASK_AVC_HASHSTATS 18
#define FLASK_AVC_CACHESTATS 19
#define FLASK_MEMBER 20
#define FLASK_ADD_OCONTEXT 21
#define FLASK_DEL_OCONTEXT 22
#define FLASK_GET_PEER_SID 23
#define FLASK_RELABEL_DOMAIN 24
#define FLASK_DEVICETREE_LABEL 25

#ifndef __ASSEMBLY__

struct xen_flask_load {
	uint64_t buffer; /* guest address of the binary policy */
	uint32_t size;
};
_Static_assert(sizeof(struct xen_flask_load) == 16, "flask_load is 16 bytes");

struct xen_flask_setenforce {
	uint32_t enforcing;
};
_Static_assert(sizeof(struct xen_flask_setenforce) == 4, "flask_setenforce is 4 bytes");

struct xen_flask_sid_context {
	uint32_t sid;	  /* IN/OUT */
	uint32_t size;	  /* IN: buffer size (counting the NUL), OUT: context length */
	uint64_t context; /* guest address of the context string */
};
_Static_assert(sizeof(struct xen_flask_sid_context) == 16, "flask_sid_context is 16 bytes");

struct xen_flask_access {
	uint32_t ssid;	 /* IN */
	uint32_t tsid;	 /* IN */
	uint32_t tclass; /* IN */
	uint32_t req;	 /* IN */
	uint32_t allowed;
	uint32_t audit_allow;
	uint32_t audit_deny;
	uint32_t seqno;
};
_Static_assert(sizeof(struct xen_flask_access) == 32, "flask_access is 32 bytes");

/* FLASK_CREATE, FLASK_RELABEL, FLASK_MEMBER */
struct xen_flask_transition {
	uint32_t ssid;
	uint32_t tsid;
	uint32_t tclass;
	uint32_t newsid; /* OUT */
};
_Static_assert(sizeof(struct xen_flask_transition) == 16, "flask_transition is 16 bytes");

struct xen_flask_boolean {
	uint32_t bool_id;  /* IN/OUT; ~0: look up by name and fill in */
	uint8_t enforcing; /* OUT: current value */
	uint8_t pending;   /* OUT: pending value */
	uint8_t new_value; /* IN (SET) */
	uint8_t commit;	   /* IN (SET): commit instead of only setting pending */
	uint32_t size;	   /* IN: name buffer size, OUT (GET): name length */
	uint64_t name;	   /* guest address of the name */
};
_Static_assert(sizeof(struct xen_flask_boolean) == 24, "flask_boolean is 24 bytes");
_Static_assert(offsetof(struct xen_flask_boolean, size) == 8, "boolean.size at 8");
_Static_assert(offsetof(struct xen_flask_boolean, name) == 16, "boolean.name at 16");

struct xen_flask_setavc_threshold {
	uint32_t threshold;
};
_Static_assert(sizeof(struct xen_flask_setavc_threshold) == 4, "setavc_threshold");

struct xen_flask_hash_stats {
	uint32_t entries;
	uint32_t buckets_used;
	uint32_t buckets_total;
	uint32_t max_chain_len;
};
_Static_assert(sizeof(struct xen_flask_hash_stats) == 16, "flask_hash_stats is 16 bytes");

struct xen_flask_cache_stats {
	uint32_t cpu; /* IN */
	uint32_t lookups;
	uint32_t hits;
	uint32_t misses;
	uint32_t allocations;
	uint32_t reclaims;
	uint32_t frees;
};
_Static_assert(sizeof(struct xen_flask_cache_stats) == 28, "flask_cache_stats is 28 bytes");

struct xen_flask_ocontext {
	uint32_t ocon;
	uint32_t sid;
	uint64_t low, high;
};
_Static_assert(sizeof(struct xen_flask_ocontext) == 24, "flask_ocontext is 24 bytes");

struct xen_flask_peersid {
	evtchn_port_t evtchn; /* IN */
	uint32_t sid;	      /* OUT */
};
_Static_assert(sizeof(struct xen_flask_peersid) == 8, "flask_peersid is 8 bytes");

struct xen_flask_relabel {
	uint32_t domid;
	uint32_t sid;
};
_Static_assert(sizeof(struct xen_flask_relabel) == 8, "flask_relabel is 8 bytes");

struct xen_flask_devicetree_label {
	uint32_t sid;
	uint32_t length;
	uint64_t path; /* guest address */
};
_Static_assert(sizeof(struct xen_flask_devicetree_label) == 16, "devicetree_label");

struct xen_flask_op {
	uint32_t cmd;		    /* FLASK_* */
	uint32_t interface_version; /* XEN_FLASK_INTERFACE_VERSION */
	union {
		struct xen_flask_load load;
		struct xen_flask_setenforce enforce;
		struct xen_flask_sid_context sid_context;
		struct xen_flask_access access;
		struct xen_flask_transition transition;
		struct xen_flask_boolean boolean;
		struct xen_flask_setavc_threshold setavc_threshold;
		struct xen_flask_hash_stats hash_stats;
		struct xen_flask_cache_stats cache_stats;
		struct xen_flask_ocontext ocontext;
		struct xen_flask_peersid peersid;
		struct xen_flask_relabel relabel;
		struct xen_flask_devicetree_label devicetree_label;
	} u;
};
_Static_assert(sizeof(struct xen_flask_op) == 40, "xen_flask_op is 40 bytes");
_Static_assert(offsetof(struct xen_flask_op, u) == 8, "xen_flask_op.u at 8");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_FLASK_OP_H */
