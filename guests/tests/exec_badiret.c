/*
 * An iret hypercall whose context names a non-canonical rip: returning
 * there would fault inside the hypervisor's own iretq. The hypervisor
 * must instead crash the domain with a log line and carry on (teardown,
 * exit status "crash"), never fault itself. With the command line "cs",
 * the rip is fine but the code selector names no descriptor: the iretq
 * itself faults in ring 0, which must end the same way. With "failsafe",
 * the same bad selector goes to the guest's failsafe callback instead, with
 * Xen's frame: rcx, r11, ds, es, fs, gs, rip, cs, rflags, rsp, ss.
 */
#include "guest.h"

static struct iret_context ctx;
volatile uint64_t fs_frame[11];
static uint64_t fs_stack[512] __attribute__((aligned(16)));
uint64_t fs_stack_top;

void failsafe_hit(void);
asm(".pushsection .text\n"
    ".globl failsafe_entry\n"
    "failsafe_entry:\n"
    "	lea fs_frame(%rip), %rdi\n"
    "	mov $11, %ecx\n"
    "	mov %rsp, %rsi\n"
    "	rep movsq\n"
    "	mov fs_stack_top(%rip), %rsp\n"
    "	call failsafe_hit\n"
    "	ud2\n"
    ".popsection");
extern const char failsafe_entry[];

void failsafe_hit(void)
{
	test_check(fs_frame[6] == (uint64_t)(uintptr_t)guest_main,
		   "failsafe frame rip 0x%llx is the iret target", (unsigned long long)fs_frame[6]);
	test_check((fs_frame[7] & 0xffff) == 0x1233, "failsafe frame cs 0x%llx is the bad selector",
		   (unsigned long long)fs_frame[7]);
	test_check(fs_frame[9] == (uint64_t)(uintptr_t)&ctx, "failsafe frame rsp");
	test_check((fs_frame[10] & 0xffff) == FLAT_KERNEL_SS, "failsafe frame ss 0x%llx",
		   (unsigned long long)fs_frame[10]);
	test_finish();
}

void guest_main(struct start_info *si)
{
	gprintf("exec_badiret: iret to a non-canonical rip\n");
	ctx.rip = 0x0000900000000000ULL;
	ctx.cs = FLAT_KERNEL_CS64 & ~3U;
	if (strcmp((const char *)si->cmd_line, "failsafe") == 0) {
		struct callback_register cb = {.type = CALLBACKTYPE_failsafe,
					       .address = (uint64_t)(uintptr_t)failsafe_entry};

		fs_stack_top = (uint64_t)(uintptr_t)&fs_stack[512];
		if (hypercall_callback_op(CALLBACKOP_register, &cb)) {
			test_report(TEST_ERROR, "failsafe callback not registered");
		}
		gprintf("exec_badiret: bad code selector with a failsafe callback\n");
		ctx.rip = (uint64_t)(uintptr_t)guest_main;
		ctx.cs = 0x1230;
	} else if (strcmp((const char *)si->cmd_line, "cs") == 0) {
		/* Address 0: no failsafe callback, so the domain must be crashed. */
		struct callback_register none = {.type = CALLBACKTYPE_failsafe, .address = 0};

		hypercall_callback_op(CALLBACKOP_register, &none);
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
