/*
 * Issue 5's XSM benchmark, the guest half (make bench-xsm boots it twice
 * under -icount shift=0: xsm=flask and xsm=dummy, and prints the ratios).
 * Measured with rdtsc around loops of ITERS:
 *   - null: xen_version(XENVER_version), whose hook answers without the
 *     policy in both modules;
 *   - avc: xen_version(XENVER_extraversion): FLASK asks the AVC
 *     (version:xen_extraversion on xen_t), a hit after the first call;
 *   - self: memory_op(XENMEM_current_reservation, DOMID_SELF): one AVC hit
 *     on the domain's own _self label (mmu:stat), the "operation on self"
 *     case.
 */
#include "guest.h"

#include <public/memory.h>
#include <public/version.h>

#define ITERS 2000

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static char extra[16];
static struct xen_memory_domain self = {.domid = DOMID_SELF};

static long null_call(void)
{
	return hypercall_xen_version(XENVER_version, NULL) > 0 ? 0 : -1;
}

static long avc_call(void)
{
	return hypercall_xen_version(XENVER_extraversion, extra);
}

static long self_call(void)
{
	return hypercall_memory_op(XENMEM_current_reservation, &self) > 0 ? 0 : -1;
}

/* Cycles per call, times 100; -1 if a call failed. */
static long long measure(long (*fn)(void))
{
	uint64_t t0, t1;
	int i;

	for (i = 0; i < 10; i++) {
		if (fn()) {
			return -1;
		}
	}
	t0 = tsc();
	for (i = 0; i < ITERS; i++) {
		if (fn()) {
			return -1;
		}
	}
	t1 = tsc();
	return (long long)((t1 - t0) * 100 / ITERS);
}

static void report(const char *what, long long c100)
{
	test_check(c100 > 0, "%s: every call succeeded", what);
	gprintf("bench_xsm: %s: %lld.%02lld cycles\n", what, c100 / 100, c100 % 100);
}

void guest_main(struct start_info *si)
{
	report("null", measure(null_call));
	report("avc", measure(avc_call));
	report("self", measure(self_call));
	test_finish();
}
