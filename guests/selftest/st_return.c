/* Runtime self-test (booted by hv-qemu, which expects this verdict): returning from guest_main is
 * an ERROR. */
#include "guest.h"

void guest_main(struct start_info *si)
{
	gprintf("returning without a verdict\n");
}
