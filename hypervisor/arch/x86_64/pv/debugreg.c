/*
 * Guest debug registers, as Xen keeps them for a 64-bit PV guest:
 * set_debugreg / get_debugreg, the values behind an emulated mov to or
 * from %dr0-7 (pv/emul.c), the CPU's registers while the vcpu runs, and
 * #DB, both the guest's own and the ones the hypervisor meets because a
 * guest watchpoint covers memory it copies to or from.
 *
 * The checks are Xen's: breakpoint addresses only where the guest may
 * map (below 2^47 or above the hypervisor hole), reserved bits of DR6
 * and DR7 forced to their fixed values, the upper halves refused, DR7.GD
 * never, an I/O breakpoint only with the guest's CR4.DE. I/O breakpoints
 * never reach the CPU (guest port I/O is emulated anyway): their enables
 * live in dr7_emul and pv_io_breakpoint matches them.
 *
 * One CPU runs one vcpu: the registers are loaded on the way back to the
 * guest after they changed (dr_dirty) and stay loaded while the
 * hypervisor works for it; DR7 is cleared when the vcpu stops.
 */
#include <asm/cpu.h>
#include <asm/pv.h>
#include <console.h>
#include <domain.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/xen.h>

#define DR_STATUS_RESERVED_ZERO 0x00001000U  /* DR6 bit 12 reads as 0 */
#define DR_CONTROL_RESERVED_ZERO 0x0000d800U /* DR7 bits 11, 12, 14, 15 */
#define DR_CONTROL_RESERVED_ONE 0x00000400U
#define DR_GENERAL_DETECT 0x00002000U
#define DR7_ENABLE_MASK 0xffU
#define DR_RW_IO 2U
#define DR_RW_EXECUTE 0U

/* pv/entry.S */
extern const char pv_sysenter_entry[], pv_sysenter_flags_saved[];

static bool cr4_de(const struct vcpu *v)
{
	return v->arch.cr4 & X86_CR4_DE;
}

/* Xen's __addr_ok: the lower half, or the upper half above the hole. */
static bool breakpoint_addr_ok(uint64_t a)
{
	return a < (1ULL << 47) || a >= HYPERVISOR_VIRT_END;
}

void pv_debug_init(struct vcpu *v)
{
	v->arch.dr6 = PV_DR6_DEFAULT;
	v->arch.dr7 = PV_DR7_DEFAULT;
	v->arch.dr_dirty = true;
}

/* DR4/DR5 are DR6/DR7 unless CR4.DE; only the low halves of these exist. */
static int check_status_control(const struct vcpu *v, unsigned int reg, uint64_t value)
{
	if ((reg == 4 || reg == 5) && cr4_de(v)) {
		return -ENODEV;
	}
	return value == (uint32_t)value ? 0 : -EINVAL;
}

int pv_set_debugreg(struct vcpu *v, unsigned int reg, uint64_t value)
{
	unsigned int i, io_enable = 0;
	int rc = reg >= 4 && reg <= 7 ? check_status_control(v, reg, value) : 0;

	if (rc) {
		return rc;
	}
	switch (reg) {
	case 0:
	case 1:
	case 2:
	case 3:
		if (!breakpoint_addr_ok(value)) {
			return -EPERM;
		}
		v->arch.dr[reg] = value;
		break;
	case 4:
	case 6:
		v->arch.dr6 = ((uint32_t)value & ~DR_STATUS_RESERVED_ZERO) | PV_DR6_DEFAULT;
		break;
	case 5:
	case 7:
		value = (value & ~(uint64_t)DR_CONTROL_RESERVED_ZERO) | DR_CONTROL_RESERVED_ONE;
		if (value & DR_GENERAL_DETECT) {
			return -EPERM;
		}
		if (value & DR7_ENABLE_MASK) {
			for (i = 0; i < 4; i++) {
				if (((value >> (16 + 4 * i)) & 3) != DR_RW_IO) {
					continue;
				}
				if (!cr4_de(v)) {
					return -EPERM;
				}
				io_enable |= value & (3U << (2 * i));
			}
		}
		/* Only enabled I/O breakpoints move to dr7_emul: a cleared DR7 drops them. */
		v->arch.dr7_emul = io_enable;
		v->arch.dr7 = (uint32_t)value & ~io_enable;
		break;
	default:
		return -ENODEV;
	}
	v->arch.dr_dirty = true;
	return 0;
}

int pv_get_debugreg(const struct vcpu *v, unsigned int reg, uint64_t *value)
{
	switch (reg) {
	case 0:
	case 1:
	case 2:
	case 3:
		*value = v->arch.dr[reg];
		return 0;
	case 4:
	case 6:
		if (reg == 4 && cr4_de(v)) {
			return -ENODEV;
		}
		*value = v->arch.dr6;
		return 0;
	case 5:
	case 7:
		if (reg == 5 && cr4_de(v)) {
			return -ENODEV;
		}
		*value = v->arch.dr7 | v->arch.dr7_emul;
		return 0;
	default:
		return -ENODEV;
	}
}

long do_set_debugreg(uint32_t reg, uint64_t value)
{
	return pv_set_debugreg(current, reg, value);
}

long do_get_debugreg(uint32_t reg)
{
	uint64_t value;
	int rc = pv_get_debugreg(current, reg, &value);

	/* The register's bits as the result, like Xen; a guest tells -ENODEV by reg. */
	return rc ? rc : (long)value;
}

void pv_debug_load(struct vcpu *v)
{
	/* DR7 last: the breakpoints it enables must already hold their addresses. */
	write_dr7(0);
	write_dr0(v->arch.dr[0]);
	write_dr1(v->arch.dr[1]);
	write_dr2(v->arch.dr[2]);
	write_dr3(v->arch.dr[3]);
	write_dr6(v->arch.dr6);
	write_dr7(v->arch.dr7);
	v->arch.dr_dirty = false;
}

void pv_debug_stop(struct vcpu *v)
{
	if (v == current) {
		write_dr7(0);
	}
	v->arch.dr_dirty = true;
}

void pv_debug_guest_trap(struct vcpu *v)
{
	uint32_t dr6 = (uint32_t)read_dr6();

	/*
	 * As Xen: what the CPU set beyond the default becomes sticky in the
	 * guest's DR6, what it cleared of the default is cleared there, and
	 * the CPU's DR6 starts again from the default.
	 */
	write_dr6(PV_DR6_DEFAULT);
	v->arch.dr6 |= dr6 & ~PV_DR6_DEFAULT;
	v->arch.dr6 &= dr6 | ~PV_DR6_DEFAULT;
}

void pv_debug_event(struct cpu_regs *r, uint32_t dr6_bits)
{
	struct vcpu *v = current;

	v->arch.dr6 |= dr6_bits | PV_DR6_DEFAULT;
	pv_bounce_exception(r, 1, false, 0);
}

unsigned int pv_io_breakpoint(const struct vcpu *v, unsigned int port, unsigned int len)
{
	static const unsigned int width[4] = {1, 2, 8, 4}; /* DR7 LEN encodings 00 01 10 11 */
	unsigned int i, match = 0;

	if (!v->arch.dr7_emul || !cr4_de(v)) {
		return 0;
	}
	for (i = 0; i < 4; i++) {
		unsigned int w = width[(v->arch.dr7 >> (18 + 4 * i)) & 3];
		uint64_t start = v->arch.dr[i] & ~(uint64_t)(w - 1);

		if ((v->arch.dr7_emul & (3U << (2 * i))) && start < port + len &&
		    start + w > port) {
			match |= 1U << i;
		}
	}
	return match;
}

/*
 * A #DB raised in the hypervisor (ring 0, IST stack) while a guest runs.
 * Only the guest can have caused it (the hypervisor sets no breakpoints
 * and never runs with TF), and as on Xen it is never fatal:
 *  - the single-step trap a guest's TF leaves on the first instruction of
 *    a syscall entry: nothing to do, TF comes back with the guest's flags;
 *  - the same on the sysenter entry, which keeps TF set until the stub
 *    has saved the flags: from there TF is dropped;
 *  - a guest data breakpoint hit by a copy to or from guest memory, or a
 *    #DB held back by mov/pop %ss until the syscall, int or exception
 *    after it had entered ring 0: noted and ignored (a trap: whatever it
 *    interrupted goes on); it is not the guest's #DB.
 * An instruction breakpoint cannot match hypervisor code (guest addresses
 * are never the hole) and TF cannot be set here; either would repeat at
 * every instruction, so DR7 is cleared until the next return to the
 * guest, and TF dropped.
 */
bool pv_debug_hypervisor_trap(struct cpu_regs *r)
{
	static unsigned int reported;
	struct vcpu *v = current;
	uint32_t dr6 = (uint32_t)read_dr6();
	unsigned int i;

	/* Like Xen, whatever the cause: the next #DB must not see these bits again. */
	write_dr6(PV_DR6_DEFAULT);
	if (pv_syscall_stub_cpu(r->rip) >= 0) {
		return true;
	}
	if (r->rip >= (uint64_t)pv_sysenter_entry && r->rip <= (uint64_t)pv_sysenter_flags_saved) {
		if (r->rip == (uint64_t)pv_sysenter_flags_saved) {
			r->rflags &= ~X86_EFLAGS_TF;
		}
		return true;
	}
	if (!v) {
		return false;
	}
	for (i = 0; i < 4; i++) {
		if ((dr6 & (1U << i)) && (v->arch.dr7 & (3U << (2 * i))) &&
		    ((v->arch.dr7 >> (16 + 4 * i)) & 3) == DR_RW_EXECUTE) {
			write_dr7(0);
			v->arch.dr_dirty = true;
		}
	}
	r->rflags &= ~X86_EFLAGS_TF;
	if (reported < 4) {
		reported++;
		pr_warn("d%u v%u: #DB in the hypervisor at %#llx (dr6 %#x): a guest breakpoint, "
			"ignored\n",
			v->domain->domain_id, v->vcpu_id, (unsigned long long)r->rip, dr6);
	}
	return true;
}
