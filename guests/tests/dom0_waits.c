/*
 * dom0 beside boot-time domUs (boot-domains-dom0): it yields until domain
 * 1 is gone, and only then reports and shuts down, so the harness sees
 * the domU finish, be torn down without ending the machine, and dom0's
 * own shutdown end it. Whether domain 1 still exists is asked without any
 * domctl: EVTCHNOP_alloc_unbound towards it answers -ESRCH once it is
 * destroyed (a port it does get is closed again).
 */
#include <public/errno.h>

#include "guest.h"

static long d1_alive(void)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = 1};
	struct evtchn_close cl;
	long rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &au);

	if (rc == 0) {
		cl.port = au.port;
		hypercall_event_channel_op(EVTCHNOP_close, &cl);
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
	test_check(rc == 0, "alloc_unbound towards d1: -ESRCH once it is gone (%ld)", rc);
	gprintf("dom0_waits: d1 is gone after %lu yields\n", yields);
	test_finish();
}
