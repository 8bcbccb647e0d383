/*
 * Exception entry for a PV guest. The hypervisor bounces an exception to
 * the handler in the trap table with, on the guest kernel stack (lowest
 * first): rcx, r11, [error code], rip, cs, rflags, rsp, ss. rcx and r11 are
 * saved there because the hypervisor's return path clobbers them. Popping
 * them leaves a native-looking frame; a dummy error code and the vector
 * make every frame the same (struct trap_frame).
 *
 * There is no "iretq" for a ring-3 kernel: the way back is the iret
 * hypercall, whose stub expects [flags, rip, cs, rflags, rsp, ss] on the
 * stack and pushes rcx, r11, rax itself (struct iret_context).
 */
#include <public/xen.h>

#define IRET_STUB (hypercall_page + __HYPERVISOR_iret * HYPERCALL_STUB_SIZE)

	.text
	.code64

.macro TRAP_ENTRY vec, has_err
	.globl trap_entry_\vec
	.type trap_entry_\vec, @function
trap_entry_\vec:
	pop	%rcx
	pop	%r11
	.if \has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	trap_common
	.size trap_entry_\vec, . - trap_entry_\vec
.endm

	TRAP_ENTRY 0, 0
	TRAP_ENTRY 1, 0
	TRAP_ENTRY 3, 0
	TRAP_ENTRY 4, 0
	TRAP_ENTRY 5, 0
	TRAP_ENTRY 6, 0
	TRAP_ENTRY 7, 0
	TRAP_ENTRY 8, 1
	TRAP_ENTRY 10, 1
	TRAP_ENTRY 11, 1
	TRAP_ENTRY 12, 1
	TRAP_ENTRY 13, 1
	TRAP_ENTRY 14, 1
	TRAP_ENTRY 16, 0
	TRAP_ENTRY 17, 1
	TRAP_ENTRY 18, 0
	TRAP_ENTRY 19, 0
	TRAP_ENTRY 20, 0
	TRAP_ENTRY 21, 1

trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	mov	%rsp, %rbx		/* callee-saved copy of the frame address */
	and	$-16, %rsp		/* the ABI alignment, whatever the bounce left */
	call	trap_handle
	mov	%rbx, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	pushq	$0			/* iret_context.flags: a full (non-syscall) return */
	jmp	IRET_STUB

/*
 * bool trap_catch_enter(struct trap_jmp *j, void (*fn)(void *), void *arg)
 * Saves what trap_handle needs to resume at trap_catch_landing as if this
 * function had returned 1, then calls fn(arg) and returns 0.
 */
	.globl trap_catch_enter
	.type trap_catch_enter, @function
trap_catch_enter:
	mov	%rsp, 0(%rdi)		/* points at our return address */
	mov	%rbx, 8(%rdi)
	mov	%rbp, 16(%rdi)
	mov	%r12, 24(%rdi)
	mov	%r13, 32(%rdi)
	mov	%r14, 40(%rdi)
	mov	%r15, 48(%rdi)
	mov	%rdx, %rdi
	sub	$8, %rsp
	call	*%rsi
	add	$8, %rsp
	xor	%eax, %eax
	ret
	.globl trap_catch_landing
trap_catch_landing:
	mov	$1, %eax
	ret
	.size trap_catch_enter, . - trap_catch_enter

/* void hypercall_iret(struct iret_context *ctx): see hypercall.h. */
	.globl hypercall_iret
	.type hypercall_iret, @function
hypercall_iret:
	lea	24(%rdi), %rsp		/* &ctx->flags: the part the stub does not push */
	mov	0(%rdi), %rax
	mov	8(%rdi), %r11
	mov	16(%rdi), %rcx
	jmp	IRET_STUB
	.size hypercall_iret, . - hypercall_iret

/* Event and failsafe callbacks: a test guest runs with events masked. */
	.globl event_callback_entry
event_callback_entry:
	and	$-16, %rsp
	mov	$0, %edi
	call	callback_unexpected
	.globl failsafe_callback_entry
failsafe_callback_entry:
	and	$-16, %rsp
	mov	$1, %edi
	call	callback_unexpected

	.section .note.GNU-stack, "", @progbits
