/*
 * Host unit tests of the refusal log of hypervisor/common/hypercall.c: at
 * loglvl=debug a hypercall answered -ENOSYS, -EOPNOTSUPP, -EINVAL, or
 * -EACCES that no XSM check gave, logs one line naming the domain, the
 * hypercall, the sub-op (by name where the list has it) and the errno; at
 * most 10 a second per domain, the rest counted. physdev_op and sysctl are
 * this file's own handlers here, answering what a case asks for.
 */
#include "hvtest.h"

#include <fake/smp.h>
#include <string.h>

#include <console.h>
#include <domain.h>
#include <fake/guest.h>
#include <fake/time.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/physdev.h>
#include <public/sysctl.h>
#include <public/xen.h>

#include <xsm/xsm.h>

#define GVA 0x0000200000000000ULL

static long answer;
static bool xsm_refuses;

/* A handler that answers what the case wants; an XSM denial is counted as FLASK would. */
static long answer_as_told(void)
{
	if (xsm_refuses) {
		xsm_note_denial();
	}
	return answer;
}

long do_physdev_op(uint32_t cmd, uint64_t arg)
{
	return answer_as_told();
}

long do_sysctl(uint64_t op)
{
	return answer_as_told();
}

static struct domain dom;
static struct vcpu vcpu;

static void setup(void)
{
	capture_with_ring();
	memset(&dom, 0, sizeof(dom));
	memset(&vcpu, 0, sizeof(vcpu));
	dom.domain_id = 3;
	vcpu.domain = &dom;
	current_vcpu = &vcpu;
	console_set_loglvl(LOG_DEBUG);
	fake_now_ns = 1000000000ULL;
	answer = 0;
	xsm_refuses = false;
	vcpu.hypercall_no_result = false;
}

static long call(uint64_t nr, uint64_t a0)
{
	const uint64_t args[6] = {a0, 0, 0, 0, 0, 0};

	return hypercall_dispatch(nr, args);
}

static void t_not_implemented(void)
{
	struct {
		uint32_t cmd, interface_version;
	} domctl = {2, 0};

	setup();
	EXPECT_EQ(call(60, 0), -ENOSYS);
	EXPECT_EQ(call(~0ULL, 0), -ENOSYS);
	EXPECT_EQ(call(__HYPERVISOR_grant_table_op, GNTTABOP_dump_table), -ENOSYS);
	/* domctl's sub-op is the cmd of the structure its argument points to. */
	fake_guest_map(&domctl, GVA, sizeof(domctl), false);
	EXPECT_EQ(call(__HYPERVISOR_domctl, GVA), -ENOSYS);
	fake_guest_map(NULL, 0, 0, false);
	EXPECT_EQ(call(__HYPERVISOR_domctl, GVA), -ENOSYS);
	EXPECT_STREQ(capture_text(),
		     "hypercall: d3 hypercall 60 refused: -ENOSYS\n"
		     "hypercall: d3 hypercall 18446744073709551615 refused: -ENOSYS\n"
		     "hypercall: d3 grant_table_op sub-op 3 refused: -ENOSYS\n"
		     "hypercall: d3 domctl XEN_DOMCTL_destroydomain (2) refused: -ENOSYS\n"
		     "hypercall: d3 domctl refused: -ENOSYS\n");
}

static void t_handler_answers(void)
{
	struct xen_sysctl op = {.cmd = XEN_SYSCTL_physinfo};

	setup();
	answer = -EINVAL;
	call(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl);
	answer = -EOPNOTSUPP;
	call(__HYPERVISOR_physdev_op, 99);
	/* A version check: -EACCES that no XSM hook gave. */
	answer = -EACCES;
	fake_guest_map(&op, GVA, sizeof(op), false);
	call(__HYPERVISOR_sysctl, GVA);
	fake_guest_map(NULL, 0, 0, false);
	EXPECT_STREQ(capture_text(),
		     "hypercall: d3 physdev_op PHYSDEVOP_set_iopl (6) refused: -EINVAL\n"
		     "hypercall: d3 physdev_op sub-op 99 refused: -EOPNOTSUPP\n"
		     "hypercall: d3 sysctl XEN_SYSCTL_physinfo (3) refused: -EACCES\n");
}

/* What XSM denied was audited by its module; other answers are no refusal of this kind. */
static void t_not_logged(void)
{
	static const long others[] = {-EPERM, -EFAULT, -ENOMEM, -ERANGE, 0, 1, 0x57ab};
	size_t i;

	setup();
	answer = -EACCES;
	xsm_refuses = true;
	EXPECT_EQ(call(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl), -EACCES);
	xsm_refuses = false;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		answer = others[i];
		EXPECT_EQ(call(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl), others[i]);
	}
	/* A handler that wrote the guest's registers itself has no answer to judge. */
	answer = -EINVAL;
	vcpu.hypercall_no_result = true;
	call(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl);
	vcpu.hypercall_no_result = false;
	EXPECT_STREQ(capture_text(), "");
}

/* Below loglvl=debug nothing is written, not even to the ring. */
static void t_info_silent(void)
{
	uint64_t head;

	setup();
	console_set_loglvl(LOG_INFO);
	head = console_ring_head();
	EXPECT_EQ(call(60, 0), -ENOSYS);
	answer = -EINVAL;
	call(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl);
	EXPECT_EQ(console_ring_head(), head);
	EXPECT_STREQ(capture_text(), "");
}

static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle)) {
		n++;
	}
	return n;
}

/* 10 lines a second per domain; the rest are counted and said when the next second opens. */
static void t_rate_limit(void)
{
	int i;

	setup();
	for (i = 0; i < 25; i++) {
		call(60, 0);
	}
	EXPECT_EQ(count(capture_text(), "hypercall 60 refused"), 10);
	fake_now_ns += 999999999ULL;
	call(60, 0);
	EXPECT_EQ(count(capture_text(), "hypercall 60 refused"), 10);
	fake_now_ns += 1;
	call(60, 0);
	EXPECT_EQ(count(capture_text(), "hypercall 60 refused"), 11);
	EXPECT(strstr(capture_text(), "hypercall: 16 more refusals of d3 not shown\n"
				      "hypercall: d3 hypercall 60 refused: -ENOSYS\n") != NULL);
	/* Another domain has its own budget. */
	capture_reset();
	dom.domain_id = 4;
	dom.refusals = (struct ratelimit){0};
	call(61, 0);
	EXPECT_STREQ(capture_text(), "hypercall: d4 hypercall 61 refused: -ENOSYS\n");
	/* At shutdown the count of the current second is said. */
	capture_reset();
	for (i = 0; i < 12; i++) {
		call(61, 0);
	}
	hypercall_refusals_flush(&dom);
	hypercall_refusals_flush(&dom);
	EXPECT_EQ(count(capture_text(), "hypercall 61 refused"), 9);
	EXPECT_EQ(count(capture_text(), "hypercall: 3 more refusals of d4 not shown\n"), 1);
}

static const struct hvt_case cases[] = {
    {"not implemented: unknown numbers, a declared hypercall, a sub-op in a structure",
     t_not_implemented},
    {"a handler's -EINVAL, -EOPNOTSUPP and version -EACCES, sub-ops by name or number",
     t_handler_answers},
    {"an XSM denial and other answers are not logged again", t_not_logged},
    {"loglvl=info: no line, not even in the ring", t_info_silent},
    {"at most 10 lines a second per domain, the rest counted", t_rate_limit},
};

const struct hvt_group group_refusal = HVT_GROUP("refusal", cases);
