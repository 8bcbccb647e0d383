/*
 * The scheduler: which vcpu runs next on a physical CPU.
 *
 * The policy (sched_credit.c) is credit-style, with the two knobs Xen's
 * credit scheduler exposes per domain: a weight (relative share of the
 * CPU time, 1..65535, default 256) and a cap (percent of one CPU a domain
 * may use at most, 0 = none). Every accounting period each domain that
 * wants the CPU receives credit in proportion to its weight; running
 * spends it, in nanoseconds actually run. The runnable vcpu with the most
 * credit runs next, FIFO among equals, so over many periods the CPU time
 * divides as the weights do. A capped domain that used its cap's worth in
 * a period is parked until the next one; what it overran is carried over,
 * so the long-run share holds to the cap even though the tick that notices
 * is coarse.
 *
 * The run queue is per physical CPU (struct sched_cpu), each with its own
 * lock and its own accounting: a CPU's period hands SCHED_PERIOD_NS of
 * credit to the runnable vcpus queued on it, by weight. A vcpu belongs to
 * one CPU (vcpu->processor), chosen when it is added or its affinity set:
 * the allowed online CPU with the fewest vcpus, round-robin among equals
 * (sched_place). It moves only when an idle CPU pulls it (sched_pull): a
 * vcpu waiting in another CPU's queue, allowed here, and no longer on any
 * CPU (is_running clear) changes queues under both CPUs' locks. A cap is
 * a domain's over all its vcpus; the CPU of its vcpu 0 renews it.
 *
 * Locking: sched_cpus[n].lock guards that CPU's queue, curr, need_resched,
 * its vcpu list and the scheduling fields of the vcpus on it; always taken
 * with interrupts off (the timer tick takes it). Two at once only in
 * address order (sched_set_affinity, sched_pull). The policy never
 * switches anything: schedule() in sched.c asks it for the next vcpu and
 * has the arch switch to it. The policy is plain C and runs on the host
 * in hv-unit.
 */
#ifndef PALISADE_SCHED_H
#define PALISADE_SCHED_H

#include <arch/smp.h>
#include <spinlock.h>
#include <types.h>

struct domain;
struct vcpu;

#define SCHED_WEIGHT_DEFAULT 256
#define SCHED_WEIGHT_MAX 65535
/* Xen's credit timeslice and accounting period. */
#define SCHED_TSLICE_NS 30000000ULL
#define SCHED_PERIOD_NS 30000000ULL

struct sched_cpu {
	spinlock_t lock;
	/* Runnable vcpus waiting for this CPU, linked by vcpu->runq_next. */
	struct vcpu *runq;
	/* Every vcpu placed on this CPU, linked by vcpu->sched_next, and how many. */
	struct vcpu *vcpus;
	unsigned int nr_vcpus;
	/* Running vcpu (the idle vcpu when nothing else is runnable). */
	struct vcpu *curr;
	struct vcpu *idle;
	/* When curr was last charged, and when it was put on the CPU. */
	uint64_t last_charge;
	uint64_t slice_start;
	uint64_t period_start;
	volatile bool need_resched;
	/* Its idle vcpu has taken over (sched_start / sched_start_secondary). */
	volatile bool started;
};

extern struct sched_cpu sched_cpus[NR_CPUS];

/*
 * The policy knows v from now on (not runnable yet: see vcpu_wake); it is
 * placed on a CPU its affinity allows (every CPU when the affinity is 0).
 */
void sched_vcpu_add(struct vcpu *v);

/*
 * Sets v's hard affinity to mask and places it again (v must not be
 * running). CPUs not online are dropped from the mask, each said in a
 * warning naming the domain. 0, or -EINVAL when no online CPU is left
 * (nothing changed).
 */
int sched_set_affinity(struct vcpu *v, cpumask_t mask);

/* The CPU a vcpu allowed on mask goes to now (see the top of this file). */
unsigned int sched_place(cpumask_t mask);

/*
 * c is idle: takes one vcpu waiting in another started CPU's queue that
 * may run on c and is on no CPU, into c's queue (need_resched set).
 * True if it did. Called with no run queue lock held, interrupts off.
 */
bool sched_pull(struct sched_cpu *c);

/* v is taken off its run queue and forgotten (it must not be running). */
void sched_vcpu_remove(struct vcpu *v);

/*
 * v may run: it leaves the blocked state and joins its CPU's run queue.
 * Asks for a reschedule when it deserves the CPU more than the running
 * vcpu. No effect on a vcpu that is down, paused or already runnable.
 */
void vcpu_wake(struct vcpu *v);

/*
 * An event is pending for v: if v runs on another CPU, that CPU gets the
 * event-check IPI, and v sees the upcall on its way back to the guest
 * rather than at that CPU's next tick.
 */
void vcpu_kick(struct vcpu *v);

/* v stops being runnable (blocked or down); it leaves the CPU at the next schedule(). */
void vcpu_sleep(struct vcpu *v);

/* True when v is up and neither blocked nor in a paused domain. */
bool vcpu_runnable(const struct vcpu *v);

/* Xen's shortest period for VCPUOP_set_periodic_timer. */
#define PERIODIC_MIN_NS 1000000ULL

/*
 * v's periodic timer: VIRQ_TIMER every period_ns from now (ns) on (the tick
 * fires it, so at most once a tick), or off with 0. Vcpus start with it
 * off (Xen starts PV vcpus at 10 ms; see docs/design.md).
 */
void sched_set_periodic(struct vcpu *v, uint64_t period_ns, uint64_t now);

/* The running vcpu goes behind every other runnable one at the next schedule(). */
void vcpu_yield(struct vcpu *v);

/*
 * Charges the running vcpu for the time since it was last charged, runs
 * the accounting at period boundaries and decides whether the running vcpu
 * should give way (need_resched). Called from the timer tick with the
 * time, c->lock held (as for sched_pick).
 */
void sched_account(struct sched_cpu *c, uint64_t now);

/*
 * Picks the vcpu to run next on c at time now: charges the running one,
 * puts it back on the queue if still runnable, and takes the best runnable
 * vcpu off the queue (the idle vcpu when there is none). Sets c->curr.
 */
struct vcpu *sched_pick(struct sched_cpu *c, uint64_t now);

/* Sets d's weight (1..SCHED_WEIGHT_MAX) and cap (0..100). 0 or -EINVAL. */
int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap);

/*
 * Switches the CPU to the vcpu the policy picks (sched.c). Interrupts must
 * be off; returns when the caller's vcpu runs again.
 */
void schedule(void);

/* Creates the idle vcpu of each online CPU (before any guest vcpu runs). 0 or -ENOMEM. */
int sched_init(void);

/*
 * Leaves the boot context for the first vcpu the policy picks; never
 * returns. The other CPUs follow (sched_start_secondary) once it has.
 */
void __attribute__((noreturn)) sched_start(void);

/* True once sched_start ran: the APs' idle loop then enters sched_start_secondary. */
bool sched_is_started(void);

/* An AP leaves its boot context for its idle vcpu and schedules from then on. */
void __attribute__((noreturn)) sched_start_secondary(void);

/* Runs on the new vcpu's stack after every switch (arch calls it). */
void sched_switch_tail(void);

/* The idle vcpu's loop: halts until something is runnable. */
void __attribute__((noreturn)) sched_idle_loop(void);

#endif /* PALISADE_SCHED_H */
