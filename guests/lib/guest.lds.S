/*
 * Link map of a PV test guest (preprocessed with cpp). One image, loaded
 * at GUEST_VIRT_BASE; physical addresses (p_paddr) are offsets from it.
 * Code, read-only data and writable data sit in separate page-aligned
 * PT_LOAD segments so a hypervisor that honours the flags can map them W^X.
 */
#include "layout.h"

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(_start)

PHDRS
{
	text PT_LOAD FLAGS(5);		/* R-X */
	rodata PT_LOAD FLAGS(4);	/* R-- */
	data PT_LOAD FLAGS(6);		/* RW- */
	note PT_NOTE FLAGS(4);
}

SECTIONS
{
	. = GUEST_VIRT_BASE;
	_image_start = .;

	.text : AT(ADDR(.text) - GUEST_VIRT_BASE) {
		*(.text.head)
		*(.text.hypercall_page)
		*(.text .text.*)
	} :text

	. = ALIGN(4096);
	.rodata : AT(ADDR(.rodata) - GUEST_VIRT_BASE) {
		*(.rodata .rodata.*)
	} :rodata
	.note.Xen : AT(ADDR(.note.Xen) - GUEST_VIRT_BASE) {
		*(.note.Xen)
	} :rodata :note

	. = ALIGN(4096);
	.data : AT(ADDR(.data) - GUEST_VIRT_BASE) {
		*(.data .data.*)
	} :data
	.bss : AT(ADDR(.bss) - GUEST_VIRT_BASE) {
		__bss_start = .;
		*(.bss.page_aligned)
		*(.bss .bss.*)
		*(COMMON)
		. = ALIGN(4096);
		__bss_end = .;
	} :data

	_image_end = .;

	/DISCARD/ : {
		*(.comment)
		*(.eh_frame)
		*(.note.GNU-stack)
		*(.note.gnu.*)
	}
}
