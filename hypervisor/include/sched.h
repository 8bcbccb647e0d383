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
 * The run queue is per physical CPU (struct sched_cpu); only CPU 0 runs
 * for now. The policy never switches anything: schedule() in sched.c asks
 * it for the next vcpu and has the arch switch to it. The policy is plain
 * C and runs on the host in hv-unit.
 */
#ifndef PALISADE_SCHED_H
#define PALISADE_SCHED_H

#include <types.h>

struct domain;
struct vcpu;

#define SCHED_NR_CPUS 1

#define SCHED_WEIGHT_DEFAULT 256
#define SCHED_WEIGHT_MAX 65535
/* Xen's credit timeslice and accounting period. */
#define SCHED_TSLICE_NS 30000000ULL
#define SCHED_PERIOD_NS 30000000ULL

struct sched_cpu {
	/* Runnable vcpus waiting for this CPU, linked by vcpu->runq_next. */
	struct vcpu *runq;
	/* Running vcpu (the idle vcpu when nothing else is runnable). */
	struct vcpu *curr;
	struct vcpu *idle;
	/* When curr was last charged, and when it was put on the CPU. */
	uint64_t last_charge;
	uint64_t slice_start;
	uint64_t period_start;
	bool need_resched;
};

extern struct sched_cpu sched_cpus[SCHED_NR_CPUS];

/* The policy knows v from now on (not runnable yet: see vcpu_wake). */
void sched_vcpu_add(struct vcpu *v);

/* v is taken off its run queue and forgotten (it must not be running). */
void sched_vcpu_remove(struct vcpu *v);

/*
 * v may run: it leaves the blocked state and joins its CPU's run queue.
 * Asks for a reschedule when it deserves the CPU more than the running
 * vcpu. No effect on a vcpu that is down, paused or already runnable.
 */
void vcpu_wake(struct vcpu *v);

/* v stops being runnable (blocked or down); it leaves the CPU at the next schedule(). */
void vcpu_sleep(struct vcpu *v);

/* True when v is up and neither blocked nor in a paused domain. */
bool vcpu_runnable(const struct vcpu *v);

/* The running vcpu goes behind every other runnable one at the next schedule(). */
void vcpu_yield(struct vcpu *v);

/*
 * Charges the running vcpu for the time since it was last charged, runs
 * the accounting at period boundaries and decides whether the running vcpu
 * should give way (need_resched). Called from the timer tick with the time.
 */
void sched_account(struct sched_cpu *c, uint64_t now);

/*
 * Picks the vcpu to run next on c at time now: charges the running one,
 * puts it back on the queue if still runnable, and takes the best runnable
 * vcpu off the queue (the idle vcpu when there is none). Sets c->curr.
 */
struct vcpu *sched_pick(struct sched_cpu *c, uint64_t now);

/* Every vcpu the policy knows, linked by sched_next (the timer tick walks them). */
struct vcpu *sched_vcpu_list(void);

/* Sets d's weight (1..SCHED_WEIGHT_MAX) and cap (0..100). 0 or -EINVAL. */
int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap);

/*
 * Switches the CPU to the vcpu the policy picks (sched.c). Interrupts must
 * be off; returns when the caller's vcpu runs again.
 */
void schedule(void);

/* Creates the idle vcpu of each CPU (before any guest vcpu runs). 0 or -ENOMEM. */
int sched_init(void);

/* Leaves the boot context for the first vcpu the policy picks; never returns. */
void __attribute__((noreturn)) sched_start(void);

/* Runs on the new vcpu's stack after every switch (arch calls it). */
void sched_switch_tail(void);

/* The idle vcpu's loop: halts until something is runnable. */
void __attribute__((noreturn)) sched_idle_loop(void);

#endif /* PALISADE_SCHED_H */
