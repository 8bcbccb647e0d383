/*
 * Hypercall handlers and the dispatch table.
 *
 * Every handler is typed and returns long: 0 or a positive result, or a
 * negative Xen errno (public/errno.h). The arch entry code collects the
 * guest's rdi, rsi, rdx, r10, r8 (and r9) into args[] and calls
 * hypercall_dispatch; numbers without a handler answer -ENOSYS.
 *
 * A handler decodes (copy_from_guest, checks sizes, ranges and ownership,
 * returns an errno on bad input without touching state), checks (XSM),
 * then invokes. The handlers, their parameters and numbers are listed once,
 * in hypercalls.def: the prototypes below, the
 * thunks and the table in hypercall.c are generated from it, and a listed
 * handler nobody wrote fails the link.
 */
#ifndef PALISADE_HYPERCALL_H
#define PALISADE_HYPERCALL_H

#include <types.h>

#define NR_HYPERCALLS 64

/*
 * The Xen release whose interfaces Palisade answers: Debian 12's Xen 4.17,
 * whose libraries and daemons dom0 runs. XENVER_version and CPUID leaf
 * 0x40000001 report it.
 */
#define XEN_RELEASE_MAJOR 4
#define XEN_RELEASE_MINOR 17

/* long do_<name>(params); for every implemented hypercall of hypercalls.def. */
#define ARGS0() (void)
#define ARGS1(t0, p0) (t0 p0)
#define ARGS2(t0, p0, t1, p1) (t0 p0, t1 p1)
#define ARGS3(t0, p0, t1, p1, t2, p2) (t0 p0, t1 p1, t2 p2)
#define ARGS4(t0, p0, t1, p1, t2, p2, t3, p3) (t0 p0, t1 p1, t2 p2, t3 p3)
#define HYPERCALL(name, nr, args, rows) long do_##name args;
#include <hypercalls.def>
#undef ARGS0
#undef ARGS1
#undef ARGS2
#undef ARGS3
#undef ARGS4

/* The table entry: every handler is called through an args[6] thunk. */
typedef long (*hypercall_thunk_t)(const uint64_t args[6]);

/*
 * Runs hypercall nr with the guest's argument registers. -ENOSYS for an
 * unknown number. multicall uses the same entry for each element.
 */
long hypercall_dispatch(uint64_t nr, const uint64_t args[6]);

/*
 * At loglvl=debug the dispatcher logs each call answered -ENOSYS,
 * -EOPNOTSUPP, -EINVAL, or -EACCES not given by an XSM check (a version
 * check), naming the domain, the hypercall, the sub-op and the errno; at
 * most 10 lines a second per domain, the rest counted. This says how many
 * were not shown in d's current second (called when d shuts down).
 */
struct domain;
void hypercall_refusals_flush(struct domain *d);

/*
 * Per vcpu (struct vcpu): in_multicall is true while a multicall runs its
 * entries (nested multicall and iret inside one are refused);
 * hypercall_no_result is set by a handler that has already written the
 * guest's registers itself (iret, a bounce, a blocking call resumed): the
 * entry path then does not store the return value in rax.
 */

#endif /* PALISADE_HYPERCALL_H */
