/*
 * The FLASK XSM module: internal interface between its parts (core, hooks,
 * flask_op). The security server itself is flask/ (security.h, avc.h).
 */
#ifndef PALISADE_XSM_FLASK_H
#define PALISADE_XSM_FLASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <flask/avc.h>
#include <xsm/flask/classes.h>

#include <arch/smp.h>
#include <domain.h>
#include <public/xen.h>

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

/*
 * Xen 4.17's initial SIDs, fixed numbers (flask/services.c, which refuses a
 * policy with another count; xsm-unit checks that the two agree).
 */
#define FLASK_ISID_XENBOOT 1
#define FLASK_ISID_XEN 2
#define FLASK_ISID_DOM0 3
#define FLASK_ISID_DOMIO 4
#define FLASK_ISID_DOMXEN 5
#define FLASK_ISID_UNLABELED 6
#define FLASK_ISID_SECURITY 7
#define FLASK_ISID_IOPORT 8
#define FLASK_ISID_IOMEM 9
#define FLASK_ISID_IRQ 10
#define FLASK_ISID_DEVICE 11
#define FLASK_ISID_DOMU 12
#define FLASK_ISID_DOMDM 13

/* A domain's labels (d->ssid). */
struct domain_security {
	uint32_t sid;	     /* the domain as a subject and as an object */
	uint32_t self_sid;   /* its own objects (type_transition with itself, class domain) */
	uint32_t target_sid; /* what it sees of the domain it is device model for */
	const struct domain *target;	   /* that domain, or NULL */
	const struct domain *dom;	   /* the domain this blob belongs to */
	struct domain_security *next_live; /* list of every live blob */
	/*
	 * Per-class decisions of this domain on the hypervisor (xen_t) and on
	 * itself (self_sid): the policy sequence number in the low half, the
	 * permissions that are NOT allowed without auditing in the high half,
	 * valid while that number is the policy's. One 64-bit word, written
	 * and read whole: the domain's vcpus on other CPUs never pair a number
	 * with another decision. The two targets most hooks ask about skip the
	 * cache lookup this way.
	 */
	uint64_t xen_dec[SECCLASS__COUNT];
	uint64_t self_dec[SECCLASS__COUNT];
};

/* Forget the per-domain decisions (the domain's label changed). */
void flask_dsec_forget(struct domain_security *dsec);

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
 * initial labels. Returns 0, or a negative errno with a reason in why when
 * the policy is not usable. A dom0_label the policy refuses does not fail
 * it: flask_dom0_label_refusal() says why, and dom0 keeps the policy's
 * dom0 label until the caller decides.
 */
int flask_init(const void *policy, size_t size, const char *dom0_label, char *why, size_t whylen);
/* Why the loaded policy refused dom0_label= ("unknown type nosuch_t"), or "". */
const char *flask_dom0_label_refusal(void);
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

/* A domain's _self label (computed on first use). */
uint32_t flask_domain_self_sid(const struct domain *d);
/* Blobs (d->ssid): from a static pool, then the heap. */
struct domain_security *flask_dsec_alloc(const struct domain *d);
void flask_dsec_free(struct domain_security *dsec);
/* d's blob, allocated on first use (NULL only when out of memory). */
struct domain_security *flask_dsec(const struct domain *d);

/*
 * The access check every hook ends in: 0 or -EACCES (after auditing
 * through the rate limiter; 0 in permissive mode). src/tgt domain ids go
 * into the audit line (0xffff: none).
 */
#define FLASK_NO_DOMID 0xffffu
int flask_has_perm_slow(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t perms,
			uint16_t src_domid, uint16_t tgt_domid);

/*
 * The CPU a hook runs on, as flask/ numbers it (flask_cpu_id()): the
 * processor of the current vcpu, a load the hooks' paths make anyway, else
 * arch_cpu_id(). Rule: a hook runs only on the CPU its current vcpu is on
 * (v->processor is the running CPU while v runs); flask_has_perm_slow
 * checks it.
 */
static inline unsigned int flask_hook_cpu(void)
{
	const struct vcpu *v = current;

	return __builtin_expect(v != NULL, 1) ? v->processor : arch_cpu_id();
}

/*
 * The hit path, inline: the running CPU's front cache in the AVC
 * (flask/avc.h), which holds whole decisions tagged with the policy
 * sequence number; only that CPU reads or writes it. A clean allow there
 * (no auditallow) is answered here; anything else (a miss, a denial,
 * auditallow, no policy yet) takes the full path through the AVC.
 */
static inline int flask_has_perm(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t perms,
				 uint16_t src_domid, uint16_t tgt_domid)
{
	unsigned int cpu = flask_hook_cpu();

	if (__builtin_expect(avc_front_quiet(&avc_cpus[cpu], ssid, tsid, tclass, perms), 1)) {
		avc_count_fast_hit(cpu);
		return 0;
	}
	return flask_has_perm_slow(ssid, tsid, tclass, perms, src_domid, tgt_domid);
}

/* CPU cpu's AVC statistics (with the hits of the caches in front of it); -ENOENT if offline. */
int flask_avc_cpu_stats(unsigned int cpu, struct avc_cache_stats *st);

/* ---- labels on the hot path (slow halves in flask_core.c) ---------------- */

extern bool flask_boot_is_done;
uint32_t flask_current_sid_slow(void);
uint32_t flask_domain_sid_slow(const struct domain *d);
uint32_t flask_target_sid_slow(const struct domain *src, const struct domain *dst);

static inline uint32_t flask_domain_sid(const struct domain *d)
{
	const struct domain_security *dsec = d ? d->ssid : NULL;

	return __builtin_expect(dsec != NULL, 1) ? dsec->sid : flask_domain_sid_slow(d);
}

/* The caller: the current domain, or the hypervisor itself. */
static inline uint32_t flask_current_sid(void)
{
	if (__builtin_expect(current && flask_boot_is_done, 1)) {
		return flask_domain_sid(current->domain);
	}
	return flask_current_sid_slow();
}

static inline uint16_t flask_current_domid(void)
{
	return current ? current->domain->domain_id : DOMID_XEN;
}

/* What src acts on when it acts on dst (its _self label for itself). */
static inline uint32_t flask_target_sid(const struct domain *src, const struct domain *dst)
{
	if (src && src == dst) {
		const struct domain_security *dsec = dst->ssid;

		if (__builtin_expect(dsec && dsec->self_sid, 1)) {
			return dsec->self_sid;
		}
	} else if (dst && !(src && src->ssid && src->target == dst)) {
		return flask_domain_sid(dst);
	}
	return flask_target_sid_slow(src, dst);
}

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

/* flask_op, FLASK's xsm_do_xsm_op hook: op is the guest address of the struct. */
long flask_do_op(uint64_t op);

/* The built-in default policy (policy_blob.S). */
extern const unsigned char flask_builtin_policy[];
extern const unsigned char flask_builtin_policy_end[];

#endif /* PALISADE_XSM_FLASK_H */
