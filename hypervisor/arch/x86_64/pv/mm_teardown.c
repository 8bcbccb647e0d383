/*
 * Domain memory teardown.
 *
 * The references a domain holds form a forest rooted at its base pointers
 * and pins. Dropping the roots de-validates everything below through the
 * work list of mm_types.c, never by recursion. What is left afterwards was
 * held from outside the forest (a descriptor page of set_gdt, a reference
 * somebody forgot): it is dropped by force, level by level from the top so
 * each forced de-validation releases exact counts below it, and reported,
 * since a clean domain leaves nothing behind.
 *
 * One kind of holder outside is legitimate: an entry of another domain's
 * validated L1 table (a foreign mapping by a privileged domain or a device
 * model). Those references are recounted from the tables themselves after
 * the forced drop, and a frame that still has some is not freed but
 * orphaned (mm.h): it lives until the last such entry goes, as Xen keeps a
 * dying domain's page while anyone maps it. Only L1 entries may hold
 * another domain's frame; anything else that does must be counted here.
 * The one other holder is a grant pin (grant_table.c): gnttab_release
 * marks a frame other domains still hold through grants PGF_orphan, and
 * its counts (their L1 entries' and any copy in flight) are kept as they
 * are, not recounted.
 */
#include <arch/mm.h>
#include <asm/pv_mm.h>
#include <console.h>
#include <domain.h>
#include <frame.h>
#include <grant_table.h>
#include <lib.h>
#include <mm.h>

static uint64_t forced_refs;

static void drop_base(mfn_t *slot)
{
	if (!mfn_eq(*slot, INVALID_MFN)) {
		put_page_and_type(*slot);
		*slot = INVALID_MFN;
	}
}

/* Drop every remaining type reference of d's frames of type 'type'. */
static void force_types(uint32_t domid, uint32_t type)
{
	for (uint64_t i = 0; i < max_mfn; i++) {
		struct page_info *pg = &frame_table[i];

		/* A granted frame another domain still maps keeps that domain's type reference. */
		if (pg->owner != domid || pg->type != type || pg->type_count == 0 ||
		    (pg->flags & PGF_orphan)) {
			continue;
		}
		forced_refs += pg->type_count;
		pg->type_count = 1;
		put_page_type(_mfn(i));
	}
}

static bool foreign_table(const struct page_info *pg, uint32_t domid)
{
	return pg->owner != domid && pg->owner < DOMID_FIRST_RESERVED && pg->type == PGT_l1 &&
	       pg->type_count && (pg->flags & PGF_validated);
}

/*
 * With d's own tables gone, every reference left on its frames is either
 * an entry of another domain's L1 or held by nobody legitimate: set each
 * frame's counts to what those entries hold (a general reference each, a
 * writable type reference each writable one) and count the rest as forced.
 */
static void recount_foreign(uint32_t domid)
{
	uint64_t held = 0, kept = 0;

	for (uint64_t i = 0; i < max_mfn; i++) {
		struct page_info *pg = &frame_table[i];

		if (pg->owner != domid || (pg->flags & PGF_orphan)) {
			continue;
		}
		held += pg->count + (pg->type == PGT_writable ? pg->type_count : 0);
		pg->count = 0;
		if (pg->type == PGT_writable) {
			pg->type_count = 0;
			pg->type = PGT_none;
		}
	}
	for (uint64_t i = 0; i < max_mfn; i++) {
		const uint64_t *t;

		if (!foreign_table(&frame_table[i], domid)) {
			continue;
		}
		t = arch_mfn_to_virt(_mfn(i));
		for (unsigned e = 0; e < 512; e++) {
			uint64_t mfn = (t[e] & MM_PTE_ADDR) >> PAGE_SHIFT;
			struct page_info *pg;

			if (!(t[e] & MM_PTE_P) || mfn >= max_mfn) {
				continue;
			}
			pg = &frame_table[mfn];
			if (pg->owner != domid || (pg->flags & PGF_orphan)) {
				continue;
			}
			pg->count++;
			kept++;
			if (t[e] & MM_PTE_RW) {
				pg->type = PGT_writable;
				pg->type_count++;
				kept++;
			}
		}
	}
	forced_refs += held - kept;
}

void mm_domain_teardown(struct domain *d)
{
	uint32_t domid;
	uint64_t before = forced_refs, orphaned = 0;

	if (!d) {
		return;
	}
	/* The grant table's references on its frames are not outside ones: give them back first. */
	gnttab_release(d);
	mm_lock();
	domid = d->domain_id;
	for (unsigned i = 0; i < MAX_VIRT_CPUS; i++) {
		struct vcpu *v = d->vcpu[i];

		if (v) {
			drop_base(&v->arch.guest_table);
			drop_base(&v->arch.guest_table_user);
		}
	}
	for (uint64_t i = 0; i < max_mfn; i++) {
		struct page_info *pg = &frame_table[i];

		if (pg->owner == domid && (pg->flags & PGF_pinned)) {
			pg->flags &= ~PGF_pinned;
			put_page_and_type(_mfn(i));
		}
	}
	d->mm.nr_pinned = 0;

	for (uint32_t t = PGT_l4; t >= PGT_l1; t--) {
		force_types(domid, t);
	}
	force_types(domid, PGT_seg_desc);
	recount_foreign(domid);

	for (uint64_t i = 0; i < max_mfn; i++) {
		struct page_info *pg = &frame_table[i];

		if (pg->owner != domid) {
			continue;
		}
		m2p_set(_mfn(i), M2P_INVALID);
		if (pg->count) {
			mm_orphan(_mfn(i));
			orphaned++;
			continue;
		}
		pg->flags = 0;
		frame_free(_mfn(i));
	}
	d->tot_pages = 0;
	mm_unlock();
	/* No translation of a freed frame may survive its next owner. */
	mm_tlb_flush_local();
	/* Orphans of others whose last mapping was one of d's tables. */
	mm_orphans_reap();
	if (forced_refs != before) {
		pr_warn("mm: d%u teardown dropped %llu references held from outside\n", domid,
			(unsigned long long)(forced_refs - before));
	}
	if (orphaned) {
		pr_info("mm: d%u: %llu frames still mapped by other domains, freed when unmapped\n",
			domid, (unsigned long long)orphaned);
	}
}

uint64_t mm_forced_refs(void)
{
	return forced_refs;
}
