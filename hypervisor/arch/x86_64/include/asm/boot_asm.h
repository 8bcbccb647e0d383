/* Assembler macros, not C: clang-format leaves this file alone. */
/* clang-format off */
/*
 * The 32-bit switch to paging in long mode, shared by the boot CPU (head.S)
 * and the APs (trampoline.S). Assembly only.
 */
#ifndef PALISADE_ASM_BOOT_ASM_H
#define PALISADE_ASM_BOOT_ASM_H

#ifdef __ASSEMBLY__
/*
 * PAE, then head.S's boot tables, then EFER.LME|NXE, then paging with
 * CR0.WP (and PE): the CPU is in compatibility mode after it, until a far
 * jump to a 64-bit code segment. Clobbers eax, ecx, edx.
 */
.macro ENTER_LONG_MODE_PAGING
	mov %cr4, %eax
	or $(1 << 5), %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax
	mov %eax, %cr0
.endm
#endif

#endif /* PALISADE_ASM_BOOT_ASM_H */
