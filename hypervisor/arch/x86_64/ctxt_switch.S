/*
 * The register half of a vcpu switch (context.c does the rest). Every
 * vcpu has its own hypervisor stack, so switching is switching stacks:
 * the outgoing side pushes what the C calling convention says a callee
 * must preserve and leaves its rsp in its vcpu; the incoming side takes
 * its rsp, pops the same registers and returns into whatever call of
 * ctxt_switch_stack it left from, or, the first time, into a start stub
 * context.c placed there. rflags is not switched: both sides run with
 * interrupts off, and the guest's flags live in its frame.
 */
#include <asm/frame_asm.h>

	.text
/* void ctxt_switch_stack(uint64_t *save_rsp, uint64_t load_rsp) */
	.globl ctxt_switch_stack
ctxt_switch_stack:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret

/* First switch into an idle vcpu: rsp is its stack top (16-byte aligned). */
	.globl ctxt_idle_start
ctxt_idle_start:
	xorl	%ebp, %ebp		/* ends backtraces here */
	call	sched_switch_tail	/* what every switch-in does first */
	call	sched_idle_loop
	ud2

/*
 * First switch into a guest vcpu: rsp is the guest frame at the top of
 * its stack, filled by vcpu_start; leave through the ordinary exit.
 */
	.globl ctxt_guest_start
ctxt_guest_start:
	xorl	%ebp, %ebp
	call	sched_switch_tail
	jmp	pv_exit_to_guest

	.section .note.GNU-stack, "", @progbits
