/*
 * The pieces of arch_bench_bare_syscall (bench_syscall.c) that must be
 * assembly: the trip to ring 3 and back, the bare syscall handler, and the
 * ring-3 stub that bench_syscall.c copies into a user page.
 */
#include <asm/layout.h>

/* rax value of the stub's last syscall: "done, take me home". */
#define BENCH_DONE 0x62656e63

	.text
/* uint64_t bench_syscall_run(uint64_t cr3, uint64_t user_rip, uint64_t iters) */
	.globl bench_syscall_run
bench_syscall_run:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, bench_saved_rsp(%rip)
	/* The bench address space maps this stack too (the hypervisor's slots). */
	movq	%rdi, %cr3
	pushq	$FLAT_RING3_SS32
	pushq	$0			/* the stub never touches its stack */
	pushq	$0x2			/* RFLAGS: IF clear, nothing else */
	pushq	$FLAT_RING3_CS64
	pushq	%rsi
	movq	%rdx, %rdi		/* iterations, for the stub */
	iretq

/* LSTAR while the bench runs. Ring 0 on the stub's rsp: no stack use here. */
	.globl bench_syscall_handler
bench_syscall_handler:
	cmpq	$BENCH_DONE, %rax
	je	1f
	sysretq
1:	movq	bench_saved_rsp(%rip), %rsp
	movq	%rdi, %rax		/* the stub's measurement */
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/* Copied to a user page; position independent, no stack, no memory access. */
	.section .rodata, "a"
	.globl bench_stub_start, bench_stub_end
bench_stub_start:
	movq	%rdi, %r8
	lfence
	rdtsc
	shlq	$32, %rdx
	orq	%rax, %rdx
	movq	%rdx, %r9
1:	xorl	%eax, %eax
	syscall
	decq	%r8
	jnz	1b
	lfence
	rdtsc
	shlq	$32, %rdx
	orq	%rdx, %rax
	subq	%r9, %rax
	movq	%rax, %rdi
	movl	$BENCH_DONE, %eax
	syscall
	ud2
bench_stub_end:

	.data
	.balign 8
bench_saved_rsp:
	.quad	0

	.section .note.GNU-stack, "", @progbits
