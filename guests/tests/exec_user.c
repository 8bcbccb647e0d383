/*
 * Guest user mode round trip.
 *
 * The kernel enters user mode with the iret hypercall (CS RPL 3, using its
 * own L4 as the user page table: every PV mapping is user-accessible); the
 * syscall callback is registered with set_callbacks.
 * User code reads %gs:0 through the user GS base, then "syscall"s: the
 * hypervisor bounces that to the kernel's syscall callback on the
 * stack_switch stack, in kernel mode, with the user's registers and a
 * frame of rcx, r11, rip, cs (RPL 3), rflags, rsp, ss. The callback goes
 * back to user mode with iret and VGCF_in_syscall (rax = 0x99), the user
 * code syscalls again, and the kernel resumes. Then exceptions raised in
 * user mode: #UD, #PF (error code with the user bit), #GP(0) for a
 * privileged instruction that is emulated only for the kernel, and the
 * forced-emulation CPUID, which works in user mode too.
 */
#include <public/errno.h>

#include "guest.h"

#define IRET_STUB_STR "hypercall_page + 23 * 32"

uint64_t saved_ksp;
volatile uint64_t sys_count, sys_rax1, sys_rbx1, sys_rax2, user_ret;
volatile uint64_t sys_frame[7];
volatile uint64_t f_vec, f_err, f_rip, f_cs, f_rsp;
static uint64_t kstack[2048] __attribute__((aligned(16)));
static uint64_t ustack[1024] __attribute__((aligned(16)));
static uint64_t ugs_word = 0x0123456789abcdefULL, kgs_word = 0xfedcba9876543210ULL;

/* long enter_user(uint64_t rip, uint64_t rsp): 1 after a syscall, 2 after a fault. */
long enter_user(uint64_t rip, uint64_t rsp);
extern const char user_sys[], user_sys_after1[], user_ud[], user_pf[], user_cr3[], user_cpuid[];

asm(".pushsection .text\n"
    ".globl enter_user\n"
    "enter_user:\n"
    "	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
    "	mov %rsp, saved_ksp(%rip)\n"
    "	pushq $0xe02b\n" /* ss */
    "	pushq %rsi\n"	 /* rsp */
    "	pushq $0x202\n"	 /* rflags: IF (events on in user mode) */
    "	pushq $0xe033\n" /* cs: FLAT_USER_CS64, RPL 3 */
    "	pushq %rdi\n"	 /* rip */
    "	pushq $0\n"	 /* flags */
    "	jmp " IRET_STUB_STR "\n"
    "back_to_kernel:\n"
    "	mov saved_ksp(%rip), %rsp\n"
    "	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbp\n	pop %rbx\n"
    "	ret\n"

    /* user code */
    ".globl user_sys, user_sys_after1\n"
    "user_sys:\n"
    "	mov $0x5151, %eax\n"
    "	mov %gs:0, %rbx\n"
    "	syscall\n"
    "user_sys_after1:\n"
    "	mov %rax, user_ret(%rip)\n"
    "	mov $0x5252, %eax\n"
    "	syscall\n"
    "	ud2\n"
    ".globl user_ud\nuser_ud: ud2\n"
    ".globl user_pf\nuser_pf: mov 0x7000, %rax\n"
    ".globl user_cr3\nuser_cr3: mov %cr3, %rax\n"
    ".globl user_cpuid\n"
    "user_cpuid:\n"
    "	mov $0x40000000, %eax\n"
    "	xor %ecx, %ecx\n"
    "	.byte 0x0f, 0x0b, 0x78, 0x65, 0x6e\n"
    "	cpuid\n"
    "	mov %ebx, %eax\n"
    "	syscall\n"

    /* the kernel's syscall callback */
    ".globl syscall_cb\n"
    "syscall_cb:\n"
    "	incq sys_count(%rip)\n"
    "	cmpq $1, sys_count(%rip)\n"
    "	jne 2f\n"
    "	mov %rax, sys_rax1(%rip)\n"
    "	mov %rbx, sys_rbx1(%rip)\n"
    "	lea sys_frame(%rip), %rdi\n"
    "	mov 0(%rsp), %rax\n	mov %rax, 0(%rdi)\n"
    "	mov 8(%rsp), %rax\n	mov %rax, 8(%rdi)\n"
    "	mov 16(%rsp), %rax\n	mov %rax, 16(%rdi)\n"
    "	mov 24(%rsp), %rax\n	mov %rax, 24(%rdi)\n"
    "	mov 32(%rsp), %rax\n	mov %rax, 32(%rdi)\n"
    "	mov 40(%rsp), %rax\n	mov %rax, 40(%rdi)\n"
    "	mov 48(%rsp), %rax\n	mov %rax, 48(%rdi)\n"
    "	pop %rcx\n	pop %r11\n"
    "	pushq $0x100\n" /* VGCF_in_syscall */
    "	mov $0x99, %eax\n"
    "	jmp " IRET_STUB_STR "\n"
    "2:	mov %rax, sys_rax2(%rip)\n"
    "	mov $1, %eax\n"
    "	jmp back_to_kernel\n"

    /* exception entries while user mode runs */
    ".globl fault_6, fault_13, fault_14\n"
    "fault_6:\n	pop %rcx\n	pop %r11\n	pushq $0\n	movq $6, f_vec(%rip)\n	jmp 3f\n"
    "fault_13:\n	pop %rcx\n	pop %r11\n	movq $13, f_vec(%rip)\n	jmp 3f\n"
    "fault_14:\n	pop %rcx\n	pop %r11\n	movq $14, f_vec(%rip)\n"
    "3:	mov 0(%rsp), %rax\n	mov %rax, f_err(%rip)\n"
    "	mov 8(%rsp), %rax\n	mov %rax, f_rip(%rip)\n"
    "	mov 16(%rsp), %rax\n	mov %rax, f_cs(%rip)\n"
    "	mov 32(%rsp), %rax\n	mov %rax, f_rsp(%rip)\n"
    "	mov $2, %eax\n"
    "	jmp back_to_kernel\n"
    ".popsection");

extern const char syscall_cb[], fault_6[], fault_13[], fault_14[];
/* The runtime's own callbacks (traps_entry.S), kept by set_callbacks below. */
extern const char event_callback_entry[], failsafe_callback_entry[];

static uint64_t a(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static uint64_t kernel_gs_word(void)
{
	uint64_t v;

	asm volatile("mov %%gs:0, %0" : "=r"(v));
	return v;
}

static void user_fault(const char *site, unsigned int vec, const char *what)
{
	long rc;

	f_vec = f_err = f_rip = f_cs = ~0ULL;
	rc = enter_user(a(site), a(&ustack[1000]));
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	if (!test_check(rc == 2 && f_vec == vec, "%s: vector %llu (want %u, rc %ld)", what,
			(unsigned long long)f_vec, vec, rc)) {
		return;
	}
	test_check(f_rip == a(site), "%s: rip 0x%llx is the instruction", what,
		   (unsigned long long)f_rip);
	test_check((f_cs & 0xffff) == 0xe033, "%s: frame cs 0x%llx has RPL 3", what,
		   (unsigned long long)f_cs);
	test_check(f_rsp == a(&ustack[1000]), "%s: frame rsp is the user stack", what);
	test_check(kernel_gs_word() == kgs_word, "%s: kernel gs base back", what);
}

void guest_main(struct start_info *si)
{
	const struct trap_info faults[] = {
	    {.vector = 6, .cs = FLAT_KERNEL_CS, .address = a(fault_6)},
	    {.vector = 13, .cs = FLAT_KERNEL_CS, .address = a(fault_13)},
	    {.vector = 14, .cs = FLAT_KERNEL_CS, .address = a(fault_14)},
	    {0},
	};
	struct mmuext_op op = {.cmd = MMUEXT_NEW_USER_BASEPTR};
	uint64_t l4_pfn = (si->pt_base - 0xffffffff80000000ULL) >> 12;
	long rc;

	gprintf("exec_user: user mode through iret and syscall\n");
	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	op.arg1.mfn = ((const uint64_t *)si->mfn_list)[l4_pfn];
	rc = hypercall_mmuext_op(&op, 1, NULL, DOMID_SELF);
	if (rc) {
		test_report(TEST_ERROR, "new_user_baseptr failed: %ld", rc);
	}
	rc = hypercall_stack_switch(FLAT_KERNEL_SS, a(&kstack[2048]));
	/* The old set_callbacks call (4) sets all three; the syscall one is ours. */
	rc |= hypercall_set_callbacks(a(event_callback_entry), a(failsafe_callback_entry),
				      a(syscall_cb));
	rc |= hypercall_set_segment_base(SEGBASE_GS_USER, a(&ugs_word));
	rc |= hypercall_set_segment_base(SEGBASE_GS_KERNEL, a(&kgs_word));
	if (rc) {
		test_report(TEST_ERROR, "setup hypercalls failed");
	}
	test_check(kernel_gs_word() == kgs_word, "kernel gs base in kernel mode");

	rc = enter_user(a(user_sys), a(&ustack[1000]));
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	test_check(rc == 1 && sys_count == 2,
		   "two syscalls reached the callback (rc %ld, count %llu)", rc,
		   (unsigned long long)sys_count);
	test_check(sys_rax1 == 0x5151 && sys_rax2 == 0x5252, "user rax 0x%llx, 0x%llx",
		   (unsigned long long)sys_rax1, (unsigned long long)sys_rax2);
	test_check(sys_rbx1 == ugs_word, "user mode read %%gs:0 = 0x%llx through the user gs base",
		   (unsigned long long)sys_rbx1);
	test_check(sys_frame[2] == a(user_sys_after1), "syscall frame rip 0x%llx is after syscall",
		   (unsigned long long)sys_frame[2]);
	test_check(sys_frame[0] == sys_frame[2], "syscall frame rcx = rip (0x%llx)",
		   (unsigned long long)sys_frame[0]);
	test_check((sys_frame[3] & 0xffff) == 0xe033, "syscall frame cs 0x%llx has RPL 3",
		   (unsigned long long)sys_frame[3]);
	test_check(sys_frame[5] == a(&ustack[1000]), "syscall frame rsp is the user stack");
	test_check((sys_frame[6] & 0xffff) == 0xe02b, "syscall frame ss 0x%llx",
		   (unsigned long long)sys_frame[6]);
	test_check(user_ret == 0x99, "iret with VGCF_in_syscall returned rax 0x%llx to user mode",
		   (unsigned long long)user_ret);
	test_check(kernel_gs_word() == kgs_word, "kernel gs base back after the syscall");

	rc = hypercall_set_trap_table(faults);
	test_check(rc == 0, "fault entries installed");
	user_fault(user_ud, 6, "ud2 in user mode");
	user_fault(user_pf, 14, "read of 0x7000 in user mode");
	test_check(f_err == 4, "user #PF error code 0x%llx is U, read, not present",
		   (unsigned long long)f_err);
	user_fault(user_cr3, 13, "mov from CR3 in user mode");
	test_check(f_err == 0, "user CR3 read: #GP(0)");
	rc = traps_init();
	test_check(rc == 0, "runtime trap table back (%ld)", rc);

	sys_count = 1; /* the callback's second-call path returns at once */
	rc = enter_user(a(user_cpuid), a(&ustack[1000]));
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	test_check(rc == 1 && (uint32_t)sys_rax2 == 0x566e6558,
		   "forced-emulation CPUID in user mode: ebx 0x%llx (\"XenV\")",
		   (unsigned long long)sys_rax2);
	test_finish();
}
