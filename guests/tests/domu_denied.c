/*
 * A boot-time domU (domU_t) asks for one thing its label may not do:
 * reading the hypervisor's console (console_io CONSOLEIO_read, xen
 * readconsole). FLASK denies it with -EACCES and one AVC line, which the
 * harness checks names this domain as the source (source=dN).
 */
#include <public/errno.h>

#include "guest.h"

static char buf[256];

void guest_main(struct start_info *si)
{
	long rc;

	gprintf("domu_denied: reading the console as a domU\n");
	rc = hypercall_console_io(CONSOLEIO_read, sizeof(buf), buf);
	test_check(rc == -EACCES, "console_io read: -EACCES (%ld)", rc);
	test_finish();
}
