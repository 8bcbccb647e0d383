/*
 * Exception and interrupt entry: 256 stubs of 16 bytes each (so the IDT
 * builder computes stub addresses instead of keeping a table), one common
 * path that saves the registers as a struct cpu_regs (asm/traps.h) and
 * calls trap_dispatch.
 */
#include <asm/frame_asm.h>
#include <asm/layout.h>

	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	/* The CPU pushes an error code only for these; push 0 for the rest. */
	.if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp common_trap
	.set vec, vec + 1
	.endr
	.balign 16
	.globl trap_stubs_end
trap_stubs_end:

common_trap:
	ENTRY_CLAC_SAVE_REGS
	/*
	 * A guest exception taken on an IST stack (#DB; NMI and #MC are
	 * fatal anyway) moves to the vcpu stack, where every guest frame
	 * lives: guest_regs() finds it there, and a #DB the hypervisor meets
	 * while bouncing it (a guest watchpoint on its own stack) gets a
	 * fresh IST stack instead of overwriting this frame.
	 */
	testb $3, CPU_REGS_CS(%rsp)
	jz 1f
	call pv_frame_slot		/* this CPU's: the guest regs are saved already */
	movq %rax, %rdi
	cmpq %rdi, %rsp
	je 1f
	movq %rsp, %rsi
	movq %rdi, %rsp
	movl $CPU_REGS_SIZE / 8, %ecx
	rep movsq
1:
	/* current (r15) may be a guest's, or the exit path's restored one: set it. */
	mov %rsp, %rdi
	call pv_trap_current
	mov %rsp, %rdi
	call trap_dispatch
	RESTORE_REGS_DROP_VECTOR
	iretq
