/*
 * dom0's command line is the first module's arguments, byte for byte,
 * NUL-terminated inside start_info.cmd_line. The harness boots this guest
 * with exactly the words below (guest-tests.list, build-cmdline).
 */
#include "guest.h"

#define EXPECTED "console=hvc0 root=/dev/xvda1 ro quiet x=1,2,3 path=/a/b.c"

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;

	gprintf("command line: \"%s\"\n", cmd);
	test_check(strnlen(cmd, MAX_GUEST_CMDLINE) < MAX_GUEST_CMDLINE,
		   "cmd_line is NUL-terminated");
	test_check(strcmp(cmd, EXPECTED) == 0, "cmd_line is \"%s\"", EXPECTED);
	test_finish();
}
