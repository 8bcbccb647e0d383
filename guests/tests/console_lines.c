/*
 * Whole lines on the console: dom0, labelled domU_t, writes one line in
 * pieces around a setenforce that FLASK denies, so the hypervisor prints
 * its AVC line while the guest's line is half written; a line longer than
 * the hypervisor's line buffer; and, after its result line, a last line
 * without a newline just before it powers off. The harness checks that
 * the serial log has each of them whole (the AVC line before the guest's
 * line) and the last one before the shutdown line.
 */
#include "xsm_lib.h"

#define LONG_LINE 300

void guest_main(struct start_info *si)
{
	struct xen_flask_op op = {0};
	char xs[LONG_LINE + 1];
	long rc;
	int i;

	gprintf("console_lines: setenforce rc=");
	op.u.enforce.enforcing = 0;
	rc = xsm_flask(&op, FLASK_SETENFORCE);
	gprintf("%ld", rc);
	gprintf("\n");
	test_check(rc == -EACCES, "setenforce is denied to domU_t (%ld)", rc);

	for (i = 0; i < LONG_LINE; i++) {
		xs[i] = 'x';
	}
	xs[LONG_LINE] = '\0';
	gprintf("console_lines: ");
	for (i = 0; i < LONG_LINE; i += 50) {
		gprintf("%.50s", xs + i);
	}
	gprintf("end\n");

	if (test_failures()) {
		test_finish();
	}
	/* test_finish, with one more line after the verdict and no newline. */
	gprintf("Test result: SUCCESS\n");
	gprintf("console_lines: last words without a newline");
	guest_shutdown(SHUTDOWN_poweroff);
}
