/*
 * Host unit tests of the scheduling policy (hypervisor/common/sched_credit.c):
 * CPU-bound domains simulated tick by tick on CPU 0, with the time each
 * vcpu spends on the CPU measured as the hypervisor's runstate would.
 */
#include "hvtest.h"

#include <string.h>

#include <domain.h>
#include <fake/smp.h>
#include <public/errno.h>
#include <public/xen.h>
#include <sched.h>

#define TICK_NS 10000000ULL
#define NDOM 3

static struct domain doms[NDOM], idle_dom;
static struct vcpu vcpus[NDOM], idle_vcpu;
static uint64_t ran[NDOM + 1];
static uint64_t now;

static void setup(unsigned int n)
{
	unsigned int i;

	memset(sched_cpus, 0, sizeof(sched_cpus));
	memset(doms, 0, sizeof(doms));
	memset(vcpus, 0, sizeof(vcpus));
	memset(ran, 0, sizeof(ran));
	memset(&idle_dom, 0, sizeof(idle_dom));
	memset(&idle_vcpu, 0, sizeof(idle_vcpu));
	for (i = 0; i < NDOM; i++) {
		sched_vcpu_remove(&vcpus[i]);
	}
	idle_dom.domain_id = DOMID_IDLE;
	idle_dom.max_vcpus = 1;
	idle_vcpu.domain = &idle_dom;
	idle_vcpu.is_up = true;
	sched_cpus[0].idle = &idle_vcpu;
	sched_cpus[0].curr = &idle_vcpu;
	now = 1000;
	for (i = 0; i < n; i++) {
		doms[i].domain_id = (domid_t)(i + 1);
		doms[i].max_vcpus = 1;
		vcpus[i].domain = &doms[i];
		vcpus[i].is_up = true;
		sched_vcpu_add(&vcpus[i]);
		vcpu_wake(&vcpus[i]);
	}
	if (sched_cpus[0].need_resched) {
		sched_pick(&sched_cpus[0], now);
	}
}

static unsigned int slot(const struct vcpu *v)
{
	return v == &idle_vcpu ? NDOM : (unsigned int)(v - vcpus);
}

/*
 * Runs for ns, in ticks, switching whenever the policy asks to. As on the
 * machine, the switch comes a little after the tick that asked for it
 * (the tick handler's own time), so a slice begins just after a tick.
 */
#define SWITCH_LATE_NS 20000ULL

static void run(uint64_t ns)
{
	struct sched_cpu *c = &sched_cpus[0];
	uint64_t end = now + ns;

	while (now < end) {
		struct vcpu *v = c->curr;

		now += TICK_NS;
		ran[slot(v)] += TICK_NS;
		sched_account(c, now);
		if (c->need_resched) {
			sched_pick(c, now + SWITCH_LATE_NS);
		}
	}
}

/* ratio a/b within tol percent of want (all in percent). */
static bool ratio_ok(uint64_t a, uint64_t b, uint64_t want_pct, uint64_t tol_pct)
{
	uint64_t r = b ? a * 100 / b : ~0ULL;

	return r * 100 >= want_pct * (100 - tol_pct) && r * 100 <= want_pct * (100 + tol_pct);
}

static void t_weights(void)
{
	setup(2);
	EXPECT_EQ(sched_set_params(&doms[0], 256, 0), 0);
	EXPECT_EQ(sched_set_params(&doms[1], 512, 0), 0);
	run(3000000000ULL);
	if (!ratio_ok(ran[1], ran[0], 200, 10)) {
		hvt_fail(
		    __FILE__, __LINE__, "weights 256:512 ran %llu:%llu ms, not 1:2 within 10%%",
		    (unsigned long long)(ran[0] / 1000000), (unsigned long long)(ran[1] / 1000000));
	}
	EXPECT_EQ(ran[NDOM], 0);
}

static void t_equal(void)
{
	setup(3);
	run(3000000000ULL);
	EXPECT(ratio_ok(ran[0], ran[1], 100, 10));
	EXPECT(ratio_ok(ran[1], ran[2], 100, 10));
}

static void t_cap(void)
{
	uint64_t total = 3000000000ULL;

	/* Alone, capped at 25 %: the rest is the idle vcpu's. */
	setup(1);
	EXPECT_EQ(sched_set_params(&doms[0], 256, 25), 0);
	run(total);
	if (!ratio_ok(ran[0], total, 25, 10)) {
		hvt_fail(__FILE__, __LINE__, "cap 25 alone ran %llu of %llu ms",
			 (unsigned long long)(ran[0] / 1000000),
			 (unsigned long long)(total / 1000000));
	}
	/* Next to an uncapped domain of far lower weight: the cap still holds. */
	setup(2);
	EXPECT_EQ(sched_set_params(&doms[0], 4096, 40), 0);
	EXPECT_EQ(sched_set_params(&doms[1], 16, 0), 0);
	run(total);
	EXPECT(ratio_ok(ran[0], total, 40, 10));
	EXPECT(ratio_ok(ran[1], total, 60, 10));
	/* A cap below what the weight would give: the cap, not less. */
	setup(2);
	EXPECT_EQ(sched_set_params(&doms[0], 512, 50), 0);
	EXPECT_EQ(sched_set_params(&doms[1], 256, 0), 0);
	run(total);
	if (!ratio_ok(ran[0], total, 50, 10) || !ratio_ok(ran[1], total, 50, 10)) {
		hvt_fail(__FILE__, __LINE__,
			 "weight 512 cap 50 beside weight 256 ran %llu:%llu of %llu ms, not 50:50",
			 (unsigned long long)(ran[0] / 1000000),
			 (unsigned long long)(ran[1] / 1000000),
			 (unsigned long long)(total / 1000000));
	}
}

static void t_block_wake(void)
{
	struct sched_cpu *c = &sched_cpus[0];

	setup(2);
	run(100000000ULL);
	/* Whoever runs blocks: the other one gets the CPU, then the idle vcpu. */
	c->curr->is_blocked = true;
	vcpu_sleep(c->curr);
	EXPECT(c->need_resched);
	sched_pick(c, now);
	EXPECT(c->curr != &idle_vcpu);
	c->curr->is_blocked = true;
	vcpu_sleep(c->curr);
	sched_pick(c, now);
	EXPECT(c->curr == &idle_vcpu);
	EXPECT(c->runq == NULL);
	/* An event wakes vcpu 0: the idle vcpu gives way at once. */
	vcpu_wake(&vcpus[0]);
	EXPECT(!vcpus[0].is_blocked);
	EXPECT(c->need_resched);
	sched_pick(c, now);
	EXPECT(c->curr == &vcpus[0]);
	/* Waking twice queues once; a paused domain's vcpu does not queue. */
	doms[1].pause_count = 1;
	vcpu_wake(&vcpus[1]);
	vcpu_wake(&vcpus[1]);
	EXPECT(c->runq == NULL);
	doms[1].pause_count = 0;
	vcpu_wake(&vcpus[1]);
	vcpu_wake(&vcpus[1]);
	EXPECT(c->runq == &vcpus[1] && vcpus[1].runq_next == NULL);
}

static void t_yield(void)
{
	struct sched_cpu *c = &sched_cpus[0];
	struct vcpu *first;

	setup(3);
	sched_pick(c, now);
	first = c->curr;
	/* Give the yielder the most credit: it still goes behind the others. */
	first->credit = 1000000000;
	vcpu_yield(first);
	EXPECT(c->need_resched);
	sched_pick(c, now);
	EXPECT(c->curr != first && c->curr != &idle_vcpu);
	/* Alone, a yielder keeps the CPU. */
	setup(1);
	sched_pick(c, now);
	vcpu_yield(&vcpus[0]);
	sched_pick(c, now);
	EXPECT(c->curr == &vcpus[0]);
}

static void t_params(void)
{
	setup(1);
	EXPECT_EQ(doms[0].weight, SCHED_WEIGHT_DEFAULT);
	EXPECT_EQ(sched_set_params(&doms[0], 0, 0), -EINVAL);
	EXPECT_EQ(sched_set_params(&doms[0], SCHED_WEIGHT_MAX + 1, 0), -EINVAL);
	EXPECT_EQ(sched_set_params(&doms[0], 256, 101), -EINVAL);
	EXPECT_EQ(doms[0].weight, SCHED_WEIGHT_DEFAULT);
	EXPECT_EQ(doms[0].cap, 0);
	EXPECT_EQ(sched_set_params(&doms[0], SCHED_WEIGHT_MAX, 100), 0);
	EXPECT_EQ(doms[0].weight, SCHED_WEIGHT_MAX);
}

/* Placement on the least loaded allowed CPU, hard affinity, and the wake-up IPI. */
static void t_affinity(void)
{
	unsigned int i;

	setup(0);
	fake_online_mask = 0x7;
	memset(fake_ipis, 0, sizeof(fake_ipis));
	for (i = 0; i < NDOM; i++) {
		doms[i].domain_id = (domid_t)(i + 1);
		doms[i].max_vcpus = 1;
		vcpus[i].domain = &doms[i];
		sched_vcpu_add(&vcpus[i]);
	}
	/* Three CPUs, none loaded: one vcpu each. */
	EXPECT_EQ(vcpus[0].processor + vcpus[1].processor + vcpus[2].processor, 0 + 1 + 2);
	EXPECT(vcpus[0].processor != vcpus[1].processor);
	EXPECT_EQ(sched_cpus[vcpus[0].processor].nr_vcpus, 1);
	/* Pinned to CPU 2: it goes there. */
	EXPECT_EQ(sched_set_affinity(&vcpus[0], 1ULL << 2), 0);
	EXPECT_EQ(vcpus[0].processor, 2);
	EXPECT_EQ(vcpus[0].cpu_affinity, 1ULL << 2);
	/* A mask with no online CPU is refused and changes nothing; offline CPUs are dropped. */
	EXPECT_EQ(sched_set_affinity(&vcpus[0], 1ULL << 6), -EINVAL);
	EXPECT_EQ(vcpus[0].processor, 2);
	EXPECT_EQ(vcpus[0].cpu_affinity, 1ULL << 2);
	EXPECT_EQ(sched_set_affinity(&vcpus[1], (1ULL << 1) | (1ULL << 6)), 0);
	EXPECT_EQ(vcpus[1].processor, 1);
	EXPECT_EQ(vcpus[1].cpu_affinity, 1ULL << 1);
	/* Allowed on 1-2, with CPU 2 holding two: the less loaded CPU 1. */
	sched_vcpu_remove(&vcpus[2]);
	sched_vcpu_add(&vcpus[2]);
	EXPECT_EQ(sched_set_affinity(&vcpus[2], (1ULL << 1) | (1ULL << 2)), 0);
	EXPECT_EQ(sched_cpus[2].nr_vcpus + sched_cpus[1].nr_vcpus, 3);
	EXPECT_EQ(sched_cpus[1].nr_vcpus, 2);
	/* Woken while CPU 2 idles and we are CPU 0: CPU 2 gets a reschedule IPI. */
	vcpus[0].is_up = true;
	vcpu_wake(&vcpus[0]);
	EXPECT(vcpus[0].on_runq);
	EXPECT(sched_cpus[2].need_resched);
	EXPECT_EQ(fake_ipis[2][ARCH_IPI_RESCHEDULE], 1);
	EXPECT_EQ(fake_ipis[0][ARCH_IPI_RESCHEDULE], 0);
	for (i = 0; i < NDOM; i++) {
		sched_vcpu_remove(&vcpus[i]);
	}
	fake_online_mask = 1;
}

/* An idle CPU pulls a waiting vcpu only if its affinity allows and it is on no CPU. */
static void t_pull(void)
{
	static struct vcpu idle1;
	unsigned int i;

	setup(0);
	fake_online_mask = 0x3;
	idle1.domain = &idle_dom;
	sched_cpus[1].idle = sched_cpus[1].curr = &idle1;
	sched_cpus[0].started = sched_cpus[1].started = true;
	for (i = 0; i < 2; i++) {
		doms[i].domain_id = (domid_t)(i + 1);
		doms[i].max_vcpus = 1;
		vcpus[i].domain = &doms[i];
		vcpus[i].is_up = true;
		sched_vcpu_add(&vcpus[i]);
		EXPECT_EQ(sched_set_affinity(&vcpus[i], 1ULL << 0), 0);
	}
	/* Both wait on CPU 0; vcpu 1 may also run on CPU 1, vcpu 0 may not. */
	vcpus[1].cpu_affinity = 0x3;
	vcpu_wake(&vcpus[0]);
	vcpu_wake(&vcpus[1]);
	EXPECT(vcpus[0].on_runq && vcpus[1].on_runq);
	vcpus[1].is_running = true; /* still being switched away from, say */
	EXPECT(!sched_pull(&sched_cpus[1]));
	EXPECT_EQ(vcpus[0].processor, 0);
	EXPECT_EQ(vcpus[1].processor, 0);
	vcpus[1].is_running = false;
	EXPECT(sched_pull(&sched_cpus[1]));
	EXPECT_EQ(vcpus[1].processor, 1);
	EXPECT(vcpus[1].run_cpu == &sched_cpus[1]);
	EXPECT(vcpus[1].on_runq);
	EXPECT(sched_cpus[1].need_resched);
	EXPECT_EQ(vcpus[0].processor, 0);
	EXPECT_EQ(sched_cpus[0].nr_vcpus, 1);
	EXPECT_EQ(sched_cpus[1].nr_vcpus, 1);
	/* CPU 1 has work queued now: it is not idle and pulls nothing more. */
	EXPECT(!sched_pull(&sched_cpus[1]));
	EXPECT_EQ(vcpus[0].processor, 0);
	for (i = 0; i < 2; i++) {
		sched_vcpu_remove(&vcpus[i]);
	}
	fake_online_mask = 1;
}

static const struct hvt_case cases[] = {
    {"weights 256:512 share the CPU 1:2 within 10%", t_weights},
    {"equal weights share equally", t_equal},
    {"a cap holds alone and next to a lighter domain", t_cap},
    {"block, wake on event, pause", t_block_wake},
    {"yield goes behind the others", t_yield},
    {"weight and cap bounds", t_params},
    {"placement, hard affinity, wake-up IPI", t_affinity},
    {"an idle CPU pulls only an allowed vcpu on no CPU", t_pull},
};

const struct hvt_group group_sched = HVT_GROUP("sched", cases);
