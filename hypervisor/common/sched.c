/*
 * Scheduling-related hypercalls of a PV vcpu: sched_op, set_timer_op,
 * vm_assist (vcpu_op is in vcpu_op.c); the one-shot guest timer and the per-vcpu time
 * information guests read to know the system time.
 *
 * schedule() moves the CPU to the vcpu the credit policy (sched_credit.c)
 * picks, through the arch's context switch; the idle vcpu (a hypervisor
 * context of the pseudo-domain DOMID_IDLE, with its own stack) halts when
 * nothing is runnable. "block" and "poll" take the vcpu off the CPU until
 * an event (event_channel.c wakes it) or its deadline; "yield" and the end
 * of a timeslice switch on the way back to the guest. The timer is driven by the hypervisor's
 * periodic APIC tick (sched_timer_tick), so its resolution is one tick.
 * VIRQs go through event channels (event_channel.c): an unbound VIRQ is
 * dropped, as on Xen.
 */
#include <arch/idle.h>
#include <arch/mm.h>
#include <arch/sched.h>
#include <arch/smp.h>
#include <arch/time.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <guest_access.h>
#include <heap.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <sched.h>

#include <xsm/xsm.h>

/* Xen accepts at most this many ports in one SCHEDOP_poll. */
#define POLL_MAX_PORTS 128

static uint32_t time_mul;
static int8_t time_shift;

/* ns = ((tsc_delta << shift) * mul) >> 32, the pvclock formula guests use. */
static void time_scale_init(void)
{
	uint64_t hz = arch_tsc_hz(), den;
	int shift = 0;

	if (!hz) {
		return;
	}
	/* Bring the TSC rate into (1e9, 2e9] so that mul = 1e9 * 2^32 / rate fits 32 bits. */
	den = hz;
	while (den <= 1000000000ULL) {
		den <<= 1;
		shift++;
	}
	while (den > 2000000000ULL) {
		den >>= 1;
		shift--;
	}
	time_mul = (uint32_t)((1000000000ULL << 32) / den);
	time_shift = (int8_t)shift;
}

void vcpu_update_time(struct vcpu *v)
{
	struct vcpu_time_info *t;

	if (!v->vcpu_info) {
		return;
	}
	if (!time_mul) {
		time_scale_init();
	}
	t = &v->vcpu_info->time;
	/* Odd version while updating: guests retry, as with a seqlock. */
	t->version++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_timestamp = arch_tsc_now();
	t->system_time = arch_now_ns();
	t->tsc_to_system_mul = time_mul;
	t->tsc_shift = time_shift;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->version++;
}

void vcpu_raise_virq(struct vcpu *v, unsigned int virq)
{
	if (!v->vcpu_info) {
		return;
	}
	evtchn_send_virq(v, virq);
}

static struct domain *idle_domain;
static volatile bool sched_running;
/* A CPU is inside sched_timer_tick (domain_reap waits for it: sched_quiesce). */
static volatile bool sched_in_tick[NR_CPUS];

static bool is_idle_vcpu(const struct vcpu *v)
{
	return v->domain == idle_domain;
}

void sched_quiesce(void)
{
	unsigned int cpu, me = arch_cpu_id();

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		while (cpu != me && __atomic_load_n(&sched_in_tick[cpu], __ATOMIC_ACQUIRE)) {
			arch_cpu_relax();
		}
	}
}

/* Vcpus whose one-shot timer one tick fires, at most (more wait for the next tick). */
#define TICK_FIRE_MAX 32

/*
 * From the APIC timer interrupt, on every CPU: the timers and accounting
 * of the vcpus placed on this CPU. Due timers are collected under the run
 * queue lock and fired after it (event delivery takes the domain's event
 * lock, and wakes through the run queue lock: never under it).
 * in_tick tells domain_reap a CPU may still hold one of those pointers.
 */
void sched_timer_tick(void)
{
	unsigned int me = arch_cpu_id(), i, nr = 0, nw = 0;
	struct sched_cpu *c = &sched_cpus[me];
	struct vcpu *v, *fire[TICK_FIRE_MAX], *wake[TICK_FIRE_MAX];
	uint64_t now = arch_now_ns();

	if (!c->started) {
		return;
	}
	/* Unfinished guest lines (a prompt) show after a while, even while their domain waits. */
	if (me == 0) {
		console_line_tick(now);
	}
	__atomic_store_n(&sched_in_tick[me], true, __ATOMIC_SEQ_CST);
	spin_lock(&c->lock);
	/* Every vcpu's timers here, not only the running one's: a blocked vcpu waits for them. */
	for (v = c->vcpus; v; v = v->sched_next) {
		if (!v->is_up) {
			continue;
		}
		if (v->timer_deadline && now >= v->timer_deadline && nr < TICK_FIRE_MAX) {
			v->timer_deadline = 0;
			fire[nr++] = v;
		} else if (v->periodic_period && now >= v->periodic_next && nr < TICK_FIRE_MAX) {
			/* One event however many periods passed: the next is a period from now. */
			v->periodic_next = now + v->periodic_period;
			fire[nr++] = v;
		}
		/* wait_for_event sees the deadline passed once it runs. */
		if (v->is_blocked && v->wake_deadline && now >= v->wake_deadline &&
		    nw < TICK_FIRE_MAX) {
			wake[nw++] = v;
		}
	}
	v = c->curr;
	if (v && !is_idle_vcpu(v) && v->is_up) {
		vcpu_update_time(v);
	}
	sched_account(c, now);
	spin_unlock(&c->lock);
	for (i = 0; i < nr; i++) {
		vcpu_raise_virq(fire[i], VIRQ_TIMER);
	}
	for (i = 0; i < nw; i++) {
		vcpu_wake(wake[i]);
	}
	__atomic_store_n(&sched_in_tick[me], false, __ATOMIC_RELEASE);
}

void runstate_fill(const struct vcpu *v, struct vcpu_runstate_info *ri)
{
	unsigned int i;

	memset(ri, 0, sizeof(*ri));
	ri->state = v->runstate.state;
	ri->state_entry_time = v->runstate.state_entry_time;
	for (i = 0; i < 4; i++) {
		ri->time[i] = v->runstate.time[i];
	}
}

/*
 * Copies the runstate to the registered guest area. Only for the running
 * vcpu (its page tables are loaded). With VMASST_TYPE_runstate_update_flag
 * the guest sees XEN_RUNSTATE_UPDATE in state_entry_time while it changes.
 * A fault is ignored, as on Xen: the area is the guest's to keep mapped.
 */
static void runstate_publish(struct vcpu *v)
{
	struct vcpu_runstate_info ri;
	bool flag = v->domain->vm_assist & (1U << VMASST_TYPE_runstate_update_flag);
	uint64_t t;

	if (!v->runstate_guest || v != current) {
		return;
	}
	runstate_fill(v, &ri);
	if (flag) {
		t = ri.state_entry_time | XEN_RUNSTATE_UPDATE;
		copy_to_guest(v->runstate_guest +
				  offsetof(struct vcpu_runstate_info, state_entry_time),
			      &t, sizeof(t));
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		ri.state_entry_time |= XEN_RUNSTATE_UPDATE;
	}
	copy_to_guest(v->runstate_guest, &ri, sizeof(ri));
	if (flag) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		t = ri.state_entry_time & ~XEN_RUNSTATE_UPDATE;
		copy_to_guest(v->runstate_guest +
				  offsetof(struct vcpu_runstate_info, state_entry_time),
			      &t, sizeof(t));
	}
}

void runstate_set(struct vcpu *v, int state)
{
	uint64_t now = arch_now_ns();

	if (v->runstate.state >= 0 && v->runstate.state < 4) {
		v->runstate.time[v->runstate.state] += now - v->runstate.state_entry_time;
	}
	v->runstate.state = state;
	v->runstate.state_entry_time = now;
	runstate_publish(v);
}

static bool poll_ready(struct vcpu *v, const uint32_t *ports, unsigned int nr)
{
	unsigned int i;

	/* Like Xen's do_poll: a deliverable upcall ends the poll too. */
	if (v->vcpu_info->evtchn_upcall_pending && !v->vcpu_info->evtchn_upcall_mask) {
		return true;
	}
	for (i = 0; i < nr; i++) {
		if (evtchn_port_pending(v->domain, ports[i])) {
			return true;
		}
	}
	return false;
}

/*
 * Takes v off the CPU until an event is pending for it (one of ports when
 * polling), or until deadline (ns, 0 = none) passes; other vcpus (or the
 * idle one) run meanwhile. Returns true if it ended on the deadline. Any
 * event wakes v, so it checks again what it waits for each time it runs.
 */
static bool wait_for_event(struct vcpu *v, uint64_t deadline, const uint32_t *ports,
			   unsigned int nr)
{
	bool timed_out = false;

	/* Checks run with interrupts off so a wakeup cannot slip in before the switch. */
	arch_irq_disable();
	for (;;) {
		if (ports ? poll_ready(v, ports, nr) : v->vcpu_info->evtchn_upcall_pending) {
			break;
		}
		if (deadline && arch_now_ns() >= deadline) {
			timed_out = true;
			break;
		}
		v->is_blocked = true;
		v->wake_deadline = deadline;
		runstate_set(v, RUNSTATE_blocked);
		vcpu_sleep(v);
		schedule();
	}
	v->is_blocked = false;
	v->wake_deadline = 0;
	arch_irq_enable();
	return timed_out;
}

static long sched_poll(struct vcpu *v, uint64_t arg)
{
	struct sched_poll p;
	uint32_t ports[POLL_MAX_PORTS];
	uint32_t i;

	if (copy_from_guest(&p, arg, sizeof(p))) {
		return -EFAULT;
	}
	if (p.nr_ports > POLL_MAX_PORTS) {
		return -EINVAL;
	}
	for (i = 0; i < p.nr_ports; i++) {
		if (copy_from_guest(&ports[i], p.ports + (uint64_t)i * sizeof(ports[i]),
				    sizeof(ports[i]))) {
			return -EFAULT;
		}
		if (!evtchn_port_valid(v->domain, ports[i])) {
			return -EINVAL;
		}
	}
	wait_for_event(v, p.timeout, ports, p.nr_ports);
	return 0;
}

long do_sched_op(uint32_t cmd, uint64_t arg)
{
	struct vcpu *v = current;
	struct domain *d = v->domain;

	switch (cmd) {
	case SCHEDOP_yield:
		/* The switch itself happens on the way back to the guest (pv_exit_prepare). */
		vcpu_yield(v);
		return 0;
	case SCHEDOP_block:
		/* Unmasking first: an event arriving from here on ends the wait. */
		v->vcpu_info->evtchn_upcall_mask = 0;
		wait_for_event(v, 0, NULL, 0);
		return 0;
	case SCHEDOP_shutdown: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, arg, sizeof(s))) {
			return -EFAULT;
		}
		if (s.reason > SHUTDOWN_MAX) {
			return -EINVAL;
		}
		/* Self-only, as in Xen: the hook guards SCHEDOP_remote_shutdown. */
		domain_shutdown(d, (uint8_t)s.reason);
		return 0;
	}
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, arg, sizeof(s))) {
			return -EFAULT;
		}
		if (s.reason > SHUTDOWN_MAX) {
			return -EINVAL;
		}
		/* The first code wins; a later shutdown of any kind reports it. */
		if (!d->has_shutdown_code) {
			d->has_shutdown_code = true;
			d->shutdown_code = s.reason;
		}
		return 0;
	}
	case SCHEDOP_poll:
		return sched_poll(v, arg);
	case SCHEDOP_remote_shutdown: {
		struct sched_remote_shutdown rs;
		struct domain *t;
		long rc;

		if (copy_from_guest(&rs, arg, sizeof(rs))) {
			return -EFAULT;
		}
		if (rs.reason > SHUTDOWN_MAX) {
			return -EINVAL;
		}
		t = domain_lookup(rs.domain_id);
		if (!t || t == dom_xen || t == dom_io) {
			return -ESRCH;
		}
		rc = xsm_schedop_shutdown(d, t);
		if (rc) {
			return rc;
		}
		domain_shutdown(t, (uint8_t)rs.reason);
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

long do_set_timer_op(uint64_t timeout)
{
	struct vcpu *v = current;

	/* 0 cancels; a time already past fires at the next tick. */
	v->timer_deadline = timeout;
	return 0;
}

long do_vm_assist(uint32_t cmd, uint32_t type)
{
	struct domain *d = current->domain;
	/* pae_extended_cr3 is meaningless (always true) on x86_64; runstate_update_flag and
	 * architectural_iopl (the arch's virtual IOPL) are honoured. */
	const uint32_t supported = (1U << VMASST_TYPE_pae_extended_cr3) |
				   (1U << VMASST_TYPE_architectural_iopl) |
				   (1U << VMASST_TYPE_runstate_update_flag);

	if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable) {
		return -ENOSYS;
	}
	if (type >= 32 || !(supported & (1U << type))) {
		return -EINVAL;
	}
	if (cmd == VMASST_CMD_enable) {
		d->vm_assist |= 1U << type;
	} else {
		d->vm_assist &= ~(1U << type);
	}
	return 0;
}

int sched_init(void)
{
	unsigned int cpu;
	struct vcpu *v;

	if (idle_domain) {
		return 0;
	}
	idle_domain = xzalloc(sizeof(*idle_domain));
	if (!idle_domain) {
		return -ENOMEM;
	}
	idle_domain->domain_id = DOMID_IDLE;
	idle_domain->shared_info_mfn = INVALID_MFN;
	/* One idle vcpu per online CPU, vcpu n for CPU n, placed there and never up. */
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(arch_cpu_online_mask() & (1ULL << cpu))) {
			continue;
		}
		v = vcpu_create_on(idle_domain, cpu, 1ULL << cpu);
		if (!v) {
			return -ENOMEM;
		}
		/* The policy never queues it: it is what runs when nothing is queued. */
		sched_cpus[cpu].idle = v;
		arch_idle_vcpu_init(v);
	}
	return 0;
}

/* The switch is over (we run on next's stack): prev may run elsewhere or be freed. */
static void switch_done(struct vcpu *prev)
{
	if (prev) {
		__atomic_store_n(&prev->is_running, false, __ATOMIC_RELEASE);
	}
}

/* prev of the switch in progress on each CPU (cleared by the next vcpu's tail). */
static struct vcpu *switch_prev[NR_CPUS];

static void switch_to(struct sched_cpu *c, struct vcpu *prev, struct vcpu *next)
{
	unsigned int me = arch_cpu_id();
	struct domain *d = next->domain;

	__atomic_store_n(&next->is_running, true, __ATOMIC_RELAXED);
	/* Its translations may be cached here from now on: shootdowns include this CPU. */
	__atomic_fetch_or(&d->cpus_ran, 1ULL << me, __ATOMIC_RELAXED);
	__atomic_fetch_or(&d->dirty_cpus, 1ULL << me, __ATOMIC_SEQ_CST);
	switch_prev[me] = prev;
	(void)c;
	arch_context_switch(prev, next);
	/* prev runs again: some later schedule() switched back to it. */
	sched_switch_tail();
}

void schedule(void)
{
	struct sched_cpu *c = &sched_cpus[arch_cpu_id()];
	struct vcpu *prev = current, *next;

	spin_lock(&c->lock);
	next = sched_pick(c, arch_now_ns());
	spin_unlock(&c->lock);
	if (next == prev) {
		return;
	}
	/* Published while prev's page tables are still loaded (runstate_publish). */
	if (prev && !is_idle_vcpu(prev)) {
		runstate_set(prev, !prev->is_up	      ? RUNSTATE_offline
				   : prev->is_blocked ? RUNSTATE_blocked
						      : RUNSTATE_runnable);
	}
	switch_to(c, prev, next);
}

void sched_switch_tail(void)
{
	unsigned int me = arch_cpu_id();
	struct vcpu *v = current;

	switch_done(switch_prev[me]);
	switch_prev[me] = NULL;
	/* Between two vcpus this CPU holds nothing of XSM's: a quiescent point for its caches. */
	xsm_cpu_quiescent();
	/* Whatever died on the CPU just left is freed here, off its stack. */
	domain_reap();
	if (is_idle_vcpu(v)) {
		return;
	}
	runstate_set(v, RUNSTATE_running);
	/* Its time info went stale while it was off the CPU. */
	vcpu_update_time(v);
}

bool sched_is_started(void)
{
	return sched_running;
}

static void __attribute__((noreturn)) start_cpu(void)
{
	struct sched_cpu *c = &sched_cpus[arch_cpu_id()];
	uint64_t now = arch_now_ns();
	struct vcpu *next;

	arch_irq_disable();
	spin_lock(&c->lock);
	c->last_charge = now;
	c->period_start = now;
	next = sched_pick(c, now);
	c->started = true;
	spin_unlock(&c->lock);
	switch_to(c, NULL, next);
	for (;;) {
		/* Nothing switches back to the boot context. */
		arch_idle_wait();
	}
}

void sched_start(void)
{
	arch_irq_disable();
	__atomic_store_n(&sched_running, true, __ATOMIC_SEQ_CST);
	/* The APs wait in their boot idle loop for this. */
	arch_send_ipi_others(ARCH_IPI_RESCHEDULE);
	start_cpu();
}

void sched_start_secondary(void)
{
	if (!sched_cpus[arch_cpu_id()].idle) {
		/* Came online after sched_init: no idle vcpu, so it stays parked. */
		for (;;) {
			arch_idle_wait();
		}
	}
	start_cpu();
}

void sched_idle_loop(void)
{
	struct sched_cpu *c = &sched_cpus[arch_cpu_id()];

	for (;;) {
		arch_irq_disable();
		/* Woken by anything (the tick at the latest): work waiting elsewhere may come here.
		 */
		if (c->need_resched || sched_pull(c)) {
			schedule();
		} else {
			/* Idle, it holds nothing of XSM's either. */
			xsm_cpu_quiescent();
			arch_idle_wait();
		}
	}
}
