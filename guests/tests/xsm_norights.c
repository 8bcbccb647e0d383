/*
 * XSM test guest under a label with no rights but writing to the console
 * (norights_t of the test policy, given as the boot policy module): even
 * what every ordinary domain may do is refused. The test policy says
 * dontaudit for its console reads: that denial leaves no line.
 */
#include "xsm_lib.h"

static char buf[256];

void guest_main(struct start_info *si)
{
	struct xen_flask_op op = {0};
	long rc;

	gprintf("xsm_norights: running as norights_t\n");
	rc = hypercall_xen_version(XENVER_extraversion, buf);
	test_check(rc == -EACCES, "xen_version extraversion: -EACCES (%ld)", rc);
	rc = hypercall_console_io(CONSOLEIO_read, sizeof(buf), buf);
	test_check(rc == -EACCES, "console_io read: -EACCES, not audited (%ld)", rc);
	rc = xsm_flask(&op, FLASK_CONTEXT_TO_SID);
	op.u.sid_context.context = (uint64_t)(uintptr_t) "system_u:system_r:domU_t";
	op.u.sid_context.size = 25;
	rc = xsm_flask(&op, FLASK_CONTEXT_TO_SID);
	test_check(rc == -EACCES, "context_to_sid: -EACCES (%ld)", rc);
	rc = hypercall_xen_version(XENVER_version, NULL);
	test_check(rc > 0, "xen_version version still answers (%#lx)", rc);
	test_finish();
}
