/*
 * Shuts down with the reason named on the command line (reason=poweroff,
 * reboot, suspend, crash, watchdog, soft_reset). The hypervisor must tear
 * dom0 down and end the machine with that reason's exit status, which the
 * harness checks (guest-tests.list, build-shutdown-*). The result line is
 * printed first, since after the shutdown nothing runs.
 */
#include "guest.h"

static const char *const names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	const char *arg = NULL;
	unsigned int i;
	size_t n;

	for (; *cmd; cmd++) {
		if (strncmp(cmd, "reason=", 7) == 0 &&
		    (cmd == (const char *)si->cmd_line || cmd[-1] == ' ')) {
			arg = cmd + 7;
			break;
		}
	}
	if (!arg) {
		test_report(TEST_ERROR, "no reason= on the command line");
	}
	n = strchr(arg, ' ') ? (size_t)(strchr(arg, ' ') - arg) : strlen(arg);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i]) == n && strncmp(arg, names[i], n) == 0) {
			break;
		}
	}
	if (i == sizeof(names) / sizeof(names[0])) {
		test_report(TEST_ERROR, "unknown reason \"%.*s\"", (int)n, arg);
	}
	gprintf("shutting down with reason %u (%s)\n", i, names[i]);
	gprintf("Test result: SUCCESS\n");
	guest_shutdown(i);
}
