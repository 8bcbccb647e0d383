/*
 * hv-abi: the guest ABI headers against the numbers of Xen's x86_64 PV
 * ABI, at run time. The headers' _Static_asserts are the first line; this
 * table is the second, written separately from the headers so that a
 * wrong value in either place shows up as a difference. It also covers
 * constants (hypercall numbers, flags, errno values), which the static
 * asserts do not.
 *
 * One line per group: "PASS: abi: <group>" or "FAIL: abi: <group> (...)".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <public/callback.h>
#include <public/elfnote.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/flask_op.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

struct check {
	const char *what;
	unsigned long long actual, expected;
};

/* clang-format off */
#define SZ(t, e) { "sizeof(" #t ")", sizeof(t), (e) }
#define OFF(t, f, e) { "offsetof(" #t ", " #f ")", offsetof(t, f), (e) }
#define NUM(n, e) { #n, (unsigned long long)(n), (e) }
/* clang-format on */

static int failed_groups;

/* Returns the number of mismatches; prints the group's verdict if report. */
static int run_group(const char *group, const struct check *c, size_t n, int report)
{
	char why[512] = "";
	size_t used = 0;
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		if (c[i].actual == c[i].expected) {
			continue;
		}
		bad++;
		if (used < sizeof(why) - 1) {
			int k = snprintf(why + used, sizeof(why) - used, "%s%s is %llu, want %llu",
					 used ? "; " : "", c[i].what, c[i].actual, c[i].expected);
			used += k > 0 ? (size_t)k : 0;
		}
	}
	if (report) {
		if (bad) {
			printf("FAIL: abi: %s (%s)\n", group, why);
			failed_groups++;
		} else {
			printf("PASS: abi: %s (%zu values)\n", group, n);
		}
	}
	return bad;
}

#define GROUP(name, ...)                                                                           \
	do {                                                                                       \
		static const struct check c_[] = {__VA_ARGS__};                                    \
		run_group(name, c_, sizeof(c_) / sizeof(c_[0]), 1);                                \
	} while (0)

static void hypercalls(void)
{
	GROUP("hypercall numbers", NUM(__HYPERVISOR_set_trap_table, 0),
	      NUM(__HYPERVISOR_mmu_update, 1), NUM(__HYPERVISOR_set_gdt, 2),
	      NUM(__HYPERVISOR_stack_switch, 3), NUM(__HYPERVISOR_set_callbacks, 4),
	      NUM(__HYPERVISOR_fpu_taskswitch, 5), NUM(__HYPERVISOR_sched_op_compat, 6),
	      NUM(__HYPERVISOR_platform_op, 7), NUM(__HYPERVISOR_set_debugreg, 8),
	      NUM(__HYPERVISOR_get_debugreg, 9), NUM(__HYPERVISOR_update_descriptor, 10),
	      NUM(__HYPERVISOR_memory_op, 12), NUM(__HYPERVISOR_multicall, 13),
	      NUM(__HYPERVISOR_update_va_mapping, 14), NUM(__HYPERVISOR_set_timer_op, 15),
	      NUM(__HYPERVISOR_event_channel_op_compat, 16), NUM(__HYPERVISOR_xen_version, 17),
	      NUM(__HYPERVISOR_console_io, 18), NUM(__HYPERVISOR_physdev_op_compat, 19),
	      NUM(__HYPERVISOR_grant_table_op, 20), NUM(__HYPERVISOR_vm_assist, 21),
	      NUM(__HYPERVISOR_update_va_mapping_otherdomain, 22), NUM(__HYPERVISOR_iret, 23),
	      NUM(__HYPERVISOR_vcpu_op, 24), NUM(__HYPERVISOR_set_segment_base, 25),
	      NUM(__HYPERVISOR_mmuext_op, 26), NUM(__HYPERVISOR_xsm_op, 27),
	      NUM(__HYPERVISOR_nmi_op, 28), NUM(__HYPERVISOR_sched_op, 29),
	      NUM(__HYPERVISOR_callback_op, 30), NUM(__HYPERVISOR_xenoprof_op, 31),
	      NUM(__HYPERVISOR_event_channel_op, 32), NUM(__HYPERVISOR_physdev_op, 33),
	      NUM(__HYPERVISOR_hvm_op, 34), NUM(__HYPERVISOR_sysctl, 35),
	      NUM(__HYPERVISOR_domctl, 36), NUM(__HYPERVISOR_kexec_op, 37),
	      NUM(__HYPERVISOR_tmem_op, 38), NUM(__HYPERVISOR_argo_op, 39),
	      NUM(__HYPERVISOR_xenpmu_op, 40), NUM(__HYPERVISOR_dm_op, 41),
	      NUM(__HYPERVISOR_hypfs_op, 42), NUM(__HYPERVISOR_arch_0, 48),
	      NUM(__HYPERVISOR_arch_7, 55), NUM(HYPERCALL_STUB_SIZE, 32),
	      NUM(HYPERCALL_NR_STUBS * HYPERCALL_STUB_SIZE, 4096));
}

static void core_numbers(void)
{
	GROUP("VIRQ numbers", NUM(VIRQ_TIMER, 0), NUM(VIRQ_DEBUG, 1), NUM(VIRQ_CONSOLE, 2),
	      NUM(VIRQ_DOM_EXC, 3), NUM(VIRQ_TBUF, 4), NUM(VIRQ_DEBUGGER, 6), NUM(VIRQ_XENOPROF, 7),
	      NUM(VIRQ_CON_RING, 8), NUM(VIRQ_PCPU_STATE, 9), NUM(VIRQ_MEM_EVENT, 10),
	      NUM(VIRQ_ARGO, 11), NUM(VIRQ_ENOMEM, 12), NUM(VIRQ_XENPMU, 13), NUM(VIRQ_ARCH_0, 16),
	      NUM(VIRQ_ARCH_7, 23), NUM(NR_VIRQS, 24));
	GROUP("MMU_* and MMUEXT_* commands", NUM(MMU_NORMAL_PT_UPDATE, 0),
	      NUM(MMU_MACHPHYS_UPDATE, 1), NUM(MMU_PT_UPDATE_PRESERVE_AD, 2),
	      NUM(MMU_PT_UPDATE_NO_TRANSLATE, 3), NUM(MMUEXT_PIN_L1_TABLE, 0),
	      NUM(MMUEXT_PIN_L2_TABLE, 1), NUM(MMUEXT_PIN_L3_TABLE, 2), NUM(MMUEXT_PIN_L4_TABLE, 3),
	      NUM(MMUEXT_UNPIN_TABLE, 4), NUM(MMUEXT_NEW_BASEPTR, 5),
	      NUM(MMUEXT_TLB_FLUSH_LOCAL, 6), NUM(MMUEXT_INVLPG_LOCAL, 7),
	      NUM(MMUEXT_TLB_FLUSH_MULTI, 8), NUM(MMUEXT_INVLPG_MULTI, 9),
	      NUM(MMUEXT_TLB_FLUSH_ALL, 10), NUM(MMUEXT_INVLPG_ALL, 11),
	      NUM(MMUEXT_FLUSH_CACHE, 12), NUM(MMUEXT_SET_LDT, 13),
	      NUM(MMUEXT_NEW_USER_BASEPTR, 15), NUM(MMUEXT_CLEAR_PAGE, 16),
	      NUM(MMUEXT_COPY_PAGE, 17), NUM(MMUEXT_FLUSH_CACHE_GLOBAL, 18),
	      NUM(MMUEXT_MARK_SUPER, 19), NUM(MMUEXT_UNMARK_SUPER, 20));
	GROUP("UVMF, CONSOLEIO, VMASST", NUM(UVMF_NONE, 0), NUM(UVMF_TLB_FLUSH, 1),
	      NUM(UVMF_INVLPG, 2), NUM(UVMF_FLUSHTYPE_MASK, 3), NUM(UVMF_MULTI, 0),
	      NUM(UVMF_LOCAL, 0), NUM(UVMF_ALL, 4), NUM(CONSOLEIO_write, 0), NUM(CONSOLEIO_read, 1),
	      NUM(VMASST_CMD_enable, 0), NUM(VMASST_CMD_disable, 1),
	      NUM(VMASST_TYPE_writable_pagetables, 2), NUM(VMASST_TYPE_pae_extended_cr3, 3),
	      NUM(VMASST_TYPE_architectural_iopl, 4), NUM(VMASST_TYPE_runstate_update_flag, 5),
	      NUM(VMASST_TYPE_m2p_strict, 32));
	GROUP("DOMID and SIF values", NUM(DOMID_FIRST_RESERVED, 0x7FF0), NUM(DOMID_SELF, 0x7FF0),
	      NUM(DOMID_IO, 0x7FF1), NUM(DOMID_XEN, 0x7FF2), NUM(DOMID_COW, 0x7FF3),
	      NUM(DOMID_INVALID, 0x7FF4), NUM(DOMID_ANY, 0x7FF5), NUM(DOMID_IDLE, 0x7FFF),
	      NUM(SIF_PRIVILEGED, 1), NUM(SIF_INITDOMAIN, 2), NUM(SIF_MULTIBOOT_MOD, 4),
	      NUM(SIF_MOD_START_PFN, 8), NUM(SIF_VIRT_P2M_4TOOLS, 16), NUM(SIF_PM_MASK, 0xFF00),
	      NUM(MAX_GUEST_CMDLINE, 1024), NUM(sizeof(domid_t), 2),
	      NUM(sizeof(XEN_START_INFO_MAGIC) - 1, 14));
}

static void core_structs(void)
{
	GROUP("struct mmu_update", SZ(struct mmu_update, 16), OFF(struct mmu_update, val, 8));
	GROUP("struct mmuext_op", SZ(struct mmuext_op, 24), OFF(struct mmuext_op, arg1, 8),
	      OFF(struct mmuext_op, arg2, 16));
	GROUP("struct multicall_entry", SZ(struct multicall_entry, 64),
	      OFF(struct multicall_entry, result, 8), OFF(struct multicall_entry, args, 16));
	GROUP("struct vcpu_time_info", SZ(struct vcpu_time_info, 32),
	      OFF(struct vcpu_time_info, tsc_timestamp, 8),
	      OFF(struct vcpu_time_info, system_time, 16),
	      OFF(struct vcpu_time_info, tsc_to_system_mul, 24),
	      OFF(struct vcpu_time_info, tsc_shift, 28), OFF(struct vcpu_time_info, flags, 29));
	GROUP("struct vcpu_info", SZ(struct vcpu_info, 64),
	      OFF(struct vcpu_info, evtchn_upcall_pending, 0),
	      OFF(struct vcpu_info, evtchn_upcall_mask, 1),
	      OFF(struct vcpu_info, evtchn_pending_sel, 8), OFF(struct vcpu_info, arch, 16),
	      OFF(struct vcpu_info, arch.cr2, 16), OFF(struct vcpu_info, time, 32));
	GROUP("struct shared_info", SZ(struct shared_info, 3136),
	      OFF(struct shared_info, vcpu_info[1], 64),
	      OFF(struct shared_info, evtchn_pending, 2048),
	      OFF(struct shared_info, evtchn_mask, 2560), OFF(struct shared_info, wc_version, 3072),
	      OFF(struct shared_info, wc_sec, 3076), OFF(struct shared_info, wc_nsec, 3080),
	      OFF(struct shared_info, wc_sec_hi, 3084), OFF(struct shared_info, arch, 3088),
	      OFF(struct shared_info, arch.pfn_to_mfn_frame_list_list, 3096),
	      NUM(EVTCHN_2L_NR_CHANNELS, 4096));
	GROUP("struct start_info", SZ(struct start_info, 1168), OFF(struct start_info, magic, 0),
	      OFF(struct start_info, nr_pages, 32), OFF(struct start_info, shared_info, 40),
	      OFF(struct start_info, flags, 48), OFF(struct start_info, store_mfn, 56),
	      OFF(struct start_info, store_evtchn, 64), OFF(struct start_info, console, 72),
	      OFF(struct start_info, console.domU.evtchn, 80),
	      OFF(struct start_info, console.dom0.info_size, 76),
	      OFF(struct start_info, pt_base, 88), OFF(struct start_info, nr_pt_frames, 96),
	      OFF(struct start_info, mfn_list, 104), OFF(struct start_info, mod_start, 112),
	      OFF(struct start_info, mod_len, 120), OFF(struct start_info, cmd_line, 128),
	      OFF(struct start_info, first_p2m_pfn, 1152),
	      OFF(struct start_info, nr_p2m_frames, 1160));
	GROUP("struct dom0_vga_console_info", SZ(struct dom0_vga_console_info, 40),
	      OFF(struct dom0_vga_console_info, u, 4),
	      OFF(struct dom0_vga_console_info, u.vesa_lfb.lfb_base, 12),
	      OFF(struct dom0_vga_console_info, u.vesa_lfb.red_pos, 20),
	      OFF(struct dom0_vga_console_info, u.vesa_lfb.gbl_caps, 28),
	      OFF(struct dom0_vga_console_info, u.vesa_lfb.ext_lfb_base, 36),
	      NUM(XEN_VGATYPE_TEXT_MODE_3, 3), NUM(XEN_VGATYPE_VESA_LFB, 0x23),
	      NUM(XEN_VGATYPE_EFI_LFB, 0x70));
}

static void arch(void)
{
	GROUP("flat selectors and GDT reservation", NUM(FLAT_RING3_CS32, 0xe023),
	      NUM(FLAT_RING3_CS64, 0xe033), NUM(FLAT_RING3_DS32, 0xe02b), NUM(FLAT_RING3_DS64, 0),
	      NUM(FLAT_RING3_SS32, 0xe02b), NUM(FLAT_RING3_SS64, 0xe02b),
	      NUM(FLAT_KERNEL_CS, 0xe033), NUM(FLAT_KERNEL_SS, 0xe02b), NUM(FLAT_USER_CS, 0xe033),
	      NUM(FIRST_RESERVED_GDT_PAGE, 14), NUM(FIRST_RESERVED_GDT_BYTE, 0xe000),
	      NUM(FIRST_RESERVED_GDT_ENTRY, 7168));
	GROUP("address space split", NUM(HYPERVISOR_VIRT_START, 0xFFFF800000000000ULL),
	      NUM(HYPERVISOR_VIRT_END, 0xFFFF880000000000ULL),
	      NUM(MACH2PHYS_VIRT_START, 0xFFFF800000000000ULL),
	      NUM(MACH2PHYS_VIRT_END, 0xFFFF804000000000ULL),
	      NUM(MACH2PHYS_NR_ENTRIES, 0x800000000ULL), NUM(XEN_LEGACY_MAX_VCPUS, 32),
	      NUM(SEGBASE_FS, 0), NUM(SEGBASE_GS_USER, 1), NUM(SEGBASE_GS_KERNEL, 2),
	      NUM(SEGBASE_GS_USER_SEL, 3));
	GROUP("page-table entry bits", NUM(_PAGE_PRESENT, 1), NUM(_PAGE_RW, 2), NUM(_PAGE_USER, 4),
	      NUM(_PAGE_PWT, 8), NUM(_PAGE_PCD, 0x10), NUM(_PAGE_ACCESSED, 0x20),
	      NUM(_PAGE_DIRTY, 0x40), NUM(_PAGE_PAT, 0x80), NUM(_PAGE_GLOBAL, 0x100),
	      NUM(_PAGE_NX, 1ULL << 63), NUM(XEN_PTE_ADDR_MASK, 0x000FFFFFFFFFF000ULL));
	GROUP("struct trap_info", SZ(struct trap_info, 16), OFF(struct trap_info, flags, 1),
	      OFF(struct trap_info, cs, 2), OFF(struct trap_info, address, 8),
	      NUM(TI_MASK_EVENTS, 4), NUM(TI_DPL_MASK, 3));
	GROUP("struct iret_context", SZ(struct iret_context, 72), OFF(struct iret_context, r11, 8),
	      OFF(struct iret_context, rcx, 16), OFF(struct iret_context, flags, 24),
	      OFF(struct iret_context, rip, 32), OFF(struct iret_context, cs, 40),
	      OFF(struct iret_context, rflags, 48), OFF(struct iret_context, rsp, 56),
	      OFF(struct iret_context, ss, 64), NUM(VGCF_in_syscall, 256));
	GROUP("struct cpu_user_regs", SZ(struct cpu_user_regs, 200),
	      OFF(struct cpu_user_regs, r15, 0), OFF(struct cpu_user_regs, rbp, 32),
	      OFF(struct cpu_user_regs, r11, 48), OFF(struct cpu_user_regs, rax, 80),
	      OFF(struct cpu_user_regs, rdi, 112), OFF(struct cpu_user_regs, error_code, 120),
	      OFF(struct cpu_user_regs, entry_vector, 124), OFF(struct cpu_user_regs, rip, 128),
	      OFF(struct cpu_user_regs, cs, 136), OFF(struct cpu_user_regs, saved_upcall_mask, 140),
	      OFF(struct cpu_user_regs, rflags, 144), OFF(struct cpu_user_regs, rsp, 152),
	      OFF(struct cpu_user_regs, ss, 160), OFF(struct cpu_user_regs, es, 168),
	      OFF(struct cpu_user_regs, ds, 176), OFF(struct cpu_user_regs, fs, 184),
	      OFF(struct cpu_user_regs, gs, 192));
	GROUP("struct vcpu_guest_context", SZ(struct vcpu_guest_context, 5168),
	      OFF(struct vcpu_guest_context, flags, 512),
	      OFF(struct vcpu_guest_context, user_regs, 520),
	      OFF(struct vcpu_guest_context, trap_ctxt, 720),
	      OFF(struct vcpu_guest_context, ldt_base, 4816),
	      OFF(struct vcpu_guest_context, gdt_frames, 4832),
	      OFF(struct vcpu_guest_context, gdt_ents, 4960),
	      OFF(struct vcpu_guest_context, kernel_ss, 4968),
	      OFF(struct vcpu_guest_context, ctrlreg, 4984),
	      OFF(struct vcpu_guest_context, debugreg, 5048),
	      OFF(struct vcpu_guest_context, event_callback_eip, 5112),
	      OFF(struct vcpu_guest_context, syscall_callback_eip, 5128),
	      OFF(struct vcpu_guest_context, vm_assist, 5136),
	      OFF(struct vcpu_guest_context, gs_base_user, 5160), NUM(VGCF_in_kernel, 4),
	      NUM(VGCF_online, 32));
	GROUP("arch_vcpu_info and arch_shared_info", SZ(struct arch_vcpu_info, 16),
	      SZ(struct arch_shared_info, 48), OFF(struct arch_shared_info, nmi_reason, 16),
	      OFF(struct arch_shared_info, p2m_cr3, 24),
	      OFF(struct arch_shared_info, p2m_generation, 40));
}

static void elfnotes(void)
{
	GROUP("ELF note types", NUM(XEN_ELFNOTE_INFO, 0), NUM(XEN_ELFNOTE_ENTRY, 1),
	      NUM(XEN_ELFNOTE_HYPERCALL_PAGE, 2), NUM(XEN_ELFNOTE_VIRT_BASE, 3),
	      NUM(XEN_ELFNOTE_PADDR_OFFSET, 4), NUM(XEN_ELFNOTE_XEN_VERSION, 5),
	      NUM(XEN_ELFNOTE_GUEST_OS, 6), NUM(XEN_ELFNOTE_GUEST_VERSION, 7),
	      NUM(XEN_ELFNOTE_LOADER, 8), NUM(XEN_ELFNOTE_PAE_MODE, 9),
	      NUM(XEN_ELFNOTE_FEATURES, 10), NUM(XEN_ELFNOTE_BSD_SYMTAB, 11),
	      NUM(XEN_ELFNOTE_HV_START_LOW, 12), NUM(XEN_ELFNOTE_L1_MFN_VALID, 13),
	      NUM(XEN_ELFNOTE_SUSPEND_CANCEL, 14), NUM(XEN_ELFNOTE_INIT_P2M, 15),
	      NUM(XEN_ELFNOTE_MOD_START_PFN, 16), NUM(XEN_ELFNOTE_SUPPORTED_FEATURES, 17),
	      NUM(XEN_ELFNOTE_PHYS32_ENTRY, 18), NUM(XEN_ELFNOTE_OWNER_SIZE, 4),
	      NUM(sizeof(XEN_ELFNOTE_OWNER), 4));
}

static void sched_vcpu_callback(void)
{
	GROUP("sched_op", NUM(SCHEDOP_yield, 0), NUM(SCHEDOP_block, 1), NUM(SCHEDOP_shutdown, 2),
	      NUM(SCHEDOP_poll, 3), NUM(SCHEDOP_remote_shutdown, 4), NUM(SCHEDOP_shutdown_code, 5),
	      NUM(SCHEDOP_watchdog, 6), NUM(SCHEDOP_pin_override, 7), NUM(SHUTDOWN_poweroff, 0),
	      NUM(SHUTDOWN_reboot, 1), NUM(SHUTDOWN_suspend, 2), NUM(SHUTDOWN_crash, 3),
	      NUM(SHUTDOWN_watchdog, 4), NUM(SHUTDOWN_soft_reset, 5), SZ(struct sched_shutdown, 4),
	      SZ(struct sched_poll, 24), OFF(struct sched_poll, nr_ports, 8),
	      OFF(struct sched_poll, timeout, 16), SZ(struct sched_remote_shutdown, 8),
	      OFF(struct sched_remote_shutdown, reason, 4), SZ(struct sched_watchdog, 8),
	      SZ(struct sched_pin_override, 4));
	GROUP("vcpu_op", NUM(VCPUOP_initialise, 0), NUM(VCPUOP_up, 1), NUM(VCPUOP_down, 2),
	      NUM(VCPUOP_is_up, 3), NUM(VCPUOP_get_runstate_info, 4),
	      NUM(VCPUOP_register_runstate_memory_area, 5), NUM(VCPUOP_set_periodic_timer, 6),
	      NUM(VCPUOP_stop_periodic_timer, 7), NUM(VCPUOP_set_singleshot_timer, 8),
	      NUM(VCPUOP_stop_singleshot_timer, 9), NUM(VCPUOP_register_vcpu_info, 10),
	      NUM(VCPUOP_send_nmi, 11), NUM(VCPUOP_get_physid, 12),
	      NUM(VCPUOP_register_vcpu_time_memory_area, 13), NUM(RUNSTATE_running, 0),
	      NUM(RUNSTATE_offline, 3), NUM(VCPU_SSHOTTMR_future, 1),
	      SZ(struct vcpu_runstate_info, 48), OFF(struct vcpu_runstate_info, time, 16),
	      SZ(struct vcpu_set_singleshot_timer, 16), SZ(struct vcpu_register_vcpu_info, 16),
	      OFF(struct vcpu_register_vcpu_info, offset, 8),
	      SZ(struct vcpu_register_runstate_memory_area, 8));
	GROUP("callback_op", NUM(CALLBACKTYPE_event, 0), NUM(CALLBACKTYPE_failsafe, 1),
	      NUM(CALLBACKTYPE_syscall, 2), NUM(CALLBACKTYPE_nmi, 4), NUM(CALLBACKTYPE_sysenter, 5),
	      NUM(CALLBACKTYPE_syscall32, 7), NUM(CALLBACKF_mask_events, 1),
	      NUM(CALLBACKOP_register, 0), NUM(CALLBACKOP_unregister, 1),
	      SZ(struct callback_register, 16), OFF(struct callback_register, flags, 2),
	      OFF(struct callback_register, address, 8), SZ(struct callback_unregister, 4));
}

static void memory(void)
{
	GROUP("memory_op numbers", NUM(XENMEM_increase_reservation, 0),
	      NUM(XENMEM_decrease_reservation, 1), NUM(XENMEM_maximum_ram_page, 2),
	      NUM(XENMEM_current_reservation, 3), NUM(XENMEM_maximum_reservation, 4),
	      NUM(XENMEM_machphys_mfn_list, 5), NUM(XENMEM_populate_physmap, 6),
	      NUM(XENMEM_add_to_physmap, 7), NUM(XENMEM_memory_map, 9),
	      NUM(XENMEM_machine_memory_map, 10), NUM(XENMEM_exchange, 11),
	      NUM(XENMEM_machphys_mapping, 12), NUM(XENMEM_set_memory_map, 13),
	      NUM(XENMEM_maximum_gpfn, 14), NUM(XENMEM_remove_from_physmap, 15),
	      NUM(XENMEM_add_to_physmap_batch, 23), NUM(XENMEM_machphys_compat_mfn_list, 25),
	      NUM(XENMEMF_populate_on_demand, 1 << 16), NUM(XENMEMF_node(0), 0x100),
	      NUM(XENMAPSPACE_shared_info, 0), NUM(XENMAPSPACE_gmfn_foreign, 4));
	GROUP("memory_op structures", SZ(struct xen_memory_reservation, 32),
	      OFF(struct xen_memory_reservation, nr_extents, 8),
	      OFF(struct xen_memory_reservation, extent_order, 16),
	      OFF(struct xen_memory_reservation, mem_flags, 20),
	      OFF(struct xen_memory_reservation, domid, 24), SZ(struct xen_memory_exchange, 72),
	      OFF(struct xen_memory_exchange, nr_exchanged, 64),
	      SZ(struct xen_machphys_mfn_list, 24),
	      OFF(struct xen_machphys_mfn_list, extent_start, 8),
	      OFF(struct xen_machphys_mfn_list, nr_extents, 16),
	      SZ(struct xen_machphys_mapping, 24), OFF(struct xen_machphys_mapping, max_mfn, 16),
	      SZ(struct xen_memory_map, 16), OFF(struct xen_memory_map, buffer, 8),
	      SZ(struct xen_foreign_memory_map, 24), OFF(struct xen_foreign_memory_map, map, 8),
	      SZ(struct xen_add_to_physmap, 24), OFF(struct xen_add_to_physmap, space, 4),
	      OFF(struct xen_add_to_physmap, gpfn, 16), SZ(struct xen_remove_from_physmap, 16),
	      SZ(struct xen_e820_entry, 20), OFF(struct xen_e820_entry, type, 16));
}

static void version(void)
{
	GROUP("xen_version", NUM(XENVER_version, 0), NUM(XENVER_extraversion, 1),
	      NUM(XENVER_compile_info, 2), NUM(XENVER_capabilities, 3), NUM(XENVER_changeset, 4),
	      NUM(XENVER_platform_parameters, 5), NUM(XENVER_get_features, 6),
	      NUM(XENVER_pagesize, 7), NUM(XENVER_guest_handle, 8), NUM(XENVER_commandline, 9),
	      NUM(XENVER_build_id, 10), NUM(XENVER_extraversion2, 11),
	      NUM(XENVER_capabilities2, 12), NUM(XENVER_changeset2, 13),
	      NUM(XENVER_commandline2, 14), SZ(xen_extraversion_t, 16),
	      SZ(struct xen_compile_info, 144), OFF(struct xen_compile_info, compile_by, 64),
	      OFF(struct xen_compile_info, compile_domain, 80),
	      OFF(struct xen_compile_info, compile_date, 112), SZ(xen_capabilities_info_t, 1024),
	      SZ(xen_changeset_info_t, 64), SZ(xen_commandline_t, 1024),
	      SZ(struct xen_platform_parameters, 8), SZ(struct xen_feature_info, 8),
	      OFF(struct xen_feature_info, submap, 4));
	GROUP("XENFEAT bits", NUM(XENFEAT_writable_page_tables, 0),
	      NUM(XENFEAT_writable_descriptor_tables, 1), NUM(XENFEAT_auto_translated_physmap, 2),
	      NUM(XENFEAT_supervisor_mode_kernel, 3), NUM(XENFEAT_pae_pgdir_above_4gb, 4),
	      NUM(XENFEAT_mmu_pt_update_preserve_ad, 5), NUM(XENFEAT_highmem_assist, 6),
	      NUM(XENFEAT_gnttab_map_avail_bits, 7), NUM(XENFEAT_hvm_callback_vector, 8),
	      NUM(XENFEAT_hvm_safe_pvclock, 9), NUM(XENFEAT_hvm_pirqs, 10), NUM(XENFEAT_dom0, 11),
	      NUM(XENFEAT_memory_op_vnode_supported, 13), NUM(XENFEAT_ARM_SMCCC_supported, 14),
	      NUM(XENFEAT_linux_rsdp_unrestricted, 15), NUM(XENFEAT_not_direct_mapped, 16),
	      NUM(XENFEAT_direct_mapped, 17), NUM(XENFEAT_runstate_phys_area, 18),
	      NUM(XENFEAT_vcpu_time_phys_area, 19), NUM(XENFEAT_NR_SUBMAPS, 1));
}

static void evtchn_gnttab(void)
{
	GROUP("event_channel_op", NUM(EVTCHNOP_bind_interdomain, 0), NUM(EVTCHNOP_bind_virq, 1),
	      NUM(EVTCHNOP_bind_pirq, 2), NUM(EVTCHNOP_close, 3), NUM(EVTCHNOP_send, 4),
	      NUM(EVTCHNOP_status, 5), NUM(EVTCHNOP_alloc_unbound, 6), NUM(EVTCHNOP_bind_ipi, 7),
	      NUM(EVTCHNOP_bind_vcpu, 8), NUM(EVTCHNOP_unmask, 9), NUM(EVTCHNOP_reset, 10),
	      NUM(EVTCHNOP_reset_cont, 14), NUM(EVTCHNOP_init_control, 11),
	      NUM(EVTCHNOP_expand_array, 12), NUM(EVTCHNOP_set_priority, 13),
	      NUM(EVTCHNSTAT_closed, 0), NUM(EVTCHNSTAT_ipi, 5), SZ(evtchn_port_t, 4),
	      SZ(struct evtchn_alloc_unbound, 8), OFF(struct evtchn_alloc_unbound, remote_dom, 2),
	      OFF(struct evtchn_alloc_unbound, port, 4), SZ(struct evtchn_bind_interdomain, 12),
	      OFF(struct evtchn_bind_interdomain, local_port, 8), SZ(struct evtchn_bind_virq, 12),
	      SZ(struct evtchn_bind_pirq, 12), SZ(struct evtchn_bind_ipi, 8),
	      SZ(struct evtchn_status, 24), OFF(struct evtchn_status, vcpu, 12),
	      OFF(struct evtchn_status, u.interdomain.port, 20), SZ(struct evtchn_bind_vcpu, 8),
	      SZ(struct evtchn_init_control, 24), OFF(struct evtchn_init_control, link_bits, 16),
	      SZ(struct evtchn_op, 28), OFF(struct evtchn_op, u, 4),
	      NUM(EVTCHN_FIFO_NR_CHANNELS, 131072));
	GROUP(
	    "grant_table_op", NUM(GNTTABOP_map_grant_ref, 0), NUM(GNTTABOP_unmap_grant_ref, 1),
	    NUM(GNTTABOP_setup_table, 2), NUM(GNTTABOP_dump_table, 3), NUM(GNTTABOP_transfer, 4),
	    NUM(GNTTABOP_copy, 5), NUM(GNTTABOP_query_size, 6), NUM(GNTTABOP_unmap_and_replace, 7),
	    NUM(GNTTABOP_set_version, 8), NUM(GNTTABOP_get_status_frames, 9),
	    NUM(GNTTABOP_get_version, 10), NUM(GNTTABOP_swap_grant_ref, 11),
	    NUM(GNTTABOP_cache_flush, 12), NUM(GTF_permit_access, 1), NUM(GTF_accept_transfer, 2),
	    NUM(GTF_readonly, 4), NUM(GTF_reading, 8), NUM(GTF_writing, 16),
	    NUM(GNTMAP_host_map, 2), NUM(GNTMAP_readonly, 4), NUM(GNTMAP_contains_pte, 16),
	    NUM((unsigned int)-GNTST_eagain, 12), SZ(struct grant_entry_v1, 8),
	    OFF(struct grant_entry_v1, domid, 2), OFF(struct grant_entry_v1, frame, 4),
	    SZ(union grant_entry_v2, 16), SZ(struct gnttab_map_grant_ref, 32),
	    OFF(struct gnttab_map_grant_ref, ref, 12), OFF(struct gnttab_map_grant_ref, status, 18),
	    OFF(struct gnttab_map_grant_ref, handle, 20), SZ(struct gnttab_unmap_grant_ref, 24),
	    OFF(struct gnttab_unmap_grant_ref, status, 20), SZ(struct gnttab_setup_table, 24),
	    OFF(struct gnttab_setup_table, status, 8), SZ(struct gnttab_copy, 40),
	    OFF(struct gnttab_copy, dest, 16), OFF(struct gnttab_copy, status, 36),
	    SZ(struct gnttab_query_size, 16), SZ(struct gnttab_transfer, 24),
	    SZ(struct gnttab_get_status_frames, 16), SZ(struct gnttab_cache_flush, 16));
}

static void flask_physdev(void)
{
	GROUP("flask_op", NUM(XEN_FLASK_INTERFACE_VERSION, 1), NUM(FLASK_LOAD, 1),
	      NUM(FLASK_GETENFORCE, 2), NUM(FLASK_SETENFORCE, 3), NUM(FLASK_CONTEXT_TO_SID, 4),
	      NUM(FLASK_SID_TO_CONTEXT, 5), NUM(FLASK_ACCESS, 6), NUM(FLASK_CREATE, 7),
	      NUM(FLASK_RELABEL, 8), NUM(FLASK_USER, 9), NUM(FLASK_POLICYVERS, 10),
	      NUM(FLASK_GETBOOL, 11), NUM(FLASK_SETBOOL, 12), NUM(FLASK_COMMITBOOLS, 13),
	      NUM(FLASK_MLS, 14), NUM(FLASK_DISABLE, 15), NUM(FLASK_GETAVC_THRESHOLD, 16),
	      NUM(FLASK_SETAVC_THRESHOLD, 17), NUM(FLASK_AVC_HASHSTATS, 18),
	      NUM(FLASK_AVC_CACHESTATS, 19), NUM(FLASK_MEMBER, 20), NUM(FLASK_ADD_OCONTEXT, 21),
	      NUM(FLASK_DEL_OCONTEXT, 22), NUM(FLASK_GET_PEER_SID, 23),
	      NUM(FLASK_RELABEL_DOMAIN, 24), NUM(FLASK_DEVICETREE_LABEL, 25),
	      SZ(struct xen_flask_op, 40), OFF(struct xen_flask_op, interface_version, 4),
	      OFF(struct xen_flask_op, u, 8), SZ(struct xen_flask_load, 16),
	      OFF(struct xen_flask_load, size, 8), SZ(struct xen_flask_sid_context, 16),
	      OFF(struct xen_flask_sid_context, context, 8), SZ(struct xen_flask_access, 32),
	      OFF(struct xen_flask_access, allowed, 16), SZ(struct xen_flask_transition, 16),
	      SZ(struct xen_flask_boolean, 24), OFF(struct xen_flask_boolean, commit, 7),
	      OFF(struct xen_flask_boolean, name, 16), SZ(struct xen_flask_cache_stats, 28),
	      SZ(struct xen_flask_ocontext, 24), OFF(struct xen_flask_ocontext, low, 8),
	      SZ(struct xen_flask_peersid, 8), SZ(struct xen_flask_relabel, 8),
	      SZ(struct xen_flask_devicetree_label, 16));
	GROUP("physdev_op", NUM(PHYSDEVOP_irq_status_query, 5), NUM(PHYSDEVOP_set_iopl, 6),
	      NUM(PHYSDEVOP_set_iobitmap, 7), NUM(PHYSDEVOP_apic_read, 8),
	      NUM(PHYSDEVOP_apic_write, 9), NUM(PHYSDEVOP_alloc_irq_vector, 10),
	      NUM(PHYSDEVOP_free_irq_vector, 11), NUM(PHYSDEVOP_eoi, 12),
	      NUM(PHYSDEVOP_map_pirq, 13), NUM(PHYSDEVOP_unmap_pirq, 14),
	      NUM(PHYSDEVOP_pirq_eoi_gmfn_v1, 17), NUM(PHYSDEVOP_setup_gsi, 21),
	      NUM(PHYSDEVOP_pirq_eoi_gmfn_v2, 28), NUM(PHYSDEVOP_pci_device_reset, 32),
	      NUM(XENIRQSTAT_needs_eoi, 1), NUM(XENIRQSTAT_shared, 2),
	      SZ(struct physdev_set_iopl, 4), SZ(struct physdev_set_iobitmap, 16),
	      OFF(struct physdev_set_iobitmap, nr_ports, 8), SZ(struct physdev_eoi, 4),
	      SZ(struct physdev_irq_status_query, 8), SZ(struct physdev_apic, 16),
	      OFF(struct physdev_apic, value, 12), SZ(struct physdev_op, 24),
	      OFF(struct physdev_op, u, 8));
}

static void errnos(void)
{
	GROUP("Xen errno values", NUM(XEN_EPERM, 1), NUM(XEN_ENOENT, 2), NUM(XEN_ESRCH, 3),
	      NUM(XEN_EINTR, 4), NUM(XEN_EIO, 5), NUM(XEN_ENXIO, 6), NUM(XEN_E2BIG, 7),
	      NUM(XEN_ENOEXEC, 8), NUM(XEN_EBADF, 9), NUM(XEN_ECHILD, 10), NUM(XEN_EAGAIN, 11),
	      NUM(XEN_EWOULDBLOCK, 11), NUM(XEN_ENOMEM, 12), NUM(XEN_EACCES, 13),
	      NUM(XEN_EFAULT, 14), NUM(XEN_EBUSY, 16), NUM(XEN_EEXIST, 17), NUM(XEN_EXDEV, 18),
	      NUM(XEN_ENODEV, 19), NUM(XEN_EISDIR, 21), NUM(XEN_EINVAL, 22), NUM(XEN_ENFILE, 23),
	      NUM(XEN_EMFILE, 24), NUM(XEN_ENOSPC, 28), NUM(XEN_EROFS, 30), NUM(XEN_EMLINK, 31),
	      NUM(XEN_EDOM, 33), NUM(XEN_ERANGE, 34), NUM(XEN_EDEADLK, 35), NUM(XEN_EDEADLOCK, 35),
	      NUM(XEN_ENAMETOOLONG, 36), NUM(XEN_ENOLCK, 37), NUM(XEN_ENOSYS, 38),
	      NUM(XEN_ENOTEMPTY, 39), NUM(XEN_ENODATA, 61), NUM(XEN_ETIME, 62),
	      NUM(XEN_EBADMSG, 74), NUM(XEN_EOVERFLOW, 75), NUM(XEN_EILSEQ, 84),
	      NUM(XEN_ERESTART, 85), NUM(XEN_ENOTSOCK, 88), NUM(XEN_EMSGSIZE, 90),
	      NUM(XEN_EOPNOTSUPP, 95), NUM(XEN_EADDRINUSE, 98), NUM(XEN_EADDRNOTAVAIL, 99),
	      NUM(XEN_ENOBUFS, 105), NUM(XEN_EISCONN, 106), NUM(XEN_ENOTCONN, 107),
	      NUM(XEN_ETIMEDOUT, 110));
	/* The names hypervisor code uses must mean the ABI values. */
	GROUP("plain errno names equal XEN_E*", NUM(EPERM, XEN_EPERM), NUM(ENOENT, XEN_ENOENT),
	      NUM(ESRCH, XEN_ESRCH), NUM(EINTR, XEN_EINTR), NUM(EIO, XEN_EIO),
	      NUM(E2BIG, XEN_E2BIG), NUM(EAGAIN, XEN_EAGAIN), NUM(ENOMEM, XEN_ENOMEM),
	      NUM(EACCES, XEN_EACCES), NUM(EFAULT, XEN_EFAULT), NUM(EBUSY, XEN_EBUSY),
	      NUM(EEXIST, XEN_EEXIST), NUM(ENODEV, XEN_ENODEV), NUM(EINVAL, XEN_EINVAL),
	      NUM(ENOSPC, XEN_ENOSPC), NUM(ERANGE, XEN_ERANGE), NUM(ENOSYS, XEN_ENOSYS),
	      NUM(ENODATA, XEN_ENODATA), NUM(ETIME, XEN_ETIME), NUM(EOVERFLOW, XEN_EOVERFLOW),
	      NUM(EMSGSIZE, XEN_EMSGSIZE), NUM(EOPNOTSUPP, XEN_EOPNOTSUPP),
	      NUM(ENOBUFS, XEN_ENOBUFS), NUM(ETIMEDOUT, XEN_ETIMEDOUT));
}

/* The checker itself must notice a wrong value, or every PASS above is hollow. */
static void self_test(void)
{
	static const struct check wrong[] = {
	    SZ(struct vcpu_info, 64), SZ(struct start_info, 1160), /* deliberately wrong */
	    OFF(struct trap_info, address, 4),			   /* deliberately wrong */
	};
	int bad = run_group("self-test", wrong, sizeof(wrong) / sizeof(wrong[0]), 0);

	if (bad == 2) {
		printf("PASS: abi: checker reports deliberately wrong expectations (2 of 3)\n");
	} else {
		printf(
		    "FAIL: abi: checker reports deliberately wrong expectations (found %d of 2)\n",
		    bad);
		failed_groups++;
	}
}

int main(void)
{
	self_test();
	hypercalls();
	core_numbers();
	core_structs();
	arch();
	elfnotes();
	sched_vcpu_callback();
	memory();
	version();
	evtchn_gnttab();
	flask_physdev();
	errnos();
	return failed_groups ? 1 : 0;
}
