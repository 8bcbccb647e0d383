/*
 * mmu_update and update_va_mapping: guest writes to its own page tables,
 * each entry checked by mm_update_entry (mm_types.c) with the change of
 * references from the old entry to the new one.
 */
#include <arch/mm.h>
#include <asm/pv_mm.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <public/errno.h>
#include <public/xen.h>

#include <xsm/xsm.h>

/* Low bits of mmu_update.ptr carry the command; entries are 8-byte aligned. */
#define MMU_CMD_MASK 7ULL

uint32_t mm_update_xsm_flags(uint64_t val)
{
	uint32_t flags = XSM_MMU_NORMAL_UPDATE;

	if (val & MM_PTE_P) {
		flags |= XSM_MMU_UPDATE_READ;
		if (val & MM_PTE_RW) {
			flags |= XSM_MMU_UPDATE_WRITE;
		}
	}
	return flags;
}

/*
 * d asks for one update of a table of pt_owner (d itself unless the batch
 * named another in foreigndom's high half) mapping a frame of pg_owner.
 */
static long one_update(struct domain *d, struct domain *pt_owner, struct domain *pg_owner,
		       const struct mmu_update *req)
{
	mfn_t mfn = paddr_to_mfn(req->ptr);
	long rc;

	switch (req->ptr & MMU_CMD_MASK) {
	case MMU_NORMAL_PT_UPDATE:
	case MMU_PT_UPDATE_NO_TRANSLATE:
	case MMU_PT_UPDATE_PRESERVE_AD:
		rc = xsm_mmu_update(d, pt_owner, pg_owner, mm_update_xsm_flags(req->val));
		if (rc) {
			return rc;
		}
		return mm_update_entry(pt_owner, pg_owner, mfn, (req->ptr & ~PAGE_MASK) >> 3,
				       req->val,
				       (req->ptr & MMU_CMD_MASK) == MMU_PT_UPDATE_PRESERVE_AD);
	case MMU_MACHPHYS_UPDATE:
		if (pt_owner != d) {
			return -EPERM;
		}
		rc = xsm_mmu_update(d, NULL, pg_owner, XSM_MMU_MACHPHYS_UPDATE);
		if (rc) {
			return rc;
		}
		if (!get_page(mfn, pg_owner)) {
			return -EINVAL;
		}
		m2p_set(mfn, req->val);
		put_page(mfn);
		return 0;
	default:
		/* As Xen: an unknown command answers -ENOSYS, not -EINVAL. */
		return -ENOSYS;
	}
}

/*
 * foreigndom, as Xen reads it: the low 16 bits name the owner of the
 * frames the entries map (pg_owner, mm_foreign_owner), the high 16 bits,
 * when not 0, the id + 1 of the domain whose tables are updated.
 */
long do_mmu_update(uint64_t ureqs, uint32_t count, uint64_t pdone, uint32_t foreigndom)
{
	struct vcpu *v = current;
	struct domain *pg_owner, *pt_owner;
	struct mmu_update req;
	uint32_t done = 0;
	long rc = 0;

	if (!v) {
		return -EINVAL;
	}
	if (count & MM_UPDATE_PREEMPTED) {
		return -EINVAL;
	}
	pt_owner = v->domain;
	if (foreigndom >> 16) {
		pt_owner = domain_lookup((domid_t)((foreigndom >> 16) - 1));
		if (!pt_owner || (foreigndom >> 16) - 1 >= DOMID_FIRST_RESERVED ||
		    __atomic_load_n(&pt_owner->is_dying, __ATOMIC_ACQUIRE)) {
			return -ESRCH;
		}
	}
	pg_owner = mm_foreign_owner(v->domain, (uint16_t)foreigndom, &rc);
	if (!pg_owner) {
		return rc;
	}
	for (; done < count; done++) {
		if (copy_from_guest(&req, ureqs + (uint64_t)done * sizeof(req), sizeof(req))) {
			rc = -EFAULT;
			break;
		}
		rc = one_update(v->domain, pt_owner, pg_owner, &req);
		if (rc) {
			/* Why a kernel's update was refused is the first thing one needs to know.
			 */
			pr_debug("d%u: mmu_update ptr %llx val %llx refused (%ld)\n",
				 v->domain->domain_id, (unsigned long long)req.ptr,
				 (unsigned long long)req.val, rc);
			break;
		}
	}
	/* An entry changed may have dropped a mapping another CPU still caches. */
	if (done) {
		mm_tlb_flush_others(v->domain);
		if (pt_owner != v->domain) {
			mm_tlb_flush_others(pt_owner);
		}
	}
	mm_flush_and_reap_orphans(v->domain);
	if (pdone && copy_to_guest(pdone, &done, sizeof(done))) {
		return -EFAULT;
	}
	return rc;
}

/* update_va_mapping and its _otherdomain form: one L1 entry of the caller's, found by va. */
static long update_va(uint64_t va, uint64_t val, uint64_t flags, struct domain *pg_owner)
{
	struct vcpu *v = current;
	struct domain *d = v->domain;
	unsigned l4slot = (va >> 39) & 511;
	uint64_t mask;
	mfn_t l1;
	long rc;

	if (!guest_range_ok(va, 1) || (l4slot >= MM_HV_L4_FIRST && l4slot <= MM_HV_L4_LAST)) {
		return -EINVAL;
	}
	/* A vcpu mask pointer (UVMF_MULTI) must at least be readable. */
	if ((flags & ~(UVMF_FLUSHTYPE_MASK | UVMF_ALL)) &&
	    copy_from_guest(&mask, flags & ~(UVMF_FLUSHTYPE_MASK | UVMF_ALL), sizeof(mask))) {
		return -EFAULT;
	}
	rc = xsm_update_va_mapping(d, pg_owner, val);
	if (rc) {
		return rc;
	}
	l1 = pv_guest_l1_table(pv_active_l4(v), va);
	if (mfn_eq(l1, INVALID_MFN)) {
		return -EINVAL;
	}
	rc = mm_update_entry(d, pg_owner, l1, (va >> 12) & 511, val, false);
	if (rc) {
		pr_debug("d%u: update_va_mapping va %llx val %llx refused (%ld)\n", d->domain_id,
			 (unsigned long long)va, (unsigned long long)val, rc);
		return rc;
	}
	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
		mm_tlb_flush_local();
		break;
	case UVMF_INVLPG:
		mm_tlb_flush_one(va);
		break;
	default:
		break;
	}
	/* The old mapping may be cached where d's other vcpus run, whatever the flags ask. */
	mm_tlb_flush_others(d);
	mm_flush_and_reap_orphans(d);
	return 0;
}

long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags)
{
	if (!current) {
		return -EINVAL;
	}
	return update_va(va, val, flags, current->domain);
}

/*
 * As Xen 4.17: the entry may map a frame of domid (privileged caller, or
 * the device model of domid's domain, as the XSM hook decides); an unknown
 * domain or the caller's own id is -ESRCH.
 */
long do_update_va_mapping_otherdomain(uint64_t va, uint64_t val, uint64_t flags, uint32_t domid)
{
	struct domain *pg_owner;
	long rc = 0;

	if (!current) {
		return -EINVAL;
	}
	pg_owner = mm_foreign_owner(current->domain, (uint16_t)domid, &rc);
	if (!pg_owner) {
		return rc;
	}
	return update_va(va, val, flags, pg_owner);
}

/*
 * After a batch that may have dropped the last mapping of an orphan: no
 * CPU may still translate it when it is handed out again.
 */
void mm_flush_and_reap_orphans(struct domain *d)
{
	if (!mm_orphans_pending()) {
		return;
	}
	mm_tlb_flush_local();
	mm_tlb_flush_others(d);
	mm_orphans_reap();
}
