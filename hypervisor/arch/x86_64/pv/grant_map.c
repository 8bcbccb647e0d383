/*
 * Grant mappings of a PV guest: the L1 entries of GNTMAP_host_map (see
 * arch/grant.h). The entry is written under mm_lock like any page-table
 * update; its references are the grant's pin's, so writing it takes
 * none, and the entry it replaces drops what it held, as mm_update_entry
 * would. A guest that later overwrites a grant entry itself drops those
 * references with it (the pin then has none left: unmap fails, as on Xen,
 * and the granting domain's frame is no longer held by this mapping).
 */
#include <arch/grant.h>
#include <arch/mm.h>
#include <asm/pv_mm.h>
#include <domain.h>
#include <frame.h>
#include <guest_access.h>
#include <mm.h>
#include <public/grant_table.h>

/* The guest's three available bits (9-11), from GNTMAP_guest_avail0 up. */
#define GNT_AVAIL_SHIFT 9
#define GNT_AVAIL_MASK 7U

/* The L1 table and slot for addr; INVALID_MFN when there is none. Under mm_lock. */
static mfn_t find_l1(struct domain *ld, uint64_t addr, bool contains_pte, unsigned int *idx)
{
	struct page_info *pg;
	unsigned int l4slot = (addr >> 39) & 511;
	mfn_t l1;

	if (contains_pte) {
		if (addr & 7) {
			return INVALID_MFN;
		}
		l1 = paddr_to_mfn(addr);
		*idx = (addr & ~PAGE_MASK) >> 3;
	} else {
		if (!guest_range_ok(addr, 1) ||
		    (l4slot >= MM_HV_L4_FIRST && l4slot <= MM_HV_L4_LAST) || !current) {
			return INVALID_MFN;
		}
		l1 = pv_guest_l1_table(pv_active_l4(current), addr);
		*idx = (addr >> PAGE_SHIFT) & 511;
	}
	if (mfn_eq(l1, INVALID_MFN) || mfn_x(l1) >= max_mfn) {
		return INVALID_MFN;
	}
	pg = mfn_to_page(l1);
	/* Only a validated L1 of the mapping domain: never a table of anyone else. */
	if (pg->owner != ld->domain_id || pg->type != PGT_l1 || !pg->type_count ||
	    !(pg->flags & PGF_validated)) {
		return INVALID_MFN;
	}
	return l1;
}

static uint64_t grant_pte(mfn_t mfn, uint32_t flags)
{
	/* The user bit always: a PV kernel runs in ring 3 (as every validated entry gets it). */
	uint64_t e = mfn_to_paddr(mfn) | MM_PTE_P | MM_PTE_A | MM_PTE_D | MM_PTE_US | MM_PTE_NX;

	if (!(flags & GNTMAP_readonly)) {
		e |= MM_PTE_RW;
	}
	e |= (uint64_t)((flags >> _GNTMAP_guest_avail0) & GNT_AVAIL_MASK) << GNT_AVAIL_SHIFT;
	return e;
}

int arch_grant_map(struct domain *ld, uint64_t addr, uint32_t flags, mfn_t mfn)
{
	unsigned int idx;
	uint64_t *t, old;
	mfn_t l1;

	mm_lock();
	l1 = find_l1(ld, addr, flags & GNTMAP_contains_pte, &idx);
	if (mfn_eq(l1, INVALID_MFN)) {
		mm_unlock();
		return GNTST_general_error;
	}
	t = arch_mfn_to_virt(l1);
	old = t[idx];
	__atomic_store_n(&t[idx], grant_pte(mfn, flags), __ATOMIC_RELEASE);
	mm_put_entry_refs(old, 1);
	mm_unlock();
	return GNTST_okay;
}

int arch_grant_unmap(struct domain *ld, uint64_t addr, uint32_t flags, mfn_t mfn, uint64_t new_addr)
{
	unsigned int idx, nidx = 0;
	uint64_t *t, e, moved = 0;
	mfn_t l1, nl1 = INVALID_MFN;

	mm_lock();
	l1 = find_l1(ld, addr, flags & GNTMAP_contains_pte, &idx);
	if (mfn_eq(l1, INVALID_MFN)) {
		goto refuse;
	}
	t = arch_mfn_to_virt(l1);
	e = t[idx];
	if (!(e & MM_PTE_P) || !mfn_eq(paddr_to_mfn(e & MM_PTE_ADDR), mfn)) {
		/* The caller does not map that frame there (never did, or overwrote it). */
		goto refuse;
	}
	if (new_addr) {
		nl1 = find_l1(ld, new_addr, false, &nidx);
		if (mfn_eq(nl1, INVALID_MFN) || (mfn_eq(nl1, l1) && nidx == idx)) {
			goto refuse;
		}
		moved = ((uint64_t *)arch_mfn_to_virt(nl1))[nidx];
		__atomic_store_n(&((uint64_t *)arch_mfn_to_virt(nl1))[nidx], 0, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&t[idx], moved, __ATOMIC_RELEASE);
	mm_unlock();
	return GNTST_okay;
refuse:
	mm_unlock();
	return GNTST_general_error;
}

void arch_grant_flush(struct domain *ld)
{
	if (current && current->domain == ld) {
		mm_tlb_flush_local();
	}
	mm_tlb_flush_others(ld);
}
