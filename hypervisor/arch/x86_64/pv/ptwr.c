/*
 * Writes by a PV guest kernel straight into its own page tables.
 *
 * Page-table frames are mapped read-only to their guest, so such a write
 * faults. Linux (like every PV kernel) relies on Xen emulating it: its
 * generic mm code changes PTEs in place (vunmap's xchg, cmpxchg,
 * clear_bit's "lock and byte" that fork uses to write-protect, btr for
 * the accessed bit) instead of going through a hypercall. As Xen's ptwr
 * path does, a write fault from guest kernel mode on a read-only mapping
 * of one of the domain's L1 tables is decoded (ptwr_decode.c: any of the
 * writes listed in asm/ptwr_decode.h, on 1 to 8 bytes of one entry), the
 * new entry is checked and installed by mm_update_entry (the path of
 * mmu_update, so every rule of the memory model holds), the registers and
 * flags are updated as the CPU would and the guest resumes after the
 * instruction. Anything else, or an entry mm_update_entry refuses, is
 * reflected to the guest as the #PF it was, with nothing changed.
 */
#include <arch/mm.h>
#include <asm/cpu.h>
#include <asm/ptwr_decode.h>
#include <asm/pv.h>
#include <asm/pv_mm.h>
#include <console.h>
#include <domain.h>
#include <frame.h>
#include <guest_access.h>
#include <lib.h>

#include <xsm/xsm.h>

/* #PF error code bits. */
#define PFEC_PRESENT (1ULL << 0)
#define PFEC_WRITE (1ULL << 1)
#define PFEC_RSVD (1ULL << 3)
#define PFEC_FETCH (1ULL << 4)

/*
 * The L1 table mapped read-only at va in the kernel's address space and
 * owned by d as a validated L1, or INVALID_MFN.
 */
static mfn_t ptwr_table(const struct vcpu *v, uint64_t va)
{
	const struct page_info *pg;
	mfn_t l1 = pv_guest_l1_table(v->arch.guest_table, va), target;
	uint64_t pte;

	if (mfn_eq(l1, INVALID_MFN)) {
		return INVALID_MFN;
	}
	pte = ((const uint64_t *)arch_mfn_to_virt(l1))[(va >> 12) & 511];
	if ((pte & (MM_PTE_P | MM_PTE_RW)) != MM_PTE_P) {
		return INVALID_MFN;
	}
	target = paddr_to_mfn(pte & MM_PTE_ADDR);
	if (mfn_x(target) >= max_mfn) {
		return INVALID_MFN;
	}
	pg = mfn_to_page(target);
	if (pg->owner != v->domain->domain_id || pg->type != PGT_l1 ||
	    !(pg->flags & PGF_validated)) {
		return INVALID_MFN;
	}
	return target;
}

/* Up to PTWR_INSN_MAX bytes at rip; an unmapped second page just shortens them. */
static unsigned int fetch_insn(uint64_t rip, uint8_t *buf)
{
	unsigned int first = PAGE_SIZE - (rip & ~PAGE_MASK);

	if (first >= PTWR_INSN_MAX) {
		return copy_from_guest(buf, rip, PTWR_INSN_MAX) ? 0 : PTWR_INSN_MAX;
	}
	if (copy_from_guest(buf, rip, first)) {
		return 0;
	}
	return copy_from_guest(buf + first, rip + first, PTWR_INSN_MAX - first) ? first
										: PTWR_INSN_MAX;
}

bool pv_ptwr_emulate(struct cpu_regs *r, uint64_t addr)
{
	struct vcpu *v = current;
	struct domain *d = v->domain;
	uint8_t insn_bytes[PTWR_INSN_MAX];
	struct ptwr_insn insn;
	struct cpu_regs next_regs;
	uint64_t op_addr, cur[2], val, seg_base = 0;
	const uint64_t *tbl;
	unsigned int n, idx;
	mfn_t target;
	int rc;

	if (!v->arch.in_kernel || (r->error_code & (PFEC_PRESENT | PFEC_WRITE | PFEC_RSVD |
						    PFEC_FETCH)) != (PFEC_PRESENT | PFEC_WRITE)) {
		return false;
	}
	target = ptwr_table(v, addr);
	if (mfn_eq(target, INVALID_MFN)) {
		return false;
	}
	n = fetch_insn(r->rip, insn_bytes);
	rc = ptwr_decode(insn_bytes, n, &insn);
	if (rc) {
		char hex[3 * 8 + 1] = "";

		for (unsigned int i = 0; i < n && i < 8; i++) {
			snprintf(hex + 3 * i, 4, " %02x", insn_bytes[i]);
		}
		pr_debug("d%u: ptwr: instruction at %#llx not taken (%d):%s\n", d->domain_id,
			 (unsigned long long)r->rip, rc, hex);
		return false;
	}
	if (insn.seg == PTWR_SEG_FS) {
		seg_base = rdmsr(MSR_FS_BASE);
	} else if (insn.seg == PTWR_SEG_GS) {
		seg_base = rdmsr(MSR_GS_BASE); /* the kernel's: we are in guest kernel mode */
	}
	/* As Xen: only writes into the page that faulted (a bt offset may point elsewhere). */
	op_addr = ptwr_insn_addr(&insn, r, seg_base);
	if ((op_addr ^ addr) & PAGE_MASK) {
		return false;
	}
	tbl = arch_mfn_to_virt(target);
	idx = (op_addr & ~PAGE_MASK) >> 3;
	cur[0] = tbl[idx];
	cur[1] = idx + 1 < PAGE_SIZE / 8 ? tbl[idx + 1] : 0;
	next_regs = *r;
	rc = ptwr_apply(&insn, &next_regs, op_addr, cur, &val);
	if (rc < 0) {
		pr_debug("d%u: ptwr: %u-byte operand at %#llx not taken (%d)\n", d->domain_id,
			 insn.width, (unsigned long long)op_addr, rc);
		return false;
	}
	if (rc > 0) {
		rc = xsm_mmu_update(d, d, d, mm_update_xsm_flags(val));
		if (!rc) {
			rc = mm_update_entry(d, d, target, idx, val, false);
		}
		if (rc) {
			pr_debug("d%u: ptwr: entry %llx of mfn %llx := %llx refused (%d)\n",
				 d->domain_id, (unsigned long long)idx,
				 (unsigned long long)mfn_x(target), (unsigned long long)val, rc);
			return false;
		}
	}
	next_regs.rip += insn.len;
	next_regs.rflags &= ~X86_EFLAGS_RF;
	*r = next_regs;
	return true;
}
