/*
 * A domU whose label lacks xen:writeconsole (noconsole_t of the test
 * policy, tests/hv/xsm/test-extra.te). Its console_io write must be denied
 * with -EACCES, and its console ring must be drained without a byte of it
 * printed: the harness checks the AVC lines name it and that none of its
 * text appears. It cannot print a verdict, so it says it through its
 * shutdown reason: poweroff when every check held, crash otherwise.
 */
#include "guest.h"

#include <public/errno.h>

static const char text[] = "console_denied: this text must never appear\n";

void guest_main(struct start_info *si)
{
	struct xencons_interface *r;
	bool ok = true;
	long rc;

	rc = hypercall_console_io(CONSOLEIO_write, sizeof(text) - 1, text);
	ok &= rc == -EACCES;
	ok &= xencons_init(si) == 0;
	r = xencons_page();
	if (ok) {
		xencons_write("console_denied: nor this ring text\n", 35);
		ok &= r->out_cons == r->out_prod && r->out_prod == 35;
	}
	guest_shutdown(ok ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}
