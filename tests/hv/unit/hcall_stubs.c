/*
 * Stand-in handlers, generated from hypercalls.def: the dispatch table
 * names every implemented handler and the hypervisor has no weak defaults,
 * so hv-unit brings its own for the handlers it does not link. They are
 * weak (test code only): the handlers hv-unit does link (event channels,
 * multicall, test_hcall.c's console_io and xen_version) replace them, and
 * test_hcall.c tells the two apart by address.
 */
#include <hypercall.h>
#include <stddef.h>

#include "hcall_stubs.h"

long hcall_stub_called = -1;

/* The XSM core's denial count (xsm/xsm_core.c is not linked); test_hcall.c moves it. */
unsigned long xsm_denials;

#define ARGS0() (void)
#define ARGS1(t0, p0) (t0 p0)
#define ARGS2(t0, p0, t1, p1) (t0 p0, t1 p1)
#define ARGS3(t0, p0, t1, p1, t2, p2) (t0 p0, t1 p1, t2 p2)
#define ARGS4(t0, p0, t1, p1, t2, p2, t3, p3) (t0 p0, t1 p1, t2 p2, t3 p3)
#define HYPERCALL(name, nr, args, rows)                                                            \
	static long stub_##name args                                                               \
	{                                                                                          \
		hcall_stub_called = (nr);                                                          \
		return HCALL_STUB_RESULT;                                                          \
	}                                                                                          \
	long do_##name args __attribute__((weak, alias("stub_" #name)));
#include <hypercalls.def>

const void *hcall_stub(uint32_t nr)
{
	switch (nr) {
#define HYPERCALL(name, nr, args, rows)                                                            \
	case (nr):                                                                                 \
		return (const void *)stub_##name;
#include <hypercalls.def>
	default:
		return NULL;
	}
}
