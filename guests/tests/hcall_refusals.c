/*
 * Refusals the hypervisor logs at loglvl=debug (hypervisor/common/
 * hypercall.c): dom0 (dom0_t) makes one of each kind, a hypercall number
 * nobody implements, a sub-op nobody implements and one declared but not
 * implemented,
 * sysctl with a wrong interface version (-EACCES) and a sub-op not
 * supported, flask_op with a wrong interface version, an event channel
 * port that does not decode (-EINVAL), then a flood past the per-domain
 * limit. One FLASK denial in between is audited by FLASK and must not be
 * logged again. It prints how many refusals it made; the harness checks
 * the lines and that shown and counted-but-not-shown add up to that.
 */
#include "xsm_lib.h"

#define FLOOD 40
#define NO_SUCH_HYPERCALL 60

static unsigned int made;

static void expect(long rc, long want, const char *what)
{
	test_check(rc == want, "%s answers %ld, not %ld", what, rc, want);
	made++;
}

void guest_main(struct start_info *si)
{
	struct xen_flask_op fop = {0};
	struct xen_sysctl sop = {0};
	struct evtchn_close close = {.port = 4000};
	long rc;
	int i;

	expect(HYPERCALL1(NO_SUCH_HYPERCALL, 0), -ENOSYS, "hypercall 60");
	expect(HYPERCALL3(__HYPERVISOR_grant_table_op, 99, 0, 1), -ENOSYS, "grant_table_op 99");
	expect(hypercall_memory_op(XENMEM_exchange, NULL), -ENOSYS, "XENMEM_exchange");
	sop.cmd = XEN_SYSCTL_readconsole;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1;
	expect(HYPERCALL1(__HYPERVISOR_sysctl, &sop), -EACCES, "sysctl of another version");
	sop.cmd = XEN_SYSCTL_physinfo;
	sop.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	expect(HYPERCALL1(__HYPERVISOR_sysctl, &sop), -EOPNOTSUPP, "sysctl physinfo");
	fop.cmd = FLASK_GETENFORCE;
	fop.interface_version = XEN_FLASK_INTERFACE_VERSION + 6;
	expect(hypercall_xsm_op(&fop), -ENOSYS, "flask_op of another version");
	expect(hypercall_event_channel_op(EVTCHNOP_close, &close), -EINVAL, "close of port 4000");

	/* FLASK audits this denial itself. */
	memset(&fop, 0, sizeof(fop));
	fop.u.relabel.domid = 0;
	fop.u.relabel.sid = xsm_sid("system_u:system_r:domU_t", &rc);
	rc = xsm_flask(&fop, FLASK_RELABEL_DOMAIN);
	test_check(rc == -EACCES, "relabelling dom0 to domU_t is denied (%ld)", rc);

	for (i = 0; i < FLOOD; i++) {
		expect(HYPERCALL1(NO_SUCH_HYPERCALL, 0), -ENOSYS, "hypercall 60 again");
	}
	gprintf("hcall_refusals: %u refusals made\n", made);
	test_finish();
}
