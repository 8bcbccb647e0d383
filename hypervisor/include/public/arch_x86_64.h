/*
 * Guest ABI, x86_64 part: the selectors, address-space split, trap and
 * register frames and page-table bits that a Xen x86_64 PV kernel is built
 * against. Values are facts of Xen's public interface (arch-x86/xen.h and
 * arch-x86/xen-x86_64.h); the layout of every structure is pinned by a
 * _Static_assert because a kernel compiled elsewhere reads these bytes.
 *
 * Only fixed-width types: the same header is compiled into the hypervisor,
 * into ring-3 guests and into host test programs. Guest pointers (Xen's
 * "guest handles") are plain uint64_t virtual addresses.
 *
 * Usable from assembly (define __ASSEMBLY__): only the numbers remain.
 */
#ifndef PALISADE_PUBLIC_ARCH_X86_64_H
#define PALISADE_PUBLIC_ARCH_X86_64_H

/* Constants that assembly can use too: no C suffixes there. */
#ifdef __ASSEMBLY__
#define XEN_MK_ULONG(x) x
#else
#define XEN_MK_ULONG(x) x##UL
#endif

/*
 * Flat segments in the hypervisor-reserved part of every GDT. The token
 * sequences equal those in the hypervisor's asm/layout.h so both headers
 * can be included together.
 */
#define FLAT_RING3_CS32 0xe023
#define FLAT_RING3_CS64 0xe033
#define FLAT_RING3_DS32 0xe02b
#define FLAT_RING3_DS64 0x0000 /* the null selector: 64-bit data needs none */
#define FLAT_RING3_SS32 0xe02b
#define FLAT_RING3_SS64 0xe02b

/* Guest kernel and guest user both run in ring 3 and share the flat segments. */
#define FLAT_KERNEL_CS64 FLAT_RING3_CS64
#define FLAT_KERNEL_CS32 FLAT_RING3_CS32
#define FLAT_KERNEL_CS FLAT_KERNEL_CS64
#define FLAT_KERNEL_DS64 FLAT_RING3_DS64
#define FLAT_KERNEL_DS32 FLAT_RING3_DS32
#define FLAT_KERNEL_DS FLAT_KERNEL_DS64
#define FLAT_KERNEL_SS64 FLAT_RING3_SS64
#define FLAT_KERNEL_SS32 FLAT_RING3_SS32
#define FLAT_KERNEL_SS FLAT_KERNEL_SS64
#define FLAT_USER_CS64 FLAT_RING3_CS64
#define FLAT_USER_CS32 FLAT_RING3_CS32
#define FLAT_USER_CS FLAT_USER_CS64
#define FLAT_USER_DS64 FLAT_RING3_DS64
#define FLAT_USER_DS32 FLAT_RING3_DS32
#define FLAT_USER_DS FLAT_USER_DS64
#define FLAT_USER_SS64 FLAT_RING3_SS64
#define FLAT_USER_SS32 FLAT_RING3_SS32
#define FLAT_USER_SS FLAT_USER_SS64

/*
 * A guest GDT (set_gdt) may use pages 0..13; the hypervisor owns page 14
 * onwards, which is where the FLAT_* selectors point.
 */
#define FIRST_RESERVED_GDT_PAGE 14
#define FIRST_RESERVED_GDT_BYTE (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/*
 * The hole at the bottom of the upper canonical half belongs to the
 * hypervisor. Its first 256 GiB hold the machine-to-phys table, mapped
 * read-only into every PV guest (8 bytes per machine frame).
 */
#define HYPERVISOR_VIRT_START XEN_MK_ULONG(0xFFFF800000000000)
#define HYPERVISOR_VIRT_END XEN_MK_ULONG(0xFFFF880000000000)
#define MACH2PHYS_VIRT_START XEN_MK_ULONG(0xFFFF800000000000)
#define MACH2PHYS_VIRT_END XEN_MK_ULONG(0xFFFF804000000000)
#define MACH2PHYS_NR_ENTRIES ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* Legacy shared_info carries this many vcpu_info slots. */
#define XEN_LEGACY_MAX_VCPUS 32

/* set_segment_base(which, base) */
#define SEGBASE_FS 0
#define SEGBASE_GS_USER 1
#define SEGBASE_GS_KERNEL 2
#define SEGBASE_GS_USER_SEL 3 /* load the user %gs selector given in base[15:0] */

/*
 * iret_context.flags: the guest left through SYSCALL, so only rax, rip,
 * rflags and rsp are restored (a SYSRET-style return).
 */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL VGCF_in_syscall

/* vcpu_guest_context.flags */
#define _VGCF_i387_valid 0
#define VGCF_i387_valid (1 << _VGCF_i387_valid)
#define VGCF_I387_VALID VGCF_i387_valid
#define _VGCF_in_kernel 2
#define VGCF_in_kernel (1 << _VGCF_in_kernel)
#define VGCF_IN_KERNEL VGCF_in_kernel
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events 4
#define VGCF_syscall_disables_events (1 << _VGCF_syscall_disables_events)
#define _VGCF_online 5
#define VGCF_online (1 << _VGCF_online)

/*
 * trap_info.flags: bits 0-1 are the lowest mode allowed to raise the
 * vector with "int N" (0 none, 1-2 kernel, 3 everyone); bit 2 masks event
 * upcalls on entry, like an interrupt gate clearing IF.
 */
#define TI_DPL_MASK 3
#define TI_MASK_EVENTS 4
#define TI_GET_DPL(ti) ((ti)->flags & TI_DPL_MASK)
#define TI_GET_IF(ti) ((ti)->flags & TI_MASK_EVENTS)

/*
 * Page-table entry bits as PV guests write them in mmu_update and
 * update_va_mapping. Bit 7 in an L1 entry is PAT, not PSE: superpages need
 * MMUEXT_MARK_SUPER. Bits 9-11 are free for the guest.
 */
#define _PAGE_PRESENT XEN_MK_ULONG(0x001)
#define _PAGE_RW XEN_MK_ULONG(0x002)
#define _PAGE_USER XEN_MK_ULONG(0x004)
#define _PAGE_PWT XEN_MK_ULONG(0x008)
#define _PAGE_PCD XEN_MK_ULONG(0x010)
#define _PAGE_ACCESSED XEN_MK_ULONG(0x020)
#define _PAGE_DIRTY XEN_MK_ULONG(0x040)
#define _PAGE_PAT XEN_MK_ULONG(0x080)
#define _PAGE_PSE XEN_MK_ULONG(0x080)
#define _PAGE_GLOBAL XEN_MK_ULONG(0x100)
#define _PAGE_AVAIL0 XEN_MK_ULONG(0x200)
#define _PAGE_AVAIL1 XEN_MK_ULONG(0x400)
#define _PAGE_AVAIL2 XEN_MK_ULONG(0x800)
#define _PAGE_NX XEN_MK_ULONG(0x8000000000000000)
/* Machine address bits of an entry (4 KiB frame, 52-bit physical space). */
#define XEN_PTE_ADDR_MASK XEN_MK_ULONG(0x000FFFFFFFFFF000)

/* "ud2; .ascii "xen"" before an instruction asks the hypervisor to emulate it. */
#ifdef __ASSEMBLY__
#define XEN_EMULATE_PREFIX .byte 0x0f, 0x0b, 0x78, 0x65, 0x6e;
#define XEN_CPUID XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID XEN_EMULATE_PREFIX "cpuid"
#endif

#ifndef __ASSEMBLY__

#include <stddef.h>
#include <stdint.h>

/* Frame numbers and "unsigned long" of the Xen ABI are 64-bit here. */
typedef uint64_t xen_pfn_t;
typedef uint64_t xen_ulong_t;
typedef uint64_t xen_callback_t;

#define xen_pfn_to_cr3(pfn) ((uint64_t)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((uint64_t)(cr3) >> 12)

/* set_trap_table takes an array of these ended by an entry with address 0. */
struct trap_info {
	uint8_t vector;
	uint8_t flags; /* TI_* */
	uint16_t cs;
	uint64_t address;
};
_Static_assert(sizeof(struct trap_info) == 16, "trap_info is 16 bytes");
_Static_assert(offsetof(struct trap_info, address) == 8, "trap_info.address at 8");

/*
 * What the guest kernel has pushed at its rsp when it calls iret (23):
 * lowest address first.
 */
struct iret_context {
	uint64_t rax;
	uint64_t r11;
	uint64_t rcx;
	uint64_t flags; /* VGCF_in_syscall */
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};
_Static_assert(sizeof(struct iret_context) == 72, "iret_context is 9 words");
_Static_assert(offsetof(struct iret_context, flags) == 24, "iret_context.flags at 24");
_Static_assert(offsetof(struct iret_context, rip) == 32, "iret_context.rip at 32");
_Static_assert(offsetof(struct iret_context, ss) == 64, "iret_context.ss at 64");

/*
 * Register state as the control tools and VCPUOP_initialise exchange it.
 * Xen declares each GPR as a union of its 64- and 32-bit names; only the
 * 64-bit names are kept here, the layout is the same.
 */
struct cpu_user_regs {
	uint64_t r15;
	uint64_t r14;
	uint64_t r13;
	uint64_t r12;
	uint64_t rbp;
	uint64_t rbx;
	uint64_t r11;
	uint64_t r10;
	uint64_t r9;
	uint64_t r8;
	uint64_t rax;
	uint64_t rcx;
	uint64_t rdx;
	uint64_t rsi;
	uint64_t rdi;
	uint32_t error_code;   /* hypervisor-private */
	uint32_t entry_vector; /* hypervisor-private */
	uint64_t rip;
	uint16_t cs;
	uint16_t _pad0[1];
	uint8_t saved_upcall_mask;
	uint8_t _pad1[3];
	uint64_t rflags; /* IF mirrors !saved_upcall_mask */
	uint64_t rsp;
	uint16_t ss, _pad2[3];
	uint16_t es, _pad3[3];
	uint16_t ds, _pad4[3];
	uint16_t fs, _pad5[3]; /* non-zero: wins over fs_base */
	uint16_t gs, _pad6[3]; /* non-zero: wins over gs_base_user */
};
_Static_assert(sizeof(struct cpu_user_regs) == 200, "cpu_user_regs is 200 bytes");
_Static_assert(offsetof(struct cpu_user_regs, rax) == 80, "cpu_user_regs.rax at 80");
_Static_assert(offsetof(struct cpu_user_regs, error_code) == 120, "error_code at 120");
_Static_assert(offsetof(struct cpu_user_regs, rip) == 128, "cpu_user_regs.rip at 128");
_Static_assert(offsetof(struct cpu_user_regs, saved_upcall_mask) == 140, "upcall mask at 140");
_Static_assert(offsetof(struct cpu_user_regs, rflags) == 144, "rflags at 144");
_Static_assert(offsetof(struct cpu_user_regs, gs) == 192, "cpu_user_regs.gs at 192");

/* Complete vcpu state for VCPUOP_initialise and the domain builder. */
struct vcpu_guest_context {
	uint8_t fpu_ctxt[512]; /* FXSAVE image, first so it can be aligned */
	uint64_t flags;	       /* VGCF_* */
	struct cpu_user_regs user_regs;
	struct trap_info trap_ctxt[256]; /* the virtual IDT */
	uint64_t ldt_base, ldt_ents;
	uint64_t gdt_frames[16], gdt_ents;
	uint64_t kernel_ss, kernel_sp; /* the stack switched to on a bounce */
	uint64_t ctrlreg[8];	       /* ctrlreg[1] is the user page-table base */
	uint64_t debugreg[8];
	uint64_t event_callback_eip;
	uint64_t failsafe_callback_eip;
	uint64_t syscall_callback_eip;
	uint64_t vm_assist; /* bitmap of VMASST_TYPE_* */
	uint64_t fs_base;
	uint64_t gs_base_kernel;
	uint64_t gs_base_user;
};
_Static_assert(sizeof(struct vcpu_guest_context) == 5168, "vcpu_guest_context is 5168 bytes");
_Static_assert(offsetof(struct vcpu_guest_context, user_regs) == 520, "user_regs at 520");
_Static_assert(offsetof(struct vcpu_guest_context, trap_ctxt) == 720, "trap_ctxt at 720");
_Static_assert(offsetof(struct vcpu_guest_context, ctrlreg) == 4984, "ctrlreg at 4984");
_Static_assert(offsetof(struct vcpu_guest_context, event_callback_eip) == 5112,
	       "event_callback_eip at 5112");
_Static_assert(offsetof(struct vcpu_guest_context, fs_base) == 5144, "fs_base at 5144");

/* Per-vcpu arch part of vcpu_info: where a bounced #PF leaves its address. */
struct arch_vcpu_info {
	uint64_t cr2;
	uint64_t pad; /* keeps vcpu_info at 64 bytes */
};
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "arch_vcpu_info is 16 bytes");

/* Arch part of shared_info: the guest's published physical-to-machine map. */
struct arch_shared_info {
	uint64_t max_pfn;
	xen_pfn_t pfn_to_mfn_frame_list_list; /* 0: not set up, ~0: use p2m_vaddr */
	uint64_t nmi_reason;
	uint64_t p2m_cr3;	 /* address space where p2m_vaddr is valid */
	uint64_t p2m_vaddr;	 /* virtual address of the linear p2m list */
	uint64_t p2m_generation; /* odd while the guest updates the list */
};
_Static_assert(sizeof(struct arch_shared_info) == 48, "arch_shared_info is 48 bytes");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_ARCH_X86_64_H */
