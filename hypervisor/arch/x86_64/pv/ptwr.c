/*
 * Writes by a PV guest kernel straight into its own page tables.
 *
 * Page-table frames are mapped read-only to their guest, so such a write
 * faults. Linux (like every PV kernel) relies on Xen emulating it: its
 * generic mm code clears and exchanges PTEs with plain mov, xchg and
 * cmpxchg (vunmap, ptep_get_and_clear) instead of going through a
 * hypercall. As Xen's ptwr path does, the faulting instruction is decoded,
 * the new entry checked and installed by mm_update_entry (the same path as
 * mmu_update, so every rule of the memory model holds) and the guest
 * resumes after the instruction. Only aligned 8-byte writes are taken;
 * anything else is reflected to the guest as the #PF it was.
 */
#include <arch/mm.h>
#include <asm/pv.h>
#include <asm/pv_mm.h>
#include <domain.h>
#include <frame.h>
#include <guest_access.h>
#include <lib.h>

#include <xsm/xsm.h>

static uint64_t *reg_of(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const regs[16] = {&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				    &r->rsi, &r->rdi, &r->r8,  &r->r9,	&r->r10, &r->r11,
				    &r->r12, &r->r13, &r->r14, &r->r15};

	return regs[n & 15];
}

/* Length of a ModRM memory operand (ModRM, SIB, displacement); 0 for a register operand. */
static unsigned int modrm_len(const uint8_t *p)
{
	unsigned int mod = p[0] >> 6, rm = p[0] & 7, len = 1;

	if (mod == 3) {
		return 0;
	}
	if (rm == 4) {
		len++;
		if (mod == 0 && (p[1] & 7) == 5) {
			len += 4;
		}
	} else if (mod == 0 && rm == 5) {
		len += 4;
	}
	if (mod == 1) {
		len += 1;
	} else if (mod == 2) {
		len += 4;
	}
	return len;
}

bool pv_ptwr_emulate(struct cpu_regs *r, uint64_t addr)
{
	struct vcpu *v = current;
	struct domain *d = v->domain;
	uint8_t insn[16];
	unsigned int i = 0, rex = 0, ml;
	uint64_t *tbl, old, val;
	struct page_info *pg;
	mfn_t l1, target;
	bool is_xchg = false, is_cmpxchg = false;

	if (!v->arch.in_kernel || (addr & 7)) {
		return false;
	}
	/* The faulting address must be in a frame of ours that is a validated L1 table. */
	l1 = pv_guest_l1_table(v->arch.guest_table, addr);
	if (mfn_eq(l1, INVALID_MFN)) {
		return false;
	}
	target = paddr_to_mfn(((const uint64_t *)arch_mfn_to_virt(l1))[(addr >> 12) & 511] &
			      MM_PTE_ADDR);
	if (mfn_x(target) >= max_mfn) {
		return false;
	}
	pg = mfn_to_page(target);
	if (pg->owner != d->domain_id || pg->type != PGT_l1 || !(pg->flags & PGF_validated)) {
		return false;
	}
	if (copy_from_guest(insn, r->rip, sizeof(insn))) {
		return false;
	}
	if (insn[i] == 0xf0) { /* lock: the hypervisor's update is atomic for the guest anyway */
		i++;
	}
	if ((insn[i] & 0xf0) == 0x40) {
		rex = insn[i++];
	}
	if (!(rex & 8)) {
		return false; /* only 64-bit operands */
	}
	tbl = (uint64_t *)arch_mfn_to_virt(target);
	old = tbl[(addr & ~PAGE_MASK) >> 3];
	if (insn[i] == 0x89 || insn[i] == 0x87) { /* mov r64 -> m64, xchg */
		is_xchg = insn[i] == 0x87;
		ml = modrm_len(&insn[i + 1]);
		if (!ml) {
			return false;
		}
		val = *reg_of(r, ((insn[i + 1] >> 3) & 7) | ((rex & 4) << 1));
		i += 1 + ml;
	} else if (insn[i] == 0xc7 && ((insn[i + 1] >> 3) & 7) == 0) { /* mov imm32 -> m64 */
		int32_t imm;

		ml = modrm_len(&insn[i + 1]);
		if (!ml) {
			return false;
		}
		memcpy(&imm, &insn[i + 1 + ml], sizeof(imm));
		val = (uint64_t)(int64_t)imm;
		i += 1 + ml + 4;
	} else if (insn[i] == 0x0f && insn[i + 1] == 0xb1) { /* cmpxchg r64, m64 */
		is_cmpxchg = true;
		ml = modrm_len(&insn[i + 2]);
		if (!ml) {
			return false;
		}
		val = *reg_of(r, ((insn[i + 2] >> 3) & 7) | ((rex & 4) << 1));
		i += 2 + ml;
	} else {
		return false;
	}
	if (is_cmpxchg) {
		if (old != r->rax) {
			r->rax = old;
			r->rflags &= ~0x40ULL; /* ZF */
			r->rip += i;
			return true;
		}
		r->rflags |= 0x40ULL;
	}
	if (xsm_mmu_update(
		d, d, d,
		XSM_MMU_NORMAL_UPDATE | (val & MM_PTE_P ? XSM_MMU_UPDATE_READ : 0) |
		    ((val & MM_PTE_P) && (val & MM_PTE_RW) ? XSM_MMU_UPDATE_WRITE : 0))) {
		return false;
	}
	if (mm_update_entry(d, d, target, (addr & ~PAGE_MASK) >> 3, val, false)) {
		return false;
	}
	if (is_xchg) {
		*reg_of(r, ((insn[i - ml] >> 3) & 7) | ((rex & 4) << 1)) = old;
	}
	r->rip += i;
	return true;
}
