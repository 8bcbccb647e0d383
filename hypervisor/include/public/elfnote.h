/*
 * Guest ABI: the ELF notes (owner "Xen") by which a PV kernel image tells
 * the domain builder where to enter it, where its hypercall page is and
 * what it needs. Numeric notes hold 4 or 8 bytes; string notes are
 * NUL-terminated ASCII. Facts of Xen's public elfnote.h.
 *
 * Usable from assembly.
 */
#ifndef PALISADE_PUBLIC_ELFNOTE_H
#define PALISADE_PUBLIC_ELFNOTE_H

/* The owner name of every note below, and its length with the NUL. */
#define XEN_ELFNOTE_OWNER "Xen"
#define XEN_ELFNOTE_OWNER_SIZE 4

#define XEN_ELFNOTE_INFO 0		  /* NAME=VALUE string */
#define XEN_ELFNOTE_ENTRY 1		  /* virtual entry address */
#define XEN_ELFNOTE_HYPERCALL_PAGE 2	  /* virtual address of the hypercall page */
#define XEN_ELFNOTE_VIRT_BASE 3		  /* where the image is mapped (default 0) */
#define XEN_ELFNOTE_PADDR_OFFSET 4	  /* p_paddr minus pseudo-physical address */
#define XEN_ELFNOTE_XEN_VERSION 5	  /* string, "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS 6		  /* string */
#define XEN_ELFNOTE_GUEST_VERSION 7	  /* string */
#define XEN_ELFNOTE_LOADER 8		  /* string, "generic" */
#define XEN_ELFNOTE_PAE_MODE 9		  /* string: "yes", "no", "bimodal" */
#define XEN_ELFNOTE_FEATURES 10		  /* string: XENFEAT names joined by '|', '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB 11	  /* string: "yes" to have the symbol table loaded */
#define XEN_ELFNOTE_HV_START_LOW 12	  /* lowest start of the hypervisor hole */
#define XEN_ELFNOTE_L1_MFN_VALID 13	  /* mask/value pairs for non-present L1 entries */
#define XEN_ELFNOTE_SUSPEND_CANCEL 14	  /* numeric, cooperative suspend cancel */
#define XEN_ELFNOTE_INIT_P2M 15		  /* where to place the initial p2m list */
#define XEN_ELFNOTE_MOD_START_PFN 16	  /* numeric: the initrd may be passed unmapped */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17 /* numeric XENFEAT bitmap */
#define XEN_ELFNOTE_PHYS32_ENTRY 18	  /* PVH 32-bit physical entry (not used by PV) */
#define XEN_ELFNOTE_PHYS32_RELOC 19	  /* PVH relocation constraints (not used by PV) */
#define XEN_ELFNOTE_MAX XEN_ELFNOTE_PHYS32_RELOC

/* Notes written into crash dumps, never read from a kernel image. */
#define XEN_ELFNOTE_CRASH_INFO 0x1000001
#define XEN_ELFNOTE_CRASH_REGS 0x1000002
#define XEN_ELFNOTE_DUMPCORE_NONE 0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER 0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION 0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif /* PALISADE_PUBLIC_ELFNOTE_H */
