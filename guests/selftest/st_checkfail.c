/* Runtime self-test (booted by hv-qemu, which expects this verdict): failed checks are counted and
 * end with FAILURE. */
#include "guest.h"

void guest_main(struct start_info *si)
{
	test_check(true, "a check that holds");
	test_check(1 + 1 == 3, "arithmetic %d", 1 + 1);
	test_check(si == NULL, "start_info is NULL");
	test_finish();
}
