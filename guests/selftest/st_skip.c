/* Runtime self-test (booted by hv-qemu, which expects this verdict): SKIP prints its reason and
 * powers off. */
#include "guest.h"

void guest_main(struct start_info *si)
{
	test_report(TEST_SKIP, "runtime self-test of the %s verdict", "SKIP");
}
