/*
 * Host unit tests of hypervisor/common/vcpu_op.c on the fake arch: one
 * domain of 3 vcpus (0 running), the credit policy of sched_credit.c
 * underneath, and the arch's VCPUOP_initialise replaced by a recorder
 * (the x86 decoding is exercised by the vcpu_updown guest under QEMU).
 * What is checked: -ENOENT past max_vcpus, VCPUOP_up only for an
 * initialised vcpu, up/down/is_up and the run queue, the runstate each
 * change sets, the last vcpu going down powering the domain off, and the
 * calls only the vcpu itself (or a down one) may make.
 */
#include "hvtest.h"

#include <string.h>

#include <arch/domain.h>
#include <domain.h>
#include <fake/guest.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <sched.h>

#define GVA 0x0000200000000000ULL
#define NV 3

static struct domain dom;
static struct vcpu v[NV];
static struct shared_info shinfo;
static unsigned char guest_mem[128];
static int init_rc, init_calls, shutdowns, last_state[NV];
static uint8_t shutdown_reason;

/* Not linked into hv-unit (vcpu_ctxt.c, sched.c, domain.c): recorders. */
int arch_vcpu_initialise(struct vcpu *vc, uint64_t arg)
{
	init_calls++;
	if (!init_rc) {
		vc->is_initialised = true;
	}
	return init_rc;
}

void runstate_set(struct vcpu *vc, int state)
{
	vc->runstate.state = state;
	last_state[vc->vcpu_id] = state;
}

void runstate_fill(const struct vcpu *vc, struct vcpu_runstate_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->state = vc->runstate.state;
}

void vcpu_update_time(struct vcpu *vc)
{
}

void domain_shutdown(struct domain *d, uint8_t reason)
{
	shutdowns++;
	shutdown_reason = reason;
}

static void setup(void)
{
	unsigned int i;

	memset(sched_cpus, 0, sizeof(sched_cpus));
	for (i = 0; i < NV; i++) {
		sched_vcpu_remove(&v[i]);
	}
	memset(&dom, 0, sizeof(dom));
	memset(v, 0, sizeof(v));
	memset(&shinfo, 0, sizeof(shinfo));
	dom.max_vcpus = NV;
	dom.shared_info = &shinfo;
	for (i = 0; i < NV; i++) {
		v[i].vcpu_id = i;
		v[i].domain = &dom;
		v[i].vcpu_info = &shinfo.vcpu_info[i];
		v[i].vcpu_info_mfn = INVALID_MFN;
		v[i].runstate.state = RUNSTATE_offline;
		dom.vcpu[i] = &v[i];
		sched_vcpu_add(&v[i]);
		last_state[i] = -1;
	}
	/* vcpu 0 runs, as the domain builder leaves it. */
	v[0].is_initialised = v[0].is_up = true;
	v[0].runstate.state = RUNSTATE_running;
	sched_cpus[0].curr = &v[0];
	current_vcpu = &v[0];
	init_rc = init_calls = shutdowns = 0;
	fake_guest_map(guest_mem, GVA, sizeof(guest_mem), true);
}

static void t_enoent(void)
{
	setup();
	EXPECT_EQ(do_vcpu_op(VCPUOP_is_up, NV, 0), -ENOENT);
	EXPECT_EQ(do_vcpu_op(VCPUOP_up, NV, 0), -ENOENT);
	EXPECT_EQ(do_vcpu_op(VCPUOP_initialise, NV, GVA), -ENOENT);
	EXPECT_EQ(do_vcpu_op(VCPUOP_down, 4096, 0), -ENOENT);
	EXPECT_EQ(init_calls, 0);
	EXPECT_EQ(do_vcpu_op(VCPUOP_is_up, 0, 0), 1);
	EXPECT_EQ(do_vcpu_op(VCPUOP_is_up, 1, 0), 0);
}

static void t_up_needs_initialise(void)
{
	setup();
	EXPECT_EQ(do_vcpu_op(VCPUOP_up, 1, 0), -EINVAL);
	EXPECT(!v[1].is_up && !v[1].on_runq);
	EXPECT_EQ(last_state[1], -1);
	/* A refused initialise leaves it uninitialised: up still refused. */
	init_rc = -EINVAL;
	EXPECT_EQ(do_vcpu_op(VCPUOP_initialise, 1, GVA), -EINVAL);
	EXPECT_EQ(init_calls, 1);
	EXPECT_EQ(do_vcpu_op(VCPUOP_up, 1, 0), -EINVAL);
	/* Without a vcpu_info (past the legacy slots, none registered): -EINVAL, arch not asked. */
	v[2].vcpu_info = NULL;
	EXPECT_EQ(do_vcpu_op(VCPUOP_initialise, 2, GVA), -EINVAL);
	EXPECT_EQ(init_calls, 1);
}

static void t_up_down(void)
{
	struct vcpu_runstate_info *ri = (struct vcpu_runstate_info *)guest_mem;

	setup();
	EXPECT_EQ(do_vcpu_op(VCPUOP_initialise, 1, GVA), 0);
	EXPECT(v[1].is_initialised && !v[1].is_up && !v[1].on_runq);
	EXPECT_EQ(do_vcpu_op(VCPUOP_up, 1, 0), 0);
	EXPECT(v[1].is_up && v[1].on_runq);
	EXPECT_EQ(last_state[1], RUNSTATE_runnable);
	EXPECT_EQ(do_vcpu_op(VCPUOP_is_up, 1, 0), 1);
	/* Up again: nothing changes. */
	EXPECT_EQ(do_vcpu_op(VCPUOP_up, 1, 0), 0);
	EXPECT(v[1].is_up && v[1].on_runq);
	EXPECT_EQ(do_vcpu_op(VCPUOP_get_runstate_info, 1, GVA), 0);
	EXPECT_EQ(ri->state, RUNSTATE_runnable);
	/* vcpu 0 downs vcpu 1: off the queue, offline. */
	EXPECT_EQ(do_vcpu_op(VCPUOP_down, 1, 0), 0);
	EXPECT(!v[1].is_up && !v[1].on_runq);
	EXPECT_EQ(last_state[1], RUNSTATE_offline);
	EXPECT_EQ(do_vcpu_op(VCPUOP_is_up, 1, 0), 0);
	EXPECT_EQ(do_vcpu_op(VCPUOP_get_runstate_info, 1, GVA), 0);
	EXPECT_EQ(ri->state, RUNSTATE_offline);
	EXPECT_EQ(shutdowns, 0);
	/* A down vcpu cannot be initialised again; up resumes it. */
	EXPECT_EQ(do_vcpu_op(VCPUOP_up, 1, 0), 0);
	EXPECT(v[1].is_up && v[1].on_runq);
}

static void t_down_self(void)
{
	setup();
	do_vcpu_op(VCPUOP_initialise, 1, GVA);
	do_vcpu_op(VCPUOP_up, 1, 0);
	/* vcpu 0 downs itself: it must leave the CPU at the next schedule(). */
	sched_cpus[0].need_resched = false;
	EXPECT_EQ(do_vcpu_op(VCPUOP_down, 0, 0), 0);
	EXPECT(!v[0].is_up);
	EXPECT(sched_cpus[0].need_resched);
	EXPECT_EQ(last_state[0], RUNSTATE_offline);
	EXPECT_EQ(sched_pick(&sched_cpus[0], 1000), &v[1]);
	EXPECT_EQ(shutdowns, 0);
}

static void t_last_down(void)
{
	setup();
	/* vcpu 0 is the only one up: Xen powers the domain off. */
	EXPECT_EQ(do_vcpu_op(VCPUOP_down, 0, 0), 0);
	EXPECT_EQ(shutdowns, 1);
	EXPECT_EQ(shutdown_reason, SHUTDOWN_poweroff);
	/* Downing a vcpu that is already down, with only the caller up, is the same. */
	setup();
	EXPECT_EQ(do_vcpu_op(VCPUOP_down, 2, 0), 0);
	EXPECT_EQ(shutdowns, 0);
	EXPECT(v[0].is_up);
}

static void t_self_only(void)
{
	struct vcpu_set_singleshot_timer *t = (struct vcpu_set_singleshot_timer *)guest_mem;
	struct vcpu_register_vcpu_info *vi = (struct vcpu_register_vcpu_info *)guest_mem;

	setup();
	do_vcpu_op(VCPUOP_initialise, 1, GVA);
	do_vcpu_op(VCPUOP_up, 1, 0);
	memset(guest_mem, 0, sizeof(guest_mem));
	t->timeout_abs_ns = 5;
	EXPECT_EQ(do_vcpu_op(VCPUOP_set_singleshot_timer, 1, GVA), -EINVAL);
	EXPECT_EQ(do_vcpu_op(VCPUOP_stop_singleshot_timer, 1, 0), -EINVAL);
	EXPECT_EQ(v[1].timer_deadline, 0);
	EXPECT_EQ(do_vcpu_op(VCPUOP_set_singleshot_timer, 0, GVA), 0);
	EXPECT_EQ(v[0].timer_deadline, 5);
	/* vcpu_info of another vcpu that is up: refused before any frame is looked at. */
	memset(guest_mem, 0, sizeof(guest_mem));
	vi->mfn = 1;
	EXPECT_EQ(do_vcpu_op(VCPUOP_register_vcpu_info, 1, GVA), -EINVAL);
	EXPECT(v[1].vcpu_info == &shinfo.vcpu_info[1]);
}

static const struct hvt_case cases[] = {
    {"vcpu ids past max_vcpus: -ENOENT", t_enoent},
    {"VCPUOP_up needs an initialised vcpu", t_up_needs_initialise},
    {"up and down from another vcpu, run queue and runstate", t_up_down},
    {"a vcpu downing itself leaves the CPU", t_down_self},
    {"the last vcpu going down powers the domain off", t_last_down},
    {"timers and vcpu_info: the vcpu itself only", t_self_only},
};

const struct hvt_group group_vcpu_op = HVT_GROUP("vcpu_op", cases);
