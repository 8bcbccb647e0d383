/*
 * Entry of a PV test guest. The domain builder enters _start in guest
 * kernel mode (ring 3) with rsi = start_info, rsp = top of the bootstrap
 * stack and event upcalls masked. Nothing here may use the stack before
 * it is our own: the bootstrap stack is only guaranteed to be mapped, not
 * to be large.
 */
#include <public/xen.h>

	.section .text.head, "ax", @progbits
	.code64
	.globl _start
_start:
	cld
	mov	%rsi, %r12		/* callee-saved: survives the calls below */

	/* The builder maps .bss but need not zero it (it does, but do not rely on it). */
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb

	lea	boot_stack_top(%rip), %rsp
	xor	%ebp, %ebp		/* ends backtraces */

	mov	%r12, %rdi
	call	runtime_init		/* start_info, shared_info, traps */
	mov	%r12, %rdi
	call	guest_main
	/* guest_main must end with test_report(); returning is an error. */
	call	guest_main_returned
1:	jmp	1b

/*
 * The hypercall page: filled by the hypervisor with 128 stubs of 32 bytes.
 * Until then it is 4096 "ret" bytes, so a call through an unfilled page
 * returns at once and hypercall_page_filled() can tell.
 */
	.section .text.hypercall_page, "ax", @progbits
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xc3
	.type hypercall_page, @object
	.size hypercall_page, 4096

	.section .bss.stack, "aw", @nobits
	.balign 4096
boot_stack:
	.skip 16384
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
