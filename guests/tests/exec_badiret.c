/*
 * Returns to the guest that the CPU refuses, and what Xen makes of them:
 * the guest gets the exception through its trap table, as if raised at
 * the return target, and only a guest without a handler is crashed.
 *
 *  - An iret hypercall to a non-canonical rip: Xen's exit iretq (or the
 *    sysret it uses after VGCF_in_syscall, which falls back to iretq for
 *    such a rip) faults, and the guest gets #GP(0) with that rip in the
 *    frame: to kernel mode, with VGCF_in_syscall, and to user mode (then
 *    on the stack_switch stack, the frame's cs with RPL 3).
 *  - A code or stack selector that names no usable descriptor: #GP with
 *    the selector as error code, the frame holding the bad selector.
 *    Xen's failsafe callback is not for this (it is for data segments
 *    Xen fails to reload on a context switch): the runtime's one fails
 *    the test if it is ever entered.
 *
 * Command line: empty for all of the above; "nohandler" and
 * "cs-nohandler" repeat the first two without a #GP handler (the domain
 * must be crashed with a log line, the hypervisor must not fault); "rsp"
 * returns with a non-canonical rsp, which iretq loads: the guest's first
 * push faults in ring 3 and the bounce has no stack to write to (crash).
 */
#include "guest.h"

#define NONCANON 0x0000900000000000ULL
#define BAD_SEL 0x1230
#define RFLAGS_EVENTS_MASKED 0x2ULL /* IF clear: the iret keeps upcalls masked */

static struct iret_context ctx;
static uint64_t target_stack[512] __attribute__((aligned(16)));
static uint64_t user_stack[512] __attribute__((aligned(16)));

static void do_iret(void *arg)
{
	hypercall_iret(&ctx);
}

/* Where the good returns go: they must never get there. */
static void landed(void)
{
	test_report(TEST_FAILURE, "the bad return was carried out");
}

void push_one(void);
asm(".pushsection .text\n"
    ".globl push_one\n"
    "push_one:\n"
    "	push %rax\n"
    "	ud2\n"
    ".popsection");

static void set_ctx(uint64_t rip, uint16_t cs, uint64_t rsp, uint16_t ss, uint64_t flags)
{
	memset(&ctx, 0, sizeof(ctx));
	ctx.rip = rip;
	ctx.cs = cs;
	ctx.rflags = RFLAGS_EVENTS_MASKED;
	ctx.rsp = rsp;
	ctx.ss = ss;
	ctx.flags = flags;
}

static void expect_gp(const char *what, uint64_t rip, uint64_t err, uint16_t cs, uint64_t rsp)
{
	struct trap_record rec;

	if (!test_check(trap_catch(TRAP_GP, do_iret, NULL, &rec), "%s: #GP", what)) {
		return;
	}
	test_check(rec.rip == rip, "%s: frame rip 0x%llx", what, (unsigned long long)rec.rip);
	test_check(rec.error_code == err, "%s: error code 0x%llx (want 0x%llx)", what,
		   (unsigned long long)rec.error_code, (unsigned long long)err);
	test_check((rec.cs & 0xffff) == cs, "%s: frame cs 0x%llx (want 0x%x)", what,
		   (unsigned long long)rec.cs, cs);
	test_check(rec.rsp == rsp, "%s: frame rsp 0x%llx", what, (unsigned long long)rec.rsp);
}

/* An entry with address 0 would end the table: only clearing it all removes #GP's. */
static void drop_gp_handler(void)
{
	long rc = hypercall_set_trap_table(NULL);

	if (rc) {
		test_report(TEST_ERROR, "could not clear the trap table: %ld", rc);
	}
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t top = gva(&target_stack[512]);

	gprintf("exec_badiret: returns the CPU refuses (\"%s\")\n", cmd);
	if (strcmp(cmd, "nohandler") == 0 || strcmp(cmd, "cs-nohandler") == 0) {
		bool cs = cmd[0] == 'c';

		set_ctx(cs ? gva(landed) : NONCANON, cs ? BAD_SEL : FLAT_KERNEL_CS & ~3, top,
			FLAT_KERNEL_SS, 0);
		drop_gp_handler();
		hypercall_iret(&ctx);
	}
	if (strcmp(cmd, "rsp") == 0) {
		set_ctx(gva(push_one), FLAT_KERNEL_CS & ~3, NONCANON, FLAT_KERNEL_SS, 0);
		hypercall_iret(&ctx);
	}

	set_ctx(NONCANON, FLAT_KERNEL_CS & ~3, top, FLAT_KERNEL_SS, 0);
	expect_gp("iret to a non-canonical rip", NONCANON, 0, FLAT_KERNEL_CS & ~3, top);
	set_ctx(NONCANON, FLAT_KERNEL_CS & ~3, top, FLAT_KERNEL_SS, VGCF_in_syscall);
	expect_gp("iret with VGCF_in_syscall to a non-canonical rip", NONCANON, 0,
		  FLAT_KERNEL_CS & ~3, top);

	user_mode_init();
	set_ctx(NONCANON, FLAT_USER_CS, gva(&user_stack[512]), FLAT_USER_SS, 0);
	expect_gp("iret to user mode at a non-canonical rip", NONCANON, 0, FLAT_USER_CS,
		  gva(&user_stack[512]));

	set_ctx(gva(landed), BAD_SEL, top, FLAT_KERNEL_SS, 0);
	expect_gp("iret with a code selector that names nothing", gva(landed), BAD_SEL, BAD_SEL,
		  top);
	set_ctx(gva(landed), FLAT_KERNEL_CS & ~3, top, BAD_SEL | 3, 0);
	expect_gp("iret with a stack selector that names nothing", gva(landed), BAD_SEL,
		  FLAT_KERNEL_CS & ~3, top);
	test_finish();
}
