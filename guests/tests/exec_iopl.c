/*
 * The virtual IOPL of a PV vcpu, as Xen emulates it (pv/emul-priv-op.c
 * iopl_ok, physdev.c PHYSDEVOP_set_iopl, pv/iret.c and the bounce frame of
 * x86_64/entry.S for VMASST_TYPE_architectural_iopl):
 *
 *  - in, out, cli and sti raise #GP in ring 3 (the real IOPL is 0); the
 *    hypervisor carries them out only if the virtual IOPL reaches the
 *    ring the guest's mode counts as: user mode ring 3, kernel mode
 *    ring 1 (ring 0 with architectural_iopl). Otherwise the guest gets
 *    the #GP(0);
 *  - cli and sti that pass are skipped: the event mask is left alone;
 *  - a port is then really accessed only if the domain may use it and
 *    XSM agrees (resource use); else it reads as all ones. The RTC's
 *    status register D (0x80 under QEMU) tells the two apart: command
 *    line "denied" runs under a label without ioport rights and expects
 *    0xff;
 *  - with architectural_iopl the iret hypercall sets the virtual IOPL
 *    from its rflags and bounce frames show it; without, neither.
 */
#include <public/errno.h>
#include <public/physdev.h>

#include "guest.h"

#define IOPL3 0x3000ULL
#define RFLAGS_ON 0x202ULL  /* IF: events unmasked */
#define RFLAGS_OFF 0x002ULL /* events masked */

static uint64_t user_stack[256] __attribute__((aligned(16)));
static uint8_t rtc_d;

/* Snippets run in guest user mode, each ending in ud2. */
void user_io(void), user_sti(void), user_in(void), user_out(void), user_cli(void);
extern const char user_io_end[], user_sti_end[];
asm(".pushsection .text\n"
    ".globl user_io, user_io_end, user_sti, user_sti_end, user_in, user_out, user_cli\n"
    "user_io:\n"
    "	mov $0x0d, %al\n"
    "	out %al, $0x70\n"
    "	in $0x71, %al\n"
    "	cli\n"
    "	mov shared_info(%rip), %rcx\n"
    "	movzbl 1(%rcx), %ecx\n" /* vcpu_info[0].evtchn_upcall_mask */
    "user_io_end:\n"
    "	ud2\n"
    "user_sti:\n"
    "	sti\n"
    "	mov shared_info(%rip), %rcx\n"
    "	movzbl 1(%rcx), %ecx\n"
    "user_sti_end:\n"
    "	ud2\n"
    "user_in:\n"
    "	in $0x71, %al\n"
    "	ud2\n"
    "user_out:\n"
    "	out %al, $0x80\n"
    "	ud2\n"
    "user_cli:\n"
    "	cli\n"
    "	ud2\n"
    ".popsection");

static long set_iopl(uint32_t iopl)
{
	struct physdev_set_iopl si = {.iopl = iopl};

	return HYPERCALL2(__HYPERVISOR_physdev_op, PHYSDEVOP_set_iopl, &si);
}

struct user_run {
	void (*code)(void);
	uint64_t rflags;
};

static void enter(void *arg)
{
	const struct user_run *u = arg;

	user_enter(gva(u->code), FLAT_USER_CS, gva(&user_stack[256]), u->rflags);
}

/* Runs code in user mode to its ud2; rec has the #UD frame. */
static bool user_runs(const char *what, void (*code)(void), uint64_t rflags, const char *end,
		      struct trap_record *rec)
{
	struct user_run u = {code, rflags};
	bool ok = test_check(trap_catch(TRAP_UD, enter, &u, rec), "%s: runs to its end", what);

	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	return ok && test_check(rec->rip == gva(end), "%s: ends at its ud2 (0x%llx)", what,
				(unsigned long long)rec->rip);
}

static void user_gp(const char *what, void (*code)(void), uint64_t rflags)
{
	struct user_run u = {code, rflags};
	struct trap_record rec;

	if (test_check(trap_catch(TRAP_GP, enter, &u, &rec), "%s: #GP", what)) {
		test_check(rec.rip == gva(code) && rec.error_code == 0 && (rec.cs & 3) == 3,
			   "%s: #GP(0) at the instruction in user mode (rip 0x%llx)", what,
			   (unsigned long long)rec.rip);
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
}

static void k_in(void *arg)
{
	uint8_t v;

	asm volatile("inb $0x71, %0" : "=a"(v));
}

static void k_cli(void *arg)
{
	asm volatile("cli");
}

static void test_user_iopl(void)
{
	struct trap_record rec;
	unsigned int iopl;

	test_check(set_iopl(3) == 0, "set_iopl(3)");
	if (user_runs("out, in, cli in user mode with IOPL 3", user_io, RFLAGS_ON, user_io_end,
		      &rec)) {
		test_check((rec.rax & 0xff) == rtc_d, "in from the RTC: 0x%llx (want 0x%x)",
			   (unsigned long long)(rec.rax & 0xff), rtc_d);
		test_check(rec.rcx == 0, "cli was skipped: events still unmasked (mask %llu)",
			   (unsigned long long)rec.rcx);
	}
	if (user_runs("sti in user mode with IOPL 3", user_sti, RFLAGS_OFF, user_sti_end, &rec)) {
		test_check(rec.rcx == 1, "sti was skipped: events still masked (mask %llu)",
			   (unsigned long long)rec.rcx);
	}
	for (iopl = 0; iopl < 3; iopl++) {
		char what[48];

		set_iopl(iopl);
		snprintf(what, sizeof(what), "user in with IOPL %u", iopl);
		user_gp(what, user_in, RFLAGS_OFF);
	}
	user_gp("user out with IOPL 2", user_out, RFLAGS_OFF);
	user_gp("user cli with IOPL 2", user_cli, RFLAGS_OFF);
	set_iopl(1);
	user_gp("user cli with IOPL 1", user_cli, RFLAGS_OFF);
}

static void test_architectural_iopl(void)
{
	struct trap_record rec;

	set_iopl(0);
	test_check(trap_catch(TRAP_GP, k_in, NULL, &rec), "kernel in with IOPL 0: #GP");
	test_check(hypercall_vm_assist(VMASST_CMD_enable, VMASST_TYPE_architectural_iopl) == 0,
		   "vm_assist enables architectural_iopl");
	/* The kernel is ring 0 now: IOPL 0 suffices. */
	test_check(!trap_catch(TRAP_GP, k_in, NULL, &rec), "kernel in with IOPL 0 (ring 0) runs");
	test_check(!trap_catch(TRAP_GP, k_cli, NULL, &rec), "kernel cli with IOPL 0 (ring 0) runs");
	user_gp("user in with IOPL 0 (architectural)", user_in, RFLAGS_OFF);
	/* The iret hypercall's rflags set the virtual IOPL; frames show it. */
	if (user_runs("user I/O after an iret with IOPL 3", user_io, RFLAGS_OFF | IOPL3,
		      user_io_end, &rec)) {
		test_check((rec.rax & 0xff) == rtc_d, "in from the RTC: 0x%llx",
			   (unsigned long long)(rec.rax & 0xff));
		test_check((rec.rflags & IOPL3) == IOPL3, "the #UD frame shows IOPL 3 (0x%llx)",
			   (unsigned long long)rec.rflags);
	}
	test_check(hypercall_vm_assist(VMASST_CMD_disable, VMASST_TYPE_architectural_iopl) == 0,
		   "vm_assist disables architectural_iopl");
	set_iopl(0);
	user_gp("user in, IOPL 3 only in the iret's rflags, assist off", user_in,
		RFLAGS_OFF | IOPL3);
	user_gp("user sti, IOPL 3 only in the iret's rflags, assist off", user_sti,
		RFLAGS_OFF | IOPL3);
}

static void p_user_sti_iopl3_flags(void *arg)
{
	user_enter(gva(user_sti), FLAT_USER_CS, gva(&user_stack[256]), RFLAGS_OFF | IOPL3);
}

static void test_frames_without_assist(void)
{
	struct trap_record rec;

	set_iopl(3);
	if (test_check(trap_catch(TRAP_UD, p_user_sti_iopl3_flags, NULL, &rec),
		       "user sti with IOPL 3 (set_iopl) runs")) {
		test_check((rec.rflags & IOPL3) == 0,
			   "without the assist frames show IOPL 0 (rflags 0x%llx)",
			   (unsigned long long)rec.rflags);
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	set_iopl(0);
}

void guest_main(struct start_info *si)
{
	rtc_d = strcmp((const char *)si->cmd_line, "denied") == 0 ? 0xff : 0x80;
	gprintf("exec_iopl: virtual IOPL in user and kernel mode (RTC reads 0x%x)\n", rtc_d);
	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	user_mode_init();
	test_user_iopl();
	test_architectural_iopl();
	test_frames_without_assist();
	test_finish();
}
