/* Runtime self-test (pvrun only): returning from guest_main is an ERROR. */
#include "guest.h"

void guest_main(struct start_info *si)
{
	gprintf("returning without a verdict\n");
}
