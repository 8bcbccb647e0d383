/* Runtime self-test (pvrun only): SKIP prints its reason and powers off. */
#include "guest.h"

void guest_main(struct start_info *si)
{
	test_report(TEST_SKIP, "nothing to test on %s", "pvrun");
}
