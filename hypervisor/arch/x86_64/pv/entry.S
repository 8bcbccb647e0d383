/*
 * PV guest entry and exit.
 *
 * Guests run in ring 3. They enter the hypervisor three ways, all landing
 * on the running vcpu's own hypervisor stack with a struct cpu_regs at its
 * very top (asm/traps.h, guest_regs()):
 *  - syscall (LSTAR = pv_syscall_entry): hypercalls from guest kernel
 *    mode, bounced system calls from guest user mode. The CPU does not
 *    switch stacks on syscall, so the stub does: the guest rsp is parked
 *    in its CPU's pv_scratch_rsp slot (interrupts off: FMASK clears IF;
 *    one stub per CPU, see below) and the frame is built by hand in the
 *    same layout an exception would have;
 *  - sysenter (SYSENTER_ESP = the same stack top): bounced to the guest
 *    kernel's sysenter callback;
 *  - exceptions and interrupts (IDT, entry.S): the CPU switches to
 *    TSS.RSP0, which is the same stack top (IST ones are moved there);
 *  - nothing else (no int 0x80 gate of DPL 3).
 * All exits go through pv_exit_to_guest (pop the frame, iretq). iretq is
 * used even after syscall: sysretq with a non-canonical rcx would fault in
 * ring 0 on the guest's stack (the old sysret advisory), and iretq also
 * restores every flag and segment exactly.
 */
#include <asm/frame_asm.h>
#include <asm/layout.h>

#define PV_SYSCALL_VECTOR 0x100
#define PV_SYSCALL32_VECTOR 0x101
#define PV_SYSENTER_VECTOR 0x102
#define EFLAGS_IF 0x200
#define EFLAGS_NT 0x4000

/*
 * r15 is current in the hypervisor (asm/current.h); from the guest it is
 * the guest's (saved in the frame). On a vcpu stack the slot's top 16
 * bytes name the owner: struct vcpu_stack_info.
 */
.macro LOAD_CURRENT_FROM_STACK
	movq	%rsp, %r15
	orq	$(VCPU_STACK_SLOT_SIZE - 1), %r15
	movq	-15(%r15), %r15
.endm

	.text
/*
 * sysenter from ring 3: rsp is the vcpu stack top, rip and rsp of the
 * guest are lost (Xen's frame says rip 0, cs 3, rsp 0), rcx and r11 are
 * the guest's own. The CPU cleared IF (the guest ran with it) but kept
 * TF: until pushfq has saved the flags a single-step #DB lands here in
 * ring 0, then pv_debug_hypervisor_trap drops TF. It kept NT as well,
 * which the exit's iretq would take for a task return: cleared.
 */
	.globl pv_sysenter_entry, pv_sysenter_flags_saved
pv_sysenter_entry:
	pushq	$FLAT_RING3_SS32		/* 0xe02b, the 64-bit SS too */
	pushq	$0
	pushfq
pv_sysenter_flags_saved:
	orq	$EFLAGS_IF, (%rsp)
	pushq	$3
	pushq	$0
	pushq	$0
	pushq	$PV_SYSENTER_VECTOR
	ENTRY_CLAC_SAVE_REGS
	LOAD_CURRENT_FROM_STACK
	pushfq
	andq	$~EFLAGS_NT, (%rsp)
	popfq
	xorl	%ebp, %ebp
	movq	%rsp, %rdi
	call	pv_sysenter
	jmp	pv_exit_to_guest

/*
 * syscall, one stub per CPU (LSTAR of CPU n = pv_syscall_entry + n *
 * PV_STUB_SIZE, pv_cpu_init): the CPU switches no stack and leaves no
 * register free, so each stub parks the guest rsp in its own CPU's slot
 * and loads its own CPU's stack top and, once the guest's registers are
 * saved, its running vcpu (pv_current[n]) into r15, all RIP-relative. Interrupts are
 * off (FMASK clears IF) until the frame is built, and only CPU n ever
 * runs stub n, so the slots need no lock.
 */
.macro SYSCALL_STUB cpu, cs, vector, next
	.balign PV_STUB_SIZE
	movq	%rsp, pv_scratch_rsp + 8 * \cpu(%rip)
	movq	pv_stack_top + 8 * \cpu(%rip), %rsp
	pushq	$FLAT_RING3_SS32
	pushq	pv_scratch_rsp + 8 * \cpu(%rip)
	pushq	%r11			/* guest rflags */
	pushq	$\cs
	pushq	%rcx			/* guest rip */
	pushq	$0			/* error code */
	pushq	$\vector
	ENTRY_CLAC_SAVE_REGS
	movq	pv_current + 8 * \cpu(%rip), %r15	/* current (asm/current.h) */
	jmp	\next
.endm

/*
 * syscall from 32-bit (compat) code, CSTAR (AMD CPUs and QEMU; Intel
 * raises #UD itself). Same frame as below with the compat code selector,
 * as Xen's: the C side bounces it to the syscall32 callback, or makes it
 * the #UD an Intel CPU raises when there is none.
 */
	.balign PV_STUB_SIZE
	.globl pv_syscall32_entry
pv_syscall32_entry:
	.set cpu, 0
	.rept PV_STUB_CPUS
	SYSCALL_STUB cpu, FLAT_RING3_CS32, PV_SYSCALL32_VECTOR, pv_syscall_common
	.set cpu, cpu + 1
	.endr

	.balign PV_STUB_SIZE
	.globl pv_syscall_entry
pv_syscall_entry:
	.set cpu, 0
	.rept PV_STUB_CPUS
	SYSCALL_STUB cpu, FLAT_RING3_CS64, PV_SYSCALL_VECTOR, pv_syscall_common
	.set cpu, cpu + 1
	.endr

pv_syscall_common:
	xorl	%ebp, %ebp		/* ends backtraces at the guest boundary */
	movq	%rsp, %rdi
	call	pv_syscall
	/* fall through */

	.globl pv_exit_to_guest
pv_exit_to_guest:
	cli
	movq	%rsp, %rdi
	call	pv_exit_prepare
	RESTORE_REGS_DROP_VECTOR
	.globl pv_iret_insn
pv_iret_insn:
	iretq

/*
 * void pv_enter_frame(struct cpu_regs *frame): first entry of a vcpu;
 * frame is at the top of its stack, already filled.
 */
	.globl pv_enter_frame
pv_enter_frame:
	movq	%rdi, %rsp
	jmp	pv_exit_to_guest

	.bss
	.balign 64
	.globl pv_scratch_rsp, pv_stack_top, pv_current
pv_scratch_rsp:
	.skip 8 * PV_STUB_CPUS
pv_stack_top:
	.skip 8 * PV_STUB_CPUS
pv_current:
	.skip 8 * PV_STUB_CPUS

	.section .note.GNU-stack, "", @progbits
