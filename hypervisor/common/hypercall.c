/*
 * The hypercall dispatch table and multicall.
 *
 * Handlers are typed (hypercall.h); the table holds thunks that narrow the
 * six 64-bit argument registers to each handler's parameter types, the way
 * Xen truncates 32-bit arguments. Both are generated from hypercalls.def:
 * a hypercall listed as implemented whose handler nobody wrote fails the
 * link (there are no weak defaults), and one listed as not implemented has
 * no entry.
 */
#include <arch/time.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/callback.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/flask_op.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>
#include <ratelimit.h>
#include <spinlock.h>

#include <xsm/xsm.h>

/*
 * The thunks: each narrows the six 64-bit argument registers to its
 * handler's parameter types (a 32-bit parameter sees the low half, as on
 * Xen). Every number, implemented or not, is checked against Xen's here.
 */
#define ARGS0() ()
#define ARGS1(t0, p0) ((t0)a[0])
#define ARGS2(t0, p0, t1, p1) ((t0)a[0], (t1)a[1])
#define ARGS3(t0, p0, t1, p1, t2, p2) ((t0)a[0], (t1)a[1], (t2)a[2])
#define ARGS4(t0, p0, t1, p1, t2, p2, t3, p3) ((t0)a[0], (t1)a[1], (t2)a[2], (t3)a[3])
#define HYPERCALL(name, nr, args, rows)                                                            \
	_Static_assert((nr) == __HYPERVISOR_##name,                                                \
		       "hypercalls.def: " #name " is not Xen's number");                           \
	static long thunk_##name(const uint64_t a[6])                                              \
	{                                                                                          \
		return do_##name args;                                                             \
	}
#define HYPERCALL_NONE(name, nr, rows)                                                             \
	_Static_assert((nr) == __HYPERVISOR_##name,                                                \
		       "hypercalls.def: " #name " is not Xen's number");
#include <hypercalls.def>
#undef ARGS0
#undef ARGS1
#undef ARGS2
#undef ARGS3
#undef ARGS4

/* Declared but not implemented hypercalls have no entry: -ENOSYS. */
static const hypercall_thunk_t hypercall_table[NR_HYPERCALLS] = {
#define HYPERCALL(name, nr, args, rows) [nr] = thunk_##name,
#include <hypercalls.def>
};

/*
 * Refusals, logged at loglvl=debug: what the list knows of each hypercall
 * for naming one, its sub-ops by name, and where its sub-op is. A sub-op
 * is the first parameter when that is 32 bits wide (cmd), or the first
 * 32-bit word of the structure a parameter named op points to (xsm_op,
 * sysctl and domctl: Xen's xen_flask_op, xen_sysctl and xen_domctl start
 * with their cmd). A hypercall declared but not implemented has no
 * parameters in the list; its sub-op is taken as the first argument, as
 * Xen's grant_table_op has it.
 */
enum { ROWS_ONE, ROWS_SUBOPS, ROWS_STRUCT };
#define CHECKED(...) ROWS_ONE
#define SELF(...) ROWS_ONE
#define SUBOPS(prefix) ROWS_SUBOPS
#define SYSCTL_SUBOPS ROWS_STRUCT
#define DOMCTL_SUBOPS ROWS_STRUCT
#define ARGS0() 0, ""
#define ARGS1(t0, p0) sizeof(t0), #p0
#define ARGS2(t0, p0, ...) sizeof(t0), #p0
#define ARGS3(t0, p0, ...) sizeof(t0), #p0
#define ARGS4(t0, p0, ...) sizeof(t0), #p0

static const struct hypercall_info {
	const char *name;
	uint8_t rows;
	uint8_t first_size; /* 0: not implemented, no parameters listed */
	const char *first;
} hypercall_info[NR_HYPERCALLS] = {
#define HYPERCALL(name, nr, args, rows) [nr] = {#name, rows, args},
#define HYPERCALL_NONE(name, nr, rows) [nr] = {#name, rows, 0, ""},
#include <hypercalls.def>
};

static const struct subop_name {
	uint8_t nr;
	uint32_t subop;
	const char *name;
} subop_names[] = {
#define HYPERCALL(name, nr, args, rows)
#define SUBOP(name, subop, hooks) {__HYPERVISOR_##name, subop, #subop},
#define SUBOP_SELF(name, subop, why) {__HYPERVISOR_##name, subop, #subop},
#define SUBOP_NONE(name, subop, err, why, ...) {__HYPERVISOR_##name, subop, #subop},
#include <hypercalls.def>
#define XSM_SYSCTL(name, nr, cls, perm, status) {__HYPERVISOR_sysctl, nr, "XEN_SYSCTL_" #name},
#define XSM_SYSCTL_BY(name, nr, hook, status) {__HYPERVISOR_sysctl, nr, "XEN_SYSCTL_" #name},
#include <xsm/sysctl.def>
#define XSM_DOMCTL(name, nr, action, cls, perm, status)                                            \
	{__HYPERVISOR_domctl, nr, "XEN_DOMCTL_" #name},
#define XSM_DOMCTL_BY(name, nr, action, hook, status)                                              \
	{__HYPERVISOR_domctl, nr, "XEN_DOMCTL_" #name},
#include <xsm/domctl.def>
};
#undef XSM_SYSCTL
#undef XSM_SYSCTL_BY
#undef XSM_DOMCTL
#undef XSM_DOMCTL_BY
#undef CHECKED
#undef SELF
#undef SUBOPS
#undef SYSCTL_SUBOPS
#undef DOMCTL_SUBOPS
#undef ARGS0
#undef ARGS1
#undef ARGS2
#undef ARGS3
#undef ARGS4

/* Per domain, at most this many refusal lines a second; the rest are counted. */
#define REFUSAL_BURST 10
#define REFUSAL_WINDOW_NS 1000000000ULL

static const char *refusal_errno_name(long rc)
{
	switch (rc) {
	case -ENOSYS:
		return "-ENOSYS";
	case -EOPNOTSUPP:
		return "-EOPNOTSUPP";
	case -EACCES:
		return "-EACCES";
	default:
		return "-EINVAL";
	}
}

/* Where the list says hypercall nr keeps its sub-op: 0 and *subop, or -1 if nowhere. */
static int refusal_subop(uint64_t nr, const uint64_t args[6], uint32_t *subop)
{
	const struct hypercall_info *h = &hypercall_info[nr];

	if (h->rows == ROWS_STRUCT || (h->rows == ROWS_SUBOPS && !strcmp(h->first, "op"))) {
		/* The guest's structure: its cmd, if the guest lets us read it. */
		return copy_from_guest(subop, args[0], sizeof(*subop)) ? -1 : 0;
	}
	if (h->rows == ROWS_SUBOPS && (h->first_size == sizeof(uint32_t) || h->first_size == 0)) {
		*subop = (uint32_t)args[0];
		return 0;
	}
	return -1;
}

/* Every domain's refusal counters (struct domain.refusals): a cold path, one lock. */
static spinlock_t refusals_lock;

static void log_refusal(struct domain *d, uint64_t nr, const uint64_t args[6], long rc)
{
	char call[32], sub[64];
	uint32_t subop, hidden;
	size_t i;
	bool admit, was_on = spin_lock_irqsave(&refusals_lock);

	admit =
	    ratelimit_admit(&d->refusals, arch_now_ns(), REFUSAL_BURST, REFUSAL_WINDOW_NS, &hidden);
	spin_unlock_irqrestore(&refusals_lock, was_on);
	if (!admit) {
		return;
	}
	if (hidden) {
		pr_debug("hypercall: %u more refusals of d%u not shown\n", hidden, d->domain_id);
	}
	sub[0] = '\0';
	if (nr < NR_HYPERCALLS && hypercall_info[nr].name) {
		snprintf(call, sizeof(call), "%s", hypercall_info[nr].name);
		if (refusal_subop(nr, args, &subop) == 0) {
			snprintf(sub, sizeof(sub), " sub-op %u", subop);
			for (i = 0; i < ARRAY_SIZE(subop_names); i++) {
				if (subop_names[i].nr == nr && subop_names[i].subop == subop) {
					snprintf(sub, sizeof(sub), " %s (%u)", subop_names[i].name,
						 subop);
					break;
				}
			}
		}
	} else {
		snprintf(call, sizeof(call), "hypercall %llu", (unsigned long long)nr);
	}
	pr_debug("hypercall: d%u %s%s refused: %s\n", d->domain_id, call, sub,
		 refusal_errno_name(rc));
}

/*
 * The refusals a guest would otherwise meet in silence: not implemented,
 * not supported, an interface version it does not speak (-EACCES that no
 * XSM check gave: those are audited already), arguments that do not
 * decode. Only at loglvl=debug, so a guest probing for features costs
 * nothing otherwise.
 */
static bool refusal_is_logged(long rc, unsigned long denials_before)
{
	switch (rc) {
	case -ENOSYS:
	case -EOPNOTSUPP:
	case -EINVAL:
		return true;
	case -EACCES:
		return xsm_denials == denials_before;
	default:
		return false;
	}
}

/*
 * Out of line and cold: inlined, its buffers gave every hypercall a large
 * stack frame, a stack-protector check and six saved registers (28 more
 * instructions on the null hypercall, measured by make bench-pv).
 */
static void __attribute__((noinline, cold))
refusal_note(uint64_t nr, const uint64_t args[6], long rc, unsigned long denials)
{
	if (current && console_get_loglvl() >= LOG_DEBUG && !current->hypercall_no_result &&
	    refusal_is_logged(rc, denials)) {
		log_refusal(current->domain, nr, args, rc);
	}
}

long hypercall_dispatch(uint64_t nr, const uint64_t args[6])
{
	unsigned long denials = xsm_denials;
	long rc;

	if (nr >= NR_HYPERCALLS || !hypercall_table[nr]) {
		rc = -ENOSYS;
	} else {
		rc = hypercall_table[nr](args);
	}
	if (__builtin_expect(rc < 0, 0)) {
		refusal_note(nr, args, rc, denials);
	}
	return rc;
}

void hypercall_refusals_flush(struct domain *d)
{
	bool was_on = spin_lock_irqsave(&refusals_lock);
	uint32_t hidden = ratelimit_take_hidden(&d->refusals);

	spin_unlock_irqrestore(&refusals_lock, was_on);
	if (hidden) {
		pr_debug("hypercall: %u more refusals of d%u not shown\n", hidden, d->domain_id);
	}
}

/*
 * Each entry goes through the same table. A nested multicall, and iret
 * (which rewrites the guest frame and never returns a result), are
 * refused per entry with -EINVAL as their result, like Xen does for the
 * nested case; the batch carries on.
 */
long do_multicall(uint64_t call_list, uint32_t nr_calls)
{
	struct vcpu *v = current;
	struct multicall_entry e;
	uint32_t i;

	if (v->in_multicall) {
		return -EINVAL;
	}
	v->in_multicall = true;
	for (i = 0; i < nr_calls; i++) {
		uint64_t gva = call_list + (uint64_t)i * sizeof(e);

		if (copy_from_guest(&e, gva, sizeof(e))) {
			v->in_multicall = false;
			return -EFAULT;
		}
		if (e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret) {
			e.result = (uint64_t)-EINVAL;
		} else {
			e.result = (uint64_t)hypercall_dispatch(e.op, e.args);
		}
		if (copy_to_guest(gva + offsetof(struct multicall_entry, result), &e.result,
				  sizeof(e.result))) {
			v->in_multicall = false;
			return -EFAULT;
		}
	}
	v->in_multicall = false;
	return 0;
}
