/*
 * Guest ABI: event_channel_op (32) - the ports through which domains and
 * the hypervisor signal each other. Facts of Xen's public event_channel.h.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_EVENT_CHANNEL_H
#define PALISADE_PUBLIC_EVENT_CHANNEL_H

#include "xen.h"

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq 1
#define EVTCHNOP_bind_pirq 2
#define EVTCHNOP_close 3
#define EVTCHNOP_send 4
#define EVTCHNOP_status 5
#define EVTCHNOP_alloc_unbound 6
#define EVTCHNOP_bind_ipi 7
#define EVTCHNOP_bind_vcpu 8
#define EVTCHNOP_unmask 9
#define EVTCHNOP_reset 10
#define EVTCHNOP_init_control 11
#define EVTCHNOP_expand_array 12
#define EVTCHNOP_set_priority 13
/* Xen's continuation of a preempted reset; ours never is: -EBUSY, as Xen with none under way. */
#define EVTCHNOP_reset_cont 14

/* evtchn_status.status */
#define EVTCHNSTAT_closed 0
#define EVTCHNSTAT_unbound 1
#define EVTCHNSTAT_interdomain 2
#define EVTCHNSTAT_pirq 3
#define EVTCHNSTAT_virq 4
#define EVTCHNSTAT_ipi 5

#define BIND_PIRQ__WILL_SHARE 1

/* FIFO ABI */
#define EVTCHN_FIFO_PRIORITY_MAX 0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN 15
#define EVTCHN_FIFO_MAX_QUEUES (EVTCHN_FIFO_PRIORITY_MIN + 1)
#define EVTCHN_FIFO_PENDING 31
#define EVTCHN_FIFO_MASKED 30
#define EVTCHN_FIFO_LINKED 29
#define EVTCHN_FIFO_BUSY 28
#define EVTCHN_FIFO_LINK_BITS 17
#define EVTCHN_FIFO_LINK_MASK ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLY__

typedef uint32_t evtchn_port_t;

struct evtchn_alloc_unbound {
	domid_t dom, remote_dom; /* IN */
	evtchn_port_t port;	 /* OUT */
};
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "alloc_unbound is 8 bytes");

struct evtchn_bind_interdomain {
	domid_t remote_dom;	   /* IN */
	evtchn_port_t remote_port; /* IN */
	evtchn_port_t local_port;  /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "bind_interdomain is 12 bytes");
_Static_assert(offsetof(struct evtchn_bind_interdomain, remote_port) == 4, "remote_port at 4");

struct evtchn_bind_virq {
	uint32_t virq; /* IN: VIRQ_* */
	uint32_t vcpu; /* IN */
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "bind_virq is 12 bytes");

struct evtchn_bind_pirq {
	uint32_t pirq;
	uint32_t flags; /* BIND_PIRQ__* */
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "bind_pirq is 12 bytes");

struct evtchn_bind_ipi {
	uint32_t vcpu;
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "bind_ipi is 8 bytes");

struct evtchn_close {
	evtchn_port_t port;
};
struct evtchn_send {
	evtchn_port_t port;
};
struct evtchn_unmask {
	evtchn_port_t port;
};
_Static_assert(sizeof(struct evtchn_close) == 4, "close is 4 bytes");
_Static_assert(sizeof(struct evtchn_send) == 4, "send is 4 bytes");
_Static_assert(sizeof(struct evtchn_unmask) == 4, "unmask is 4 bytes");

struct evtchn_status {
	domid_t dom;	    /* IN */
	evtchn_port_t port; /* IN */
	uint32_t status;    /* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;	    /* OUT: vcpu notified */
	union {
		struct {
			domid_t dom;
		} unbound;
		struct {
			domid_t dom;
			uint16_t _pad;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
		struct {
			uint32_t _output1;
			uint32_t _output2;
		} raw;
	} u;
};
_Static_assert(sizeof(struct evtchn_status) == 24, "evtchn_status is 24 bytes");
_Static_assert(offsetof(struct evtchn_status, status) == 8, "status at 8");
_Static_assert(offsetof(struct evtchn_status, u) == 16, "status union at 16");

struct evtchn_bind_vcpu {
	evtchn_port_t port;
	uint32_t vcpu;
};
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "bind_vcpu is 8 bytes");

struct evtchn_reset {
	domid_t dom;
};
_Static_assert(sizeof(struct evtchn_reset) == 2, "reset is 2 bytes");

struct evtchn_init_control {
	uint64_t control_gfn; /* IN */
	uint32_t offset;      /* IN */
	uint32_t vcpu;	      /* IN */
	uint8_t link_bits;    /* OUT */
	uint8_t _pad[7];
};
_Static_assert(sizeof(struct evtchn_init_control) == 24, "init_control is 24 bytes");

struct evtchn_expand_array {
	uint64_t array_gfn;
};
_Static_assert(sizeof(struct evtchn_expand_array) == 8, "expand_array is 8 bytes");

struct evtchn_set_priority {
	evtchn_port_t port;
	uint32_t priority;
};
_Static_assert(sizeof(struct evtchn_set_priority) == 8, "set_priority is 8 bytes");

/* Argument of the old event_channel_op_compat (16). */
struct evtchn_op {
	uint32_t cmd; /* EVTCHNOP_* */
	union {
		struct evtchn_alloc_unbound alloc_unbound;
		struct evtchn_bind_interdomain bind_interdomain;
		struct evtchn_bind_virq bind_virq;
		struct evtchn_bind_pirq bind_pirq;
		struct evtchn_bind_ipi bind_ipi;
		struct evtchn_close close;
		struct evtchn_send send;
		struct evtchn_status status;
		struct evtchn_bind_vcpu bind_vcpu;
		struct evtchn_unmask unmask;
	} u;
};
_Static_assert(sizeof(struct evtchn_op) == 28, "evtchn_op is 28 bytes");
_Static_assert(offsetof(struct evtchn_op, u) == 4, "evtchn_op.u at 4");

typedef uint32_t event_word_t;

struct evtchn_fifo_control_block {
	uint32_t ready;
	uint32_t _rsvd;
	uint32_t head[EVTCHN_FIFO_MAX_QUEUES];
};
_Static_assert(sizeof(struct evtchn_fifo_control_block) == 72, "fifo control block");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_EVENT_CHANNEL_H */
