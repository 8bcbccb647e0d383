/*
 * syscall from 32-bit (compat mode) code. On AMD CPUs and under QEMU it
 * enters the hypervisor through MSR_CSTAR: left at 0, that would run ring 0
 * at address 0 and bring the machine down. Without a syscall32 callback
 * Palisade answers, as Xen, with the #UD an Intel CPU raises there (with
 * one: exec_callbacks).
 *
 * 32-bit code must sit below 4 GiB, where the bootstrap tables map
 * nothing, so the guest first maps one code page at 0x400000 with its own
 * frames (low_pages_map), far-returns to the FLAT_RING3_CS32 selector
 * there (with a stack page above it), and runs "syscall; ud2". No
 * syscall32 callback is registered: as on Xen, #UD at the syscall.
 */
#include <public/errno.h>

#include "guest.h"

#define CODE_VA LOW_CODE_VA

/*
 * enter_compat() iretqs to the 32-bit code with a stack page below 4 GiB
 * (a bounce lands there); the #UD entry (64-bit again, the bounce switched
 * to FLAT_KERNEL_CS) records the frame and returns from enter_compat with
 * the saved callee-saved registers. Then the same again through the
 * runtime's trap_catch, which must come back in 64-bit mode although the
 * fault's frame holds the 32-bit code selector.
 */
uint64_t compat_ksp;
volatile uint64_t ud_rip, ud_cs;
long enter_compat(void);
extern const char compat_ud[];
asm(".pushsection .text\n"
    ".globl enter_compat\n"
    "enter_compat:\n"
    "	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
    "	mov %rsp, compat_ksp(%rip)\n"
    "	pushq $0xe02b\n"
    "	pushq $0x402000\n"
    "	pushfq\n"
    "	pushq $0xe023\n"
    "	pushq $0x400000\n"
    "	iretq\n"
    ".globl compat_ud\n"
    "compat_ud:\n"
    "	mov 16(%rsp), %rax\n	mov %rax, ud_rip(%rip)\n"
    "	mov 24(%rsp), %rax\n	mov %rax, ud_cs(%rip)\n"
    "	mov compat_ksp(%rip), %rsp\n"
    "	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbp\n	pop %rbx\n"
    "	mov $1, %eax\n"
    "	ret\n"
    ".popsection");

static void run_compat(void *arg)
{
	(void)arg;
	asm volatile("pushq $0xe02b\n\tpushq $0x402000\n\tpushfq\n\t"
		     "pushq $0xe023\n\tpushq $0x400000\n\tiretq" ::
			 : "memory");
}

void guest_main(struct start_info *si)
{
	static const uint8_t code[] = {0x0f, 0x05, 0x0f, 0x0b}; /* syscall; ud2 */
	const struct trap_info ud_entry[] = {
	    {.vector = 6, .cs = FLAT_KERNEL_CS, .address = (uint64_t)(uintptr_t)compat_ud},
	    {0},
	};
	long rc;

	gprintf("exec_compat: syscall from 32-bit code\n");
	low_pages_map(code, sizeof(code));
	rc = hypercall_set_trap_table(ud_entry);
	if (rc) {
		test_report(TEST_ERROR, "set_trap_table failed: %ld", rc);
	}
	rc = enter_compat();
	traps_init();
	if (test_check(rc == 1, "syscall in compat mode raises #UD")) {
		test_check(ud_rip == CODE_VA, "#UD at the syscall (rip 0x%llx)",
			   (unsigned long long)ud_rip);
		test_check((ud_cs & 0xfffc) == (FLAT_RING3_CS32 & 0xfffc),
			   "the frame shows the compat code selector (0x%llx)",
			   (unsigned long long)ud_cs);
	}
	{
		struct trap_record rec;

		if (test_check(trap_catch(6, run_compat, NULL, &rec),
			       "trap_catch catches #UD raised in 32-bit code")) {
			test_check(rec.rip == CODE_VA &&
				       (rec.cs & 0xfffc) == (FLAT_RING3_CS32 & 0xfffc),
				   "trap_catch's record: rip 0x%llx cs 0x%llx",
				   (unsigned long long)rec.rip, (unsigned long long)rec.cs);
		}
	}
	test_finish();
}
