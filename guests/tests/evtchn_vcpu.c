/*
 * EVTCHNOP_bind_vcpu across vcpus and CPUs: a two-vcpu domU (run with
 * -smp 2, its vcpus on CPUs 0 and 1) opens a loopback interdomain channel
 * (ports A and B), binds B to vcpu 1 and keeps A on vcpu 0, and the two
 * vcpus ping-pong ROUNDS events: vcpu 0 sends on A (B goes pending, for
 * vcpu 1), vcpu 1 answers on B (A goes pending, for vcpu 0). Each vcpu
 * waits in SCHEDOP_poll for its own port, so every event wakes a vcpu
 * blocked on the other CPU (the hypervisor's wake-up goes by IPI).
 *
 * Both ports stay unmasked and both vcpus keep upcalls masked, so the
 * 2-level ABI marks the event in the selector word of the vcpu the port
 * is bound to: at every event the receiver checks that its own
 * evtchn_pending_sel has the port's bit and the other vcpu's has none
 * (a port delivered to the wrong vcpu fails there). Then B is bound back
 * to vcpu 0 and one more event must land in vcpu 0's selector. Bad
 * arguments get Xen's errnos: vcpu 2 (-ENOENT), port 0 and a free port
 * (-EINVAL), a per-vcpu VIRQ to another vcpu (-EINVAL).
 */
#include <public/errno.h>
#include <public/vcpu.h>

#include "evtchn_util.h"
#include "sched_util.h"
#include "vcpus.h"

#define ROUNDS 10000
#define AP_STACK 16384

static uint8_t ap_stack[AP_STACK] __attribute__((aligned(16)));
static struct vcpu_guest_context ctx;
static uint32_t port_a, port_b;
static volatile unsigned int answered, misrouted_1, stop;

static uint64_t *sel(unsigned int vcpu)
{
	return (uint64_t *)&shared_info->vcpu_info[vcpu].evtchn_pending_sel;
}

/* Polls for port (bound to this vcpu): pending, and in our selector only. */
static bool wait_mine(unsigned int self, uint32_t port, volatile unsigned int *misrouted)
{
	uint32_t ports[1] = {port};
	struct sched_poll poll = {0};
	uint64_t start = sched_now(), bit = 1ULL << (port / 64);

	while (!take_pending(port)) {
		if (stop) {
			return false;
		}
		if (sched_now() - start > WATCHDOG_MS * MS) {
			test_report(TEST_FAILURE, "vcpu %u: no event on port %u", self, port);
		}
		poll.ports = (uint64_t)(uintptr_t)ports;
		poll.nr_ports = 1;
		poll.timeout = sched_now() + POLL_MS * MS;
		hypercall_sched_op(SCHEDOP_poll, &poll);
	}
	if (!(__atomic_fetch_and(sel(self), ~bit, __ATOMIC_SEQ_CST) & bit) ||
	    (__atomic_load_n(sel(1 - self), __ATOMIC_SEQ_CST) & bit)) {
		/* Stop at once: a misrouted event is only seen at the poll timeout. */
		(*misrouted)++;
		test_report(TEST_FAILURE,
			    "vcpu %u: port %u's event not marked in its selector only (vcpu 0 sel "
			    "0x%llx, vcpu 1 sel 0x%llx)",
			    self, port, (unsigned long long)*sel(0), (unsigned long long)*sel(1));
	}
	return true;
}

/* vcpu 1: answers every event on B with one on A. */
static void answer_main(unsigned int id)
{
	shared_info->vcpu_info[id].evtchn_upcall_mask = 1;
	while (wait_mine(1, port_b, &misrouted_1)) {
		__atomic_fetch_add(&answered, 1, __ATOMIC_SEQ_CST);
		if (ev_port(EVTCHNOP_send, port_b)) {
			misrouted_1 += 1000000;
		}
	}
	hypercall_vcpu_op(VCPUOP_down, id, NULL);
	for (;;) {
		hypercall_sched_op(SCHEDOP_block, NULL);
	}
}

static void bad_args(void)
{
	struct evtchn_bind_vcpu bv = {.port = port_b, .vcpu = 2};
	struct evtchn_bind_virq vq = {.virq = VIRQ_TIMER, .vcpu = 0};
	long rc;

	rc = ev(EVTCHNOP_bind_vcpu, &bv);
	test_check(rc == -XEN_ENOENT, "bind_vcpu to vcpu 2 of 2: ENOENT (%ld)", rc);
	bv.vcpu = 1;
	bv.port = 0;
	rc = ev(EVTCHNOP_bind_vcpu, &bv);
	test_check(rc == -XEN_EINVAL, "bind_vcpu of port 0: EINVAL (%ld)", rc);
	bv.port = 60;
	rc = ev(EVTCHNOP_bind_vcpu, &bv);
	test_check(rc == -XEN_EINVAL, "bind_vcpu of a free port: EINVAL (%ld)", rc);
	bv.port = 5000;
	rc = ev(EVTCHNOP_bind_vcpu, &bv);
	test_check(rc == -XEN_EINVAL, "bind_vcpu of port 5000: EINVAL (%ld)", rc);
	rc = ev(EVTCHNOP_bind_virq, &vq);
	test_check(rc == 0, "VIRQ_TIMER bound on vcpu 0 (%ld)", rc);
	bv.port = vq.port;
	rc = ev(EVTCHNOP_bind_vcpu, &bv);
	test_check(rc == -XEN_EINVAL, "a per-vcpu VIRQ moved to vcpu 1: EINVAL (%ld)", rc);
	test_check(ev_port(EVTCHNOP_close, vq.port) == 0, "VIRQ port closed");
}

void guest_main(struct start_info *si)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF};
	struct evtchn_bind_vcpu bv;
	unsigned int i, misrouted_0 = 0;
	long rc;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	if (hypercall_vcpu_op(VCPUOP_is_up, 1, NULL) < 0) {
		test_report(TEST_ERROR, "needs 2 vcpus (boot key vcpus=2)");
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	if (ev(EVTCHNOP_alloc_unbound, &au)) {
		test_report(TEST_ERROR, "alloc_unbound failed");
	}
	bi.remote_port = au.port;
	if (ev(EVTCHNOP_bind_interdomain, &bi)) {
		test_report(TEST_ERROR, "loopback bind_interdomain failed");
	}
	port_a = au.port;
	port_b = bi.local_port;
	take_pending(port_b);
	__atomic_store_n(sel(0), 0, __ATOMIC_SEQ_CST);
	bad_args();
	bv.port = port_b;
	bv.vcpu = 1;
	rc = ev(EVTCHNOP_bind_vcpu, &bv);
	test_check(rc == 0, "port %u bound to vcpu 1: %ld", port_b, rc);
	vcpu_context(&ctx, 1, answer_main, ap_stack, AP_STACK);
	rc = hypercall_vcpu_op(VCPUOP_initialise, 1, &ctx);
	if (!rc) {
		rc = hypercall_vcpu_op(VCPUOP_up, 1, NULL);
	}
	if (rc) {
		test_report(TEST_ERROR, "cannot start vcpu 1 (%ld)", rc);
	}
	/* vcpu 0 pings on A; B, bound to vcpu 1, goes pending there. */
	for (i = 0; i < ROUNDS; i++) {
		if (ev_port(EVTCHNOP_send, port_a)) {
			test_report(TEST_FAILURE, "ping %u failed", i);
		}
		wait_mine(0, port_a, (volatile unsigned int *)&misrouted_0);
	}
	stop = 1;
	test_check(answered == ROUNDS, "vcpu 1 answered %u of %u pings", answered, ROUNDS);
	test_check(misrouted_0 == 0 && misrouted_1 == 0,
		   "every event marked in its own vcpu's selector only (wrong: %u on vcpu 0, %u on "
		   "vcpu 1)",
		   misrouted_0, misrouted_1);
	/* Wait for vcpu 1 to go down before B comes back to vcpu 0. */
	{
		uint64_t start = sched_now();

		while (hypercall_vcpu_op(VCPUOP_is_up, 1, NULL) > 0) {
			wait_step(start, "vcpu 1 never went down", 1);
		}
	}
	bv.vcpu = 0;
	test_check(ev(EVTCHNOP_bind_vcpu, &bv) == 0, "port %u bound back to vcpu 0", port_b);
	__atomic_store_n(sel(0), 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(sel(1), 0, __ATOMIC_SEQ_CST);
	test_check(ev_port(EVTCHNOP_send, port_a) == 0 && take_pending(port_b) &&
		       (__atomic_load_n(sel(0), __ATOMIC_SEQ_CST) & (1ULL << (port_b / 64))) &&
		       !__atomic_load_n(sel(1), __ATOMIC_SEQ_CST),
		   "after bind_vcpu back, port %u's event is marked for vcpu 0", port_b);
	gprintf("evtchn_vcpu: %u events to vcpu 1 and back, each in its vcpu's selector\n",
		answered);
	test_finish();
}
