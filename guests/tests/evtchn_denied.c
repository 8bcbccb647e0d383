/*
 * Event channels under a FLASK label without event permissions
 * (norights_t of the test policy, loaded as the boot policy module): each
 * sub-op that creates, inspects or resets a channel is refused with
 * -EACCES before any state changes, and leaves its AVC line; what Xen does
 * not check (IPI channels to oneself, their sends, unmask) still works.
 */
#include <public/errno.h>

#include "guest.h"

void guest_main(struct start_info *si)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};
	struct evtchn_bind_ipi ip = {.vcpu = 0};
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct evtchn_reset rs = {.dom = DOMID_SELF};
	struct evtchn_send sd;
	long rc;

	(void)si;
	gprintf("evtchn_denied: event channels as norights_t\n");
	rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == -XEN_EACCES && au.port == 0, "alloc_unbound: -EACCES (%ld)", rc);
	rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &bv);
	test_check(rc == -XEN_EACCES && bv.port == 0, "bind_virq: -EACCES (%ld)", rc);
	rc = hypercall_event_channel_op(EVTCHNOP_bind_ipi, &ip);
	test_check(rc == 0 && ip.port == 1, "bind_ipi (no hook, as Xen): port %u (%ld)", ip.port,
		   rc);
	sd.port = ip.port;
	rc = hypercall_event_channel_op(EVTCHNOP_send, &sd);
	test_check(rc == 0, "send on one's own IPI port (%ld)", rc);
	st.port = ip.port;
	rc = hypercall_event_channel_op(EVTCHNOP_status, &st);
	test_check(rc == -XEN_EACCES, "status: -EACCES (%ld)", rc);
	rc = hypercall_event_channel_op(EVTCHNOP_reset, &rs);
	test_check(rc == -XEN_EACCES, "reset: -EACCES (%ld)", rc);
	test_finish();
}
