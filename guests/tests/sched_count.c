/*
 * A CPU-bound boot-time domU for the scheduler cases (sched-yield-2,
 * sched-preempt-2): it counts through STEPS steps and prints each one.
 * Every step but the last ends only once this vcpu has been taken off
 * the CPU while runnable at least once more (its runstate's "runnable"
 * time grew), so a step is proof that some other vcpu ran meanwhile: with
 * mode=yield the vcpu yields between checks (SCHEDOP_yield), with
 * mode=spin it only computes and must be preempted by the timeslice. The
 * last step does not wait, so the domain whose partner has finished
 * still ends. A scheduler that never switches leaves the domains stuck in
 * their first step (the harness times out); the interleaving of the step
 * lines of two domains is the harness's to check.
 *
 * mode=work needs no partner (the SMP cases, one domain per CPU): it sums
 * 0..WORK_N-1, long enough to span many timer ticks, and checks the sum
 * against n(n-1)/2 before it reports success; mode=longwork sums five
 * times as far (a domain still busy when a mode=work neighbour is done).
 */
#include <public/vcpu.h>

#include "guest.h"

#define STEPS 4
#define WORK_N 20000000ULL

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	bool yield = runtime_has_word(cmd, "mode=yield");
	volatile uint64_t work = 0;
	unsigned int step;
	uint64_t seen;

	if (runtime_has_word(cmd, "mode=work") || runtime_has_word(cmd, "mode=longwork")) {
		uint64_t n = runtime_has_word(cmd, "mode=longwork") ? 5 * WORK_N : WORK_N;

		for (uint64_t i = 0; i < n; i++) {
			work += i;
		}
		gprintf("sched_count: worked, sum %llu\n", (unsigned long long)work);
		if (work != n * (n - 1) / 2) {
			test_report(TEST_FAILURE, "the sum is wrong");
		}
		test_report(TEST_SUCCESS, NULL);
	}
	if (!yield && !runtime_has_word(cmd, "mode=spin")) {
		test_report(TEST_ERROR,
			    "no mode=yield, mode=spin or mode=work on the command line");
	}
	gprintf("sched_count: %s, %u steps\n", yield ? "yielding" : "spinning", STEPS);
	for (step = 1; step <= STEPS; step++) {
		seen = runtime_runnable_ns();
		while (step < STEPS && runtime_runnable_ns() == seen) {
			if (yield) {
				hypercall_sched_op(SCHEDOP_yield, NULL);
			} else {
				work++;
			}
		}
		gprintf("sched_count: step %u of %u\n", step, STEPS);
	}
	test_report(TEST_SUCCESS, NULL);
}
