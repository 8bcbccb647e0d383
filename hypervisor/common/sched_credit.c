/*
 * The credit-style scheduling policy (sched.h): run queues, credit,
 * caps. Nothing here switches a CPU or reads a clock; callers pass the
 * time, which keeps the policy testable on the host.
 */
#include <console.h>
#include <domain.h>
#include <public/errno.h>
#include <public/xen.h>
#include <sched.h>

/*
 * Bounds on a vcpu's credit: a vcpu that slept for long cannot hoard more
 * than this much priority over the busy ones, nor one that overran sink
 * so deep that it starves after a burst.
 */
#define CREDIT_CLAMP ((int64_t)(2 * SCHED_PERIOD_NS))

/*
 * A slice ends at the first tick at or after its end. The switch that
 * began it ran a little after a tick (the handler read the clock first),
 * so the tick one slice later finds the slice a hair short: without this
 * margin every slice lasts one tick more than SCHED_TSLICE_NS, and a
 * capped domain, parked once it has used its budget, then misses whole
 * periods behind a neighbour's long slices and gets less than its cap.
 */
#define SLICE_MARGIN_NS 1000000ULL

struct sched_cpu sched_cpus[NR_CPUS];
/* Placement: the CPU after the last one chosen, where the round-robin among equals starts. */
static unsigned int place_next;
static spinlock_t place_lock;

static struct sched_cpu *cpu_of(const struct vcpu *v)
{
	return &sched_cpus[v->processor];
}

static unsigned int cpu_index(const struct sched_cpu *c)
{
	return (unsigned int)(c - sched_cpus);
}

/*
 * Locks the CPU v is placed on. v->processor changes only under both the
 * old and the new CPU's locks, so it is read again once locked.
 */
static struct sched_cpu *lock_vcpu_cpu(const struct vcpu *v, bool *was_on)
{
	for (;;) {
		struct sched_cpu *c = cpu_of(v);

		*was_on = spin_lock_irqsave(&c->lock);
		if (c == cpu_of(v)) {
			return c;
		}
		spin_unlock_irqrestore(&c->lock, *was_on);
	}
}

static bool is_idle(const struct vcpu *v)
{
	return v->domain->domain_id == DOMID_IDLE;
}

bool vcpu_runnable(const struct vcpu *v)
{
	return v->is_up && !v->is_blocked && !v->domain->pause_count;
}

static uint64_t cap_budget(const struct domain *d)
{
	return SCHED_PERIOD_NS * d->cap / 100;
}

static bool parked(const struct vcpu *v)
{
	return v->domain->cap && v->domain->cap_used >= cap_budget(v->domain);
}

static void runq_insert(struct sched_cpu *c, struct vcpu *v)
{
	struct vcpu **pp = &c->runq;

	while (*pp) {
		pp = &(*pp)->runq_next;
	}
	v->runq_next = NULL;
	*pp = v;
	v->on_runq = true;
}

static void runq_remove(struct sched_cpu *c, struct vcpu *v)
{
	struct vcpu **pp;

	for (pp = &c->runq; *pp; pp = &(*pp)->runq_next) {
		if (*pp == v) {
			*pp = v->runq_next;
			break;
		}
	}
	v->runq_next = NULL;
	v->on_runq = false;
}

static void cpu_list_add(struct sched_cpu *c, struct vcpu *v)
{
	v->processor = cpu_index(c);
	v->run_cpu = c;
	v->sched_next = c->vcpus;
	c->vcpus = v;
	c->nr_vcpus++;
}

static void cpu_list_remove(struct sched_cpu *c, struct vcpu *v)
{
	struct vcpu **pp;

	for (pp = &c->vcpus; *pp; pp = &(*pp)->sched_next) {
		if (*pp == v) {
			*pp = v->sched_next;
			c->nr_vcpus--;
			break;
		}
	}
	v->sched_next = NULL;
}

unsigned int sched_place(cpumask_t mask)
{
	unsigned int i, cpu, best = NR_CPUS;
	bool was_on = spin_lock_irqsave(&place_lock);

	mask &= arch_cpu_online_mask();
	for (i = 0; i < NR_CPUS; i++) {
		cpu = (place_next + i) % NR_CPUS;
		if (!(mask & (1ULL << cpu))) {
			continue;
		}
		if (best == NR_CPUS || sched_cpus[cpu].nr_vcpus < sched_cpus[best].nr_vcpus) {
			best = cpu;
		}
	}
	if (best == NR_CPUS) {
		best = 0; /* callers pass a mask with an online CPU; CPU 0 always is */
	}
	place_next = (best + 1) % NR_CPUS;
	spin_unlock_irqrestore(&place_lock, was_on);
	return best;
}

void sched_vcpu_add(struct vcpu *v)
{
	struct domain *d = v->domain;
	struct sched_cpu *c;
	bool was_on;

	if (!d->weight) {
		d->weight = SCHED_WEIGHT_DEFAULT;
	}
	if (!v->cpu_affinity) {
		v->cpu_affinity = ~(cpumask_t)0;
	}
	v->credit = 0;
	c = &sched_cpus[sched_place(v->cpu_affinity)];
	was_on = spin_lock_irqsave(&c->lock);
	cpu_list_add(c, v);
	spin_unlock_irqrestore(&c->lock, was_on);
}

void sched_vcpu_remove(struct vcpu *v)
{
	bool was_on;
	struct sched_cpu *c = lock_vcpu_cpu(v, &was_on);

	if (v->on_runq) {
		runq_remove(c, v);
	}
	if (c->curr == v) {
		c->curr = NULL;
	}
	cpu_list_remove(c, v);
	spin_unlock_irqrestore(&c->lock, was_on);
}

int sched_set_affinity(struct vcpu *v, cpumask_t mask)
{
	cpumask_t online = arch_cpu_online_mask();
	struct sched_cpu *from, *to, *first, *second;
	unsigned int cpu;
	bool was_on, queued;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if ((mask & (1ULL << cpu)) && !(online & (1ULL << cpu))) {
			pr_warn("d%u: vcpu %u: CPU %u is not online: left out of its affinity\n",
				v->domain->domain_id, v->vcpu_id, cpu);
		}
	}
	mask &= online;
	if (!mask) {
		return -EINVAL;
	}
	to = &sched_cpus[sched_place(mask)];
	was_on = arch_irq_save();
	for (;;) {
		from = cpu_of(v);
		first = from < to ? from : to;
		second = from < to ? to : from;
		spin_lock(&first->lock);
		if (second != first) {
			spin_lock(&second->lock);
		}
		if (from == cpu_of(v)) {
			break;
		}
		if (second != first) {
			spin_unlock(&second->lock);
		}
		spin_unlock(&first->lock);
	}
	v->cpu_affinity = mask;
	if (from != to) {
		queued = v->on_runq;
		if (queued) {
			runq_remove(from, v);
		}
		cpu_list_remove(from, v);
		cpu_list_add(to, v);
		if (queued) {
			runq_insert(to, v);
			to->need_resched = true;
		}
	}
	if (second != first) {
		spin_unlock(&second->lock);
	}
	spin_unlock(&first->lock);
	arch_irq_restore(was_on);
	return 0;
}

/* Another CPU must notice need_resched now, not at its next tick. */
static void kick(struct sched_cpu *c)
{
	if (cpu_index(c) != arch_cpu_id()) {
		arch_send_ipi(cpu_index(c), ARCH_IPI_RESCHEDULE);
	}
}

void vcpu_wake(struct vcpu *v)
{
	bool was_on, resched = false;
	struct sched_cpu *c = lock_vcpu_cpu(v, &was_on);

	v->is_blocked = false;
	v->wake_deadline = 0;
	if (vcpu_runnable(v) && !v->on_runq && c->curr != v && !is_idle(v)) {
		runq_insert(c, v);
		/* Xen's credit gives a waking vcpu a boost; here more credit is the boost. */
		if (!c->curr || is_idle(c->curr) || v->credit > c->curr->credit) {
			c->need_resched = resched = true;
		}
	}
	spin_unlock_irqrestore(&c->lock, was_on);
	if (resched) {
		kick(c);
	}
}

void vcpu_kick(struct vcpu *v)
{
	unsigned int cpu = v->processor;

	if (__atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE) && cpu != arch_cpu_id()) {
		arch_send_ipi(cpu, ARCH_IPI_EVENT_CHECK);
	}
}

void vcpu_sleep(struct vcpu *v)
{
	bool was_on, resched = false;
	struct sched_cpu *c = lock_vcpu_cpu(v, &was_on);

	if (v->on_runq) {
		runq_remove(c, v);
	}
	if (c->curr == v) {
		c->need_resched = resched = true;
	}
	spin_unlock_irqrestore(&c->lock, was_on);
	if (resched) {
		kick(c);
	}
}

void sched_set_periodic(struct vcpu *v, uint64_t period_ns, uint64_t now)
{
	bool was_on;
	struct sched_cpu *c = lock_vcpu_cpu(v, &was_on);

	v->periodic_period = period_ns;
	v->periodic_next = period_ns ? now + period_ns : 0;
	spin_unlock_irqrestore(&c->lock, was_on);
}

void vcpu_yield(struct vcpu *v)
{
	bool was_on;
	struct sched_cpu *c = lock_vcpu_cpu(v, &was_on);

	v->yielded = true;
	c->need_resched = true;
	spin_unlock_irqrestore(&c->lock, was_on);
}

static void charge(struct sched_cpu *c, uint64_t now)
{
	struct vcpu *v = c->curr;
	uint64_t delta = now > c->last_charge ? now - c->last_charge : 0;

	c->last_charge = now;
	if (!v || is_idle(v)) {
		return;
	}
	v->credit -= (int64_t)delta;
	if (v->credit < -CREDIT_CLAMP) {
		v->credit = -CREDIT_CLAMP;
	}
	if (v->domain->cap) {
		/* Its vcpus on other CPUs charge it too. */
		__atomic_fetch_add(&v->domain->cap_used, delta, __ATOMIC_RELAXED);
	}
}

/*
 * One period of c's time as credit, shared among the vcpus on c that want
 * it in proportion to their domain's weight (split among its vcpus), and
 * the allowance of capped domains whose vcpu 0 is here renewed.
 */
static void distribute(struct sched_cpu *c)
{
	uint64_t total = SCHED_PERIOD_NS, sum = 0;
	struct vcpu *v;

	for (v = c->vcpus; v; v = v->sched_next) {
		struct domain *d = v->domain;
		uint64_t used = __atomic_load_n(&d->cap_used, __ATOMIC_RELAXED);

		if (v->vcpu_id == 0 && d->cap) {
			__atomic_fetch_sub(&d->cap_used,
					   used > cap_budget(d) ? cap_budget(d) : used,
					   __ATOMIC_RELAXED);
		}
	}
	/* A vcpu's weight is its domain's split among its vcpus, scaled by 2^16. */
	for (v = c->vcpus; v; v = v->sched_next) {
		if (vcpu_runnable(v)) {
			sum += ((uint64_t)v->domain->weight << 16) / v->domain->max_vcpus;
		}
	}
	if (!sum) {
		return;
	}
	for (v = c->vcpus; v; v = v->sched_next) {
		uint64_t w;

		if (!vcpu_runnable(v)) {
			continue;
		}
		w = ((uint64_t)v->domain->weight << 16) / v->domain->max_vcpus;
		v->credit += (int64_t)(total * w / sum);
		if (v->credit > CREDIT_CLAMP) {
			v->credit = CREDIT_CLAMP;
		}
	}
}

/* The best runnable vcpu on c's queue: most credit, FIFO among equals, yielders last. */
static struct vcpu *runq_best(const struct sched_cpu *c)
{
	struct vcpu *v, *best = NULL;

	for (v = c->runq; v; v = v->runq_next) {
		if (parked(v)) {
			continue;
		}
		if (!best || (best->yielded && !v->yielded) ||
		    (best->yielded == v->yielded && v->credit > best->credit)) {
			best = v;
		}
	}
	return best;
}

void sched_account(struct sched_cpu *c, uint64_t now)
{
	struct vcpu *curr = c->curr, *best;

	charge(c, now);
	if (now - c->period_start > 4 * SCHED_PERIOD_NS) {
		/* Long idle or the first tick: no backlog of periods to hand out. */
		c->period_start = now - SCHED_PERIOD_NS;
	}
	while (now - c->period_start >= SCHED_PERIOD_NS) {
		c->period_start += SCHED_PERIOD_NS;
		distribute(c);
	}
	best = runq_best(c);
	if (!curr || is_idle(curr) || !vcpu_runnable(curr) || parked(curr)) {
		if (best || (curr && !is_idle(curr))) {
			c->need_resched = true;
		}
		return;
	}
	if (best && now - c->slice_start + SLICE_MARGIN_NS >= SCHED_TSLICE_NS &&
	    best->credit >= curr->credit) {
		c->need_resched = true;
	}
}

struct vcpu *sched_pick(struct sched_cpu *c, uint64_t now)
{
	struct vcpu *prev = c->curr, *next;

	charge(c, now);
	if (prev && !is_idle(prev) && vcpu_runnable(prev) && !prev->on_runq) {
		runq_insert(c, prev);
	}
	next = runq_best(c);
	if (prev) {
		prev->yielded = false;
	}
	if (next) {
		runq_remove(c, next);
		next->yielded = false;
	} else {
		next = c->idle;
	}
	if (next != prev) {
		c->slice_start = now;
	}
	c->curr = next;
	c->need_resched = false;
	return next;
}

/* Moves v (queued on from, not running) to c's queue; both locks held. */
static void migrate(struct sched_cpu *from, struct sched_cpu *c, struct vcpu *v)
{
	runq_remove(from, v);
	cpu_list_remove(from, v);
	cpu_list_add(c, v);
	runq_insert(c, v);
}

bool sched_pull(struct sched_cpu *c)
{
	unsigned int me = cpu_index(c), i;
	bool pulled = false;

	for (i = 1; i < NR_CPUS && !pulled; i++) {
		struct sched_cpu *o = &sched_cpus[(me + i) % NR_CPUS];
		struct sched_cpu *first = o < c ? o : c, *second = o < c ? c : o;
		struct vcpu *v;

		/* Unlocked peek: only a CPU with someone waiting is worth the locks. */
		if (!o->started || !__atomic_load_n(&o->runq, __ATOMIC_RELAXED)) {
			continue;
		}
		spin_lock(&first->lock);
		spin_lock(&second->lock);
		/* Still idle here, and a vcpu there that waits, may come, and left its last CPU. */
		if (!c->runq && (!c->curr || c->curr == c->idle)) {
			for (v = o->runq; v; v = v->runq_next) {
				if ((v->cpu_affinity & (1ULL << me)) && !parked(v) &&
				    !__atomic_load_n(&v->is_running, __ATOMIC_ACQUIRE)) {
					migrate(o, c, v);
					c->need_resched = pulled = true;
					break;
				}
			}
		}
		spin_unlock(&second->lock);
		spin_unlock(&first->lock);
	}
	return pulled;
}

int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap)
{
	if (weight < 1 || weight > SCHED_WEIGHT_MAX || cap > 100) {
		return -EINVAL;
	}
	d->weight = weight;
	d->cap = cap;
	return 0;
}
