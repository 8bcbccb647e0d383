/*
 * mmuext_op: pin and unpin page tables, base pointers, TLB flushes, LDT.
 *
 * The "multi" flush variants flush the CPUs the listed vcpus may be cached
 * on, the "all" ones every CPU of the domain's dirty mask (mm.h); the
 * remote CPUs have flushed before the hypercall returns. (Remote flushes
 * are whole-TLB: there is no single-address shootdown.)
 */
#include <asm/pv.h>
#include <asm/pv_mm.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <public/errno.h>
#include <public/xen.h>

#include <xsm/xsm.h>

int mm_new_guest_baseptr(struct vcpu *v, mfn_t mfn, bool user)
{
	struct domain *d;
	mfn_t *slot;
	mfn_t old;
	int rc;

	if (!v || !v->domain) {
		return -EINVAL;
	}
	d = v->domain;
	slot = user ? &v->arch.guest_table_user : &v->arch.guest_table;
	if (!mfn_eq(mfn, INVALID_MFN)) {
		rc = get_page_and_type(mfn, d, PGT_l4);
		if (rc) {
			return rc;
		}
	} else if (!user) {
		return -EINVAL;
	}
	old = *slot;
	*slot = mfn;
	vcpu_update_cr3(v);
	/* Only now that CR3 no longer names it may the old table lose its type. */
	if (!mfn_eq(old, INVALID_MFN)) {
		put_page_and_type(old);
	}
	return 0;
}

static int read_vcpumask(uint64_t gva, uint64_t *mask)
{
	return copy_from_guest(mask, gva, sizeof(*mask));
}

static int set_ldt(struct vcpu *v, uint64_t base, uint32_t ents)
{
	uint64_t ptr = ents ? base : 0;

	if ((ptr & (PAGE_SIZE - 1)) || ents > MM_LDT_MAX_ENTS ||
	    !guest_range_ok(ptr, (size_t)ents * 8)) {
		return -EINVAL;
	}
	v->arch.ldt_base = ptr;
	v->arch.ldt_ents = ents;
	return 0;
}

static long one_op(struct vcpu *v, struct domain *pg_owner, const struct mmuext_op *op)
{
	struct domain *d = v->domain;
	mfn_t mfn = _mfn(op->arg1.mfn);
	uint64_t vmask;
	long rc;

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE:
		rc = xsm_memory_pin_page(d, pg_owner, mfn_x(mfn));
		if (rc) {
			return rc;
		}
		return mm_pin_table(pg_owner, mfn, op->cmd - MMUEXT_PIN_L1_TABLE + 1);
	case MMUEXT_UNPIN_TABLE:
		return mm_unpin_table(pg_owner, mfn);
	case MMUEXT_NEW_BASEPTR:
		if (pg_owner != d) {
			return -EPERM;
		}
		return mm_new_guest_baseptr(v, mfn, false);
	case MMUEXT_NEW_USER_BASEPTR:
		if (pg_owner != d) {
			return -EPERM;
		}
		return mm_new_guest_baseptr(v, op->arg1.mfn ? mfn : INVALID_MFN, true);
	case MMUEXT_TLB_FLUSH_MULTI:
		if (read_vcpumask(op->arg2.vcpumask, &vmask)) {
			return -EFAULT;
		}
		mm_tlb_flush_vcpus(d, vmask);
		return 0;
	case MMUEXT_TLB_FLUSH_LOCAL:
		mm_tlb_flush_local();
		return 0;
	case MMUEXT_TLB_FLUSH_ALL:
		mm_tlb_flush_local();
		mm_tlb_flush_others(d);
		return 0;
	case MMUEXT_INVLPG_MULTI:
		if (read_vcpumask(op->arg2.vcpumask, &vmask)) {
			return -EFAULT;
		}
		/* Only guest addresses: a hypervisor translation is none of its business. */
		if (guest_range_ok(op->arg1.linear_addr, 1)) {
			mm_tlb_flush_vcpus(d, vmask);
		}
		return 0;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_ALL:
		if (guest_range_ok(op->arg1.linear_addr, 1)) {
			mm_tlb_flush_one(op->arg1.linear_addr);
			if (op->cmd == MMUEXT_INVLPG_ALL) {
				mm_tlb_flush_others(d);
			}
		}
		return 0;
	case MMUEXT_FLUSH_CACHE:
	case MMUEXT_FLUSH_CACHE_GLOBAL:
		if (pg_owner != d) {
			return -EPERM;
		}
		/* Writing back caches is a denial-of-service lever: the privileged domain only. */
		if (!d->is_privileged) {
			return -EACCES;
		}
		asm volatile("wbinvd" ::: "memory");
		return 0;
	case MMUEXT_SET_LDT:
		if (pg_owner != d) {
			return -EPERM;
		}
		return set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
	default:
		return -ENOSYS;
	}
}

/*
 * The page owner a batch names, as Xen's get_pg_owner: DOMID_SELF is the
 * caller, the caller's own id is refused (-ESRCH, "cannot specify itself
 * as foreign domain"), an unknown or dying domain is -ESRCH. Whether the
 * caller may act on the domain found is the XSM hook's decision (dummy:
 * XSM_TARGET, so itself, its device model's target or the privileged
 * domain), made by each caller before anything changes.
 */
struct domain *mm_foreign_owner(struct domain *d, uint32_t foreigndom, long *err)
{
	struct domain *f;

	if (foreigndom == DOMID_SELF) {
		return d;
	}
	*err = -ESRCH;
	if (foreigndom == d->domain_id) {
		return NULL;
	}
	if (foreigndom >= DOMID_FIRST_RESERVED) {
		/* I/O and hypervisor frames are never mapped through these calls yet. */
		*err = -EPERM;
		return NULL;
	}
	f = domain_lookup((domid_t)foreigndom);
	if (!f || __atomic_load_n(&f->is_dying, __ATOMIC_ACQUIRE)) {
		return NULL;
	}
	return f;
}

long do_mmuext_op(uint64_t uops, uint32_t count, uint64_t pdone, uint32_t foreigndom)
{
	struct vcpu *v = current;
	struct domain *pg_owner;
	struct mmuext_op op;
	uint32_t done = 0;
	long rc = 0;

	if (!v) {
		return -EINVAL;
	}
	/* We never preempt, so a continuation flag from the guest has nothing to continue. */
	if (count & MM_UPDATE_PREEMPTED) {
		return -EINVAL;
	}
	/* As Xen: only the low 16 bits name the domain. */
	pg_owner = mm_foreign_owner(v->domain, (uint16_t)foreigndom, &rc);
	if (!pg_owner) {
		return rc;
	}
	rc = xsm_mmuext_op(v->domain, pg_owner);
	if (rc) {
		return rc;
	}
	for (; done < count; done++) {
		if (copy_from_guest(&op, uops + (uint64_t)done * sizeof(op), sizeof(op))) {
			rc = -EFAULT;
			break;
		}
		rc = one_op(v, pg_owner, &op);
		if (rc) {
			pr_debug("d%u: mmuext_op cmd %u arg1 %llx arg2 %llx refused (%ld)\n",
				 v->domain->domain_id, op.cmd, (unsigned long long)op.arg1.mfn,
				 (unsigned long long)op.arg2.vcpumask, rc);
			break;
		}
	}
	mm_flush_and_reap_orphans(v->domain);
	if (pdone && copy_to_guest(pdone, &done, sizeof(done))) {
		return -EFAULT;
	}
	return rc;
}
