/*
 * CALLBACKTYPE_syscall32 and CALLBACKTYPE_sysenter for a 64-bit PV guest,
 * as Xen has them (pv/callback.c and the entry paths of x86_64/entry.S):
 *
 *  - both are accepted, any type with a non-canonical address is -EINVAL,
 *    and neither can be unregistered (-EINVAL);
 *  - syscall from 32-bit code (CSTAR), in user or kernel mode, bounces to
 *    the syscall32 callback with Xen's frame: rcx, r11, rip (= rcx), cs
 *    FLAT_USER_CS32 (RPL 0 if the kernel made it), rflags (= r11), rsp,
 *    ss FLAT_USER_SS32. The handler runs with DF clear, and events are
 *    masked by the flag of the 64-bit syscall callback, not syscall32's
 *    own (Xen's switch_to_kernel for 64-bit guests). Without a syscall32
 *    callback: #UD at the syscall instruction;
 *  - sysenter, from 64-bit or 32-bit user code, bounces to the sysenter
 *    callback with the frame Xen builds: rip 0, cs 3, rsp 0, ss
 *    FLAT_USER_SS, rflags with IF, rcx and r11 the user's own; events
 *    masked by the sysenter callback's flag. Without one: #GP(0) with
 *    that frame.
 *
 * sysenter in long mode is Intel's: the test runs on a QEMU CPU with
 * Intel's vendor string (guest-tests.list).
 *
 * Each callback records what it got, then executes ud2: the #UD ends the
 * trap_catch() that entered user mode.
 */
#include <public/errno.h>

#include "guest.h"

#define MASK 1
#define NOMASK 0
#define RFLAGS_USER 0x202ULL /* IF: events unmasked in user mode */
#define DF (1ULL << 10)
#define IF (1ULL << 9)

/* 32-bit code, mapped at LOW_CODE_VA. */
#define OFF_SYSCALL 0
#define LEN_SYSCALL_TO_RET 8 /* mov $0x3232,%eax; std; syscall */
#define OFF_SYSENTER 16
static const uint8_t code32[] = {
    /* 0: */ 0xb8,  0x32, 0x32, 0x00, 0x00, /* mov $0x3232, %eax */
    0xfd,				    /* std */
    0x0f,	    0x05,		    /* syscall */
    0x0f,	    0x0b,		    /* ud2 */
    0x90,	    0x90, 0x90, 0x90, 0x90, 0x90,
    /* 16: */ 0xb8, 0x5e, 0x5e, 0x00, 0x00, /* mov $0x5e5e, %eax */
    0xb9,	    0x11, 0x11, 0x00, 0x00, /* mov $0x1111, %ecx */
    0x0f,	    0x34,		    /* sysenter */
    0x0f,	    0x0b,		    /* ud2 */
};

/* What a callback saw: its frame, rax, its own rflags, the event mask. */
volatile uint64_t cb_frame[7], cb_rax, cb_flags, cb_mask, cb_which;
static uint64_t user_stack[512] __attribute__((aligned(16)));

void syscall32_cb(void), sysenter_cb(void), user_sysenter64(void);
extern const char cb_ud[];
asm(".pushsection .text\n"
    ".globl syscall32_cb, sysenter_cb, cb_ud, user_sysenter64\n"
    "syscall32_cb:\n"
    "	movq $32, cb_which(%rip)\n"
    "	jmp 1f\n"
    "sysenter_cb:\n"
    "	movq $5, cb_which(%rip)\n"
    "1:	mov %rax, cb_rax(%rip)\n"
    "	pushfq\n"
    "	popq cb_flags(%rip)\n"
    "	mov shared_info(%rip), %rax\n"
    "	movzbl 1(%rax), %eax\n" /* vcpu_info[0].evtchn_upcall_mask */
    "	mov %rax, cb_mask(%rip)\n"
    "	lea cb_frame(%rip), %rdi\n"
    "	mov %rsp, %rsi\n"
    "	mov $7, %ecx\n"
    "	cld\n"
    "	rep movsq\n"
    "cb_ud:\n"
    "	ud2\n"
    "user_sysenter64:\n"
    "	mov $0x5e5e, %eax\n"
    "	mov $0x1111, %ecx\n"
    "	mov $0x2222, %r11d\n"
    "	sysenter\n"
    "	ud2\n"
    ".popsection");

static long reg_cb(uint16_t type, uint64_t address, uint16_t flags)
{
	struct callback_register cb = {.type = type, .flags = flags, .address = address};

	return hypercall_callback_op(CALLBACKOP_register, &cb);
}

static long unreg_cb(uint16_t type)
{
	struct callback_unregister cb = {.type = type};

	return hypercall_callback_op(CALLBACKOP_unregister, &cb);
}

static void setup(uint16_t type, uint64_t address, uint16_t flags)
{
	long rc = reg_cb(type, address, flags);

	if (rc) {
		test_report(TEST_ERROR, "registering callback type %u failed: %ld", type, rc);
	}
}

struct entry {
	uint64_t rip;
	uint16_t cs; /* RPL 3: user mode, else kernel mode */
	uint64_t rsp;
};

static struct iret_context kctx;

static void enter(void *arg)
{
	const struct entry *e = arg;

	if ((e->cs & 3) == 3) {
		user_enter(e->rip, e->cs, e->rsp, RFLAGS_USER);
	}
	/* 32-bit code in guest kernel mode: the iret hypercall with an RPL 0 selector. */
	memset(&kctx, 0, sizeof(kctx));
	kctx.rip = e->rip;
	kctx.cs = e->cs;
	kctx.rflags = RFLAGS_USER;
	kctx.rsp = e->rsp;
	kctx.ss = FLAT_KERNEL_SS32;
	hypercall_iret(&kctx);
}

/* Runs e until a callback's ud2; false (and a failed check) if it went elsewhere. */
static bool run_to_callback(const char *what, struct entry *e, uint64_t which)
{
	struct trap_record rec;

	memset((void *)cb_frame, 0, sizeof(cb_frame));
	cb_which = cb_rax = cb_flags = cb_mask = ~0ULL;
	if (!test_check(trap_catch(TRAP_UD, enter, e, &rec), "%s: a callback ran", what)) {
		return false;
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	return test_check(rec.rip == gva(cb_ud) && cb_which == which,
			  "%s: the %s callback ran (#UD at 0x%llx, callback %lld)", what,
			  which == 32 ? "syscall32" : "sysenter", (unsigned long long)rec.rip,
			  (long long)cb_which);
}

static void test_registration(void)
{
	test_check(reg_cb(CALLBACKTYPE_syscall32, gva(syscall32_cb), MASK) == 0,
		   "syscall32 callback registered");
	test_check(reg_cb(CALLBACKTYPE_sysenter, gva(sysenter_cb), MASK) == 0,
		   "sysenter callback registered");
	test_check(reg_cb(CALLBACKTYPE_syscall32, 0x0000800000000000ULL, 0) == -XEN_EINVAL,
		   "a non-canonical syscall32 callback: -EINVAL");
	test_check(reg_cb(CALLBACKTYPE_sysenter, 0xffff700000000000ULL, 0) == -XEN_EINVAL,
		   "a non-canonical sysenter callback: -EINVAL");
	test_check(reg_cb(CALLBACKTYPE_event, 0x8000000000000000ULL, MASK) == -XEN_EINVAL,
		   "a non-canonical event callback: -EINVAL");
	test_check(reg_cb(99, 0x0000800000000000ULL, 0) == -XEN_EINVAL,
		   "a non-canonical address is refused before the type: -EINVAL");
	test_check(unreg_cb(CALLBACKTYPE_syscall32) == -XEN_EINVAL,
		   "the syscall32 callback cannot be unregistered");
	test_check(unreg_cb(CALLBACKTYPE_sysenter) == -XEN_EINVAL,
		   "the sysenter callback cannot be unregistered");
}

static void check_syscall32_frame(const char *what, uint16_t cs, uint64_t rsp)
{
	uint64_t ret = LOW_CODE_VA + OFF_SYSCALL + LEN_SYSCALL_TO_RET;

	test_check(cb_rax == 0x3232, "%s: rax 0x%llx", what, (unsigned long long)cb_rax);
	test_check(cb_frame[0] == ret && cb_frame[2] == ret,
		   "%s: frame rcx 0x%llx and rip 0x%llx are after the syscall", what,
		   (unsigned long long)cb_frame[0], (unsigned long long)cb_frame[2]);
	test_check((cb_frame[3] & 0xffff) == cs, "%s: frame cs 0x%llx (want 0x%x)", what,
		   (unsigned long long)cb_frame[3], cs);
	test_check((cb_frame[1] & ~IF) == (cb_frame[4] & ~IF) && (cb_frame[1] & DF),
		   "%s: frame r11 0x%llx is the user's rflags 0x%llx, DF set", what,
		   (unsigned long long)cb_frame[1], (unsigned long long)cb_frame[4]);
	test_check(cb_frame[5] == rsp, "%s: frame rsp 0x%llx", what,
		   (unsigned long long)cb_frame[5]);
	test_check((cb_frame[6] & 0xffff) == FLAT_USER_SS32, "%s: frame ss 0x%llx", what,
		   (unsigned long long)cb_frame[6]);
	test_check(!(cb_flags & DF), "%s: the callback runs with DF clear (rflags 0x%llx)", what,
		   (unsigned long long)cb_flags);
}

static void test_syscall32(void)
{
	struct entry user32 = {LOW_CODE_VA + OFF_SYSCALL, FLAT_USER_CS32, LOW_STACK_TOP};
	struct entry kernel32 = {LOW_CODE_VA + OFF_SYSCALL, FLAT_KERNEL_CS32 & ~3, LOW_STACK_TOP};
	struct trap_record rec;

	/* The 64-bit syscall callback's flag decides: masked. */
	setup(CALLBACKTYPE_syscall, gva(syscall32_cb), MASK);
	setup(CALLBACKTYPE_syscall32, gva(syscall32_cb), NOMASK);
	if (run_to_callback("compat syscall from user mode", &user32, 32)) {
		check_syscall32_frame("compat syscall from user mode", FLAT_USER_CS32,
				      LOW_STACK_TOP);
		test_check(cb_mask == 1,
			   "compat syscall: events masked, as the syscall callback asks (%lld)",
			   (long long)cb_mask);
		test_check(cb_frame[4] & IF, "compat syscall: frame IF shows events were on");
	}
	/* ... and unmasked, whatever syscall32's own flag says. */
	setup(CALLBACKTYPE_syscall, gva(syscall32_cb), NOMASK);
	setup(CALLBACKTYPE_syscall32, gva(syscall32_cb), MASK);
	if (run_to_callback("compat syscall, syscall callback without mask", &user32, 32)) {
		test_check(cb_mask == 0, "compat syscall: events stay unmasked (%lld)",
			   (long long)cb_mask);
	}
	if (run_to_callback("compat syscall from kernel mode", &kernel32, 32)) {
		/* Bounced on the stack it ran on: the frame sits right below the top. */
		check_syscall32_frame("compat syscall from kernel mode", FLAT_KERNEL_CS32 & ~3,
				      LOW_STACK_TOP);
	}
	setup(CALLBACKTYPE_syscall32, 0, 0);
	if (test_check(trap_catch(TRAP_UD, enter, &user32, &rec), "no syscall32 callback: #UD")) {
		test_check(rec.rip == LOW_CODE_VA + OFF_SYSCALL + LEN_SYSCALL_TO_RET - 2 &&
			       (rec.cs & 0xffff) == FLAT_USER_CS32,
			   "no syscall32 callback: #UD at the syscall (rip 0x%llx cs 0x%llx)",
			   (unsigned long long)rec.rip, (unsigned long long)rec.cs);
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
}

static void check_sysenter_frame(const char *what)
{
	test_check(cb_rax == 0x5e5e, "%s: rax 0x%llx", what, (unsigned long long)cb_rax);
	test_check((uint32_t)cb_frame[0] == 0x1111, "%s: frame rcx 0x%llx is the user's", what,
		   (unsigned long long)cb_frame[0]);
	test_check(cb_frame[2] == 0 && (cb_frame[3] & 0xffff) == 3 && cb_frame[5] == 0,
		   "%s: frame rip 0x%llx cs 0x%llx rsp 0x%llx (Xen's 0, 3, 0)", what,
		   (unsigned long long)cb_frame[2], (unsigned long long)cb_frame[3],
		   (unsigned long long)cb_frame[5]);
	test_check((cb_frame[6] & 0xffff) == FLAT_USER_SS, "%s: frame ss 0x%llx", what,
		   (unsigned long long)cb_frame[6]);
	test_check((cb_frame[4] & IF) && (cb_frame[4] & 0x2),
		   "%s: frame rflags 0x%llx with IF (events were on)", what,
		   (unsigned long long)cb_frame[4]);
}

static void test_sysenter(void)
{
	struct entry user64 = {gva(user_sysenter64), FLAT_USER_CS, gva(&user_stack[512])};
	struct entry user32 = {LOW_CODE_VA + OFF_SYSENTER, FLAT_USER_CS32, LOW_STACK_TOP};
	struct trap_record rec;

	setup(CALLBACKTYPE_sysenter, gva(sysenter_cb), MASK);
	if (run_to_callback("sysenter from 64-bit user code", &user64, 5)) {
		check_sysenter_frame("sysenter from 64-bit user code");
		test_check(cb_frame[1] == 0x2222, "sysenter: frame r11 0x%llx is the user's",
			   (unsigned long long)cb_frame[1]);
		test_check(cb_mask == 1, "sysenter: events masked, as its callback asks (%lld)",
			   (long long)cb_mask);
	}
	setup(CALLBACKTYPE_sysenter, gva(sysenter_cb), NOMASK);
	if (run_to_callback("sysenter from 32-bit user code", &user32, 5)) {
		check_sysenter_frame("sysenter from 32-bit user code");
		test_check(cb_mask == 0, "sysenter: events stay unmasked without the flag (%lld)",
			   (long long)cb_mask);
	}
	setup(CALLBACKTYPE_sysenter, 0, 0);
	if (test_check(trap_catch(TRAP_GP, enter, &user64, &rec), "no sysenter callback: #GP")) {
		test_check(
		    rec.error_code == 0 && rec.rip == 0 && (rec.cs & 0xffff) == 3,
		    "no sysenter callback: #GP(0x%llx) with rip 0x%llx cs 0x%llx (Xen's 0, 3)",
		    (unsigned long long)rec.error_code, (unsigned long long)rec.rip,
		    (unsigned long long)rec.cs);
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
}

void guest_main(struct start_info *si)
{
	gprintf("exec_callbacks: syscall32 and sysenter callbacks\n");
	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	user_mode_init();
	low_pages_map(code32, sizeof(code32));
	test_registration();
	test_syscall32();
	test_sysenter();
	test_finish();
}
