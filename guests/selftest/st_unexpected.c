/* Runtime self-test (booted by hv-qemu, which expects this verdict): an exception nobody expected
 * ends the test with ERROR. */
#include "guest.h"

void guest_main(struct start_info *si)
{
	gprintf("about to execute ud2\n");
	asm volatile("ud2");
	test_report(TEST_FAILURE, "execution continued after an unexpected #UD");
}
