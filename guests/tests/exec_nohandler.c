/*
 * A fault the guest kernel has no handler for: the domain is crashed with
 * a log line naming the fault, and the hypervisor itself carries on to
 * tear dom0 down (the harness checks the exit status and the log). The
 * guest never gets to print a result.
 */
#include "guest.h"

void guest_main(struct start_info *si)
{
	long rc;

	gprintf("exec_nohandler: clearing the trap table, then ud2\n");
	rc = hypercall_set_trap_table(NULL);
	if (rc) {
		test_report(TEST_ERROR, "set_trap_table(NULL) failed: %ld", rc);
	}
	asm volatile("ud2");
	test_report(TEST_FAILURE, "ud2 without a handler returned");
}
