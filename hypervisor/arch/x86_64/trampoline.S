/*
 * The application processors' way from real mode to the hypervisor.
 *
 * A SIPI starts an AP in real mode at CS:IP = (page >> 4):0, so this
 * template is copied to a free page below 1 MiB (smpboot.c) and patched
 * there: the GDT pointer and the two far jumps hold physical addresses of
 * the copy. The AP goes to protected mode, then to long mode on head.S's
 * boot page tables (they map the low 4 GiB one to one, so this code keeps
 * running after paging is on, and the image at its link address), jumps
 * to ap_start64 in the image, which loads the hypervisor's own tables and
 * the AP's stack and calls ap_start_c. The template sits in .rodata: in
 * the image it is data, never executed.
 */
#include <asm/boot_asm.h>
#include <asm/layout.h>

	.section .rodata, "a"
	.balign 16
	.globl ap_trampoline_start, ap_trampoline_end
	.globl ap_tramp_gdt_desc, ap_tramp_jump32, ap_tramp_jump64
	.globl ap_tramp_gdt, ap_tramp_start32, ap_tramp_start64, ap_tramp_entry
	.code16
ap_trampoline_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	xor %ebx, %ebx
	mov %cs, %bx
	shl $4, %ebx /* the copy's physical address */
	lgdtl ap_tramp_gdt_desc - ap_trampoline_start
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl *(ap_tramp_jump32 - ap_trampoline_start)

	.code32
ap_tramp_start32:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	/* As the boot CPU did (head.S): the same tables, the same bits. */
	ENTER_LONG_MODE_PAGING
	ljmpl *(ap_tramp_jump64 - ap_trampoline_start)(%ebx)

	.code64
ap_tramp_start64:
	/* The upper halves are undefined after the switch. */
	mov %ebx, %ebx
	movq (ap_tramp_entry - ap_trampoline_start)(%rbx), %rax
	jmp *%rax

	.balign 8
ap_tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
	.quad 0x00af9a000000ffff /* 0x18: 64-bit code */
ap_tramp_gdt_end:
	.balign 8
ap_tramp_gdt_desc:
	.short ap_tramp_gdt_end - ap_tramp_gdt - 1
	.long 0 /* patched: physical address of ap_tramp_gdt in the copy */
	.balign 8
ap_tramp_jump32:
	.long 0 /* patched: physical address of ap_tramp_start32 */
	.short 0x08
	.balign 8
ap_tramp_jump64:
	.long 0 /* patched: physical address of ap_tramp_start64 */
	.short 0x18
	.balign 8
ap_tramp_entry:
	.quad ap_start64
ap_trampoline_end:

	.text
	.globl ap_start64
ap_start64:
	/* The hypervisor's tables, then the AP's own stack (smpboot.c). */
	movq ap_boot_cr3(%rip), %rax
	movq %rax, %cr3
	movq ap_boot_stack(%rip), %rsp
	xorl %ebp, %ebp
	xorl %r15d, %r15d	/* current (asm/current.h): no vcpu yet */
	movl ap_boot_cpu(%rip), %edi
	call ap_start_c
1:	cli
	hlt
	jmp 1b
