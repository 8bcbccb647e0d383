/* Assembler macros, not C: clang-format leaves this file alone. */
/* clang-format off */
/*
 * Assembly macros that build and unbuild the general-register part of
 * struct cpu_regs (asm/traps.h) on the stack. Shared by the hypervisor's
 * own trap entry (entry.S) and the PV guest entries (pv/entry.S), so the
 * frame layout that C reads is written in one place only.
 */
#ifndef PALISADE_ARCH_FRAME_ASM_H
#define PALISADE_ARCH_FRAME_ASM_H

/* struct cpu_regs for assembly: its size and where cs is (traps.c checks both). */
#define CPU_REGS_SIZE 176
#define CPU_REGS_CS 144

#ifdef __ASSEMBLY__

/* Entered with the CPU frame, error code and vector already pushed. */
.macro ENTRY_CLAC_SAVE_REGS
	cld
	/* With SMAP, the hypervisor never runs with EFLAGS.AC set. */
	cmpb	$0, cpu_has_smap(%rip)
	je	.Lno_clac\@
	clac
.Lno_clac\@:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm

/* Leaves rsp at the CPU frame, ready for iretq. */
.macro RESTORE_REGS_DROP_VECTOR
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp		/* vector, error code */
.endm

#endif /* __ASSEMBLY__ */
#endif /* PALISADE_ARCH_FRAME_ASM_H */
