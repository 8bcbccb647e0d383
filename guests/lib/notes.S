/*
 * The Xen ELF notes the domain builder reads (owner "Xen", public/elfnote.h).
 * Each note: namesz, descsz, type, "Xen\0", then the descriptor padded to 4.
 * Addresses are 8-byte values, strings are NUL-terminated.
 */
#include <public/elfnote.h>
#include "layout.h"

#define XEN_NOTE(type, desc...)                                                                    \
	.balign 4;                                                                                 \
	.long XEN_ELFNOTE_OWNER_SIZE;                                                              \
	.long 2f - 1f;                                                                             \
	.long type;                                                                                \
	.asciz XEN_ELFNOTE_OWNER;                                                                  \
	.balign 4;                                                                                 \
	1: desc;                                                                                   \
	2: .balign 4

	.section .note.Xen, "a", @note
	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "Palisade-test")
	XEN_NOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz GUEST_VERSION_STRING)
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad GUEST_VIRT_BASE)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad GUEST_PADDR_OFFSET)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .quad _start)
	XEN_NOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page)
	XEN_NOTE(XEN_ELFNOTE_FEATURES, .asciz GUEST_FEATURES_STRING)
	XEN_NOTE(XEN_ELFNOTE_PAE_MODE, .asciz "yes")

	.section .note.GNU-stack, "", @progbits
