/*
 * XSM test guest, run as dom0 under a policy built from Xen's source layout
 * (tests/hv/xsm/xenlayout): what the initial SIDs mean to the hypervisor.
 * It prints the context of each initial SID by number, checks the three
 * the boot depends on (1 xenboot_t, 2 xen_t, 3 dom0_t) and that there is no
 * 14th, and asks for the command line, which that policy audits although
 * it allows it: the hypervisor then logs the decision with dom0's label as
 * the source and the hypervisor's as the target (the harness checks it).
 */
#include "xsm_lib.h"

#define XEN_ISIDS 13

static const char *const expect[] = {
    [1] = ":xenboot_t",
    [2] = ":xen_t",
    [3] = ":dom0_t",
};

void guest_main(struct start_info *si)
{
	xen_commandline_t cmdline;
	char ctx[128];
	uint32_t sid;
	long rc;

	for (sid = 1; sid <= XEN_ISIDS; sid++) {
		rc = xsm_context(sid, ctx, sizeof(ctx));
		if (!test_check(rc == 0, "initial SID %u has a context (%ld)", sid, rc)) {
			continue;
		}
		gprintf("xsm_labels: initial SID %u is %s\n", sid, ctx);
		if (sid < sizeof(expect) / sizeof(expect[0])) {
			test_check(xsm_count(ctx, expect[sid]) == 1,
				   "initial SID %u is %s, not *%s", sid, ctx, expect[sid]);
		}
	}
	rc = xsm_context(XEN_ISIDS + 1, ctx, sizeof(ctx));
	test_check(rc == -EINVAL, "SID %u is no SID (%ld)", XEN_ISIDS + 1, rc);
	rc = hypercall_xen_version(XENVER_commandline, cmdline);
	test_check(rc == 0, "xen_version commandline allowed (%ld)", rc);
	test_finish();
}
