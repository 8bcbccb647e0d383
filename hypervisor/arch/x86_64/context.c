/*
 * vcpu context switch on x86_64 (arch/sched.h): everything a PV vcpu
 * owns on the CPU, saved from the outgoing vcpu and loaded for the
 * incoming one. The general registers need no copying: a guest's frame
 * stays at the top of its own hypervisor stack, and ctxt_switch.S swaps
 * stacks. What the CPU holds besides:
 *  - FPU/SSE/AVX: xsave/xrstor of the components in the vcpu's own XCR0
 *    (loaded first when it differs from the CPU's), or fxsave/fxrstor
 *    on a CPU without XSAVE; eagerly (a lazy scheme would have to keep
 *    the real CR0.TS apart from the guest's virtual one; Xen does the
 *    eager form too where it can);
 *  - CR3: the guest's L4 for its mode (vcpu_update_cr3); the idle vcpu
 *    runs on the hypervisor's own, so a dead domain's tables are never
 *    left loaded;
 *  - the guest's GDT entries in the CPU's GDT (pv/desc.c);
 *  - data selectors and FS/GS bases (read from the MSRs: the guest can
 *    change them by loading a selector, so the MSRs are the truth);
 *  - the guest-owned CR4 bits, the virtual TS as the real CR0.TS;
 *  - DR7: disabled while another vcpu runs, reloaded at the next exit;
 *  - TSS.RSP0, the syscall stack and SYSENTER_ESP: the vcpu's stack top.
 * The LDT needs nothing: set_ldt only records it (no lldt is ever done).
 * Sources: Xen 4.17 xen/arch/x86/domain.c (context_switch,
 * __context_switch, save_segments, load_segments) for what is switched,
 * xen/arch/x86/i387.c and xstate.c (xsave, xrstor, the XCR0 switch).
 */
#include <arch/mm.h>
#include <arch/sched.h>
#include <asm/context.h>
#include <asm/cpu.h>
#include <asm/paging.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <asm/traps.h>
#include <asm/xstate.h>
#include <domain.h>
#include <lib.h>
#include <public/xen.h>
#include <sched.h>

#define FXSAVE_FCW 0
#define FXSAVE_MXCSR 24
#define DESCS_PER_PAGE (PAGE_SIZE / 8)
/* rbp, rbx, r12-r15: what ctxt_switch_stack pops before its ret. */
#define SWITCH_SAVED_REGS 6

/* ctxt_switch.S */
void ctxt_switch_stack(uint64_t *save_rsp, uint64_t load_rsp);
extern const char ctxt_idle_start[], ctxt_guest_start[];

void ctxt_vcpu_init(struct vcpu *v)
{
	/* xsave's alignment, which the heap gives only to whole-page allocations. */
	if ((uintptr_t)v->arch.fpu % XSAVE_ALIGN) {
		panic("vcpu %p: FPU image misaligned", (void *)v);
	}
	memset(v->arch.fpu, 0, sizeof(v->arch.fpu));
	/* What fninit and a reset give: every exception masked, all registers empty. */
	*(uint16_t *)(v->arch.fpu + FXSAVE_FCW) = 0x37f;
	*(uint32_t *)(v->arch.fpu + FXSAVE_MXCSR) = 0x1f80;
	/* x87 and SSE as above; AVX (bit clear) in its init state, as Xen's PV start. */
	ctxt_fpu_image_set(v);
	v->arch.xcr0 = XSTATE_FP_SSE;
}

void ctxt_fpu_image_set(struct vcpu *v)
{
	uint64_t bv = XSTATE_FP_SSE;

	if (!xstate_mask) {
		return;
	}
	/* A non-zero XCOMP_BV or reserved header byte would make xrstor fault. */
	memset(v->arch.fpu + XSAVE_LEGACY_SIZE, 0, XSAVE_HDR_SIZE);
	memcpy(v->arch.fpu + XSAVE_XSTATE_BV, &bv, sizeof(bv));
}

/* Builds what ctxt_switch_stack pops, ending in a return to start, below top. */
static void prepare_stack(struct vcpu *v, uint64_t top, const char *start)
{
	uint64_t *sp = (uint64_t *)top;
	unsigned int i;

	*--sp = (uint64_t)start;
	for (i = 0; i < SWITCH_SAVED_REGS; i++) {
		*--sp = 0;
	}
	/* The first one popped is r15: current (asm/current.h) is v from its first switch-in. */
	sp[0] = (uint64_t)v;
	v->arch.saved_rsp = (uint64_t)sp;
}

void arch_idle_vcpu_init(struct vcpu *v)
{
	prepare_stack(v, v->arch.stack_top, ctxt_idle_start);
}

void ctxt_guest_first_entry(struct vcpu *v)
{
	prepare_stack(v, v->arch.stack_top - sizeof(struct cpu_regs), ctxt_guest_start);
}

static bool is_guest(const struct vcpu *v)
{
	return v && v->domain->domain_id != DOMID_IDLE;
}

#define READ_SEL(seg)                                                                              \
	({                                                                                         \
		uint16_t s_;                                                                       \
		__asm__ volatile("mov %%" #seg ", %0" : "=r"(s_));                                 \
		s_;                                                                                \
	})

/*
 * A selector the guest had loaded may name a descriptor it has since made
 * unusable (update_descriptor, set_gdt); loading that would fault here in
 * ring 0. verr asks, without faulting, whether ring 3 may read through it;
 * if not the guest gets a null selector, as a failed reload gets on Xen
 * before its failsafe callback.
 */
static uint16_t usable_sel(uint16_t sel)
{
	bool ok;

	if (!(sel & ~3)) {
		return 0;
	}
	__asm__ volatile("verr %1\n\tsetz %0" : "=q"(ok) : "r"(sel) : "cc");
	return ok ? sel : 0;
}

/* All ones: the components saved or restored are those XCR0 enables. */
#define XSTATE_ALL_LO 0xffffffffU
#define XSTATE_ALL_HI 0xffffffffU

static void fpu_save(struct vcpu *v)
{
	uint64_t cr4 = read_cr4();

	if (xstate_mask) {
		/* The CPU's XCR0 is v's own while v's state is live: its components. */
		write_cr0(read_cr0() & ~X86_CR0_TS);
		__asm__ volatile("xsave64 %0"
				 : "+m"(v->arch.fpu)
				 : "a"(XSTATE_ALL_LO), "d"(XSTATE_ALL_HI));
		return;
	}
	/* fxsave keeps the XMM registers only with OSFXSR on; TS would make it #NM. */
	write_cr4(cr4 | X86_CR4_OSFXSR);
	write_cr0(read_cr0() & ~X86_CR0_TS);
	__asm__ volatile("fxsave64 %0" : "=m"(v->arch.fpu));
	write_cr4(cr4);
}

static void fpu_load(struct vcpu *v)
{
	write_cr4(read_cr4() | X86_CR4_OSFXSR);
	write_cr0(read_cr0() & ~X86_CR0_TS);
	if (xstate_mask) {
		/* XCR0 first: xrstor restores what it enables, and the guest runs with it. */
		if (xgetbv(0) != v->arch.xcr0) {
			xsetbv(0, v->arch.xcr0);
		}
		__asm__ volatile("xrstor64 %0"
				 :
				 : "m"(v->arch.fpu), "a"(XSTATE_ALL_LO), "d"(XSTATE_ALL_HI));
		return;
	}
	__asm__ volatile("fxrstor64 %0" : : "m"(v->arch.fpu));
}

static void save_guest(struct vcpu *v)
{
	unsigned int i;

	fpu_save(v);
	v->arch.sel_ds = READ_SEL(ds);
	v->arch.sel_es = READ_SEL(es);
	v->arch.sel_fs = READ_SEL(fs);
	v->arch.sel_gs = READ_SEL(gs);
	v->arch.fs_base = rdmsr(MSR_FS_BASE);
	if (v->arch.in_kernel) {
		v->arch.gs_base_kernel = rdmsr(MSR_GS_BASE);
		v->arch.gs_base_user = rdmsr(MSR_KERNEL_GS_BASE);
	} else {
		v->arch.gs_base_user = rdmsr(MSR_GS_BASE);
		v->arch.gs_base_kernel = rdmsr(MSR_KERNEL_GS_BASE);
	}
	if (v->arch.dr7) {
		/* Its breakpoints must not fire in the next vcpu; pv_exit_prepare reloads them. */
		write_dr7(0);
		v->arch.dr_dirty = true;
	}
	for (i = 0; i < v->arch.gdt_ents; i++) {
		cpu_gdt_write(i, 0);
	}
}

static void load_guest(struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < v->arch.gdt_ents; i++) {
		const uint64_t *page = arch_mfn_to_virt(v->arch.gdt_frames[i / DESCS_PER_PAGE]);

		cpu_gdt_write(i, page[i % DESCS_PER_PAGE]);
	}
	vcpu_load_cr3(v);
	/* Selectors first: loading fs or gs also loads a base, which the MSRs then replace. */
	__asm__ volatile("mov %0, %%ds" : : "r"(usable_sel(v->arch.sel_ds)));
	__asm__ volatile("mov %0, %%es" : : "r"(usable_sel(v->arch.sel_es)));
	__asm__ volatile("mov %0, %%fs" : : "r"(usable_sel(v->arch.sel_fs)));
	__asm__ volatile("mov %0, %%gs" : : "r"(usable_sel(v->arch.sel_gs)));
	wrmsr(MSR_FS_BASE, v->arch.fs_base);
	pv_load_gs_base(v);
	fpu_load(v);
	pv_write_cr4(v, v->arch.cr4);
	if (v->arch.fpu_ts) {
		write_cr0(read_cr0() | X86_CR0_TS);
	}
}

void arch_context_switch(struct vcpu *prev, struct vcpu *next)
{
	/* The boot contexts' rsp go here; nothing ever switches back to them. */
	static uint64_t boot_rsp[NR_CPUS];
	unsigned int cpu = arch_cpu_id();

	if (is_guest(prev)) {
		save_guest(prev);
	}
	if (is_guest(next)) {
		load_guest(next);
	} else {
		write_cr3(paging_hv_root());
	}
	/* CR3 was reloaded: prev's domain has nothing cached here any more (mm_tlb_flush_others).
	 */
	if (is_guest(prev) && prev->domain != next->domain) {
		__atomic_fetch_and(&prev->domain->dirty_cpus, ~(1ULL << cpu), __ATOMIC_SEQ_CST);
	}
	pv_stack_top[cpu] = next->arch.stack_top;
	pv_current[cpu] = next;
	cpu_set_rsp0(next->arch.stack_top);
	wrmsr(MSR_SYSENTER_ESP, next->arch.stack_top);
	/* What current means off the vcpu stacks (IST handlers) from here on. */
	percpu[cpu].curr = next;
	ctxt_switch_stack(prev ? &prev->arch.saved_rsp : &boot_rsp[cpu], next->arch.saved_rsp);
}
