/*
 * event_channel_op, 2-level ABI, in one domain: every sub-op with good
 * and bad arguments (port 0 reserved, range, state, vcpu ids, Xen's
 * errnos), loopback interdomain send, the upcall with per-port mask and
 * unmask re-delivery, evtchn_pending_sel, VIRQ_TIMER through its binding,
 * IPI, poll on ports, reset, and the per-domain port limit.
 */
#include <public/errno.h>

#include "evtchn_util.h"
#include "xsm_lib.h"

#define IRET_STUB_STR "hypercall_page + 23 * 32"

volatile uint64_t ev_count;

/* Counts upcalls and clears evtchn_upcall_pending; the bitmaps are left for the test to read. */
extern const char ev_entry[];
asm(".pushsection .text\n"
    ".globl ev_entry\n"
    "ev_entry:\n"
    "	pop %rcx\n"
    "	pop %r11\n"
    "	push %rax\n"
    "	incq ev_count(%rip)\n"
    "	mov shared_info(%rip), %rax\n"
    "	movb $0, 0(%rax)\n"
    "	pop %rax\n"
    "	pushq $0\n"
    "	jmp " IRET_STUB_STR "\n"
    ".popsection");

static volatile struct vcpu_info *vi(void)
{
	return &shared_info->vcpu_info[0];
}

static bool pending(uint32_t port)
{
	return (((volatile uint64_t *)shared_info->evtchn_pending)[port / 64] >> (port % 64)) & 1;
}

static void set_mask(uint32_t port, bool on)
{
	volatile uint64_t *w = &((volatile uint64_t *)shared_info->evtchn_mask)[port / 64];

	*w = on ? *w | (1ULL << (port % 64)) : *w & ~(1ULL << (port % 64));
}

/* Forget every delivered event: what the guest's upcall handler would do. */
static void clear_all(void)
{
	unsigned int i;

	vi()->evtchn_pending_sel = 0;
	vi()->evtchn_upcall_pending = 0;
	for (i = 0; i < 64; i++) {
		((volatile uint64_t *)shared_info->evtchn_pending)[i] = 0;
	}
}

static void test_unbound_interdomain(uint32_t *p1, uint32_t *p2)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF};
	struct evtchn_status st;
	long rc;

	test_check(ev_port(EVTCHNOP_close, 0) == -XEN_EINVAL, "port 0 is reserved: close");
	test_check(ev_port(EVTCHNOP_send, 0) == -XEN_EINVAL, "port 0 is reserved: send");
	rc = ev(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == 0 && au.port > 0, "alloc_unbound gives port %u (%ld)", au.port, rc);
	*p1 = au.port;
	rc = status(*p1, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
		   "status: unbound, remote dom 0 (%ld, %u)", rc, st.status);
	au.dom = 5;
	test_check(ev(EVTCHNOP_alloc_unbound, &au) == -XEN_ESRCH, "alloc_unbound for dom 5: ESRCH");
	au.dom = DOMID_SELF;
	au.remote_dom = 7;
	/* As Xen's FLASK: a remote domain that does not exist is refused by the hook. */
	test_check(ev(EVTCHNOP_alloc_unbound, &au) == -XEN_EPERM, "remote dom 7: EPERM");
	test_check(ev_port(EVTCHNOP_send, *p1) == 0, "send on an unbound port is dropped (0)");
	test_check(!pending(*p1), "and sets nothing");

	bi.remote_port = 4000;
	test_check(ev(EVTCHNOP_bind_interdomain, &bi) == -XEN_EINVAL, "bind to port 4000: EINVAL");
	bi.remote_port = 0;
	test_check(ev(EVTCHNOP_bind_interdomain, &bi) == -XEN_EINVAL, "bind to port 0: EINVAL");
	bi.remote_dom = 9;
	bi.remote_port = *p1;
	test_check(ev(EVTCHNOP_bind_interdomain, &bi) == -XEN_ESRCH, "bind to dom 9: ESRCH");
	bi.remote_dom = DOMID_SELF;
	rc = ev(EVTCHNOP_bind_interdomain, &bi);
	test_check(rc == 0 && bi.local_port > 0 && bi.local_port != *p1,
		   "loopback bind_interdomain gives port %u (%ld)", bi.local_port, rc);
	*p2 = bi.local_port;
	test_check(pending(*p2), "the new local end starts pending");
	test_check(ev(EVTCHNOP_bind_interdomain, &bi) == -XEN_EINVAL,
		   "binding an already bound port: EINVAL");
	rc = status(*p1, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.port == *p2,
		   "status of the first end: interdomain to %u", st.u.interdomain.port);
	rc = status(*p2, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.port == *p1,
		   "status of the second end: interdomain to %u", st.u.interdomain.port);
	test_check(status(5000, &st) == -XEN_EINVAL, "status of port 5000: EINVAL");
	st.dom = 3;
	st.port = 1;
	test_check(ev(EVTCHNOP_status, &st) == -XEN_ESRCH, "status in dom 3: ESRCH");
	test_check(status(900, &st) == 0 && st.status == EVTCHNSTAT_closed,
		   "an unused port is closed");
	{
		struct xen_flask_op op = {0};
		uint32_t dom0_sid = xsm_sid("system_u:system_r:dom0_t", &rc);

		op.u.peersid.evtchn = *p2;
		rc = xsm_flask(&op, FLASK_GET_PEER_SID);
		test_check(rc == 0 && op.u.peersid.sid == dom0_sid,
			   "FLASK_GET_PEER_SID of the loopback: dom0_t's SID %u (%ld)",
			   op.u.peersid.sid, rc);
		op.u.peersid.evtchn = 900;
		test_check(xsm_flask(&op, FLASK_GET_PEER_SID) == -XEN_EINVAL,
			   "FLASK_GET_PEER_SID of a closed port: EINVAL");
	}
}

static void test_delivery(uint32_t p1, uint32_t p2)
{
	uint64_t c;

	clear_all();
	vi()->evtchn_upcall_mask = 0;
	c = ev_count;
	test_check(ev_port(EVTCHNOP_send, p2) == 0, "send on the loopback");
	test_check(pending(p1) && !pending(p2), "the peer's port is pending, not ours");
	test_check(vi()->evtchn_pending_sel & (1ULL << (p1 / 64)), "its pending_sel bit is set");
	test_check(ev_count == c + 1, "the upcall ran once (%llu)",
		   (unsigned long long)(ev_count - c));

	c = ev_count;
	test_check(ev_port(EVTCHNOP_send, p2) == 0 && ev_count == c,
		   "a second send while pending: no new upcall");

	clear_all();
	set_mask(p1, true);
	c = ev_count;
	ev_port(EVTCHNOP_send, p2);
	test_check(pending(p1), "masked port: pending bit set");
	test_check(vi()->evtchn_pending_sel == 0 && vi()->evtchn_upcall_pending == 0 &&
		       ev_count == c,
		   "masked port: no selector bit, no upcall");
	test_check(ev_port(EVTCHNOP_unmask, p1) == 0, "unmask");
	test_check(ev_count == c + 1 && (vi()->evtchn_pending_sel & (1ULL << (p1 / 64))),
		   "unmask re-delivers the pending event");
	test_check(ev_port(EVTCHNOP_unmask, 5000) == -XEN_EINVAL, "unmask of port 5000: EINVAL");

	/* Upcalls masked for the vcpu: flags set, no callback until unmasked. */
	clear_all();
	vi()->evtchn_upcall_mask = 1;
	c = ev_count;
	ev_port(EVTCHNOP_send, p1);
	test_check(pending(p2) && vi()->evtchn_upcall_pending == 1 && ev_count == c,
		   "vcpu-masked: upcall pending, no callback");
	vi()->evtchn_upcall_mask = 0;
	hypercall_xen_version(XENVER_version, NULL);
	test_check(ev_count == c + 1, "unmasked vcpu: the callback runs at the next exit");
	clear_all();
}

static void test_virq_ipi(uint32_t p1, uint32_t *pt, uint32_t *pi)
{
	struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};
	struct evtchn_bind_ipi ip = {.vcpu = 0};
	struct evtchn_bind_vcpu bc;
	struct evtchn_status st;
	uint64_t c;
	long rc;

	rc = ev(EVTCHNOP_bind_virq, &bv);
	test_check(rc == 0 && bv.port > 0, "bind_virq VIRQ_TIMER: port %u (%ld)", bv.port, rc);
	*pt = bv.port;
	test_check(ev(EVTCHNOP_bind_virq, &bv) == -XEN_EEXIST, "VIRQ_TIMER again: EEXIST");
	bv.virq = NR_VIRQS;
	test_check(ev(EVTCHNOP_bind_virq, &bv) == -XEN_EINVAL, "VIRQ past NR_VIRQS: EINVAL");
	bv.virq = VIRQ_DOM_EXC;
	bv.vcpu = 1;
	test_check(ev(EVTCHNOP_bind_virq, &bv) == -XEN_EINVAL, "global VIRQ on vcpu 1: EINVAL");
	bv.virq = VIRQ_DEBUG;
	bv.vcpu = 7;
	test_check(ev(EVTCHNOP_bind_virq, &bv) == -XEN_ENOENT, "per-vcpu VIRQ on vcpu 7: ENOENT");
	bv.vcpu = 0;
	test_check(ev(EVTCHNOP_bind_virq, &bv) == 0, "VIRQ_DEBUG bound");
	bv.virq = VIRQ_DOM_EXC;
	test_check(ev(EVTCHNOP_bind_virq, &bv) == 0, "VIRQ_DOM_EXC bound on vcpu 0");
	rc = status(*pt, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_virq && st.u.virq == VIRQ_TIMER &&
		       st.vcpu == 0,
		   "status: virq %u on vcpu %u", st.u.virq, st.vcpu);

	/* The timer arrives through its port. */
	clear_all();
	c = ev_count;
	hypercall_set_timer_op(1);
	hypercall_sched_op(SCHEDOP_block, NULL);
	test_check(ev_count == c + 1 && pending(*pt), "VIRQ_TIMER wakes block through port %u",
		   *pt);
	clear_all();

	rc = ev(EVTCHNOP_bind_ipi, &ip);
	test_check(rc == 0 && ip.port > 0, "bind_ipi: port %u (%ld)", ip.port, rc);
	*pi = ip.port;
	ip.vcpu = 3;
	test_check(ev(EVTCHNOP_bind_ipi, &ip) == -XEN_ENOENT, "bind_ipi to vcpu 3: ENOENT");
	c = ev_count;
	test_check(ev_port(EVTCHNOP_send, *pi) == 0 && pending(*pi) && ev_count == c + 1,
		   "an IPI to oneself is delivered");
	rc = status(*pi, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_ipi, "status: ipi");
	clear_all();

	bc.port = p1;
	bc.vcpu = 0;
	test_check(ev(EVTCHNOP_bind_vcpu, &bc) == 0, "bind_vcpu of an interdomain port to vcpu 0");
	bc.vcpu = 9;
	test_check(ev(EVTCHNOP_bind_vcpu, &bc) == -XEN_ENOENT, "bind_vcpu to vcpu 9: ENOENT");
	bc.port = *pt;
	bc.vcpu = 0;
	test_check(ev(EVTCHNOP_bind_vcpu, &bc) == -XEN_EINVAL,
		   "bind_vcpu of a per-vcpu VIRQ: EINVAL");
	bc.port = 3000;
	test_check(ev(EVTCHNOP_bind_vcpu, &bc) == -XEN_EINVAL, "bind_vcpu of a free port: EINVAL");
}

static void test_poll(uint32_t p1, uint32_t pt, uint32_t pi)
{
	struct sched_poll poll = {0};
	uint32_t ports[2];
	long rc;

	vi()->evtchn_upcall_mask = 1;
	clear_all();
	ports[0] = 999;
	poll.ports = (uint64_t)(uintptr_t)ports;
	poll.nr_ports = 1;
	test_check(hypercall_sched_op(SCHEDOP_poll, &poll) == -XEN_EINVAL,
		   "poll on port 999: EINVAL");
	ports[0] = pi;
	ev_port(EVTCHNOP_send, pi);
	rc = hypercall_sched_op(SCHEDOP_poll, &poll);
	test_check(rc == 0, "poll on an already pending port returns (%ld)", rc);
	clear_all();
	/* Masked upcalls: only the timer's port being pending can end this poll. */
	ports[0] = p1;
	ports[1] = pt;
	poll.nr_ports = 2;
	poll.timeout = 0;
	hypercall_set_timer_op(1);
	rc = hypercall_sched_op(SCHEDOP_poll, &poll);
	test_check(rc == 0 && pending(pt), "poll wakes when the timer's port becomes pending (%ld)",
		   rc);
	clear_all();
	vi()->evtchn_upcall_mask = 0;
}

static void test_close_reset(uint32_t p1, uint32_t p2, uint32_t pt)
{
	struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_reset rs = {.dom = DOMID_SELF};
	struct evtchn_status st;
	unsigned int n = 0;
	long rc;

	test_check(ev_port(EVTCHNOP_close, p1) == 0, "close one end");
	test_check(status(p2, &st) == 0 && st.status == EVTCHNSTAT_unbound,
		   "the other end is unbound again (%u)", st.status);
	test_check(ev_port(EVTCHNOP_close, p1) == -XEN_EINVAL, "close it again: EINVAL");
	test_check(ev_port(EVTCHNOP_close, 5000) == -XEN_EINVAL, "close port 5000: EINVAL");
	test_check(ev_port(EVTCHNOP_send, 5000) == -XEN_EINVAL, "send on port 5000: EINVAL");
	test_check(ev_port(EVTCHNOP_send, p1) == -XEN_EINVAL, "send on a closed port: EINVAL");

	/* Fill the table: the per-domain limit answers ENOSPC. */
	while ((rc = ev(EVTCHNOP_alloc_unbound, &au)) == 0 && n < 5000) {
		n++;
	}
	test_check(rc == -XEN_ENOSPC && n > 1000, "table full after %u more ports: ENOSPC (%ld)", n,
		   rc);

	rs.dom = 4;
	test_check(ev(EVTCHNOP_reset, &rs) == -XEN_ESRCH, "reset of dom 4: ESRCH");
	rs.dom = DOMID_SELF;
	test_check(ev(EVTCHNOP_reset, &rs) == 0, "reset");
	test_check(status(pt, &st) == 0 && st.status == EVTCHNSTAT_closed,
		   "the timer port is closed");
	test_check(status(p2, &st) == 0 && st.status == EVTCHNSTAT_closed, "so is the loopback");
	rc = ev(EVTCHNOP_bind_virq, &bv);
	test_check(rc == 0, "VIRQ_TIMER can be bound again after reset (%ld)", rc);
	test_check(ev(EVTCHNOP_alloc_unbound, &au) == 0, "ports are free again");
}

static void test_unsupported(void)
{
	struct evtchn_bind_pirq bp = {0};
	struct evtchn_init_control ic = {.control_gfn = 1ULL << 40};
	struct evtchn_expand_array ea = {0};
	struct evtchn_set_priority sp = {0};

	test_check(ev(EVTCHNOP_bind_pirq, &bp) == -XEN_EPERM,
		   "bind_pirq: EPERM (no physical IRQs)");
	/* FIFO sub-ops refused without switching the domain (evtchn_fifo tests them fully). */
	test_check(ev(EVTCHNOP_init_control, &ic) == -XEN_EINVAL,
		   "init_control on a frame beyond RAM: EINVAL");
	test_check(ev(EVTCHNOP_expand_array, &ea) == -XEN_EOPNOTSUPP,
		   "expand_array while 2-level: EOPNOTSUPP");
	test_check(ev(EVTCHNOP_set_priority, &sp) == -XEN_ENOSYS,
		   "set_priority under 2-level: ENOSYS");
	test_check(ev(99, &sp) == -XEN_ENOSYS, "sub-op 99: ENOSYS");
	test_check(ev(EVTCHNOP_status, (void *)0xffff800000000000ULL) == -XEN_EFAULT,
		   "argument in the hypervisor hole: EFAULT");
}

void guest_main(struct start_info *si)
{
	struct callback_register cb = {.type = CALLBACKTYPE_event, .address = (uint64_t)ev_entry};
	uint32_t p1 = 0, p2 = 0, pt = 0, pi = 0;

	(void)si;
	gprintf("evtchn_ops: event_channel_op sub-ops, 2-level delivery\n");
	if (hypercall_callback_op(CALLBACKOP_register, &cb)) {
		test_report(TEST_ERROR, "no event callback");
	}
	test_unsupported();
	test_unbound_interdomain(&p1, &p2);
	test_delivery(p1, p2);
	test_virq_ipi(p1, &pt, &pi);
	test_poll(p1, pt, pi);
	test_close_reset(p1, p2, pt);
	test_finish();
}
