/*
 * XSM test guest under domU_t: 2000 denials in a row. The hypervisor must
 * keep answering and the console must get no more than the per-domain
 * burst of AVC lines; after a quiet second, the next denial brings the
 * "N denials suppressed" summary (the harness checks the lines).
 */
#include "xsm_lib.h"

#define NS_PER_S 1000000000ULL

/* System time in ns from the vcpu_time_info the hypervisor keeps. */
static uint64_t system_ns(void)
{
	return runtime_system_time(&shared_info->vcpu_info[0].time);
}

void guest_main(struct start_info *si)
{
	uint64_t until;
	char c;
	int i, denied = 0;

	for (i = 0; i < 2000; i++) {
		denied += hypercall_console_io(CONSOLEIO_read, 1, &c) == -EACCES;
	}
	test_check(denied == 2000, "all 2000 console reads denied (%d)", denied);
	gprintf("xsm_flood: %d denials answered\n", denied);
	if (test_check(shared_info != NULL, "shared_info mapped (for the clock)")) {
		until = system_ns() + NS_PER_S + NS_PER_S / 5;
		/* No hypercalls while waiting: the quiet second must be quiet. */
		while (system_ns() < until) {
			asm volatile("pause");
		}
		test_check(hypercall_console_io(CONSOLEIO_read, 1, &c) == -EACCES,
			   "one more denial after a quiet second");
	}
	test_finish();
}
