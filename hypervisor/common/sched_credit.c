/*
 * The credit-style scheduling policy (sched.h): run queues, credit,
 * caps. Nothing here switches a CPU or reads a clock; callers pass the
 * time, which keeps the policy testable on the host.
 */
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

struct sched_cpu sched_cpus[SCHED_NR_CPUS];
static struct vcpu *all_vcpus;

static struct sched_cpu *cpu_of(const struct vcpu *v)
{
	return &sched_cpus[v->processor];
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

struct vcpu *sched_vcpu_list(void)
{
	return all_vcpus;
}

void sched_vcpu_add(struct vcpu *v)
{
	struct domain *d = v->domain;

	if (!d->weight) {
		d->weight = SCHED_WEIGHT_DEFAULT;
	}
	v->processor = 0;
	v->credit = 0;
	v->sched_next = all_vcpus;
	all_vcpus = v;
}

void sched_vcpu_remove(struct vcpu *v)
{
	struct sched_cpu *c = cpu_of(v);
	struct vcpu **pp;

	if (v->on_runq) {
		runq_remove(c, v);
	}
	if (c->curr == v) {
		c->curr = NULL;
	}
	for (pp = &all_vcpus; *pp; pp = &(*pp)->sched_next) {
		if (*pp == v) {
			*pp = v->sched_next;
			break;
		}
	}
	v->sched_next = NULL;
}

void vcpu_wake(struct vcpu *v)
{
	struct sched_cpu *c = cpu_of(v);

	v->is_blocked = false;
	v->wake_deadline = 0;
	if (!vcpu_runnable(v) || v->on_runq || c->curr == v || is_idle(v)) {
		return;
	}
	runq_insert(c, v);
	/* Xen's credit gives a waking vcpu a boost; here more credit is the boost. */
	if (!c->curr || is_idle(c->curr) || v->credit > c->curr->credit) {
		c->need_resched = true;
	}
}

void vcpu_sleep(struct vcpu *v)
{
	struct sched_cpu *c = cpu_of(v);

	if (v->on_runq) {
		runq_remove(c, v);
	}
	if (c->curr == v) {
		c->need_resched = true;
	}
}

void vcpu_yield(struct vcpu *v)
{
	v->yielded = true;
	cpu_of(v)->need_resched = true;
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
		v->domain->cap_used += delta;
	}
}

/*
 * One period's credit, shared among the vcpus that want a CPU in
 * proportion to their domain's weight (split among its wanting vcpus),
 * and the capped domains' allowance renewed.
 */
static void distribute(void)
{
	uint64_t total = SCHED_PERIOD_NS * SCHED_NR_CPUS, sum = 0;
	struct vcpu *v;

	for (v = all_vcpus; v; v = v->sched_next) {
		v->domain->cap_used = v->domain->cap_used > cap_budget(v->domain)
					  ? v->domain->cap_used - cap_budget(v->domain)
					  : 0;
	}
	/* A vcpu's weight is its domain's split among its vcpus, scaled by 2^16. */
	for (v = all_vcpus; v; v = v->sched_next) {
		if (vcpu_runnable(v)) {
			sum += ((uint64_t)v->domain->weight << 16) / v->domain->max_vcpus;
		}
	}
	if (!sum) {
		return;
	}
	for (v = all_vcpus; v; v = v->sched_next) {
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
		distribute();
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

int sched_set_params(struct domain *d, unsigned int weight, unsigned int cap)
{
	if (weight < 1 || weight > SCHED_WEIGHT_MAX || cap > 100) {
		return -EINVAL;
	}
	d->weight = weight;
	d->cap = cap;
	return 0;
}
