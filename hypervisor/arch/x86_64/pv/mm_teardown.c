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
 */
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
	force_types(domid, PGT_writable);

	for (uint64_t i = 0; i < max_mfn; i++) {
		struct page_info *pg = &frame_table[i];

		if (pg->owner != domid) {
			continue;
		}
		if ((pg->flags & PGF_orphan) && (pg->count || pg->type_count)) {
			/* Still referenced through a grant: it outlives d, freed by its last put.
			 */
			pg->owner = DOMID_ORPHAN;
			m2p_set(_mfn(i), M2P_INVALID);
			mm_note_orphan();
			orphaned++;
			continue;
		}
		forced_refs += pg->count;
		pg->count = 0;
		pg->flags = 0;
		m2p_set(_mfn(i), M2P_INVALID);
		frame_free(_mfn(i));
	}
	d->tot_pages = 0;
	mm_unlock();
	/* No translation of a freed frame may survive its next owner. */
	mm_tlb_flush_local();
	if (orphaned) {
		pr_info("mm: d%u teardown kept %llu granted frames other domains still map\n",
			domid, (unsigned long long)orphaned);
	}
	if (forced_refs != before) {
		pr_warn("mm: d%u teardown dropped %llu references held from outside\n", domid,
			(unsigned long long)(forced_refs - before));
	}
}

uint64_t mm_forced_refs(void)
{
	return forced_refs;
}
