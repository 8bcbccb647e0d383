/*
 * Boot: the multiboot2 header, the 32-bit entry from GRUB, the switch to
 * long mode and the jump to the higher half.
 *
 * GRUB enters in 32-bit protected mode, paging off, EAX = multiboot2 magic,
 * EBX = physical address of the boot information. This code runs at its
 * load address (the .boot section is linked with VMA == LMA); everything
 * else is linked in the hole (see asm/layout.h).
 *
 * The temporary page tables map the first 4 GiB three times with 2 MiB
 * pages: identity (so this code survives enabling paging), at the image
 * window (the image), and at the direct map (the multiboot2 information and
 * modules, which GRUB keeps below 4 GiB). setup.c replaces them with the
 * real tables as soon as C runs.
 */
#include <asm/boot_asm.h>
#include <asm/layout.h>

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_LOADER_MAGIC 0x36d76289
#define COM1 0x3f8

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long 0 /* i386 */
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_HEADER_MAGIC + (mb2_header_end - mb2_header))

	/* Information request: these tags are required. */
	.balign 8
mb2_info_req:
	.short 1, 0
	.long mb2_info_req_end - mb2_info_req
	.long 1 /* command line */
	.long 2 /* boot loader name */
	.long 3 /* modules */
	.long 6 /* memory map */
mb2_info_req_end:

	/* Entry address: the 32-bit physical entry point. */
	.balign 8
	.short 3, 0
	.long 12
	.long _start

	/* Modules page-aligned, so that no module shares a frame with anything. */
	.balign 8
	.short 6, 0
	.long 8

	.balign 8
	.short 0, 0
	.long 8
mb2_header_end:

	/*
	 * A multiboot (version 1) header with load addresses, found by loaders
	 * such as QEMU's -kernel. Palisade needs multiboot2 and refuses such a
	 * boot at once; the header exists so that this refusal can be tested.
	 */
#define MB1_HEADER_MAGIC 0x1badb002
#define MB1_FLAGS (1 << 16)
	.balign 4
mb1_header:
	.long MB1_HEADER_MAGIC
	.long MB1_FLAGS
	.long 0x100000000 - (MB1_HEADER_MAGIC + MB1_FLAGS)
	.long mb1_header /* header_addr */
	.long __boot_start /* load_addr: the file is loaded from the boot section on */
	.long __boot_end /* load_end_addr */
	.long __boot_end /* bss_end_addr */
	.long _start /* entry_addr */

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	mov %eax, %ebp /* magic */
	mov %ebx, %esi /* boot information */
	mov $boot_stack32_top, %esp

	call serial32_init

	cmp $MB2_LOADER_MAGIC, %ebp
	jne .Lnot_multiboot2

	/* Long mode and NX are both required. */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb .Lno_long_mode
	mov $0x80000001, %eax
	cpuid
	test $(1 << 29), %edx
	jz .Lno_long_mode
	test $(1 << 20), %edx
	jz .Lno_nx

	/* Clear the boot page tables (PML4, 2 L3, 4 L2 = 7 pages). */
	mov $boot_pml4, %edi
	mov $(7 * 4096 / 4), %ecx
	xor %eax, %eax
	rep stosl

	/* Four L2 tables: 2048 x 2 MiB = 4 GiB, present|write|PS. */
	mov $boot_l2, %edi
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, (%edi, %ecx, 8)
	mov %ecx, %eax
	shr $11, %eax /* bits 32+ of the address: (i << 21) >> 32 */
	mov %eax, 4(%edi, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 1b

	/* L3 identity/direct map: four entries to the four L2 tables. */
	mov $boot_l3_low, %edi
	mov $boot_l2 + 0x3, %eax
	mov %eax, 0(%edi)
	add $4096, %eax
	mov %eax, 8(%edi)
	add $4096, %eax
	mov %eax, 16(%edi)
	add $4096, %eax
	mov %eax, 24(%edi)

	/* L3 for the image window: the first L2 (physical 0..1 GiB). */
	mov $boot_l3_high, %edi
	movl $boot_l2 + 0x3, (((HV_VIRT_OFFSET >> 30) & 511) * 8)(%edi)

	mov $boot_pml4, %edi
	movl $boot_l3_low + 0x3, 0(%edi)
	movl $boot_l3_low + 0x3, (((DIRECTMAP_VIRT_START >> 39) & 511) * 8)(%edi)
	movl $boot_l3_high + 0x3, (((HV_VIRT_OFFSET >> 39) & 511) * 8)(%edi)

	/* PAE, then the tables, then EFER.LME|NXE, then paging with WP. */
	ENTER_LONG_MODE_PAGING

	lgdt boot_gdt_desc
	ljmp $0x08, $start64_low

.Lnot_multiboot2:
	mov $msg_not_mb2, %ebx
	jmp .Lfail
.Lno_long_mode:
	mov $msg_no_lm, %ebx
	jmp .Lfail
.Lno_nx:
	mov $msg_no_nx, %ebx
.Lfail:
	call serial32_puts
	/* Under QEMU with isa-debug-exit this ends the run (status 2). */
	mov $0xf4, %dx
	mov $EXIT_BAD_BOOT, %eax
	outl %eax, %dx
2:	hlt
	jmp 2b

/* 115200 8N1, no interrupts. Clobbers eax, edx. */
serial32_init:
	mov $(COM1 + 1), %dx
	xor %al, %al
	out %al, %dx
	mov $(COM1 + 3), %dx
	mov $0x80, %al
	out %al, %dx
	mov $(COM1 + 0), %dx
	mov $1, %al
	out %al, %dx
	mov $(COM1 + 1), %dx
	xor %al, %al
	out %al, %dx
	mov $(COM1 + 3), %dx
	mov $3, %al
	out %al, %dx
	mov $(COM1 + 2), %dx
	mov $0xc7, %al
	out %al, %dx
	mov $(COM1 + 4), %dx
	mov $3, %al
	out %al, %dx
	ret

/* Print the NUL-terminated string at ebx. */
serial32_puts:
1:	movb (%ebx), %al
	test %al, %al
	jz 3f
	mov %al, %ah
	mov $(COM1 + 5), %dx
	mov $100000, %ecx
2:	in %dx, %al
	test $0x20, %al
	jnz 4f
	loop 2b
4:	mov $COM1, %dx
	mov %ah, %al
	out %al, %dx
	inc %ebx
	jmp 1b
3:	ret

	.code64
start64_low:
	/* Still at the load address: go to the higher half. */
	movabs $start64_high, %rax
	jmp *%rax

	.section .boot.rodata, "a"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt

msg_not_mb2:
	.asciz "Palisade: not started by a multiboot2 boot loader (bad magic); halting.\r\n"
msg_no_lm:
	.asciz "Palisade: this CPU has no long mode (x86_64); halting.\r\n"
msg_no_nx:
	.asciz "Palisade: this CPU has no NX (execute disable); halting.\r\n"

	.section .boot.bss, "aw", @nobits
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.skip 4096
boot_l3_low:
	.skip 4096
boot_l3_high:
	.skip 4096
boot_l2:
	.skip 4 * 4096
	.balign 16
	.skip 1024
boot_stack32_top:

	.text
start64_high:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	mov %ebp, %r12d /* magic, zero-extended */
	mov %esi, %r13d /* boot information */

	lea __bss_start(%rip), %rdi
	lea __bss_end(%rip), %rcx
	sub %rdi, %rcx
	shr $3, %rcx
	xor %eax, %eax
	rep stosq

	lea cpu0_stack_top(%rip), %rsp
	xorl %r15d, %r15d	/* current (asm/current.h): no vcpu yet */
	call init_stack_canary

	/* A zero frame pointer ends every backtrace. */
	xor %ebp, %ebp
	mov %r12, %rdi
	mov %r13, %rsi
	call start_palisade
1:	cli
	hlt
	jmp 1b

/*
 * The stack-protector canary must be random before the first C function
 * with a protected frame runs, and must not change afterwards: set it here.
 * RDRAND when the CPU has it (retried, it may transiently fail), always
 * mixed with the TSC; never zero.
 */
init_stack_canary:
	mov %rbx, %r8
	mov $1, %eax
	cpuid
	xor %r9, %r9
	bt $30, %ecx
	jnc 2f
	mov $16, %ecx
1:	rdrand %r9
	jc 2f
	loop 1b
	xor %r9, %r9
2:	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, %rdx
	rol $29, %rdx
	imul %rdx, %rax
	xor %r9, %rax
	/* Clear the low byte: a string overflow then stops at the canary. */
	xor %al, %al
	test %rax, %rax
	jnz 3f
	movabs $0x5a17e2c0ffee5a00, %rax
3:	mov %rax, __stack_chk_guard(%rip)
	mov %r8, %rbx
	ret

	/*
	 * Stacks, each above an unmapped guard page: the boot CPU's stack and
	 * the IST stacks for #DF, NMI and #MC (so these are handled on a known
	 * good stack even when the fault was a stack overflow).
	 */
	.section .bss.stacks, "aw", @nobits
	.balign 4096
	.globl stack_guard_main, cpu0_stack, cpu0_stack_top
	.globl stack_guard_df, ist_df_stack, ist_df_top
	.globl stack_guard_nmi, ist_nmi_stack, ist_nmi_top
	.globl stack_guard_mc, ist_mc_stack, ist_mc_top
stack_guard_main:
	.skip GUARD_SIZE
cpu0_stack:
	.skip STACK_SIZE
cpu0_stack_top:
stack_guard_df:
	.skip GUARD_SIZE
ist_df_stack:
	.skip IST_STACK_SIZE
ist_df_top:
stack_guard_nmi:
	.skip GUARD_SIZE
ist_nmi_stack:
	.skip IST_STACK_SIZE
ist_nmi_top:
stack_guard_mc:
	.skip GUARD_SIZE
ist_mc_stack:
	.skip IST_STACK_SIZE
ist_mc_top:
