/*
 * An iret hypercall whose context names a non-canonical rip: returning
 * there would fault inside the hypervisor's own iretq. The hypervisor
 * must instead crash the domain with a log line and carry on (teardown,
 * exit status "crash"), never fault itself. With the command line "cs",
 * the rip is fine but the code selector names no descriptor: the iretq
 * itself faults in ring 0, which must end the same way.
 */
#include "guest.h"

static struct iret_context ctx;

void guest_main(struct start_info *si)
{
	gprintf("exec_badiret: iret to a non-canonical rip\n");
	ctx.rip = 0x0000900000000000ULL;
	ctx.cs = FLAT_KERNEL_CS64 & ~3U;
	if (strcmp((const char *)si->cmd_line, "cs") == 0) {
		gprintf("exec_badiret: with a code selector that names nothing\n");
		ctx.rip = (uint64_t)(uintptr_t)guest_main;
		ctx.cs = 0x1230;
	}
	ctx.rflags = 0x202;
	ctx.rsp = (uint64_t)(uintptr_t)&ctx;
	ctx.ss = FLAT_KERNEL_SS;
	hypercall_iret(&ctx);
	test_report(TEST_FAILURE, "iret returned");
}
