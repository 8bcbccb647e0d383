/*
 * The only instructions through which the hypervisor touches guest
 * virtual memory. Each may fault (unmapped page, read-only page); the
 * exception path (traps.c, uaccess_fixup) recognises the faulting RIP and
 * resumes at the matching fixup label instead of reporting a fatal fault.
 * rcx then still holds the bytes not copied, which is the return value.
 *
 * size_t uaccess_copy(void *dst, const void *src, size_t n)  -> bytes left
 * size_t uaccess_clear(void *dst, size_t n)                  -> bytes left
 *
 * The callers (pv/guest_access.c) have range-checked the guest address
 * and bracket the call with stac/clac.
 */
	.text
	.globl uaccess_copy
uaccess_copy:
	mov %rdx, %rcx
	.globl uaccess_copy_insn
uaccess_copy_insn:
	rep movsb
	.globl uaccess_copy_fixup
uaccess_copy_fixup:
	mov %rcx, %rax
	ret

	.globl uaccess_clear
uaccess_clear:
	mov %rsi, %rcx
	xor %eax, %eax
	.globl uaccess_clear_insn
uaccess_clear_insn:
	rep stosb
	.globl uaccess_clear_fixup
uaccess_clear_fixup:
	mov %rcx, %rax
	ret
