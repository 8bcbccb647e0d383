/*
 * PV vcpu context on x86_64: its hypervisor stack, entering it for the
 * first time, guest kernel/user mode switches, the syscall (hypercall)
 * entry, and the exit path that delivers event upcalls.
 *
 * On each CPU the running vcpu's stack top is both TSS.RSP0 (exceptions
 * and interrupts from ring 3) and that CPU's pv_stack_top[] slot (its
 * syscall stub), and its guest frame always sits at the top of that stack,
 * under the struct vcpu_stack_info that names the vcpu (asm/current.h).
 * The guest's page tables stay loaded while the hypervisor runs on its
 * behalf (every guest L4 carries the hypervisor's slots), so hypercall
 * arguments are plain guest virtual addresses for guest_access.h.
 */
#include <arch/domain.h>
#include <arch/mm.h>
#include <arch/power.h>
#include <arch/smp.h>
#include <arch/time.h>
#include <asm/context.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <frame.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <sched.h>

/* pv/entry.S */
extern const char pv_syscall_entry[], pv_syscall32_entry[], pv_sysenter_entry[];

int arch_vcpu_init(struct vcpu *v)
{
	v->arch.guest_table = INVALID_MFN;
	v->arch.guest_table_user = INVALID_MFN;
	v->arch.in_kernel = true;
	/* Not the direct map: the stack needs an unmapped guard below it. */
	v->arch.stack = vcpu_stack_alloc();
	if (!v->arch.stack) {
		return -ENOMEM;
	}
	/* The stack ends where its slot does; its owner is named in the slot's top bytes. */
	v->arch.stack_top = (uint64_t)v->arch.stack + STACK_SIZE - sizeof(struct vcpu_stack_info);
	((struct vcpu_stack_info *)v->arch.stack_top)->vcpu = v;
	ctxt_vcpu_init(v);
	pv_debug_init(v);
	return 0;
}

void arch_vcpu_release(struct vcpu *v)
{
	unsigned int i;

	pv_debug_stop(v);
	for (i = 0; i < v->arch.gdt_nr_frames; i++) {
		put_page_and_type(v->arch.gdt_frames[i]);
	}
	/* The CPU's GDT holds the running vcpu's entries, which may be another domain's. */
	for (i = 0; v == current && i < v->arch.gdt_ents; i++) {
		cpu_gdt_write(i, 0);
	}
	v->arch.gdt_nr_frames = 0;
	v->arch.gdt_ents = 0;
	if (!mfn_eq(v->vcpu_info_mfn, INVALID_MFN)) {
		put_page_and_type(v->vcpu_info_mfn);
		v->vcpu_info_mfn = INVALID_MFN;
		v->vcpu_info = v->domain->shared_info && v->vcpu_id < XEN_LEGACY_MAX_VCPUS
				   ? &v->domain->shared_info->vcpu_info[v->vcpu_id]
				   : NULL;
	}
}

void arch_vcpu_destroy(struct vcpu *v)
{
	vcpu_stack_free(v->arch.stack);
	v->arch.stack = NULL;
}

struct cpu_regs *guest_regs(void)
{
	return (struct cpu_regs *)(current->arch.stack_top - sizeof(struct cpu_regs));
}

_Static_assert(PV_STUB_CPUS == NR_CPUS, "one syscall stub per CPU");

uint64_t pv_frame_slot(void);

/* Where this CPU's running vcpu keeps its guest frame (entry.S, for IST entries from ring 3). */
uint64_t pv_frame_slot(void)
{
	return pv_stack_top[arch_cpu_id()] - sizeof(struct cpu_regs);
}

void pv_trap_current(uint64_t sp);

/* entry.S, every exception and interrupt: sets current (r15) for the handler. */
void pv_trap_current(uint64_t sp)
{
	if (sp - VCPU_STACK_VIRT_START < VCPU_STACK_VIRT_END - VCPU_STACK_VIRT_START) {
		current_r15 =
		    ((struct vcpu_stack_info *)((sp | (VCPU_STACK_SLOT_SIZE - 1)) + 1) - 1)->vcpu;
	} else {
		current_r15 = arch_current_slow();
	}
}

void vcpu_load_cr3(struct vcpu *v)
{
	mfn_t t;

	t = v->arch.in_kernel ? v->arch.guest_table : v->arch.guest_table_user;
	if (mfn_eq(t, INVALID_MFN)) {
		t = v->arch.guest_table;
	}
	if (!mfn_eq(t, INVALID_MFN)) {
		write_cr3(mfn_to_paddr(t));
	}
}

void vcpu_update_cr3(struct vcpu *v)
{
	if (v == current) {
		vcpu_load_cr3(v);
	}
}

/* The GS base the guest sees follows its mode, like swapgs would on hardware. */
void pv_load_gs_base(struct vcpu *v)
{
	if (v->arch.in_kernel) {
		wrmsr(MSR_GS_BASE, v->arch.gs_base_kernel);
		wrmsr(MSR_KERNEL_GS_BASE, v->arch.gs_base_user);
	} else {
		wrmsr(MSR_GS_BASE, v->arch.gs_base_user);
		wrmsr(MSR_KERNEL_GS_BASE, v->arch.gs_base_kernel);
	}
}

void pv_toggle_guest_mode(struct vcpu *v)
{
	v->arch.in_kernel = !v->arch.in_kernel;
	pv_load_gs_base(v);
	vcpu_update_cr3(v);
}

uint64_t pv_syscall_stub(unsigned int cpu, bool compat)
{
	return (uint64_t)(compat ? pv_syscall32_entry : pv_syscall_entry) + cpu * PV_STUB_SIZE;
}

int pv_syscall_stub_cpu(uint64_t rip)
{
	uint64_t off64 = rip - (uint64_t)pv_syscall_entry,
		 off32 = rip - (uint64_t)pv_syscall32_entry;

	if (off64 < NR_CPUS * PV_STUB_SIZE && !(off64 % PV_STUB_SIZE)) {
		return (int)(off64 / PV_STUB_SIZE);
	}
	if (off32 < NR_CPUS * PV_STUB_SIZE && !(off32 % PV_STUB_SIZE)) {
		return (int)(off32 / PV_STUB_SIZE);
	}
	return -1;
}

void pv_cpu_init(void)
{
	unsigned int cpu = arch_cpu_id();

	/* syscall: CS = HV_CS, SS = HV_DS; sysret base 0xe023 gives CS 0xe033, SS 0xe02b. */
	wrmsr(MSR_STAR, ((uint64_t)FLAT_RING3_CS32 << 48) | ((uint64_t)HV_CS << 32));
	/* Each CPU its own stub: it finds that CPU's stack slot without a register to spare. */
	wrmsr(MSR_LSTAR, pv_syscall_stub(cpu, false));
	/* Never left 0: a compat-mode syscall would jump to address 0 in ring 0. */
	wrmsr(MSR_CSTAR, pv_syscall_stub(cpu, true));
	/* Interrupts off until the stack is switched; no TF/DF/AC/NT leaking in. */
	wrmsr(MSR_FMASK,
	      X86_EFLAGS_IF | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_AC | X86_EFLAGS_NT);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/*
	 * sysenter (Intel CPUs, 64-bit and compat code) enters on the running
	 * vcpu's stack (SYSENTER_ESP, set by vcpu_start) with CS = HV_CS and
	 * SS = HV_CS + 8 = HV_DS.
	 */
	wrmsr(MSR_SYSENTER_CS, HV_CS);
	wrmsr(MSR_SYSENTER_EIP, (uint64_t)pv_sysenter_entry);
	wrmsr(MSR_SYSENTER_ESP, 0);
}

void vcpu_prepare_start(struct vcpu *v, uint64_t rip, uint64_t rsp, uint64_t rsi)
{
	struct domain *d = v->domain;
	struct cpu_regs *r;

	local_irq_disable();
	if (!v->vcpu_info && d->shared_info && v->vcpu_id < XEN_LEGACY_MAX_VCPUS) {
		v->vcpu_info = &d->shared_info->vcpu_info[v->vcpu_id];
	}
	if (!v->vcpu_info || mfn_eq(v->arch.guest_table, INVALID_MFN)) {
		pr_err("d%u: vcpu %u started without %s: crashing the domain\n", d->domain_id,
		       v->vcpu_id, v->vcpu_info ? "page tables" : "shared_info");
		domain_shutdown(d, SHUTDOWN_crash);
		return;
	}
	v->vcpu_info->evtchn_upcall_mask = 1;
	vcpu_update_time(v);
	v->is_initialised = true;
	v->is_up = true;
	v->runstate.state = RUNSTATE_runnable;
	v->runstate.state_entry_time = arch_now_ns();

	/* Not guest_regs(): that is the running vcpu's frame, and v runs only once switched to. */
	r = (struct cpu_regs *)(v->arch.stack_top - sizeof(*r));
	memset(r, 0, sizeof(*r));
	r->rip = rip;
	r->cs = FLAT_KERNEL_CS64;
	r->rflags = X86_EFLAGS_IF | 0x2;
	r->rsp = rsp;
	r->ss = FLAT_KERNEL_SS64;
	r->rsi = rsi;
	r->vector = PV_SYSCALL_VECTOR;
	v->arch.in_kernel = true;
	ctxt_guest_first_entry(v);
	pr_info("d%u: vcpu %u enters the guest at %#llx (rsp %#llx, rsi %#llx)\n", d->domain_id,
		v->vcpu_id, (unsigned long long)rip, (unsigned long long)rsp,
		(unsigned long long)rsi);
	vcpu_wake(v);
}

void vcpu_start(struct vcpu *v, uint64_t rip, uint64_t rsp, uint64_t rsi)
{
	vcpu_prepare_start(v, rip, rsp, rsi);
	sched_start();
}

/*
 * syscall from ring 3. Guest kernel mode: a hypercall, number in rax,
 * arguments in rdi, rsi, rdx, r10, r8, r9. Guest user mode: the guest
 * kernel's system call, bounced to its syscall callback.
 */
void pv_syscall(struct cpu_regs *r)
{
	struct vcpu *v = current;
	uint64_t args[6];
	long ret;

	/*
	 * As Xen's switch_to_kernel: a compat-mode syscall (in either guest
	 * mode) goes to the syscall32 callback, a 64-bit one from user mode
	 * to the syscall callback, both masking events by the syscall
	 * callback's flag and with DF cleared (the PV ABI's fixed syscall
	 * mask); without the callback, #UD at the syscall instruction.
	 */
	if (r->vector == PV_SYSCALL32_VECTOR || !v->arch.in_kernel) {
		uint64_t cb = r->vector == PV_SYSCALL32_VECTOR ? v->arch.syscall32_callback
							       : v->arch.syscall_callback;

		r->vector = PV_SYSCALL_VECTOR;
		if (!cb) {
			r->rip -= 2;
			pv_bounce_exception(r, 6 /* #UD */, false, 0);
			return;
		}
		pv_bounce(r, cb, false, 0, v->arch.syscall_disables_events);
		r->rflags &= ~X86_EFLAGS_DF;
		return;
	}

	local_irq_enable();
	args[0] = r->rdi;
	args[1] = r->rsi;
	args[2] = r->rdx;
	args[3] = r->r10;
	args[4] = r->r8;
	args[5] = r->r9;
	/* current, not v: r15 is free to read after the call, v would be kept in a saved register.
	 */
	current->hypercall_no_result = false;
	ret = hypercall_dispatch(r->rax, args);
	if (!current->hypercall_no_result) {
		r->rax = (uint64_t)ret;
	}
	/* Interrupts go off again at once: pv_exit_to_guest, where this returns, starts with cli.
	 */
}

/*
 * sysenter from ring 3 (Xen's frame: rip 0, cs 3, rsp 0, the flags with
 * IF): the sysenter callback, masking events by its own flag; without
 * one, #GP(0) through the guest's trap table.
 */
void pv_sysenter(struct cpu_regs *r)
{
	struct vcpu *v = current;

	if (!v->arch.sysenter_callback) {
		pv_bounce_exception(r, 13 /* #GP */, true, 0);
		return;
	}
	pv_bounce(r, v->arch.sysenter_callback, false, 0, v->arch.sysenter_disables_events);
}

static bool is_canonical(uint64_t va)
{
	return ((int64_t)va >> 47) == 0 || ((int64_t)va >> 47) == -1;
}

/*
 * Last stop before iretq to the guest (interrupts off). Delivers a
 * pending event upcall, hands the guest the #GP a non-canonical rip earns
 * and loads the debug registers it changed.
 */
void pv_exit_prepare(struct cpu_regs *r)
{
	struct vcpu *v = current;
	struct vcpu_info *vi;

	/*
	 * A timeslice ended or a vcpu woke: the switch happens here, on the
	 * way out. A shutdown of its domain decided elsewhere comes this way
	 * too: domain_kill takes each vcpu to sleep, which asks the CPU
	 * running it to reschedule (and interrupts it), so the flag is
	 * looked at only then, and it dies before it would be scheduled.
	 */
	if (v->run_cpu->need_resched) {
		if (v->domain->is_shutting_down) {
			domain_shutdown(v->domain, v->domain->shutdown_reason);
		}
		schedule();
	}
	vi = v->vcpu_info;
	if (vi->evtchn_upcall_pending && !vi->evtchn_upcall_mask && v->arch.event_callback) {
		pv_bounce(r, v->arch.event_callback, false, 0, true);
	}
	/*
	 * Xen's exit iretq faults on a non-canonical rip and the guest gets
	 * that #GP(0) as if raised there (through its trap table; crashed
	 * only without a handler). Handlers are canonical, so one bounce
	 * settles it. A non-canonical rsp is the CPU's to find: iretq loads
	 * it, and the guest's first use of its stack faults in ring 3.
	 */
	if (!is_canonical(r->rip)) {
		pv_bounce_exception(r, 13 /* #GP */, true, 0);
	}
	if (v->arch.dr_dirty) {
		pv_debug_load(v);
	}
	if (v->arch.fpu_ts) {
		write_cr0(read_cr0() | X86_CR0_TS);
	}
}

/*
 * Without the dom0 builder's handler (teardown first), a shutdown still ends the
 * machine with the status tests/hv/qemu/guest-tests.list documents:
 * poweroff 0, reboot resets, crash 4, watchdog 5, suspend 6, soft_reset 7.
 */
void arch_domain_shutdown_default(struct domain *d, uint8_t reason)
{
	static const int status[] = {
	    [SHUTDOWN_poweroff] = EXIT_OK, [SHUTDOWN_crash] = 4,      [SHUTDOWN_watchdog] = 5,
	    [SHUTDOWN_suspend] = 6,	   [SHUTDOWN_soft_reset] = 7,
	};

	local_irq_disable();
	if (reason == SHUTDOWN_reboot) {
		arch_reboot();
	}
	arch_poweroff(reason < ARRAY_SIZE(status) ? status[reason] : 4);
}
