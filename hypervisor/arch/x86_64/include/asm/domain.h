/*
 * x86_64 PV per-vcpu state: struct arch_vcpu, embedded in struct vcpu
 * (domain.h) as v->arch. Only arch/x86_64 code reads or writes it.
 *
 * The guest register state of a vcpu that is not running lives in
 * arch.regs; while it runs, the entry stubs save the frame at the top of
 * the vcpu's hypervisor stack (arch.stack_top - sizeof(struct cpu_regs)),
 * which is where guest_regs() (asm/pv.h) points.
 */
#ifndef PALISADE_ASM_DOMAIN_H
#define PALISADE_ASM_DOMAIN_H

#include <asm/traps.h>
#include <asm/xstate.h>
#include <types.h>

/* One virtual IDT entry, set by set_trap_table. address 0 means "none". */
struct pv_trap_entry {
	uint64_t address;
	uint16_t cs;
	uint8_t flags; /* TI_* of public/arch_x86_64.h: DPL bits 0-1, mask events bit 2 */
};

/* Guest GDT as given to set_gdt: at most 14 pages (the rest is ours). */
#define PV_GDT_MAX_FRAMES 14

struct arch_vcpu {
	/* Kernel and user L4 (mfn); INVALID_MFN when the guest has none. */
	mfn_t guest_table;
	mfn_t guest_table_user;
	/* Guest kernel mode (true) or guest user mode. */
	bool in_kernel;

	/* Hypervisor stack of this vcpu: TSS.RSP0 and the syscall stack. */
	void *stack;
	uint64_t stack_top;

	/* Virtual IDT. */
	struct pv_trap_entry traps[256];
	/* stack_switch: where a bounce from guest user mode lands. */
	uint64_t kernel_ss, kernel_sp;

	/* Callbacks (set_callbacks / callback_op). */
	uint64_t event_callback;
	uint64_t failsafe_callback;
	uint64_t syscall_callback;
	uint64_t syscall32_callback;
	uint64_t sysenter_callback;
	uint64_t nmi_callback;
	bool failsafe_disables_events;
	bool syscall_disables_events;
	/*
	 * Recorded as Xen does; a 64-bit guest's compat syscall follows
	 * syscall_disables_events (Xen's switch_to_kernel), so this one is
	 * never consulted.
	 */
	bool syscall32_disables_events;
	bool sysenter_disables_events;

	/* Segment bases (set_segment_base). */
	uint64_t fs_base;
	uint64_t gs_base_kernel;
	uint64_t gs_base_user;
	uint16_t gs_sel_user;

	/* Virtual CR0.TS (fpu_taskswitch, clts). */
	bool fpu_ts;
	/* The guest-owned CR4 bits (OSFXSR, OSXMMEXCPT), see pv/emul.c. */
	uint64_t cr4;

	/* set_gdt: frames typed PGT_seg_desc while installed. */
	mfn_t gdt_frames[PV_GDT_MAX_FRAMES];
	unsigned int gdt_nr_frames;
	unsigned int gdt_ents;

	/* set_ldt (mmuext_op): guest linear base and entry count. */
	uint64_t ldt_base;
	unsigned int ldt_ents;

	/*
	 * Virtual IOPL, 0-3 (PHYSDEVOP_set_iopl; with the architectural_iopl
	 * assist also the iret hypercall); the real IOPL is always 0.
	 */
	unsigned int iopl;

	/*
	 * Debug registers as the guest set them (set_debugreg, mov to %drN):
	 * dr7 without its I/O breakpoint enables, which are emulated and kept
	 * in dr7_emul. dr_dirty: the CPU's registers must be loaded from these
	 * before the guest runs again. emul_dr6: #DB conditions met by the
	 * instruction being emulated (I/O breakpoints).
	 */
	uint64_t dr[4];
	uint32_t dr6, dr7, dr7_emul;
	bool dr_dirty;
	uint32_t emul_dr6;

	/* Saved guest registers while the vcpu is not on the CPU. */
	struct cpu_regs regs;

	/*
	 * Off the CPU (context.c): the hypervisor rsp its switch left, above
	 * which its callee-saved registers and return address lie; the data
	 * selectors the guest had loaded; its FPU/SSE/AVX image: an XSAVE area
	 * whose first 512 bytes are the FXSAVE image (asm/xstate.h; xsave needs
	 * 64-byte alignment: struct vcpu is larger than the heap's biggest slab
	 * class, so xzalloc gives it a page of its own, at the page's 64-byte
	 * header offset); the XCR0 the guest set (XSETBV, pv/emul.c), loaded
	 * while it runs.
	 */
	uint64_t saved_rsp;
	uint16_t sel_ds, sel_es, sel_fs, sel_gs;
	uint64_t xcr0;
	uint8_t fpu[XSAVE_AREA_MAX] __attribute__((aligned(XSAVE_ALIGN)));
};

#endif /* PALISADE_ASM_DOMAIN_H */
