/*
 * Guest ABI, core: hypercall numbers, virtual IRQs, page-table update
 * commands, domain ids, and the shared structures a PV kernel finds at
 * start of day (start_info, shared_info, vcpu_info). Facts of Xen's public
 * xen.h (x86_64), written for Palisade; every structure's layout is pinned.
 *
 * Usable from assembly (define __ASSEMBLY__): only the numbers remain.
 */
#ifndef PALISADE_PUBLIC_XEN_H
#define PALISADE_PUBLIC_XEN_H

#include "arch_x86_64.h"

/*
 * Hypercall numbers: the index of the 32-byte stub in the hypercall page.
 * Arguments go in rdi, rsi, rdx, r10, r8; the result comes back in rax.
 */
#define __HYPERVISOR_set_trap_table 0
#define __HYPERVISOR_mmu_update 1
#define __HYPERVISOR_set_gdt 2
#define __HYPERVISOR_stack_switch 3
#define __HYPERVISOR_set_callbacks 4
#define __HYPERVISOR_fpu_taskswitch 5
#define __HYPERVISOR_sched_op_compat 6 /* superseded by sched_op (29) */
#define __HYPERVISOR_platform_op 7
#define __HYPERVISOR_set_debugreg 8
#define __HYPERVISOR_get_debugreg 9
#define __HYPERVISOR_update_descriptor 10
/* 11 is unused */
#define __HYPERVISOR_memory_op 12
#define __HYPERVISOR_multicall 13
#define __HYPERVISOR_update_va_mapping 14
#define __HYPERVISOR_set_timer_op 15
#define __HYPERVISOR_event_channel_op_compat 16 /* superseded by 32 */
#define __HYPERVISOR_xen_version 17
#define __HYPERVISOR_console_io 18
#define __HYPERVISOR_physdev_op_compat 19 /* superseded by 33 */
#define __HYPERVISOR_grant_table_op 20
#define __HYPERVISOR_vm_assist 21
#define __HYPERVISOR_update_va_mapping_otherdomain 22
#define __HYPERVISOR_iret 23 /* does not return to the caller */
#define __HYPERVISOR_vcpu_op 24
#define __HYPERVISOR_set_segment_base 25
#define __HYPERVISOR_mmuext_op 26
#define __HYPERVISOR_xsm_op 27
#define __HYPERVISOR_nmi_op 28
#define __HYPERVISOR_sched_op 29
#define __HYPERVISOR_callback_op 30
#define __HYPERVISOR_xenoprof_op 31
#define __HYPERVISOR_event_channel_op 32
#define __HYPERVISOR_physdev_op 33
#define __HYPERVISOR_hvm_op 34
#define __HYPERVISOR_sysctl 35
#define __HYPERVISOR_domctl 36
#define __HYPERVISOR_kexec_op 37
#define __HYPERVISOR_tmem_op 38
#define __HYPERVISOR_argo_op 39
#define __HYPERVISOR_xenpmu_op 40
#define __HYPERVISOR_dm_op 41
#define __HYPERVISOR_hypfs_op 42
#define __HYPERVISOR_arch_0 48
#define __HYPERVISOR_arch_1 49
#define __HYPERVISOR_arch_2 50
#define __HYPERVISOR_arch_3 51
#define __HYPERVISOR_arch_4 52
#define __HYPERVISOR_arch_5 53
#define __HYPERVISOR_arch_6 54
#define __HYPERVISOR_arch_7 55
/* x86 names its first arch hypercall mca. */
#define __HYPERVISOR_mca __HYPERVISOR_arch_0

/* The hypercall page: 128 stubs of 32 bytes each. */
#define HYPERCALL_STUB_SIZE 32
#define HYPERCALL_NR_STUBS 128

/* Virtual IRQs (bound with EVTCHNOP_bind_virq). V: per vcpu, D: per domain, G: global. */
#define VIRQ_TIMER 0	  /* V: timer tick or set_timer_op deadline */
#define VIRQ_DEBUG 1	  /* V: dump debug state */
#define VIRQ_CONSOLE 2	  /* G: input on the hypervisor console */
#define VIRQ_DOM_EXC 3	  /* G: some domain needs attention (e.g. shut down) */
#define VIRQ_TBUF 4	  /* G: trace buffer records available */
#define VIRQ_DEBUGGER 6	  /* G: a domain paused for debugging */
#define VIRQ_XENOPROF 7	  /* V: profiling sample available */
#define VIRQ_CON_RING 8	  /* G: new bytes in the console ring */
#define VIRQ_PCPU_STATE 9 /* G: a physical cpu changed state */
#define VIRQ_MEM_EVENT 10 /* G: memory event */
#define VIRQ_ARGO 11	  /* D: argo message */
#define VIRQ_ENOMEM 12	  /* G: hypervisor low on heap memory */
#define VIRQ_XENPMU 13	  /* V: PMC interrupt */
#define VIRQ_ARCH_0 16
#define VIRQ_ARCH_1 17
#define VIRQ_ARCH_2 18
#define VIRQ_ARCH_3 19
#define VIRQ_ARCH_4 20
#define VIRQ_ARCH_5 21
#define VIRQ_ARCH_6 22
#define VIRQ_ARCH_7 23
#define VIRQ_MCA VIRQ_ARCH_0
#define NR_VIRQS 24

/*
 * mmu_update: ptr[1:0] selects the command, ptr[63:2] is the machine
 * address of the entry (or of the frame, for MACHPHYS_UPDATE).
 */
#define MMU_NORMAL_PT_UPDATE 0	     /* checked *ptr = val */
#define MMU_MACHPHYS_UPDATE 1	     /* m2p[ptr >> 12] = val */
#define MMU_PT_UPDATE_PRESERVE_AD 2  /* as 0, keeping the entry's A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE 3 /* as 0, val never translated */

/* mmuext_op commands. */
#define MMUEXT_PIN_L1_TABLE 0
#define MMUEXT_PIN_L2_TABLE 1
#define MMUEXT_PIN_L3_TABLE 2
#define MMUEXT_PIN_L4_TABLE 3
#define MMUEXT_UNPIN_TABLE 4
#define MMUEXT_NEW_BASEPTR 5
#define MMUEXT_TLB_FLUSH_LOCAL 6
#define MMUEXT_INVLPG_LOCAL 7
#define MMUEXT_TLB_FLUSH_MULTI 8
#define MMUEXT_INVLPG_MULTI 9
#define MMUEXT_TLB_FLUSH_ALL 10
#define MMUEXT_INVLPG_ALL 11
#define MMUEXT_FLUSH_CACHE 12
#define MMUEXT_SET_LDT 13
/* 14 is unused */
#define MMUEXT_NEW_USER_BASEPTR 15
#define MMUEXT_CLEAR_PAGE 16
#define MMUEXT_COPY_PAGE 17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER 19
#define MMUEXT_UNMARK_SUPER 20

/* update_va_mapping flags; UVMF_MULTI is ORed with a pointer to a vcpu bitmap. */
#define UVMF_NONE XEN_MK_ULONG(0)
#define UVMF_TLB_FLUSH XEN_MK_ULONG(1)
#define UVMF_INVLPG XEN_MK_ULONG(2)
#define UVMF_FLUSHTYPE_MASK XEN_MK_ULONG(3)
#define UVMF_MULTI XEN_MK_ULONG(0)
#define UVMF_LOCAL XEN_MK_ULONG(0)
#define UVMF_ALL XEN_MK_ULONG(4)

/* console_io(cmd, count, buffer) */
#define CONSOLEIO_write 0
#define CONSOLEIO_read 1

/* vm_assist(cmd, type) */
#define VMASST_CMD_enable 0
#define VMASST_CMD_disable 1
#define VMASST_TYPE_4gb_segments 0	  /* 32-bit guests only */
#define VMASST_TYPE_4gb_segments_notify 1 /* 32-bit guests only */
#define VMASST_TYPE_writable_pagetables 2
#define VMASST_TYPE_pae_extended_cr3 3
#define VMASST_TYPE_architectural_iopl 4
#define VMASST_TYPE_runstate_update_flag 5
#define VMASST_TYPE_m2p_strict 32

/* Domain ids at or above DOMID_FIRST_RESERVED are never ordinary domains. */
#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_SELF 0x7FF0
#define DOMID_IO 0x7FF1
#define DOMID_XEN 0x7FF2
#define DOMID_COW 0x7FF3
#define DOMID_INVALID 0x7FF4
#define DOMID_ANY 0x7FF5
#define DOMID_IDLE 0x7FFF
#define DOMID_MASK 0x7FFF

/* start_info.flags */
#define SIF_PRIVILEGED (1 << 0)
#define SIF_INITDOMAIN (1 << 1)
#define SIF_MULTIBOOT_MOD (1 << 2)   /* the module is a multiboot module list */
#define SIF_MOD_START_PFN (1 << 3)   /* mod_start is a PFN, not a virtual address */
#define SIF_VIRT_P2M_4TOOLS (1 << 4) /* tools understand a virtually mapped p2m */
#define SIF_PM_MASK (0xFF << 8)

#define MAX_GUEST_CMDLINE 1024

/* start_info.magic of a 64-bit PV guest starts with this. */
#define XEN_START_INFO_MAGIC "xen-3.0-x86_64"

/* dom0_vga_console_info.video_type */
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB 0x23
#define XEN_VGATYPE_EFI_LFB 0x70

/* vcpu_time_info.flags */
#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)
#define XEN_PVCLOCK_GUEST_STOPPED (1 << 1)

#ifndef __ASSEMBLY__

#include <stddef.h>
#include <stdint.h>

typedef uint16_t domid_t;

/* One page-table (or m2p) update for mmu_update. */
struct mmu_update {
	uint64_t ptr; /* machine address of the entry | MMU_* */
	uint64_t val;
};
_Static_assert(sizeof(struct mmu_update) == 16, "mmu_update is 16 bytes");

struct mmuext_op {
	uint32_t cmd; /* MMUEXT_* */
	union {
		xen_pfn_t mfn;	      /* pin/unpin, baseptr, clear/copy page, superpages */
		uint64_t linear_addr; /* invlpg, set_ldt */
	} arg1;
	union {
		uint32_t nr_ents;  /* set_ldt */
		uint64_t vcpumask; /* guest address of a vcpu bitmap (flush/invlpg multi) */
		xen_pfn_t src_mfn; /* copy_page */
	} arg2;
};
_Static_assert(sizeof(struct mmuext_op) == 24, "mmuext_op is 24 bytes");
_Static_assert(offsetof(struct mmuext_op, arg1) == 8, "mmuext_op.arg1 at 8");
_Static_assert(offsetof(struct mmuext_op, arg2) == 16, "mmuext_op.arg2 at 16");

/* One call of a multicall batch; result is written back. */
struct multicall_entry {
	xen_ulong_t op;
	xen_ulong_t result;
	xen_ulong_t args[6];
};
_Static_assert(sizeof(struct multicall_entry) == 64, "multicall_entry is 64 bytes");
_Static_assert(offsetof(struct multicall_entry, args) == 16, "multicall_entry.args at 16");

/*
 * Per-vcpu time base. version is odd while the hypervisor updates the
 * rest; readers retry like a seqlock.
 */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp; /* TSC at the last update */
	uint64_t system_time;	/* ns since boot at tsc_timestamp */
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags; /* XEN_PVCLOCK_* */
	uint8_t pad1[2];
};
_Static_assert(sizeof(struct vcpu_time_info) == 32, "vcpu_time_info is 32 bytes");
_Static_assert(offsetof(struct vcpu_time_info, tsc_to_system_mul) == 24, "mul at 24");
_Static_assert(offsetof(struct vcpu_time_info, tsc_shift) == 28, "tsc_shift at 28");

struct vcpu_info {
	uint8_t evtchn_upcall_pending; /* set by the hypervisor, cleared by the guest */
	uint8_t evtchn_upcall_mask;    /* the guest's virtual interrupt flag (1 = masked) */
	xen_ulong_t evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};
_Static_assert(sizeof(struct vcpu_info) == 64, "vcpu_info is 64 bytes");
_Static_assert(offsetof(struct vcpu_info, evtchn_upcall_mask) == 1, "upcall mask at 1");
_Static_assert(offsetof(struct vcpu_info, evtchn_pending_sel) == 8, "pending_sel at 8");
_Static_assert(offsetof(struct vcpu_info, arch) == 16, "vcpu_info.arch at 16");
_Static_assert(offsetof(struct vcpu_info, time) == 32, "vcpu_info.time at 32");

/* The page shared between the hypervisor and a guest (address in start_info). */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	/* 2-level event channels: one bit per port, a selector bit per word. */
	xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8];
	xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];
	/* Wall clock at system time 0, versioned like vcpu_time_info. */
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};
_Static_assert(sizeof(struct shared_info) == 3136, "shared_info is 3136 bytes");
_Static_assert(offsetof(struct shared_info, evtchn_pending) == 2048, "evtchn_pending at 2048");
_Static_assert(offsetof(struct shared_info, evtchn_mask) == 2560, "evtchn_mask at 2560");
_Static_assert(offsetof(struct shared_info, wc_version) == 3072, "wc_version at 3072");
_Static_assert(offsetof(struct shared_info, arch) == 3088, "shared_info.arch at 3088");

/* Ports of the 2-level event channel ABI: 64 words of 64 bits. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/*
 * The start-of-day page whose address the guest finds in rsi. The first
 * block is refreshed on resume too; the rest only at the initial boot.
 */
struct start_info {
	char magic[32];	      /* "xen-<version>-<platform>" */
	uint64_t nr_pages;    /* pages allocated to the domain */
	uint64_t shared_info; /* MACHINE address of the shared_info page */
	uint32_t flags;	      /* SIF_* */
	xen_pfn_t store_mfn;  /* machine frame of the xenstore ring */
	uint32_t store_evtchn;
	union {
		struct {
			xen_pfn_t mfn; /* machine frame of the console ring */
			uint32_t evtchn;
		} domU;
		struct {
			uint32_t info_off;  /* offset of dom0_vga_console_info in this page */
			uint32_t info_size; /* its size */
		} dom0;
	} console;
	uint64_t pt_base;      /* VIRTUAL address of the bootstrap L4 table */
	uint64_t nr_pt_frames; /* frames of bootstrap page tables */
	uint64_t mfn_list;     /* VIRTUAL address of the pfn-to-mfn list */
	uint64_t mod_start;    /* VIRTUAL address (or PFN, SIF_MOD_START_PFN) of the module */
	uint64_t mod_len;      /* module size in bytes */
	int8_t cmd_line[MAX_GUEST_CMDLINE];
	uint64_t first_p2m_pfn; /* first pfn of the initial p2m table */
	uint64_t nr_p2m_frames;
};
_Static_assert(sizeof(struct start_info) == 1168, "start_info is 1168 bytes");
_Static_assert(offsetof(struct start_info, nr_pages) == 32, "nr_pages at 32");
_Static_assert(offsetof(struct start_info, shared_info) == 40, "shared_info at 40");
_Static_assert(offsetof(struct start_info, flags) == 48, "flags at 48");
_Static_assert(offsetof(struct start_info, store_mfn) == 56, "store_mfn at 56");
_Static_assert(offsetof(struct start_info, store_evtchn) == 64, "store_evtchn at 64");
_Static_assert(offsetof(struct start_info, console) == 72, "console at 72");
_Static_assert(offsetof(struct start_info, pt_base) == 88, "pt_base at 88");
_Static_assert(offsetof(struct start_info, mfn_list) == 104, "mfn_list at 104");
_Static_assert(offsetof(struct start_info, mod_len) == 120, "mod_len at 120");
_Static_assert(offsetof(struct start_info, cmd_line) == 128, "cmd_line at 128");
_Static_assert(offsetof(struct start_info, first_p2m_pfn) == 1152, "first_p2m_pfn at 1152");

/* Entry of a multiboot module list (SIF_MULTIBOOT_MOD); addresses are module-relative. */
struct xen_multiboot_mod_list {
	uint32_t mod_start;
	uint32_t mod_end; /* last byte, inclusive */
	uint32_t cmdline;
	uint32_t pad;
};
_Static_assert(sizeof(struct xen_multiboot_mod_list) == 16, "multiboot mod list entry");

/* Console description for the initial domain (start_info.console.dom0). */
struct dom0_vga_console_info {
	uint8_t video_type; /* XEN_VGATYPE_* */
	union {
		struct {
			uint16_t font_height;
			uint16_t cursor_x, cursor_y;
			uint16_t rows, columns;
		} text_mode_3;
		struct {
			uint16_t width, height;
			uint16_t bytes_per_line;
			uint16_t bits_per_pixel;
			uint32_t lfb_base;
			uint32_t lfb_size; /* in 64 KiB units */
			uint8_t red_pos, red_size;
			uint8_t green_pos, green_size;
			uint8_t blue_pos, blue_size;
			uint8_t rsvd_pos, rsvd_size;
			uint32_t gbl_caps;
			uint16_t mode_attrs;
			uint16_t pad;
			uint32_t ext_lfb_base; /* high 32 bits of lfb_base */
		} vesa_lfb;
	} u;
};
_Static_assert(sizeof(struct dom0_vga_console_info) == 40, "dom0_vga_console_info is 40 bytes");
_Static_assert(offsetof(struct dom0_vga_console_info, u) == 4, "console union at 4");

typedef uint8_t xen_domain_handle_t[16];

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_XEN_H */
