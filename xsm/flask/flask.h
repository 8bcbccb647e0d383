/*
 * The FLASK XSM module: internal interface between its parts (core, hooks,
 * flask_op). The security server itself is flask/ (security.h, avc.h).
 */
#ifndef PALISADE_XSM_FLASK_H
#define PALISADE_XSM_FLASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classes.h"

struct domain;

/* Class values: 1-based, in the order of classes.h (SECCLASS_xen = 1, ...). */
#define FLASK_ENUM_CLASS(c, perms) SECCLASS_##c,
#define FLASK_ENUM_NOPERM(c, p)
enum flask_secclass {
	SECCLASS__NONE,
	FLASK_XEN_CLASSES(FLASK_ENUM_CLASS, FLASK_ENUM_NOPERM) SECCLASS__COUNT
};

/* Permission bit indexes per class: PIDX_domain_pause, ... */
#define FLASK_ENUM_PIDX_CLASS(c, perms) enum { PIDX_##c##__FIRST = -1, perms };
#define FLASK_ENUM_PIDX(c, p) PIDX_##c##_##p,
FLASK_XEN_CLASSES(FLASK_ENUM_PIDX_CLASS, FLASK_ENUM_PIDX)

/* The permission bit of class c named p, as the hooks request it. */
#define FP(c, p) (1u << PIDX_##c##_##p)

/* A domain's labels (d->ssid). */
struct domain_security {
	uint32_t sid;	     /* the domain as a subject and as an object */
	uint32_t self_sid;   /* its own objects (type_transition with itself, class domain) */
	uint32_t target_sid; /* what it sees of the domain it is device model for */
	const struct domain *target; /* that domain, or NULL */
};

enum flask_boot_mode {
	FLASK_MODE_ENFORCING,
	FLASK_MODE_PERMISSIVE,
	FLASK_MODE_LATE,
	FLASK_MODE_DISABLED,
};

/* Set by flask_init from flask=. */
extern enum flask_boot_mode flask_boot_mode;

/*
 * Load the boot policy (policy module, else the built-in one) and fix the
 * initial labels. Returns 0, or a negative errno with a reason in why.
 */
int flask_init(const void *policy, size_t size, const char *dom0_label, char *why,
	       size_t whylen);
/* Forget the boot state (host tests boot FLASK more than once). */
void flask_core_reset(void);
/* The hypervisor leaves xenboot_t for xen_t. */
void flask_boot_done(void);

/* True once a policy is loaded; in late mode nothing is checked before. */
bool flask_active(void);

/* SIDs of the hypervisor (xenboot_t, then xen_t), of security_t, of dom0. */
uint32_t flask_xen_sid(void);
uint32_t flask_security_sid(void);
uint32_t flask_dom0_sid(void);

/* Labels of a domain; domains created before XSM get their initial SID. */
uint32_t flask_domain_sid(const struct domain *d);
uint32_t flask_domain_self_sid(const struct domain *d);
/* What src acts on when it acts on dst (its _self label for itself). */
uint32_t flask_target_sid(const struct domain *src, const struct domain *dst);
/* Blobs (d->ssid): from a static pool, then the heap. */
struct domain_security *flask_dsec_alloc(const struct domain *d);
void flask_dsec_free(struct domain_security *dsec);
/* d's blob, allocated on first use (NULL only when out of memory). */
struct domain_security *flask_dsec(const struct domain *d);
/* The caller: the current domain, or the hypervisor itself. */
uint32_t flask_current_sid(void);
uint16_t flask_current_domid(void);

/*
 * The access check every hook ends in: 0 or -EACCES (after auditing
 * through the rate limiter; 0 in permissive mode). src/tgt domain ids go
 * into the audit line (0xffff: none).
 */
#define FLASK_NO_DOMID 0xffffu
int flask_has_perm(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t perms,
		   uint16_t src_domid, uint16_t tgt_domid);

/* Load a new policy (boot or FLASK_LOAD): 0 or a negative errno. */
int flask_load_policy(const void *data, size_t size, char *why, size_t whylen);

/* Audit lines that got through the limiter / were suppressed (for tests). */
void flask_audit_counts(uint64_t *printed, uint64_t *suppressed);

/* Object-context kinds of FLASK_ADD_OCONTEXT (Xen's OCON_* numbers). */
#define FLASK_OCON_PIRQ 1
#define FLASK_OCON_IOPORT 2
#define FLASK_OCON_IOMEM 3
#define FLASK_OCON_DEVICE 4
#define FLASK_OCON_DTREE 5

/* Run-time object contexts, consulted before the policy's (ocontext.c). */
int flask_ocon_add(uint32_t kind, uint32_t sid, uint64_t low, uint64_t high, const char *path);
int flask_ocon_del(uint32_t kind, uint64_t low, uint64_t high, const char *path);
/* The label of unit key of a kind (not DTREE): run-time table, then policy. */
int flask_ocon_sid(uint32_t kind, uint64_t key, uint32_t *sid);
/* True while sid names a context the current policy knows. */
bool flask_sid_valid(uint32_t sid);

/* flask_op dispatcher for do_xsm_op: op is the guest address of the struct. */
long flask_do_op(uint64_t op);

/* The built-in default policy (policy_blob.S). */
extern const unsigned char flask_builtin_policy[];
extern const unsigned char flask_builtin_policy_end[];

#endif /* PALISADE_XSM_FLASK_H */
