/*
 * Exception and interrupt entry: 256 stubs of 16 bytes each (so the IDT
 * builder computes stub addresses instead of keeping a table), one common
 * path that saves the registers as a struct cpu_regs (arch/traps.h) and
 * calls trap_dispatch.
 */
#include <arch/layout.h>

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
	cld
	/* With SMAP, the hypervisor never runs with EFLAGS.AC set. */
	cmpb $0, cpu_has_smap(%rip)
	je 1f
	clac
1:	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, %rdi
	call trap_dispatch
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	add $16, %rsp /* vector, error code */
	iretq
