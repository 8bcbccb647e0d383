/*
 * PV guest entry and exit.
 *
 * Guests run in ring 3. They enter the hypervisor three ways, all landing
 * on the running vcpu's own hypervisor stack with a struct cpu_regs at its
 * very top (asm/traps.h, guest_regs()):
 *  - syscall (LSTAR = pv_syscall_entry): hypercalls from guest kernel
 *    mode, bounced system calls from guest user mode. The CPU does not
 *    switch stacks on syscall, so the stub does: the guest rsp is parked
 *    in pv_scratch_rsp (one CPU, interrupts off: FMASK clears IF) and the
 *    frame is built by hand in the same layout an exception would have;
 *  - exceptions and interrupts (IDT, entry.S): the CPU switches to
 *    TSS.RSP0, which is the same stack top;
 *  - nothing else (no sysenter, no int 0x80 gate of DPL 3).
 * All exits go through pv_exit_to_guest (pop the frame, iretq). iretq is
 * used even after syscall: sysretq with a non-canonical rcx would fault in
 * ring 0 on the guest's stack (the old sysret advisory), and iretq also
 * restores every flag and segment exactly.
 */
#include <asm/frame_asm.h>
#include <asm/layout.h>

#define PV_SYSCALL_VECTOR 0x100
#define PV_SYSCALL32_VECTOR 0x101

	.text
/*
 * syscall from 32-bit (compat) code, CSTAR. Intel CPUs raise #UD there;
 * AMD and QEMU jump here. No 32-bit PV ABI is offered, so the C side
 * turns it into the #UD an Intel CPU would have raised. Same frame as
 * below with the compat code selector.
 */
	.globl pv_syscall32_entry
pv_syscall32_entry:
	movq	%rsp, pv_scratch_rsp(%rip)
	movq	pv_stack_top(%rip), %rsp
	pushq	$FLAT_RING3_SS32
	pushq	pv_scratch_rsp(%rip)
	pushq	%r11
	pushq	$FLAT_RING3_CS32
	pushq	%rcx
	pushq	$0
	pushq	$PV_SYSCALL32_VECTOR
	jmp	pv_syscall_common

	.globl pv_syscall_entry
pv_syscall_entry:
	movq	%rsp, pv_scratch_rsp(%rip)
	movq	pv_stack_top(%rip), %rsp
	pushq	$FLAT_RING3_SS32
	pushq	pv_scratch_rsp(%rip)
	pushq	%r11			/* guest rflags */
	pushq	$FLAT_RING3_CS64
	pushq	%rcx			/* guest rip */
	pushq	$0			/* error code */
	pushq	$PV_SYSCALL_VECTOR
pv_syscall_common:
	ENTRY_CLAC_SAVE_REGS
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
	.balign 8
	.globl pv_scratch_rsp, pv_stack_top
pv_scratch_rsp:
	.quad 0
pv_stack_top:
	.quad 0

	.section .note.GNU-stack, "", @progbits
