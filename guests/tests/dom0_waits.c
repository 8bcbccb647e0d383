/*
 * dom0 beside boot-time domUs (boot-domains-dom0): it yields until domain
 * 1 is gone, and only then reports and shuts down, so the harness sees
 * the domU finish, be torn down without ending the machine, and dom0's
 * own shutdown end it. Whether domain 1 still exists is asked without any
 * domctl: EVTCHNOP_status of its port 1 (its console ring's channel, which
 * every domain may read) answers -ESRCH once it is destroyed.
 */
#include <public/errno.h>

#include "guest.h"

static long d1_alive(void)
{
	struct evtchn_status st = {.dom = 1, .port = 1};
	long rc = hypercall_event_channel_op(EVTCHNOP_status, &st);

	if (rc == 0) {
		return 1;
	}
	return rc == -ESRCH ? 0 : rc;
}

void guest_main(struct start_info *si)
{
	unsigned long yields = 0;
	long rc;

	gprintf("dom0_waits: waiting for d1 to be destroyed\n");
	while ((rc = d1_alive()) == 1) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
		yields++;
	}
	test_check(rc == 0, "status of d1's port 1: -ESRCH once it is gone (%ld)", rc);
	gprintf("dom0_waits: d1 is gone after %lu yields\n", yields);
	test_finish();
}
