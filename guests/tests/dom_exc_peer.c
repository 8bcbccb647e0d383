/*
 * The boot-time domU the dom_exc dom0 drives (lifecycle-* cases): each
 * instance offers its first event channel port to dom0, which is how dom0
 * knows a new instance has run, then blocks until it is shut down from
 * outside. It never reports a result: dom0 decides when it ends.
 */
#include "guest.h"

void guest_main(struct start_info *si)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = 0};
	long rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &au);

	if (rc || au.port != 1) {
		test_report(TEST_FAILURE, "alloc_unbound towards d0: %ld, port %u", rc, au.port);
	}
	gprintf("dom_exc_peer: port %u offered to d0\n", au.port);
	for (;;) {
		hypercall_sched_op(SCHEDOP_block, NULL);
	}
}
