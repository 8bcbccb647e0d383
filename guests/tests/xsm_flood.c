/*
 * XSM test guest under domU_t: 2000 denials in a row. The hypervisor must
 * keep answering quickly and the console must get no more than the
 * per-domain burst of AVC lines (the harness counts them).
 */
#include "xsm_lib.h"

void guest_main(struct start_info *si)
{
	char c;
	int i, denied = 0;

	for (i = 0; i < 2000; i++) {
		denied += hypercall_console_io(CONSOLEIO_read, 1, &c) == -EACCES;
	}
	test_check(denied == 2000, "all 2000 console reads denied (%d)", denied);
	gprintf("xsm_flood: %d denials answered\n", denied);
	test_finish();
}
