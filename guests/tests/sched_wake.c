/*
 * Wake-ups of a boot-time domU while another domain computes (case
 * sched-wake-busy, beside sched_share.elf): a vcpu blocked with
 * SCHEDOP_block is woken by its VIRQ_TIMER event, armed with set_timer_op
 * and with VCPUOP_set_singleshot_timer; SCHEDOP_poll returns after its
 * timeout when nothing arrives, and before it when the polled port (the
 * timer's) becomes pending. Each wake-up must come, and not before its
 * time (system time read from vcpu_time_info); the runstate shows the
 * vcpu really was off the CPU, blocked, meanwhile. Upper bounds are only
 * sanity (a second); a wake-up that never comes is the harness's timeout.
 *
 * Before the first check and after the last one the vcpu computes until
 * it is preempted (its runnable time grows): the neighbour competed for
 * the CPU all along. Interdomain events (issue 11) would let the other
 * domain be the waker; until then timers are.
 */
#include <public/errno.h>

#include "sched_util.h"

#define SANITY_NS (1000 * MS)

volatile uint64_t wake_events;

/* Event callback: count, clear the upcall flag, return with the iret hypercall (23). */
extern const char wake_event_entry[];
asm(".pushsection .text\n"
    ".globl wake_event_entry\n"
    "wake_event_entry:\n"
    "	pop %rcx\n"
    "	pop %r11\n"
    "	push %rax\n"
    "	incq wake_events(%rip)\n"
    "	mov shared_info(%rip), %rax\n"
    "	movb $0, (%rax)\n"
    "	pop %rax\n"
    "	pushq $0\n"
    "	jmp hypercall_page + 23 * 32\n"
    ".popsection");

static uint32_t timer_port;

static volatile struct vcpu_info *vi(void)
{
	return &shared_info->vcpu_info[0];
}

static bool port_pending(uint32_t port)
{
	return (((volatile uint64_t *)shared_info->evtchn_pending)[port / 64] >> (port % 64)) & 1;
}

static void port_clear(uint32_t port)
{
	__atomic_fetch_and(&shared_info->evtchn_pending[port / 64], ~(1ULL << (port % 64)),
			   __ATOMIC_SEQ_CST);
	vi()->evtchn_pending_sel = 0;
	vi()->evtchn_upcall_pending = 0;
}

static uint64_t blocked_ns(void)
{
	struct vcpu_runstate_info ri;

	sched_runstate(&ri);
	return ri.time[RUNSTATE_blocked];
}

/* Computes until this vcpu has waited for the CPU once more: another domain ran. */
static void wait_preempted(const char *when)
{
	struct vcpu_runstate_info ri;
	uint64_t seen, t0 = sched_now();

	sched_runstate(&ri);
	seen = ri.time[RUNSTATE_runnable];
	do {
		if (sched_now() - t0 > SANITY_NS) {
			test_report(TEST_FAILURE,
				    "%s: not preempted within a second: no busy neighbour", when);
		}
		sched_runstate(&ri);
	} while (ri.time[RUNSTATE_runnable] == seen);
}

/* Blocks until the timer armed by arm(deadline) wakes the vcpu; checks the wake-up. */
static void block_until(const char *what, long (*arm)(uint64_t))
{
	uint64_t t0, deadline, t1, b0, c = wake_events;
	long rc;

	port_clear(timer_port);
	b0 = blocked_ns();
	t0 = sched_now();
	deadline = t0 + 20 * MS;
	rc = arm(deadline);
	test_check(rc == 0, "%s: armed (%ld)", what, rc);
	rc = hypercall_sched_op(SCHEDOP_block, NULL);
	t1 = sched_now();
	test_check(rc == 0, "%s: block returns 0 (%ld)", what, rc);
	test_check(wake_events == c + 1, "%s: the timer event arrived (%llu callbacks)", what,
		   (unsigned long long)(wake_events - c));
	test_check(t1 >= deadline, "%s: woke %lld ns before the deadline", what,
		   (long long)(deadline - t1));
	test_check(t1 < deadline + SANITY_NS, "%s: woke %llu ms after the deadline", what,
		   (unsigned long long)((t1 - deadline) / MS));
	/* The wake-up was an event, not a busy wait: the vcpu was blocked until then. */
	test_check(blocked_ns() - b0 >= deadline - t0 - MS, "%s: blocked %llu ns of %llu", what,
		   (unsigned long long)(blocked_ns() - b0), (unsigned long long)(deadline - t0));
	gprintf("sched_wake: %s: woke %llu us after the deadline\n", what,
		(unsigned long long)((t1 - deadline) / 1000));
	/* Masked again: only the poll checks below decide when events count. */
	vi()->evtchn_upcall_mask = 1;
	port_clear(timer_port);
}

static long arm_timer_op(uint64_t deadline)
{
	return hypercall_set_timer_op(deadline);
}

static long arm_singleshot(uint64_t deadline)
{
	struct vcpu_set_singleshot_timer st = {.timeout_abs_ns = deadline,
					       .flags = VCPU_SSHOTTMR_future};

	return hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st);
}

static void poll_checks(void)
{
	struct sched_poll poll = {.ports = gva(&timer_port), .nr_ports = 1};
	uint64_t t0, t1, b0, deadline;
	long rc;

	vi()->evtchn_upcall_mask = 1;
	port_clear(timer_port);

	/* Nothing pending, no timer: the poll ends on its timeout, not before. */
	b0 = blocked_ns();
	t0 = sched_now();
	poll.timeout = t0 + 40 * MS;
	rc = hypercall_sched_op(SCHEDOP_poll, &poll);
	t1 = sched_now();
	test_check(rc == 0, "poll with a timeout returns 0 (%ld)", rc);
	test_check(t1 >= poll.timeout, "poll returned %lld ns before its timeout",
		   (long long)(poll.timeout - t1));
	test_check(t1 < poll.timeout + SANITY_NS, "poll returned %llu ms after its timeout",
		   (unsigned long long)((t1 - poll.timeout) / MS));
	test_check(!port_pending(timer_port), "nothing pending after the timed-out poll");
	test_check(blocked_ns() - b0 >= poll.timeout - t0 - MS, "poll blocked %llu ns of %llu",
		   (unsigned long long)(blocked_ns() - b0),
		   (unsigned long long)(poll.timeout - t0));
	gprintf("sched_wake: poll timeout: returned %llu us after it\n",
		(unsigned long long)((t1 - poll.timeout) / 1000));

	/* The polled port becomes pending (timer at +10 ms): the poll ends then, long before its
	 * timeout. */
	t0 = sched_now();
	deadline = t0 + 10 * MS;
	poll.timeout = t0 + SANITY_NS;
	hypercall_set_timer_op(deadline);
	rc = hypercall_sched_op(SCHEDOP_poll, &poll);
	t1 = sched_now();
	test_check(rc == 0, "poll on the timer's port returns 0 (%ld)", rc);
	test_check(port_pending(timer_port), "the polled port is pending when the poll returns");
	test_check(t1 >= deadline, "poll on the port returned %lld ns before the timer",
		   (long long)(deadline - t1));
	test_check(t1 < poll.timeout, "poll on the port waited for its timeout, not the port");
	gprintf("sched_wake: poll on the timer's port: returned %llu us after the timer, "
		"%llu ms before the timeout\n",
		(unsigned long long)((t1 - deadline) / 1000),
		(unsigned long long)((poll.timeout - t1) / MS));
	port_clear(timer_port);

	/* Bad input: more ports than a poll takes is refused at once, the vcpu stays runnable. */
	poll.nr_ports = 129;
	poll.timeout = 0;
	t0 = blocked_ns();
	rc = hypercall_sched_op(SCHEDOP_poll, &poll);
	test_check(rc == -XEN_EINVAL, "poll on 129 ports: -EINVAL (%ld)", rc);
	test_check(blocked_ns() == t0, "the refused poll did not block");
}

void guest_main(struct start_info *si)
{
	struct callback_register cb = {.type = CALLBACKTYPE_event,
				       .address = gva(wake_event_entry)};
	struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};
	long rc;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping: no system time");
	}
	rc = hypercall_callback_op(CALLBACKOP_register, &cb);
	if (rc) {
		test_report(TEST_ERROR, "event callback refused (%ld)", rc);
	}
	rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &bv);
	if (rc || bv.port >= 64 * 64) {
		test_report(TEST_ERROR, "VIRQ_TIMER not bound (%ld, port %u)", rc, bv.port);
	}
	timer_port = bv.port;
	vi()->evtchn_upcall_mask = 1;
	gprintf("sched_wake: VIRQ_TIMER on port %u\n", timer_port);
	wait_preempted("before");
	block_until("set_timer_op + block", arm_timer_op);
	block_until("singleshot timer + block", arm_singleshot);
	poll_checks();
	wait_preempted("after");
	test_finish();
}
