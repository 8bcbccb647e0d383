/*
 * Issue 10's vcpu switch benchmark, the guest half: make bench-switch
 * boots two of these as boot-time domUs under -icount shift=0 (xsm=flask
 * and xsm=dummy). Each yields ITERS times; while both run, every yield
 * hands the CPU to the other domain and the next one hands it back, so
 * one round trip is two yield hypercalls and two vcpu switches. The
 * guest checks through its runstate that it really was switched away
 * (its "runnable" time grew) and prints the ticks per round trip; only
 * the first domain's figure counts (the second one's last yields find
 * nobody to switch to once the first has finished).
 */
#include <public/vcpu.h>

#include "guest.h"

#define ITERS 500

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

void guest_main(struct start_info *si)
{
	uint64_t t0, t1, r0;
	unsigned int i;

	/* Warm up: both domains are running and yielding before the clock starts. */
	for (i = 0; i < 20; i++) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	r0 = runtime_runnable_ns();
	t0 = tsc();
	for (i = 0; i < ITERS; i++) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	t1 = tsc();
	test_check(runtime_runnable_ns() > r0, "the yields switched to the other domain");
	gprintf("bench_switch: round trip: %llu.%02llu ticks (%u yields)\n",
		(unsigned long long)((t1 - t0) / ITERS),
		(unsigned long long)((t1 - t0) * 100 / ITERS % 100), ITERS);
	test_finish();
}
