/*
 * The per-domain console rate limit (hypervisor/common/console.c), seen
 * from two boot-time domUs:
 *
 *   mode=flood [via=ring]  writes FLOOD_LINES lines as fast as it can
 *                          (console_io, or its console ring), yielding
 *                          every 100 lines, prints no
 *                          verdict and powers off: the log must show lines
 *                          dropped and the "dN: console: M lines
 *                          suppressed" note
 *   mode=quiet             writes QUIET_LINES lines, yielding between them
 *                          so they land in the middle of the flood: every
 *                          one must appear
 */
#include "guest.h"

#define FLOOD_LINES 3000
#define QUIET_LINES 20

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	unsigned int i;

	if (runtime_has_word(cmd, "mode=flood")) {
		bool ring = runtime_has_word(cmd, "via=ring");

		if (ring && xencons_init(si)) {
			test_report(TEST_ERROR, "no console ring to flood");
		}
		for (i = 0; i < FLOOD_LINES; i++) {
			/* Now and then the quiet domain gets the CPU, in the middle of the flood.
			 */
			if (i % 100 == 99) {
				hypercall_sched_op(SCHEDOP_yield, NULL);
			}
			if (ring) {
				xencons_printf("flood line %u\n", i);
			} else {
				gprintf("flood line %u\n", i);
			}
		}
		guest_shutdown(SHUTDOWN_poweroff);
	}
	if (!runtime_has_word(cmd, "mode=quiet")) {
		test_report(TEST_ERROR, "no mode=flood or mode=quiet on the command line");
	}
	for (i = 1; i <= QUIET_LINES; i++) {
		gprintf("quiet line %u of %u\n", i, QUIET_LINES);
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_finish();
}
