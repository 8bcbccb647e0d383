/*
 * XSM test guest under domU_t with flask=permissive: what enforcing would
 * deny is allowed, and logged with permissive=1 (the harness checks the
 * line).
 */
#include "xsm_lib.h"

static char buf[256];

void guest_main(struct start_info *si)
{
	struct xen_flask_op op = {0};
	long rc;

	test_check(xsm_flask(&op, FLASK_GETENFORCE) == 0, "getenforce says permissive");
	rc = hypercall_console_io(CONSOLEIO_read, sizeof(buf), buf);
	test_check(rc >= 0, "console_io read allowed in permissive mode (%ld)", rc);
	rc = xsm_readconsole(buf, sizeof(buf));
	test_check(rc == 0, "readconsole sysctl allowed in permissive mode (%ld)", rc);
	test_finish();
}
