/*
 * SCHEDOP_shutdown_code latches a reason that a later shutdown reports
 * (a kernel sets "crash" before it starts dumping, then powers off): the
 * first code wins, and the domain ends with it whatever the final call
 * says. The harness expects the crash exit status.
 */
#include <public/errno.h>

#include "guest.h"

void guest_main(struct start_info *si)
{
	struct sched_shutdown code = {.reason = SHUTDOWN_crash};
	struct sched_shutdown later = {.reason = SHUTDOWN_reboot};
	struct sched_shutdown off = {.reason = SHUTDOWN_poweroff};
	long rc;

	gprintf("exec_shutdown_code: latch crash, then power off\n");
	rc = hypercall_sched_op(SCHEDOP_shutdown_code, &code);
	test_check(rc == 0, "shutdown_code(crash) (%ld)", rc);
	rc = hypercall_sched_op(SCHEDOP_shutdown_code, &later);
	test_check(rc == 0, "a second shutdown_code is accepted and ignored (%ld)", rc);
	if (test_failures()) {
		test_finish();
	}
	gprintf("Test result: SUCCESS\n");
	hypercall_sched_op(SCHEDOP_shutdown, &off);
	for (;;) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
}
