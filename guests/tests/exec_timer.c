/*
 * The one-shot guest timer and event upcalls: VIRQ_TIMER is bound to a
 * port first (an unbound VIRQ is dropped, as on Xen); set_timer_op and
 * VCPUOP_set_singleshot_timer raise it as a pending event; SCHEDOP_block unmasks events and waits
 * for it; the event callback then runs with events masked and iret unmasks them again. A masked
 * vcpu gets evtchn_upcall_pending but no callback until it unmasks and enters the hypervisor.
 * SCHEDOP_poll with no ports waits for its timeout. The periodic timer is off until set, fires at
 * its period and stops. Time comes from vcpu_time_info, as a PV kernel computes it.
 */
#include <public/errno.h>

#include "guest.h"

#define IRET_STUB_STR "hypercall_page + 23 * 32"
#define MS 1000000ULL

volatile uint64_t ev_count;
volatile uint32_t ev_mask;

extern const char ev_entry[];
asm(".pushsection .text\n"
    ".globl ev_entry\n"
    "ev_entry:\n"
    "	pop %rcx\n"
    "	pop %r11\n"
    "	push %rax\n"
    "	incq ev_count(%rip)\n"
    "	mov shared_info(%rip), %rax\n"
    "	movzbl 1(%rax), %eax\n"
    "	mov %eax, ev_mask(%rip)\n"
    "	mov shared_info(%rip), %rax\n"
    "	movb $0, 0(%rax)\n"    /* evtchn_upcall_pending */
    "	movq $0, 8(%rax)\n"    /* evtchn_pending_sel */
    "	movq $0, 2048(%rax)\n" /* evtchn_pending[0]: the timer's port is below 64 */
    "	pop %rax\n"
    "	pushq $0\n"
    "	jmp " IRET_STUB_STR "\n"
    ".popsection");

static uint64_t now(void)
{
	return runtime_system_time(&shared_info->vcpu_info[0].time);
}

static volatile struct vcpu_info *vi(void)
{
	return &shared_info->vcpu_info[0];
}

void guest_main(struct start_info *si)
{
	struct callback_register cb = {.type = CALLBACKTYPE_event, .address = (uint64_t)ev_entry};
	struct vcpu_set_singleshot_timer st = {0};
	struct vcpu_runstate_info ri;
	struct sched_poll poll = {0};
	uint64_t t0, deadline, c;
	long rc;

	gprintf("exec_timer: one-shot timer, block, poll, event upcall\n");
	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	t0 = now();
	test_check(t0 > 0 && now() >= t0, "system time from vcpu_time_info: %llu ns",
		   (unsigned long long)t0);
	rc = hypercall_callback_op(CALLBACKOP_register, &cb);
	test_check(rc == 0, "event callback registered (%ld)", rc);
	{
		struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};

		rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &bv);
		test_check(rc == 0 && bv.port > 0 && bv.port < 64,
			   "VIRQ_TIMER bound to port %u (%ld)", bv.port, rc);
	}

	/* 1. set_timer_op + block (block unmasks). */
	c = ev_count;
	deadline = now() + 20 * MS;
	rc = hypercall_set_timer_op(deadline);
	test_check(rc == 0, "set_timer_op (%ld)", rc);
	rc = hypercall_sched_op(SCHEDOP_block, NULL);
	test_check(rc == 0, "block returns 0 (%ld)", rc);
	test_check(now() >= deadline, "block returned after the deadline (%lld ns late)",
		   (long long)(now() - deadline));
	test_check(ev_count == c + 1, "the event callback ran once (%llu)",
		   (unsigned long long)(ev_count - c));
	test_check(ev_mask == 1, "events masked inside the callback");
	test_check(vi()->evtchn_upcall_mask == 0, "iret unmasked events again");
	test_check(vi()->evtchn_upcall_pending == 0, "nothing pending afterwards");

	/* 2. Masked: pending without callback, delivered at the next exit after unmasking. */
	vi()->evtchn_upcall_mask = 1;
	c = ev_count;
	deadline = now() + 20 * MS;
	hypercall_set_timer_op(deadline);
	while (now() < deadline + 30 * MS && !vi()->evtchn_upcall_pending) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_check(vi()->evtchn_upcall_pending == 1, "the timer made an upcall pending");
	test_check(ev_count == c, "no callback while masked");
	vi()->evtchn_upcall_mask = 0;
	hypercall_xen_version(XENVER_version, NULL);
	test_check(ev_count == c + 1, "unmask + hypercall: the callback ran");

	/* 3. VCPUOP_set_singleshot_timer. */
	c = ev_count;
	st.timeout_abs_ns = now() + 15 * MS;
	st.flags = VCPU_SSHOTTMR_future;
	rc = hypercall_vcpu_op(VCPUOP_set_singleshot_timer, 0, &st);
	test_check(rc == 0, "set_singleshot_timer (%ld)", rc);
	hypercall_sched_op(SCHEDOP_block, NULL);
	test_check(ev_count == c + 1 && now() >= st.timeout_abs_ns, "singleshot timer fired");

	/* 4. A cancelled timer never fires; poll waits for its timeout. */
	vi()->evtchn_upcall_mask = 1;
	c = ev_count;
	hypercall_set_timer_op(now() + 5 * MS);
	hypercall_set_timer_op(0);
	poll.timeout = now() + 40 * MS;
	rc = hypercall_sched_op(SCHEDOP_poll, &poll);
	test_check(rc == 0 && now() >= poll.timeout, "poll with no ports waits for its timeout");
	test_check(vi()->evtchn_upcall_pending == 0, "the cancelled timer did not fire");
	vi()->evtchn_upcall_mask = 0;
	hypercall_xen_version(XENVER_version, NULL);
	test_check(ev_count == c, "no callback for a cancelled timer");

	/* 5. A deadline in the past fires at the next tick. */
	c = ev_count;
	hypercall_set_timer_op(1);
	hypercall_sched_op(SCHEDOP_block, NULL);
	test_check(ev_count == c + 1, "a past deadline fires");
	vi()->evtchn_upcall_mask = 1;

	/* 6. A registered runstate area follows the vcpu through a block. */
	{
		static struct vcpu_runstate_info area;
		struct vcpu_register_runstate_memory_area reg = {.addr =
								     (uint64_t)(uintptr_t)&area};
		struct vcpu_register_runstate_memory_area bad = {.addr = 0xffff800000000000ULL};
		uint64_t blocked0;

		test_check(hypercall_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &bad) ==
			       -XEN_EFAULT,
			   "a runstate area in the hypervisor hole is refused");
		rc = hypercall_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &reg);
		test_check(rc == 0 && area.state == RUNSTATE_running && area.state_entry_time > 0,
			   "runstate area registered and filled (%ld)", rc);
		hypercall_vm_assist(VMASST_CMD_enable, VMASST_TYPE_runstate_update_flag);
		blocked0 = area.time[RUNSTATE_blocked];
		hypercall_set_timer_op(now() + 10 * MS);
		hypercall_sched_op(SCHEDOP_block, NULL);
		test_check(area.state == RUNSTATE_running &&
			       area.time[RUNSTATE_blocked] >= blocked0 + 5 * MS &&
			       !(area.state_entry_time & XEN_RUNSTATE_UPDATE),
			   "runstate area updated by the block (%llu ns blocked)",
			   (unsigned long long)(area.time[RUNSTATE_blocked] - blocked0));
		vi()->evtchn_upcall_mask = 1;
	}

	/*
	 * 7. The periodic timer (off until set): Xen's bounds, then events at
	 * its period (at most one a tick), none once stopped.
	 */
	{
		struct vcpu_set_periodic_timer pt = {.period_ns = MS - 1};
		uint64_t end, n;

		test_check(hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt) == -XEN_EINVAL,
			   "a period under 1 ms is refused");
		pt.period_ns = 1ULL << 63;
		test_check(hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt) == -XEN_EINVAL,
			   "a period past the signed clock is refused");
		test_check(hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0,
					     (void *)0xffff800000000000ULL) == -XEN_EFAULT,
			   "a period in the hypervisor hole is refused");
		vi()->evtchn_upcall_mask = 0;
		c = ev_count;
		end = now() + 200 * MS;
		while (now() < end) {
			hypercall_sched_op(SCHEDOP_yield, NULL);
		}
		test_check(ev_count == c, "no periodic events before it is set (%llu)",
			   (unsigned long long)(ev_count - c));
		pt.period_ns = 40 * MS;
		rc = hypercall_vcpu_op(VCPUOP_set_periodic_timer, 0, &pt);
		test_check(rc == 0, "periodic timer set to 40 ms (%ld)", rc);
		c = ev_count;
		end = now() + 400 * MS;
		while (now() < end) {
			hypercall_sched_op(SCHEDOP_block, NULL);
		}
		n = ev_count - c;
		/*
		 * 400 ms of 40 ms periods: never more than 10 (the next is due a
		 * whole period after each one); at least 4 even when the host
		 * delays this machine's ticks.
		 */
		test_check(n >= 4 && n <= 10, "%llu periodic events in 400 ms at 40 ms",
			   (unsigned long long)n);
		rc = hypercall_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
		test_check(rc == 0, "periodic timer stopped (%ld)", rc);
		hypercall_sched_op(SCHEDOP_yield, NULL);
		c = ev_count;
		end = now() + 200 * MS;
		while (now() < end) {
			hypercall_sched_op(SCHEDOP_yield, NULL);
		}
		test_check(ev_count == c, "no periodic events once stopped (%llu)",
			   (unsigned long long)(ev_count - c));
		vi()->evtchn_upcall_mask = 1;
	}

	rc = hypercall_vcpu_op(VCPUOP_get_runstate_info, 0, &ri);
	test_check(rc == 0 && ri.time[RUNSTATE_blocked] >= 20 * MS,
		   "runstate shows %llu ns blocked", (unsigned long long)ri.time[RUNSTATE_blocked]);
	test_finish();
}
