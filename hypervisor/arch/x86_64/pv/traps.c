/*
 * Guest exceptions and their bounce into the guest, and the hypercalls
 * that shape them: set_trap_table, iret, stack_switch, set_callbacks,
 * callback_op, fpu_taskswitch, set_segment_base.
 *
 * A guest kernel cannot take an exception itself (it runs in ring 3 like
 * its processes), so the hypervisor takes it and "bounces" it: it writes
 * the frame a ring-0 kernel would have got onto the guest kernel stack,
 * in Xen's layout (rcx and r11 first, because a Xen PV kernel returns
 * through the iret hypercall whose stub clobbers them), and resumes the
 * guest at the handler from its virtual IDT.
 *
 * All of these are self-only operations: they change nothing but the
 * calling vcpu, so there is no XSM hook for them.
 */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/callback.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/xen.h>

static const char *const vec_names[32] = {
    [0] = "#DE",  [1] = "#DB",	[2] = "NMI",  [3] = "#BP",  [4] = "#OF",
    [5] = "#BR",  [6] = "#UD",	[7] = "#NM",  [8] = "#DF",  [10] = "#TS",
    [11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
    [17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE", [21] = "#CP",
};

static const char *vec_name(unsigned int v)
{
	return v < 32 && vec_names[v] ? vec_names[v] : "int";
}

static bool canonical_va(uint64_t va)
{
	return ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;
}

static bool has_error_code(unsigned int v)
{
	return v == 8 || v == 10 || v == 11 || v == 12 || v == 13 || v == 14 || v == 17 || v == 21;
}

void pv_crash(struct vcpu *v, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_err("d%u v%u: %s: crashing the domain\n", v->domain->domain_id, v->vcpu_id, buf);
	domain_shutdown(v->domain, SHUTDOWN_crash);
	/* A shutdown handler that returns leaves nothing to run. */
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void pv_bounce(struct cpu_regs *r, uint64_t handler, bool has_error, uint64_t error_code,
	       bool mask_events)
{
	struct vcpu *v = current;
	struct vcpu_info *vi = v->vcpu_info;
	uint64_t frame[8], rsp, cs;
	uint8_t saved_mask = vi->evtchn_upcall_mask;
	bool from_user = !v->arch.in_kernel;
	unsigned int n = 0;

	if (from_user) {
		pv_toggle_guest_mode(v);
		rsp = v->arch.kernel_sp;
		cs = r->cs | 3;
	} else {
		rsp = r->rsp;
		/* RPL 0 tells the guest kernel the trap came from kernel mode. */
		cs = r->cs & ~3ULL;
	}
	rsp &= ~0xfULL;

	frame[n++] = r->rcx;
	frame[n++] = r->r11;
	if (has_error) {
		frame[n++] = error_code;
	}
	frame[n++] = r->rip;
	frame[n++] = (cs & 0xffff) | ((uint64_t)saved_mask << 32);
	/* IF shows the event mask; IOPL the virtual one, if the guest asked for that. */
	frame[n++] = (r->rflags & ~(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
		     (saved_mask ? 0 : X86_EFLAGS_IF) |
		     (pv_architectural_iopl(v->domain) ? (uint64_t)v->arch.iopl << 12 : 0);
	frame[n++] = r->rsp;
	frame[n++] = r->ss;
	rsp -= n * sizeof(uint64_t);
	if (copy_to_guest(rsp, frame, n * sizeof(uint64_t))) {
		pv_crash(
		    v, "cannot write a bounce frame at %#llx%s (event at rip %#llx, vector %llu)",
		    (unsigned long long)rsp, from_user ? " (kernel stack from stack_switch)" : "",
		    (unsigned long long)r->rip, (unsigned long long)r->vector);
	}

	r->rip = handler;
	r->cs = FLAT_KERNEL_CS64;
	r->ss = FLAT_KERNEL_SS64;
	r->rsp = rsp;
	r->rflags &=
	    ~(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF | X86_EFLAGS_VM | X86_EFLAGS_AC);
	r->rflags |= X86_EFLAGS_IF;
	if (mask_events) {
		vi->evtchn_upcall_mask = 1;
	}
}

void pv_bounce_exception(struct cpu_regs *r, unsigned int vector, bool has_error,
			 uint64_t error_code)
{
	struct vcpu *v = current;
	const struct pv_trap_entry *t = &v->arch.traps[vector & 0xff];

	if (!t->address) {
		if (vector == 14) {
			pr_err("d%u v%u: page fault address %#llx\n", v->domain->domain_id,
			       v->vcpu_id, (unsigned long long)v->vcpu_info->arch.cr2);
		}
		pv_crash(
		    v, "%s (vector %u, error %#llx) at rip %#llx with no handler in the trap table",
		    vec_name(vector), vector, (unsigned long long)error_code,
		    (unsigned long long)r->rip);
	}
	pv_bounce(r, t->address, has_error, error_code, t->flags & TI_MASK_EVENTS);
}

/* A guest "int N" became #GP (N << 3) | 2: allowed if the virtual gate's DPL permits. */
static bool softint_permitted(const struct vcpu *v, unsigned int n)
{
	unsigned int dpl = v->arch.traps[n].flags & TI_DPL_MASK;

	if (!v->arch.traps[n].address || dpl == 0) {
		return false;
	}
	/* Guest kernel mode counts as ring 1, guest user mode as ring 3. */
	return dpl >= (v->arch.in_kernel ? 1U : 3U);
}

/*
 * QEMU's TCG performs the stack pops of a same-privilege iretq or lretq as
 * supervisor accesses, so with SMAP on they fault on the guest's (user)
 * stack; real CPUs pop with CPL 3 rights and succeed. Linux runs such an
 * iretq to itself (sync_core) in guest kernel mode, so the instruction is
 * completed here, with the rights ring 3 would have had: IF and IOPL stay
 * as they are, the selectors must have RPL 3 (a bad one makes the exit's
 * iretq fault, which the failsafe path handles).
 */
bool pv_emulate_ret(struct cpu_regs *r)
{
	uint8_t insn[2];
	uint64_t f[5];
	unsigned int n;

	if (copy_from_guest(insn, r->rip, 2) || insn[0] != 0x48 ||
	    (insn[1] != 0xcf && insn[1] != 0xcb)) {
		return false;
	}
	n = insn[1] == 0xcf ? 5 : 2;
	if (copy_from_guest(f, r->rsp, n * sizeof(f[0]))) {
		return false;
	}
	if ((f[1] & 3) != 3 || (n == 5 && (f[4] & 3) != 3)) {
		return false;
	}
	r->rip = f[0];
	r->cs = f[1] & 0xffff;
	if (n == 5) {
		r->rflags = (f[2] & ~(X86_EFLAGS_IOPL | X86_EFLAGS_IF | X86_EFLAGS_VM)) |
			    (r->rflags & X86_EFLAGS_IOPL) | X86_EFLAGS_IF | 0x2;
		r->rsp = f[3];
		r->ss = f[4] & 0xffff;
	} else {
		r->rsp += 16;
	}
	return true;
}

void pv_guest_exception(struct cpu_regs *r)
{
	struct vcpu *v = current;
	unsigned int vec = r->vector;
	uint64_t err = r->error_code;

	if (!v) {
		fatal_trap(r);
	}
	switch (vec) {
	case 2:
	case 8:
	case 18:
		/* NMI, double fault, machine check: the machine's problem, not the guest's. */
		fatal_trap(r);
	case 1:
		pv_debug_guest_trap(v);
		break;
	case 6:
		if (pv_emulate_ud(r)) {
			return;
		}
		break;
	case 7:
		if (v->arch.fpu_ts) {
			/* As on Xen: the virtual TS is cleared by delivering #NM. */
			v->arch.fpu_ts = false;
			write_cr0(read_cr0() & ~X86_CR0_TS);
			break;
		}
		write_cr0(read_cr0() & ~X86_CR0_TS);
		return;
	case 13:
		if ((err & 3) == 2) {
			uint8_t insn[2];
			unsigned int n;

			/*
			 * The gate number comes from the instruction itself: real CPUs
			 * report (N << 3) | 2, QEMU's TCG (N << 4) | 2 in long mode.
			 * The guest is always shown the architectural value.
			 */
			if (copy_from_guest(insn, r->rip, 2) || insn[0] != 0xcd ||
			    ((err >> 3) != insn[1] && (err >> 4) != insn[1])) {
				break;
			}
			n = insn[1];
			err = (n << 3) | 2;
			if (softint_permitted(v, n)) {
				/* "int imm8" is two bytes; the handler returns after it. */
				r->rip += 2;
				pv_bounce(r, v->arch.traps[n].address, false, 0,
					  v->arch.traps[n].flags & TI_MASK_EVENTS);
				return;
			}
			break;
		}
		if (err == 0 && pv_emulate_gp(r)) {
			return;
		}
		break;
	case 14: {
		uint64_t cr2 = read_cr2();

		/* U clear from ring 3: an implicit supervisor access (see pv_emulate_ret). */
		if (!(err & 4) && pv_emulate_ret(r)) {
			return;
		}
		/* Present + write: perhaps a PTE write Linux expects the hypervisor to emulate. */
		if ((err & 3) == 3 && pv_ptwr_emulate(r, cr2)) {
			return;
		}

		v->vcpu_info->arch.cr2 = cr2;
		/* The guest kernel runs in ring 3, but it must see a supervisor fault. */
		if (v->arch.in_kernel) {
			err &= ~4ULL;
		}
		break;
	}
	default:
		break;
	}
	pv_bounce_exception(r, vec, has_error_code(vec), err);
}

extern const char pv_iret_insn[];
void __attribute__((noreturn)) pv_enter_frame(struct cpu_regs *frame);

/*
 * The exit's iretq faulted: the guest's return frame names a code or
 * stack selector that is null, not present or not usable (typically from
 * an iret hypercall). As in Xen, whose iretq has a pre-exception fixup,
 * the guest gets that exception (#GP/#NP/#SS with the selector as error
 * code) through its trap table as if raised at the return target, its
 * frame intact; only a guest without a handler is crashed. Xen's
 * failsafe callback is for data segments it fails to reload on a
 * context switch, which Palisade never does.
 */
bool pv_exit_fault(struct cpu_regs *fault)
{
	struct cpu_regs *r;

	/* Only a selector check can fault there; an NMI or #MC there is not the guest's. */
	if (!current || fault->rip != (uint64_t)pv_iret_insn ||
	    (fault->vector != 11 && fault->vector != 12 && fault->vector != 13)) {
		return false;
	}
	r = guest_regs();
	pv_bounce_exception(r, (unsigned int)fault->vector, has_error_code(fault->vector),
			    fault->error_code);
	/* Restart the exit from the (rewritten) guest frame at the top of the stack. */
	pv_enter_frame(r);
}

long do_set_trap_table(uint64_t traps)
{
	struct vcpu *v = current;
	struct pv_trap_entry table[256];
	struct trap_info ti;
	unsigned int i;

	if (!traps) {
		memset(v->arch.traps, 0, sizeof(v->arch.traps));
		return 0;
	}
	/* Decode into a copy: a fault part-way leaves the old table in force. */
	memcpy(table, v->arch.traps, sizeof(table));
	for (i = 0;; i++) {
		if (i == 512) {
			return -EINVAL;
		}
		if (copy_from_guest(&ti, traps + (uint64_t)i * sizeof(ti), sizeof(ti))) {
			return -EFAULT;
		}
		if (ti.address == 0) {
			break;
		}
		/* A handler is where a bounce resumes the guest: never a non-canonical rip. */
		if (!canonical_va(ti.address)) {
			return -EINVAL;
		}
		table[ti.vector].address = ti.address;
		table[ti.vector].cs = ti.cs | 3;
		table[ti.vector].flags = ti.flags;
	}
	memcpy(v->arch.traps, table, sizeof(table));
	return 0;
}

long do_iret(void)
{
	struct vcpu *v = current;
	struct cpu_regs *r = guest_regs();
	struct iret_context c;

	if (v->in_multicall) {
		return -EINVAL;
	}
	if (copy_from_guest(&c, r->rsp, sizeof(c))) {
		pv_crash(v, "iret: cannot read the iret context at %#llx",
			 (unsigned long long)r->rsp);
	}
	if ((c.cs & 3) == 3) {
		if (mfn_eq(v->arch.guest_table_user, INVALID_MFN)) {
			pv_crash(v, "iret to user mode without user page tables");
		}
		if (v->arch.in_kernel) {
			pv_toggle_guest_mode(v);
		}
	}
	if (pv_architectural_iopl(v->domain)) {
		v->arch.iopl = (c.rflags & X86_EFLAGS_IOPL) >> 12;
	}
	r->rip = c.rip;
	r->cs = (c.cs & 0xffff) | 3;
	r->rflags = (c.rflags & ~(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
	r->rsp = c.rsp;
	r->ss = (c.ss & 0xffff) | 3;
	if (!(c.flags & VGCF_in_syscall)) {
		r->r11 = c.r11;
		r->rcx = c.rcx;
	}
	v->vcpu_info->evtchn_upcall_mask = !(c.rflags & X86_EFLAGS_IF);
	return (long)c.rax;
}

long do_stack_switch(uint64_t ss, uint64_t esp)
{
	current->arch.kernel_ss = ss | 3;
	current->arch.kernel_sp = esp;
	return 0;
}

static long register_callback(const struct callback_register *cb)
{
	struct arch_vcpu *a = &current->arch;

	/* As Xen, for every type: a callback is where a bounce resumes the guest. */
	if (!canonical_va(cb->address)) {
		return -EINVAL;
	}
	switch (cb->type) {
	case CALLBACKTYPE_event:
		a->event_callback = cb->address;
		return 0;
	case CALLBACKTYPE_failsafe:
		a->failsafe_callback = cb->address;
		a->failsafe_disables_events = cb->flags & CALLBACKF_mask_events;
		return 0;
	case CALLBACKTYPE_syscall:
		a->syscall_callback = cb->address;
		a->syscall_disables_events = cb->flags & CALLBACKF_mask_events;
		return 0;
	case CALLBACKTYPE_nmi:
		/* Recorded; NMIs are never forwarded to guests yet. */
		a->nmi_callback = cb->address;
		return 0;
	case CALLBACKTYPE_syscall32:
		a->syscall32_callback = cb->address;
		a->syscall32_disables_events = cb->flags & CALLBACKF_mask_events;
		return 0;
	case CALLBACKTYPE_sysenter:
		a->sysenter_callback = cb->address;
		a->sysenter_disables_events = cb->flags & CALLBACKF_mask_events;
		return 0;
	default:
		return -ENOSYS;
	}
}

long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
	struct callback_register e = {.type = CALLBACKTYPE_event, .address = event};
	struct callback_register f = {.type = CALLBACKTYPE_failsafe, .address = failsafe};
	struct callback_register s = {.type = CALLBACKTYPE_syscall, .address = syscall};

	register_callback(&e);
	register_callback(&f);
	register_callback(&s);
	return 0;
}

long do_callback_op(uint32_t cmd, uint64_t arg)
{
	switch (cmd) {
	case CALLBACKOP_register: {
		struct callback_register cb;

		if (copy_from_guest(&cb, arg, sizeof(cb))) {
			return -EFAULT;
		}
		return register_callback(&cb);
	}
	case CALLBACKOP_unregister: {
		struct callback_unregister cb;

		if (copy_from_guest(&cb, arg, sizeof(cb))) {
			return -EFAULT;
		}
		switch (cb.type) {
		case CALLBACKTYPE_event:
		case CALLBACKTYPE_failsafe:
		case CALLBACKTYPE_syscall:
		case CALLBACKTYPE_syscall32:
		case CALLBACKTYPE_sysenter:
			/* Xen refuses these: register address 0 instead. */
			return -EINVAL;
		case CALLBACKTYPE_nmi:
			current->arch.nmi_callback = 0;
			return 0;
		default:
			return -ENOSYS;
		}
	}
	default:
		return -ENOSYS;
	}
}

long do_fpu_taskswitch(uint32_t set)
{
	current->arch.fpu_ts = set != 0;
	if (set) {
		write_cr0(read_cr0() | X86_CR0_TS);
	} else {
		write_cr0(read_cr0() & ~X86_CR0_TS);
	}
	return 0;
}

static bool canonical(uint64_t va)
{
	return ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;
}

/* A data selector the guest may load into %gs: null, or a present DPL-3 data segment. */
static bool user_data_sel_ok(uint16_t sel)
{
	uint64_t d;

	if ((sel & ~3) == 0) {
		return true;
	}
	if ((sel & 3) != 3 || (sel & 4)) {
		return false; /* LDT selectors are not looked at here */
	}
	d = cpu_gdt_read(sel >> 3);
	/* present, S=1, DPL 3, data (type bit 3 clear) */
	return (d >> 47 & 1) && (d >> 44 & 1) && ((d >> 45) & 3) == 3 && !((d >> 43) & 1);
}

long do_set_segment_base(uint32_t which, uint64_t base)
{
	struct vcpu *v = current;

	switch (which) {
	case SEGBASE_FS:
		if (!canonical(base)) {
			return -EINVAL;
		}
		v->arch.fs_base = base;
		wrmsr(MSR_FS_BASE, base);
		return 0;
	case SEGBASE_GS_USER:
		if (!canonical(base)) {
			return -EINVAL;
		}
		v->arch.gs_base_user = base;
		wrmsr(MSR_KERNEL_GS_BASE, base);
		return 0;
	case SEGBASE_GS_KERNEL:
		if (!canonical(base)) {
			return -EINVAL;
		}
		v->arch.gs_base_kernel = base;
		wrmsr(MSR_GS_BASE, base);
		return 0;
	case SEGBASE_GS_USER_SEL: {
		uint16_t sel = base & 0xffff;

		/* Like Xen: a selector that would fault loads the null selector instead. */
		if (!user_data_sel_ok(sel)) {
			sel = 0;
		}
		__asm__ volatile("movw %0, %%gs" : : "rm"(sel));
		/* Loading %gs replaced the base: it becomes the user base, the kernel's is
		 * restored. */
		v->arch.gs_base_user = sel ? rdmsr(MSR_GS_BASE) : 0;
		v->arch.gs_sel_user = sel;
		wrmsr(MSR_GS_BASE, v->arch.gs_base_kernel);
		wrmsr(MSR_KERNEL_GS_BASE, v->arch.gs_base_user);
		return 0;
	}
	default:
		return -EINVAL;
	}
}
