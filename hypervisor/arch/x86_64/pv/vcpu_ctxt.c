/*
 * VCPUOP_initialise on x86_64 PV: a vcpu that never ran gets the whole
 * state of Xen's struct vcpu_guest_context (public/arch_x86_64.h): its
 * registers, mode, virtual IDT, LDT and GDT, kernel stack, page tables,
 * debug registers, callbacks, FPU image and segment bases.
 *
 * Decode, check, then commit: everything that can be refused is refused
 * before the vcpu changes, and what was taken on the way (GDT frames
 * typed as descriptor pages, the L4 typed and referenced) is given back
 * on a refusal, so a refused context leaves nothing behind. The frame the
 * vcpu first enters the guest with is built at the top of its stack; it
 * runs once VCPUOP_up makes it runnable.
 *
 * Palisade is stricter than Xen in one place: Xen loads whatever code and
 * stack selectors it is given (a bad one ends in the guest's failsafe
 * callback); here they must name a usable descriptor (the FLAT selectors
 * or a present segment of the new GDT) or the call answers -EINVAL.
 *
 * Facts from Xen 4.17's xen/arch/x86/domain.c (arch_set_info_guest,
 * arch_initialise_vcpu), xen/common/domain.c (default_initialise_vcpu),
 * public/arch-x86/xen.h and Linux's arch/x86/xen/smp_pv.c
 * (cpu_initialize_context: what a kernel puts in the context).
 */
#include <arch/domain.h>
#include <arch/mm.h>
#include <asm/context.h>
#include <asm/cpu.h>
#include <asm/pv.h>
#include <asm/pv_mm.h>
#include <domain.h>
#include <guest_access.h>
#include <heap.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/xen.h>

#define DESC_P (1ULL << 47)
#define DESC_S (1ULL << 44)
#define DESC_CODE (1ULL << 43)
#define DESC_WRITABLE (1ULL << 41)
#define SEL_TI 4
#define DESCS_PER_PAGE (PAGE_SIZE / 8)
#define FXSAVE_MXCSR 24
/* MXCSR bits fxrstor accepts on every CPU (DAZ, bit 6, only on some). */
#define MXCSR_VALID 0xffbfU
/* What a guest may keep in rflags: arithmetic flags, TF, DF, AC, ID. */
#define RFLAGS_GUEST 0x00240dd5ULL

static bool canonical(uint64_t va)
{
	return ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;
}

/* The descriptor a selector (RPL already 3) names in the GDT being installed; 0 if none. */
static uint64_t gdt_desc(const mfn_t *frames, unsigned int ents, uint16_t sel)
{
	unsigned int idx = sel >> 3;
	const uint64_t *page;

	if ((sel & SEL_TI) || idx == 0 || idx >= ents) {
		return 0;
	}
	page = arch_mfn_to_virt(frames[idx / DESCS_PER_PAGE]);
	return page[idx % DESCS_PER_PAGE];
}

static bool code_sel_ok(const mfn_t *frames, unsigned int ents, uint16_t sel)
{
	uint64_t d;

	if ((sel >> 3) >= FIRST_RESERVED_GDT_ENTRY) {
		return sel == FLAT_RING3_CS64 || sel == FLAT_RING3_CS32;
	}
	d = gdt_desc(frames, ents, sel);
	return (d & DESC_P) && (d & DESC_S) && (d & DESC_CODE);
}

static bool stack_sel_ok(const mfn_t *frames, unsigned int ents, uint16_t sel)
{
	uint64_t d;

	if ((sel >> 3) >= FIRST_RESERVED_GDT_ENTRY) {
		return sel == FLAT_RING3_SS64;
	}
	d = gdt_desc(frames, ents, sel);
	return (d & DESC_P) && (d & DESC_S) && !(d & DESC_CODE) && (d & DESC_WRITABLE);
}

/* The checks that need nothing taken: addresses, sizes, FPU image. */
static bool context_plain_ok(const struct vcpu_guest_context *c)
{
	unsigned int i;
	uint32_t mxcsr;

	if (!canonical(c->user_regs.rip) || !canonical(c->user_regs.rsp) ||
	    !canonical(c->kernel_sp) || !canonical(c->fs_base) || !canonical(c->gs_base_kernel) ||
	    !canonical(c->gs_base_user) || !canonical(c->event_callback_eip) ||
	    !canonical(c->failsafe_callback_eip) || !canonical(c->syscall_callback_eip)) {
		return false;
	}
	for (i = 0; i < 256; i++) {
		if (!canonical(c->trap_ctxt[i].address)) {
			return false;
		}
	}
	/* The LDT as set_ldt would take it. */
	if (c->ldt_ents > MM_LDT_MAX_ENTS ||
	    (c->ldt_ents && ((c->ldt_base & (PAGE_SIZE - 1)) ||
			     !guest_range_ok(c->ldt_base, (size_t)c->ldt_ents * 8)))) {
		return false;
	}
	if (c->gdt_ents > FIRST_RESERVED_GDT_ENTRY) {
		return false;
	}
	/* fxrstor of reserved MXCSR bits would fault in the hypervisor. */
	memcpy(&mxcsr, c->fpu_ctxt + FXSAVE_MXCSR, sizeof(mxcsr));
	if ((c->flags & VGCF_i387_valid) && (mxcsr & ~MXCSR_VALID)) {
		return false;
	}
	return true;
}

/* v never ran: the reset state is what a refusal gives back. */
static void reset_debugregs(struct vcpu *v)
{
	memset(v->arch.dr, 0, sizeof(v->arch.dr));
	v->arch.dr7_emul = 0;
	v->arch.cr4 = 0;
	pv_debug_init(v);
}

/* CR4's guest bits first: DE decides which debug register settings are valid. */
static int set_debugregs(struct vcpu *v, const struct vcpu_guest_context *c)
{
	static const unsigned int regs[] = {0, 1, 2, 3, 6, 7};
	unsigned int i;

	v->arch.cr4 = c->ctrlreg[4] & (X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | X86_CR4_DE);
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		if (pv_set_debugreg(v, regs[i], c->debugreg[regs[i]])) {
			reset_debugregs(v);
			return -EINVAL;
		}
	}
	return 0;
}

static void commit(struct vcpu *v, const struct vcpu_guest_context *c)
{
	const struct cpu_user_regs *u = &c->user_regs;
	struct arch_vcpu *a = &v->arch;
	struct cpu_regs *r;
	unsigned int i;

	for (i = 0; i < 256; i++) {
		a->traps[i].address = c->trap_ctxt[i].address;
		a->traps[i].cs = c->trap_ctxt[i].cs | 3;
		a->traps[i].flags = c->trap_ctxt[i].flags;
	}
	a->ldt_base = c->ldt_ents ? c->ldt_base : 0;
	a->ldt_ents = (unsigned int)c->ldt_ents;
	a->kernel_ss = c->kernel_ss | 3;
	a->kernel_sp = c->kernel_sp;
	a->event_callback = c->event_callback_eip;
	a->failsafe_callback = c->failsafe_callback_eip;
	a->failsafe_disables_events = c->flags & VGCF_failsafe_disables_events;
	a->syscall_callback = c->syscall_callback_eip;
	a->syscall_disables_events = c->flags & VGCF_syscall_disables_events;
	a->fs_base = c->fs_base;
	a->gs_base_kernel = c->gs_base_kernel;
	a->gs_base_user = c->gs_base_user;
	a->sel_ds = u->ds;
	a->sel_es = u->es;
	a->sel_fs = u->fs;
	a->sel_gs = u->gs;
	a->fpu_ts = c->ctrlreg[0] & X86_CR0_TS;
	if (c->flags & VGCF_i387_valid) {
		memcpy(a->fpu, c->fpu_ctxt, sizeof(c->fpu_ctxt));
		ctxt_fpu_image_set(v);
	}
	/* The guest's IOPL is virtual (as PHYSDEVOP_set_iopl); the real one stays 0. */
	a->iopl = (unsigned int)((u->rflags & X86_EFLAGS_IOPL) >> 12);
	a->in_kernel = c->flags & VGCF_in_kernel;

	r = (struct cpu_regs *)(a->stack_top - sizeof(*r));
	memset(r, 0, sizeof(*r));
	r->r15 = u->r15;
	r->r14 = u->r14;
	r->r13 = u->r13;
	r->r12 = u->r12;
	r->rbp = u->rbp;
	r->rbx = u->rbx;
	r->r11 = u->r11;
	r->r10 = u->r10;
	r->r9 = u->r9;
	r->r8 = u->r8;
	r->rax = u->rax;
	r->rcx = u->rcx;
	r->rdx = u->rdx;
	r->rsi = u->rsi;
	r->rdi = u->rdi;
	r->rip = u->rip;
	r->cs = u->cs | 3;
	r->rflags = (u->rflags & RFLAGS_GUEST) | X86_EFLAGS_IF | 0x2;
	r->rsp = u->rsp;
	r->ss = u->ss | 3;
	r->vector = PV_SYSCALL_VECTOR;
	ctxt_guest_first_entry(v);
}

static int set_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct domain *d = v->domain;
	mfn_t frames[PV_GDT_MAX_FRAMES];
	unsigned int ents = (unsigned int)c->gdt_ents;
	int nr, rc;

	if (!context_plain_ok(c)) {
		return -EINVAL;
	}
	rc = set_debugregs(v, c);
	if (rc) {
		return rc;
	}
	nr = pv_gdt_acquire(d, c->gdt_frames, ents, frames);
	if (nr < 0) {
		rc = nr;
		goto undo_debug;
	}
	if (!code_sel_ok(frames, ents, c->user_regs.cs | 3) ||
	    !stack_sel_ok(frames, ents, c->user_regs.ss | 3)) {
		rc = -EINVAL;
		goto undo_gdt;
	}
	/* The top-level tables: typed L4 (validated on first use) and referenced, as pinning does.
	 */
	if (mm_new_guest_baseptr(v, _mfn(xen_cr3_to_pfn(c->ctrlreg[3])), false)) {
		rc = -EINVAL;
		goto undo_gdt;
	}
	if (c->ctrlreg[1] && mm_new_guest_baseptr(v, _mfn(xen_cr3_to_pfn(c->ctrlreg[1])), true)) {
		rc = -EINVAL;
		goto undo_cr3;
	}
	memcpy(v->arch.gdt_frames, frames, (size_t)nr * sizeof(frames[0]));
	v->arch.gdt_nr_frames = (unsigned int)nr;
	v->arch.gdt_ents = ents;
	commit(v, c);
	return 0;

undo_cr3:
	put_page_and_type(v->arch.guest_table);
	v->arch.guest_table = INVALID_MFN;
undo_gdt:
	pv_gdt_release(frames, (unsigned int)nr);
undo_debug:
	reset_debugregs(v);
	return rc;
}

int arch_vcpu_initialise(struct vcpu *v, uint64_t arg)
{
	struct vcpu_guest_context *c;
	int rc;

	/* 5 KiB: too big for the hypervisor stack. */
	c = xzalloc(sizeof(*c));
	if (!c) {
		return -ENOMEM;
	}
	if (copy_from_guest(c, arg, sizeof(*c))) {
		rc = -EFAULT;
	} else if (v->is_initialised) {
		rc = -EEXIST;
	} else {
		rc = set_context(v, c);
	}
	if (!rc) {
		v->is_initialised = true;
	}
	xfree(c);
	return rc;
}
