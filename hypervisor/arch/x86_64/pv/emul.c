/*
 * Instruction emulation for PV guests.
 *
 *  - The forced-emulation prefix: "ud2; .ascii xen" followed by cpuid
 *    raises #UD; the hypervisor answers the CPUID from its PV policy and
 *    resumes after it. It works from the guest's first instruction (no
 *    trap table is consulted) and from user mode too, as cpuid itself is
 *    not privileged.
 *  - Privileged instructions a PV kernel executes believing it is in ring
 *    0 raise #GP(0) in ring 3: reads of CR0/CR2/CR3/CR4, CR0.TS writes and
 *    clts, CR4 writes, moves to and from %dr0-7 (pv/debugreg.c), rdmsr/
 *    wrmsr of the segment-base MSRs and EFER, wbinvd, xsetbv (the vcpu's
 *    XCR0, with Xen's checks). Only guest kernel mode gets these.
 *  - As Xen's iopl_ok, the virtual IOPL (PHYSDEVOP_set_iopl) decides
 *    whether in/out and cli/sti are emulated at all, in either guest mode:
 *    guest kernel mode counts as ring 1 (ring 0 with the
 *    architectural_iopl assist), guest user mode as ring 3. cli and sti
 *    then do nothing (Xen skips them; the event mask is the guest's to
 *    write); a port is really accessed only where the domain's I/O
 *    bitmap allows it (dom0 every port but the hypervisor's) and
 *    xsm_ioport_use agrees.
 *  - Everything else is bounced to the guest as the #GP it raised. An
 *    instruction emulated with TF set, or that met an I/O breakpoint,
 *    ends in #DB as after the real instruction.
 *  - rdtsc stays native (CR4.TSD clear).
 */
#include <asm/cpu.h>
#include <asm/pv.h>
#include <asm/xstate.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <heap.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/physdev.h>
#include <public/xen.h>

#include <xsm/xsm.h>

#define MSR_IA32_TSC 0x10
#define DR_STEP 0x4000U
#define MSR_IA32_MISC_ENABLE 0x1a0

/* Reads up to len bytes at rip; returns how many could be read. */
static unsigned int fetch(uint64_t rip, uint8_t *buf, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++) {
		if (copy_from_guest(&buf[i], rip + i, 1)) {
			break;
		}
	}
	return i;
}

static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
	switch (n) {
	case 0:
		return &r->rax;
	case 1:
		return &r->rcx;
	case 2:
		return &r->rdx;
	case 3:
		return &r->rbx;
	case 4:
		return &r->rsp;
	case 5:
		return &r->rbp;
	case 6:
		return &r->rsi;
	case 7:
		return &r->rdi;
	case 8:
		return &r->r8;
	case 9:
		return &r->r9;
	case 10:
		return &r->r10;
	case 11:
		return &r->r11;
	case 12:
		return &r->r12;
	case 13:
		return &r->r13;
	case 14:
		return &r->r14;
	default:
		return &r->r15;
	}
}

/*
 * Leaf 0xD as the PV policy has it: only the components the hypervisor
 * switches (xstate_mask); sub-leaf 0's EBX is the size for the vcpu's own
 * XCR0, which is the CPU's while the vcpu runs; XSAVES (sub-leaf 1 EAX
 * bit 3) and the IA32_XSS components are ring-0 things, not offered.
 */
static void cpuid_xstate(uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	if (!xstate_mask) {
		*a = *b = *c = *d = 0;
		return;
	}
	switch (sub) {
	case 0:
		*a = (uint32_t)xstate_mask;
		*d = (uint32_t)(xstate_mask >> 32);
		*c = xstate_size;
		break;
	case 1:
		*a &= (1U << 0) | (1U << 1) | (1U << 2); /* XSAVEOPT, XSAVEC, XGETBV1 */
		*c = *d = 0;
		break;
	default:
		if (sub >= 64 || !(xstate_mask & (1ULL << sub))) {
			*a = *b = *c = *d = 0;
		}
		break;
	}
}

/*
 * The CPUID a PV guest sees: native values minus what it cannot use from
 * ring 3 or what the hypervisor owns (virtualisation extensions, MONITOR,
 * x2APIC and TSC deadline, PCID/INVPCID, SMEP/SMAP/UMIP/PKU, superpages),
 * plus the hypervisor leaves. XSAVE and AVX are offered when the
 * hypervisor switches them (xstate.c); OSXSAVE as Xen 4.17 shows it to a
 * PV guest: set when the guest's virtual CR4.OSXSAVE is, and also for a
 * forced-emulation CPUID from guest kernel mode (the only way here), as
 * Linux's xen_check_xsave expects to find it before it sets CR4.OSXSAVE.
 */
void pv_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	if (leaf >= 0x40000000 && leaf < 0x40010000) {
		*a = *b = *c = *d = 0;
		switch (leaf) {
		case 0x40000000:
			*a = 0x40000002;
			*b = 0x566e6558; /* "XenV" */
			*c = 0x65584d4d; /* "MMXe" */
			*d = 0x4d4d566e; /* "nVMM" */
			break;
		case 0x40000001:
			*a = (XEN_RELEASE_MAJOR << 16) | XEN_RELEASE_MINOR;
			break;
		case 0x40000002:
			*a = 1;		 /* hypercall pages */
			*b = 0x40000000; /* MSR to fill one (not offered to PV guests) */
			break;
		}
		return;
	}
	cpuid_count(leaf, sub, a, b, c, d);
	switch (leaf) {
	case 1:
		*c &= ~((1U << 3) |  /* MONITOR */
			(1U << 5) |  /* VMX */
			(1U << 6) |  /* SMX */
			(1U << 17) | /* PCID */
			(1U << 21) | /* x2APIC */
			(1U << 24) | /* TSC deadline */
			(1U << 26) | /* XSAVE */
			(1U << 27) | /* OSXSAVE */
			(1U << 28)); /* AVX (needs XSAVE) */
		*c |= 1U << 31;	     /* running on a hypervisor */
		if (xstate_mask) {
			*c |= 1U << 26;
			if (xstate_mask & XSTATE_YMM) {
				*c |= 1U << 28;
			}
			if ((current->arch.cr4 & X86_CR4_OSXSAVE) || current->arch.in_kernel) {
				*c |= 1U << 27;
			}
		}
		*d &= ~((1U << 1) |  /* VME */
			(1U << 3) |  /* PSE */
			(1U << 12) | /* MTRR */
			(1U << 17) | /* PSE36 */
			(1U << 21) | /* DS */
			(1U << 22) | /* ACPI */
			(1U << 29) | /* TM */
			(1U << 31)); /* PBE */
		break;
	case 5:
		*a = *b = *c = *d = 0;
		break;
	case 0xd:
		cpuid_xstate(sub, a, b, c, d);
		break;
	case 7:
		if (sub == 0) {
			*b &= ~((1U << 0) |  /* FSGSBASE: CR4.FSGSBASE is the hypervisor's */
				(1U << 7) |  /* SMEP */
				(1U << 10) | /* INVPCID */
				(1U << 20)); /* SMAP */
			*c &= ~((1U << 2) |  /* UMIP */
				(1U << 3) |  /* PKU */
				(1U << 4) |  /* OSPKE */
				(1U << 16)); /* LA57 */
		}
		break;
	case 0x80000001:
		*c &= ~(1U << 2);  /* SVM */
		*d &= ~(1U << 26); /* 1 GiB pages: no superpages for PV */
		break;
	}
}

/*
 * The emulated instruction of len bytes completed: the guest resumes after
 * it, and the #DB it earned (single step, I/O breakpoint) is raised as the
 * CPU would have. RF was set by the fault and must not outlive it.
 */
static bool emul_done(struct cpu_regs *r, unsigned int len)
{
	struct vcpu *v = current;
	uint32_t dr6 = v->arch.emul_dr6;

	v->arch.emul_dr6 = 0;
	r->rip += len;
	r->rflags &= ~X86_EFLAGS_RF;
	if (r->rflags & X86_EFLAGS_TF) {
		dr6 |= DR_STEP;
	}
	if (dr6) {
		pv_debug_event(r, dr6);
	}
	return true;
}

bool pv_emulate_ud(struct cpu_regs *r)
{
	static const uint8_t sig[7] = {0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2};
	uint8_t insn[7];
	uint32_t a, b, c, d;

	if (fetch(r->rip, insn, sizeof(insn)) != sizeof(insn) || memcmp(insn, sig, sizeof(sig))) {
		return false;
	}
	pv_cpuid((uint32_t)r->rax, (uint32_t)r->rcx, &a, &b, &c, &d);
	r->rax = a;
	r->rbx = b;
	r->rcx = c;
	r->rdx = d;
	return emul_done(r, sizeof(sig));
}

/* Ports the hypervisor drives itself: never given to a guest. */
static bool port_reserved(uint16_t port)
{
	return (port >= 0x3f8 && port <= 0x3ff) || /* COM1: the hypervisor console */
	       port == 0xf4 ||			   /* isa-debug-exit */
	       (port >= 0x40 && port <= 0x43) ||   /* PIT: TSC calibration */
	       port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1 || /* PICs */
	       port == 0x61 || port == 0x64 || (port >= 0xcf8 && port <= 0xcff);
}

int pv_ioport_permit(struct domain *d, uint16_t first, uint16_t last, bool allow)
{
	unsigned int p;

	if (first > last) {
		return -EINVAL;
	}
	if (!d->ioport_bitmap) {
		d->ioport_bitmap = xzalloc(65536 / 8);
		if (!d->ioport_bitmap) {
			return -ENOMEM;
		}
	}
	for (p = first; p <= last; p++) {
		if (allow && !port_reserved(p)) {
			d->ioport_bitmap[p / 8] |= 1U << (p % 8);
		} else {
			d->ioport_bitmap[p / 8] &= ~(1U << (p % 8));
		}
	}
	return 0;
}

/*
 * Whether the domain may really touch these ports: never the hypervisor's
 * own; the privileged domain all the others (as dom0 on Xen), other
 * domains those granted in their bitmap; and the XSM policy must agree.
 */
static bool ports_granted(struct domain *d, uint16_t port, unsigned int bytes)
{
	unsigned int i;

	for (i = 0; i < bytes; i++) {
		uint16_t p = port + i;

		if (port_reserved(p)) {
			return false;
		}
		if (!d->is_privileged &&
		    (!d->ioport_bitmap || !(d->ioport_bitmap[p / 8] & (1U << (p % 8))))) {
			return false;
		}
	}
	return xsm_ioport_use(d, port) == 0;
}

bool pv_architectural_iopl(const struct domain *d)
{
	return d->vm_assist & (1U << VMASST_TYPE_architectural_iopl);
}

/* Xen's iopl_ok: the virtual IOPL against the ring the guest mode counts as. */
static bool iopl_ok(const struct vcpu *v)
{
	unsigned int cpl = !v->arch.in_kernel ? 3 : pv_architectural_iopl(v->domain) ? 0 : 1;

	return cpl <= v->arch.iopl;
}

/*
 * Port I/O of the guest, with Xen's two levels: the instruction is
 * allowed at all only if the virtual IOPL allows it for the guest's mode
 * (else the caller bounces #GP); a port the domain may not touch then
 * reads as all ones and ignores writes, as an absent device would, so
 * probing drivers carry on. PCI configuration space (0xcf8-0xcff) is such
 * a port: the hypervisor does not share the PCI bus yet.
 */
static bool emulate_io(struct cpu_regs *r, uint8_t op, uint16_t port, unsigned int bytes)
{
	struct vcpu *v = current;
	bool in = op == 0xe4 || op == 0xe5 || op == 0xec || op == 0xed;
	uint64_t mask = bytes == 1 ? 0xffULL : bytes == 2 ? 0xffffULL : 0xffffffffULL;

	if (!iopl_ok(v)) {
		return false;
	}
	/* Like Xen, matched whether or not the port is really accessed. */
	v->arch.emul_dr6 = pv_io_breakpoint(v, port, bytes);
	if (!ports_granted(v->domain, port, bytes)) {
		if (in) {
			/* A 32-bit result zero-extends into rax, as the real instruction does. */
			r->rax = bytes == 4 ? mask : (r->rax & ~mask) | mask;
		}
		return true;
	}
	if (in) {
		uint32_t val;

		if (bytes == 1) {
			val = inb(port);
		} else if (bytes == 2) {
			__asm__ volatile("inw %1, %w0" : "=a"(val) : "Nd"(port));
		} else {
			__asm__ volatile("inl %1, %0" : "=a"(val) : "Nd"(port));
		}
		r->rax = bytes == 4 ? val : (r->rax & ~mask) | (val & mask);
	} else if (bytes == 1) {
		outb(port, (uint8_t)r->rax);
	} else if (bytes == 2) {
		outw(port, (uint16_t)r->rax);
	} else {
		outl(port, (uint32_t)r->rax);
	}
	return true;
}

/*
 * CR4 as the guest sees it: paging bits fixed by the hypervisor, plus the
 * SSE enables a kernel turns on for its processes (OSFXSR, OSXMMEXCPT),
 * which are applied to the real CR4 while the guest runs, and DE and
 * OSXSAVE, which stay virtual (DE only changes what the guest's debug
 * registers mean, pv/debugreg.c; the real CR4.OSXSAVE is always on where
 * XSAVE is, and the virtual one gates XSETBV), as in Xen's
 * PV_CR4_GUEST_MASK. Writes of other bits
 * are accepted and ignored, as on Xen: a PV kernel's CR4 write
 * (fpu__init_system) must not fail.
 */
#define PV_CR4_HW_BITS (X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)
#define PV_CR4_GUEST_BITS (PV_CR4_HW_BITS | X86_CR4_DE | X86_CR4_OSXSAVE)

/* OSXSAVE only where the policy offers XSAVE, as Xen's pv_fixup_guest_cr4. */
static uint64_t guest_bits(void)
{
	return xstate_mask ? PV_CR4_GUEST_BITS : PV_CR4_GUEST_BITS & ~X86_CR4_OSXSAVE;
}

static uint64_t virt_cr4(const struct vcpu *v)
{
	return (read_cr4() & X86_CR4_PAE) | (v->arch.cr4 & guest_bits());
}

void pv_write_cr4(struct vcpu *v, uint64_t val)
{
	v->arch.cr4 = val & guest_bits();
	write_cr4((read_cr4() & ~PV_CR4_HW_BITS) | (v->arch.cr4 & PV_CR4_HW_BITS));
}

static uint64_t virt_cr0(const struct vcpu *v)
{
	uint64_t cr0 = read_cr0() & ~X86_CR0_TS;

	return v->arch.fpu_ts ? cr0 | X86_CR0_TS : cr0;
}

static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_FS_BASE:
		*val = v->arch.fs_base;
		return true;
	case MSR_GS_BASE:
		*val = v->arch.gs_base_kernel;
		return true;
	case MSR_KERNEL_GS_BASE:
		*val = v->arch.gs_base_user;
		return true;
	case MSR_EFER:
		*val = rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | (1UL << 10) | EFER_NXE);
		return true;
	case MSR_IA32_TSC:
		*val = rdtsc();
		return true;
	case MSR_IA32_MISC_ENABLE:
		*val = 0;
		return true;
	default:
		return false;
	}
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_FS_BASE:
		return do_set_segment_base(SEGBASE_FS, val) == 0;
	case MSR_GS_BASE:
		return do_set_segment_base(SEGBASE_GS_KERNEL, val) == 0;
	case MSR_KERNEL_GS_BASE:
		return do_set_segment_base(SEGBASE_GS_USER, val) == 0;
	case MSR_EFER: {
		uint64_t cur;

		/* Only a write that changes nothing. */
		read_msr(v, MSR_EFER, &cur);
		return val == cur;
	}
	default:
		return false;
	}
}

/*
 * XSETBV from guest kernel mode: #UD when the guest has not enabled
 * OSXSAVE in its CR4 or put an operand-size prefix on it; #GP (false) for
 * any XCR but 0 or a value xstate_xcr0_valid refuses, and the XCR0 is
 * left as it was. Otherwise the vcpu's XCR0, loaded at once. Xen 4.17
 * x86_emulate's xsetbv and xstate.c's handle_xsetbv for the checks.
 */
static bool prefixed_or_off(const struct vcpu *v, bool prefixed)
{
	return prefixed || !(v->arch.cr4 & X86_CR4_OSXSAVE);
}

static bool emulate_xsetbv(struct vcpu *v, struct cpu_regs *r)
{
	uint64_t val = ((r->rdx & 0xffffffffULL) << 32) | (r->rax & 0xffffffffULL);

	if ((uint32_t)r->rcx != 0 || !xstate_xcr0_valid(val)) {
		return false;
	}
	v->arch.xcr0 = val;
	xsetbv(0, val);
	return true;
}

/*
 * PHYSDEVOP_set_iopl: the vcpu's virtual I/O privilege level (iopl_ok).
 * The real IOPL stays 0, so in/out/cli/sti always trap; Linux asks for 1
 * at boot, for its kernel's port I/O. Ports still need the I/O bitmap and
 * XSM.
 */
long do_physdev_op(uint32_t cmd, uint64_t arg)
{
	struct physdev_set_iopl si;

	switch (cmd) {
	case PHYSDEVOP_set_iopl:
		if (copy_from_guest(&si, arg, sizeof(si))) {
			return -EFAULT;
		}
		if (si.iopl > 3) {
			return -EINVAL;
		}
		current->arch.iopl = si.iopl;
		return 0;
	default:
		return -ENOSYS;
	}
}

bool pv_emulate_gp(struct cpu_regs *r)
{
	struct vcpu *v = current;
	uint8_t insn[16];
	unsigned int n, i = 0, rex = 0, opsize = 4;
	bool opsize16 = false;

	n = fetch(r->rip, insn, sizeof(insn));
	while (i < n && (insn[i] == 0x66 || (insn[i] & 0xf0) == 0x40)) {
		if (insn[i] == 0x66) {
			opsize16 = true;
		} else {
			rex = insn[i];
		}
		i++;
	}
	if (i >= n) {
		return false;
	}
	if (opsize16) {
		opsize = 2;
	}

	switch (insn[i]) {
	case 0xe4: /* in al, imm8 */
	case 0xe6: /* out imm8, al */
		if (i + 1 >= n || !emulate_io(r, insn[i], insn[i + 1], 1)) {
			return false;
		}
		return emul_done(r, i + 2);
	case 0xe5:
	case 0xe7:
		if (i + 1 >= n || !emulate_io(r, insn[i], insn[i + 1], opsize)) {
			return false;
		}
		return emul_done(r, i + 2);
	case 0xec: /* in al, dx */
	case 0xee:
		if (!emulate_io(r, insn[i], (uint16_t)r->rdx, 1)) {
			return false;
		}
		return emul_done(r, i + 1);
	case 0xed:
	case 0xef:
		if (!emulate_io(r, insn[i], (uint16_t)r->rdx, opsize)) {
			return false;
		}
		return emul_done(r, i + 1);
	case 0xfa: /* cli */
	case 0xfb: /* sti */
		/*
		 * Skipped, as Xen's validate hook does: the event mask belongs to
		 * the guest (vcpu_info), and a kernel that re-enables with popf
		 * could never be tracked anyway.
		 */
		if (!iopl_ok(v)) {
			return false;
		}
		return emul_done(r, i + 1);
	case 0x0f:
		/* The rest is for guest kernel mode; in user mode it stays #GP(0). */
		if (!v->arch.in_kernel) {
			return false;
		}
		break;
	default:
		return false;
	}
	if (++i >= n) {
		return false;
	}
	switch (insn[i]) {
	case 0x01: /* 0f 01 d1: xsetbv */
		if (i + 1 >= n || insn[i + 1] != 0xd1) {
			return false;
		}
		if (prefixed_or_off(v, opsize16)) {
			/* As the CPU: #UD, not #GP. */
			pv_bounce_exception(r, 6, false, 0);
			return true;
		}
		if (!emulate_xsetbv(v, r)) {
			return false;
		}
		return emul_done(r, i + 2);
	case 0x06: /* clts */
		do_fpu_taskswitch(0);
		return emul_done(r, i + 1);
	case 0x09: /* wbinvd: real only for the privileged domain, a no-op for others */
		if (v->domain->is_privileged) {
			__asm__ volatile("wbinvd" ::: "memory");
		}
		return emul_done(r, i + 1);
	case 0x21:   /* mov drN, reg */
	case 0x23: { /* mov reg, drN */
		unsigned int drn;
		uint64_t *reg;
		int rc;

		if (i + 1 >= n) {
			return false;
		}
		/* The mod bits are ignored, as the CPU does: always a register. */
		drn = ((insn[i + 1] >> 3) & 7) | ((rex & 4) ? 8 : 0);
		reg = gpr(r, (insn[i + 1] & 7) | ((rex & 1) ? 8 : 0));
		if (insn[i] == 0x21) {
			rc = pv_get_debugreg(v, drn, reg);
		} else {
			rc = pv_set_debugreg(v, drn, *reg);
		}
		if (rc == -ENODEV) {
			/* No such register (%dr8+, or %dr4/5 with CR4.DE): #UD, as the CPU. */
			pv_bounce_exception(r, 6, false, 0);
			return true;
		}
		if (rc) {
			return false;
		}
		return emul_done(r, i + 2);
	}
	case 0x20:   /* mov crN, reg */
	case 0x22: { /* mov reg, crN */
		uint8_t modrm;
		unsigned int crn, rm;
		uint64_t *reg;

		if (i + 1 >= n) {
			return false;
		}
		modrm = insn[i + 1];
		if ((modrm >> 6) != 3) {
			return false;
		}
		crn = ((modrm >> 3) & 7) | ((rex & 4) ? 8 : 0);
		rm = (modrm & 7) | ((rex & 1) ? 8 : 0);
		reg = gpr(r, rm);
		if (insn[i] == 0x20) {
			switch (crn) {
			case 0:
				*reg = virt_cr0(v);
				break;
			case 2:
				*reg = v->vcpu_info->arch.cr2;
				break;
			case 3:
				*reg = mfn_to_paddr(v->arch.in_kernel ? v->arch.guest_table
								      : v->arch.guest_table_user);
				break;
			case 4:
				*reg = virt_cr4(v);
				break;
			default:
				return false;
			}
		} else {
			if (crn == 4) {
				pv_write_cr4(v, *reg);
				return emul_done(r, i + 2);
			}
			/* CR0: only TS may change; anything else is refused. */
			if (crn != 0 || ((*reg ^ virt_cr0(v)) & ~X86_CR0_TS)) {
				return false;
			}
			do_fpu_taskswitch(!!(*reg & X86_CR0_TS));
		}
		return emul_done(r, i + 2);
	}
	case 0x32: { /* rdmsr */
		uint64_t val;

		if (!read_msr(v, (uint32_t)r->rcx, &val)) {
			return false;
		}
		r->rax = (uint32_t)val;
		r->rdx = val >> 32;
		return emul_done(r, i + 1);
	}
	case 0x30: /* wrmsr */
		if (!write_msr(v, (uint32_t)r->rcx,
			       ((r->rdx & 0xffffffffULL) << 32) | (r->rax & 0xffffffffULL))) {
			return false;
		}
		return emul_done(r, i + 1);
	default:
		return false;
	}
}
