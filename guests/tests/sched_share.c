/*
 * A CPU-bound boot-time domU that measures its share of the CPU (cases
 * sched-weight-*, sched-cap-*): it computes without a pause from its
 * first instruction until the system time "end=MS" and prints how long
 * the hypervisor's runstate accounting says it ran between the system
 * times "start=MS" and "end=MS" (milliseconds, the hypervisor's clock,
 * which every domain reads alike). Two of these given the same window
 * compete for the CPU during all of it, so neither can finish early and
 * leave the other alone: the ratio of their figures is the ratio of their
 * shares, and one alone against the window length is its share of the
 * CPU.
 *
 * The runstate's running time does not grow while the vcpu is off the
 * CPU, so reading it at the first chance after a window edge is reading
 * it at the edge, however late that chance comes. A domain that first
 * runs after the window opened refuses to measure (ERROR): its figure
 * would be short.
 */
#include "sched_util.h"

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t start, end, t, r0, r1;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping: no system time");
	}
	if (!sched_arg(cmd, "start", &start) || !sched_arg(cmd, "end", &end) || start >= end) {
		test_report(TEST_ERROR, "needs start=MS end=MS on the command line, start < end");
	}
	start *= MS;
	end *= MS;
	t = sched_now();
	gprintf("sched_share: computing from %llu ms, window [%llu, %llu) ms\n",
		(unsigned long long)(t / MS), (unsigned long long)(start / MS),
		(unsigned long long)(end / MS));
	if (t >= start) {
		test_report(TEST_ERROR,
			    "first ran at %llu ms, after the window opened: move it later",
			    (unsigned long long)(t / MS));
	}
	while (sched_now() < start) {
	}
	r0 = sched_running_ns();
	while (sched_now() < end) {
	}
	r1 = sched_running_ns();
	gprintf("sched_share: ran %llu ns of the %llu ns window\n", (unsigned long long)(r1 - r0),
		(unsigned long long)(end - start));
	/* Both figures come from one clock: running longer than the window is impossible. */
	test_check(r1 - r0 <= end - start + MS, "ran %llu ns in a %llu ns window",
		   (unsigned long long)(r1 - r0), (unsigned long long)(end - start));
	test_finish();
}
