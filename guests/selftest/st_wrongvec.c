/* Runtime self-test (booted by hv-qemu, which expects this verdict): trap_catch of #GP that sees
 * #UD ends with FAILURE. */
#include "guest.h"

static __attribute__((noinline, noclone)) void probe(void *arg)
{
	asm volatile("ud2");
}

void guest_main(struct start_info *si)
{
	struct trap_record rec;

	trap_catch(TRAP_GP, probe, NULL, &rec);
	test_report(TEST_ERROR, "trap_catch returned although the wrong vector arrived");
}
