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
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/xen.h>

bool in_multicall;
bool hypercall_no_result;

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

long hypercall_dispatch(uint64_t nr, const uint64_t args[6])
{
	if (nr >= NR_HYPERCALLS || !hypercall_table[nr]) {
		return -ENOSYS;
	}
	return hypercall_table[nr](args);
}

/*
 * Each entry goes through the same table. A nested multicall, and iret
 * (which rewrites the guest frame and never returns a result), are
 * refused per entry with -EINVAL as their result, like Xen does for the
 * nested case; the batch carries on.
 */
long do_multicall(uint64_t call_list, uint32_t nr_calls)
{
	struct multicall_entry e;
	uint32_t i;

	if (in_multicall) {
		return -EINVAL;
	}
	in_multicall = true;
	for (i = 0; i < nr_calls; i++) {
		uint64_t gva = call_list + (uint64_t)i * sizeof(e);

		if (copy_from_guest(&e, gva, sizeof(e))) {
			in_multicall = false;
			return -EFAULT;
		}
		if (e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret) {
			e.result = (uint64_t)-EINVAL;
		} else {
			e.result = (uint64_t)hypercall_dispatch(e.op, e.args);
		}
		if (copy_to_guest(gva + offsetof(struct multicall_entry, result), &e.result,
				  sizeof(e.result))) {
			in_multicall = false;
			return -EFAULT;
		}
	}
	in_multicall = false;
	return 0;
}
