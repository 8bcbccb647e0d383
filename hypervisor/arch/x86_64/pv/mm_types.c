/*
 * Page references, page types and page-table validation (see mm.h).
 *
 * Validation recurses at most four deep (an L4 entry validates an L3, its
 * entries L2s, theirs L1s): entries may only name the next lower level, so
 * no cycle is possible. De-validation, which may cascade over a whole
 * address space at teardown, runs off a work list threaded through
 * page_info.link instead of recursing.
 *
 * Stale TLB entries: when a frame stops being mapped writable (or stops
 * being a page table) the CPU may still cache the old translation. Before
 * any frame next becomes a page table or descriptor page, the TLB is
 * flushed if such a drop happened since the last flush.
 */
#include <arch/mm.h>
#include <asm/pv_mm.h>
#include <console.h>
#include <domain.h>
#include <frame.h>
#include <lib.h>
#include <public/errno.h>
#include <spinlock.h>

/*
 * Locking: page types, type and reference counts, the validated and
 * pinned flags and the entries of validated tables change only under
 * mm_lock, one lock for all domains (a frame's counts are changed by
 * other domains too: foreign mappings, and teardown). Recursive: the type
 * logic re-enters its own entry points (a table's entries take and drop
 * further types). Coarse on purpose: simple to prove, and the hot
 * hypercalls take no page type.
 */
static rspinlock_t mm_lock_;

/* Never taken by an interrupt handler: interrupts stay as the caller has them. */
void mm_lock(void)
{
	rspin_lock(&mm_lock_);
}

void mm_unlock(void)
{
	rspin_unlock(&mm_lock_);
}

/* The type logic calls itself through these, under the lock its entry point took. */
static bool get_page_unlocked(mfn_t mfn, struct domain *d);
static void put_page_unlocked(mfn_t mfn);
static void put_page_type_unlocked(mfn_t mfn);
static int get_page_type_unlocked(mfn_t mfn, unsigned type);
static int get_page_and_type_unlocked(mfn_t mfn, struct domain *d, unsigned type);
static void put_page_and_type_unlocked(mfn_t mfn);
static int mm_get_entry_refs_unlocked(uint64_t e, unsigned level, struct domain *d,
				      struct domain *pg_owner, mfn_t table);
static void mm_put_entry_refs_unlocked(uint64_t e, unsigned level);
static int mm_update_entry_unlocked(struct domain *d, struct domain *pg_owner, mfn_t mfn,
				    unsigned idx, uint64_t e, bool preserve_ad);
static int mm_pin_table_unlocked(struct domain *d, mfn_t mfn, unsigned level);
static int mm_unpin_table_unlocked(struct domain *d, mfn_t mfn);
static mfn_t mm_alloc_domain_frame_unlocked(struct domain *d);

#define ENTRIES 512
/* Counts stop here: an increment beyond is refused rather than wrapped. */
#define COUNT_MAX 0xFFFFFFF0U

/* Bits a guest may set, per level (everything else is refused). */
#define AVAIL_LOW (7ULL << 9)	    /* bits 9-11, ignored by the CPU */
#define AVAIL_HIGH (0x7FFULL << 52) /* bits 52-62, ignored without PKE */
#define L1_ALLOWED                                                                                 \
	(MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_PWT | MM_PTE_PCD | MM_PTE_A | MM_PTE_D |        \
	 MM_PTE_PSE /* PAT in an L1 */ | MM_PTE_G | AVAIL_LOW | AVAIL_HIGH | MM_PTE_NX |           \
	 MM_PTE_ADDR)
/* Non-leaf entries: no PSE (no superpages), no cache-control or global bits (as Xen). */
#define LN_ALLOWED                                                                                 \
	(MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_A | MM_PTE_D | AVAIL_LOW | AVAIL_HIGH |         \
	 MM_PTE_NX | MM_PTE_ADDR)

static bool flush_pending;
static uint32_t work_head; /* mfn + 1 of the first frame to de-validate; 0 = none */
static bool draining;
/*
 * Orphans (frames of a destroyed domain that other domains still mapped,
 * owner DOMID_ORPHAN) whose last reference went: mfn + 1 of the first, 0 =
 * none, threaded through page_info.link. They are freed by mm_orphans_reap
 * only after the caller flushed the TLBs that may still translate them.
 */
static uint32_t orphan_head;
static uint64_t orphans_live, orphans_freed;

static bool is_pt_type(uint32_t type)
{
	return type >= PGT_l1 && type <= PGT_l4;
}

static struct page_info *page_of(mfn_t mfn)
{
	if (mfn_x(mfn) >= max_mfn) {
		return NULL;
	}
	return mfn_to_page(mfn);
}

static uint64_t *table_of(mfn_t mfn)
{
	return arch_mfn_to_virt(mfn);
}

/* Domain ids rather than pointers below, so validation needs no domain lookup. */
static bool get_page_id(mfn_t mfn, uint32_t domid)
{
	struct page_info *pg = page_of(mfn);

	if (!pg || pg->owner != domid || domid >= DOMID_FIRST_RESERVED || pg->count >= COUNT_MAX) {
		return false;
	}
	pg->count++;
	return true;
}

static bool get_page_unlocked(mfn_t mfn, struct domain *d)
{
	return d && get_page_id(mfn, d->domain_id);
}

bool get_page(mfn_t mfn, struct domain *d)
{
	mm_lock();
	bool r = get_page_unlocked(mfn, d);

	mm_unlock();
	return r;
}

static void put_page_unlocked(mfn_t mfn)
{
	struct page_info *pg = page_of(mfn);

	if (!pg || pg->count == 0) {
		pr_err("mm: put_page_unlocked(%llx) without a reference\n",
		       (unsigned long long)mfn_x(mfn));
		return;
	}
	pg->count--;
	if (pg->count == 0 && pg->owner == DOMID_ORPHAN) {
		pg->link = orphan_head;
		orphan_head = (uint32_t)(mfn_x(mfn) + 1);
	}
}

bool mm_frame_orphan_if_held(mfn_t mfn, struct domain *d)
{
	struct page_info *pg = page_of(mfn);
	bool ok;

	mm_lock();
	ok = pg && d && pg->owner == d->domain_id;
	if (ok) {
		pg->flags |= PGF_orphan;
	}
	mm_unlock();
	return ok;
}

void put_page(mfn_t mfn)
{
	mm_lock();
	put_page_unlocked(mfn);
	mm_unlock();
}

static void devalidate(mfn_t mfn, struct page_info *pg)
{
	uint64_t *t = table_of(mfn);
	unsigned level = pg->type - PGT_l1 + 1;

	for (unsigned i = 0; i < ENTRIES; i++) {
		if (level == 4 && i >= MM_HV_L4_FIRST && i <= MM_HV_L4_LAST) {
			continue;
		}
		mm_put_entry_refs_unlocked(t[i], level);
	}
}

static void drain(void)
{
	draining = true;
	while (work_head) {
		mfn_t mfn = _mfn(work_head - 1);
		struct page_info *pg = mfn_to_page(mfn);

		work_head = pg->link;
		pg->link = 0;
		devalidate(mfn, pg);
		if (pg->type_count == 0) {
			pg->type = PGT_none;
		}
	}
	draining = false;
}

static void put_page_type_unlocked(mfn_t mfn)
{
	struct page_info *pg = page_of(mfn);

	if (!pg || pg->type_count == 0) {
		pr_err("mm: put_page_type_unlocked(%llx) without a reference\n",
		       (unsigned long long)mfn_x(mfn));
		return;
	}
	if (--pg->type_count) {
		return;
	}
	/* Whatever translation the CPU cached through this frame is now stale. */
	flush_pending = true;
	if (is_pt_type(pg->type) && (pg->flags & PGF_validated)) {
		pg->flags &= ~PGF_validated;
		pg->link = work_head;
		work_head = (uint32_t)(mfn_x(mfn) + 1);
		if (!draining) {
			drain();
		}
		return;
	}
	pg->type = PGT_none;
}

void put_page_type(mfn_t mfn)
{
	mm_lock();
	put_page_type_unlocked(mfn);
	mm_unlock();
}

static int entry_get(uint64_t e, unsigned level, uint32_t owner, uint32_t pg_owner, mfn_t table);

/*
 * What the hardware gets for a valid guest entry. The guest kernel runs
 * in ring 3, so its pages need the user bit at every level (as Xen adds
 * it); kernel and user are told apart by their separate L4s instead.
 * The global bit is dropped: a global translation of a guest kernel page
 * would survive the switch to the user L4, and our flushes reload CR3.
 */
static uint64_t adjust_entry(uint64_t e, unsigned level)
{
	if (!(e & MM_PTE_P)) {
		return e;
	}
	e |= MM_PTE_US;
	if (level == 1) {
		e &= ~MM_PTE_G;
	}
	return e;
}

static int validate(mfn_t mfn, struct page_info *pg)
{
	uint64_t *t = table_of(mfn);
	unsigned level = pg->type - PGT_l1 + 1;
	unsigned i;
	int rc = 0;

	for (i = 0; i < ENTRIES; i++) {
		if (level == 4 && i >= MM_HV_L4_FIRST && i <= MM_HV_L4_LAST) {
			continue;
		}
		rc = entry_get(t[i], level, pg->owner, pg->owner, mfn);
		if (rc) {
			break;
		}
		t[i] = adjust_entry(t[i], level);
	}
	if (rc) {
		while (i-- > 0) {
			if (level == 4 && i >= MM_HV_L4_FIRST && i <= MM_HV_L4_LAST) {
				continue;
			}
			mm_put_entry_refs_unlocked(t[i], level);
		}
		return rc;
	}
	if (level == 4) {
		mm_l4_install_hypervisor_slots(t);
	}
	return 0;
}

static int get_page_type_unlocked(mfn_t mfn, unsigned type)
{
	struct page_info *pg = page_of(mfn);
	int rc;

	if (!pg || type == PGT_none || type > PGT_writable) {
		return -EINVAL;
	}
	if (pg->type_count) {
		if (pg->type != type) {
			/* Type confusion: one frame, two roles at once. */
			return -EINVAL;
		}
		if (is_pt_type(type) && !(pg->flags & PGF_validated)) {
			/* Still being validated higher up this very call chain. */
			return -EBUSY;
		}
		if (pg->type_count >= COUNT_MAX) {
			return -EBUSY;
		}
		pg->type_count++;
		return 0;
	}

	if (type != PGT_writable && __atomic_exchange_n(&flush_pending, false, __ATOMIC_SEQ_CST)) {
		/* The stale writable translation may be cached on any CPU. */
		mm_tlb_flush_all();
	}
	pg->type = type;
	pg->type_count = 1;
	if (!is_pt_type(type)) {
		return 0;
	}
	rc = validate(mfn, pg);
	if (rc) {
		pg->type_count = 0;
		pg->type = PGT_none;
		return rc;
	}
	pg->flags |= PGF_validated;
	return 0;
}

int get_page_type(mfn_t mfn, unsigned type)
{
	mm_lock();
	int r = get_page_type_unlocked(mfn, type);

	mm_unlock();
	return r;
}

static int get_page_and_type_unlocked(mfn_t mfn, struct domain *d, unsigned type)
{
	int rc;

	if (!get_page_unlocked(mfn, d)) {
		return -EINVAL;
	}
	rc = get_page_type_unlocked(mfn, type);
	if (rc) {
		put_page_unlocked(mfn);
	}
	return rc;
}

int get_page_and_type(mfn_t mfn, struct domain *d, unsigned type)
{
	mm_lock();
	int r = get_page_and_type_unlocked(mfn, d, type);

	mm_unlock();
	return r;
}

static void put_page_and_type_unlocked(mfn_t mfn)
{
	put_page_type_unlocked(mfn);
	put_page_unlocked(mfn);
}

void put_page_and_type(mfn_t mfn)
{
	mm_lock();
	put_page_and_type_unlocked(mfn);
	mm_unlock();
}

/*
 * The hole needs no test of its own here: its L4 slots are skipped and
 * refused, and every frame mapped there belongs to DOMID_XEN, which no
 * entry may name.
 */
static int entry_get(uint64_t e, unsigned level, uint32_t owner, uint32_t pg_owner, mfn_t table)
{
	mfn_t target = paddr_to_mfn(e & MM_PTE_ADDR);
	struct page_info *tpg;
	int rc;

	if (!(e & MM_PTE_P)) {
		return 0;
	}
	if (level == 1) {
		if (e & ~L1_ALLOWED) {
			return -EINVAL;
		}
	} else if (e & MM_PTE_PSE) {
		/* No superpage support: every mapping is a 4 KiB leaf. */
		return -EINVAL;
	} else if (e & ~LN_ALLOWED) {
		return -EINVAL;
	}
	tpg = page_of(target);
	if (!tpg) {
		return -EPERM;
	}

	if (level == 1) {
		/* Frames of other domains only through a checked foreign mmu_update. */
		if (!get_page_id(target, pg_owner)) {
			return -EPERM;
		}
		if (e & MM_PTE_RW) {
			rc = get_page_type_unlocked(target, PGT_writable);
			if (rc) {
				put_page_unlocked(target);
				return -EINVAL;
			}
		}
		return 0;
	}

	/*
	 * The linear page-table trick: an entry naming its own table or a
	 * table of its own level. Xen tolerates a read-only form; Palisade
	 * refuses every form (Linux PV kernels do not need it).
	 */
	if (mfn_eq(target, table) || (tpg->type_count && tpg->type == PGT_l1 + level - 1)) {
		return -EINVAL;
	}
	if (!get_page_id(target, owner)) {
		return -EPERM;
	}
	rc = get_page_type_unlocked(target, PGT_l1 + level - 2);
	if (rc) {
		put_page_unlocked(target);
		return rc;
	}
	return 0;
}

static int mm_get_entry_refs_unlocked(uint64_t e, unsigned level, struct domain *d,
				      struct domain *pg_owner, mfn_t table)
{
	if (!d || !pg_owner) {
		return -EINVAL;
	}
	return entry_get(e, level, d->domain_id, pg_owner->domain_id, table);
}

int mm_get_entry_refs(uint64_t e, unsigned level, struct domain *d, struct domain *pg_owner,
		      mfn_t table)
{
	mm_lock();
	int r = mm_get_entry_refs_unlocked(e, level, d, pg_owner, table);

	mm_unlock();
	return r;
}

static void mm_put_entry_refs_unlocked(uint64_t e, unsigned level)
{
	mfn_t target = paddr_to_mfn(e & MM_PTE_ADDR);

	if (!(e & MM_PTE_P)) {
		return;
	}
	if (level == 1 && (e & MM_PTE_RW)) {
		put_page_type_unlocked(target);
	} else if (level > 1) {
		put_page_type_unlocked(target);
	}
	put_page_unlocked(target);
}

void mm_put_entry_refs(uint64_t e, unsigned level)
{
	mm_lock();
	mm_put_entry_refs_unlocked(e, level);
	mm_unlock();
}

static int mm_update_entry_unlocked(struct domain *d, struct domain *pg_owner, mfn_t mfn,
				    unsigned idx, uint64_t e, bool preserve_ad)
{
	struct page_info *pg = page_of(mfn);
	uint64_t *t, old;
	unsigned level;
	int rc;

	if (!pg || idx >= ENTRIES || !d) {
		return -EINVAL;
	}
	if (pg->owner != d->domain_id) {
		return -EPERM;
	}
	t = table_of(mfn);
	if (!pg->type_count || !is_pt_type(pg->type)) {
		/* Not a page table: an ordinary write, allowed where a writable mapping would be.
		 */
		if (!get_page_unlocked(mfn, d)) {
			return -EPERM;
		}
		rc = get_page_type_unlocked(mfn, PGT_writable);
		if (!rc) {
			t[idx] = e;
			put_page_type_unlocked(mfn);
		}
		put_page_unlocked(mfn);
		return rc;
	}
	if (!(pg->flags & PGF_validated)) {
		return -EINVAL;
	}
	level = pg->type - PGT_l1 + 1;
	if (level == 4 && idx >= MM_HV_L4_FIRST && idx <= MM_HV_L4_LAST) {
		return -EINVAL;
	}
	old = t[idx];
	if (preserve_ad) {
		e |= old & (MM_PTE_A | MM_PTE_D);
	}
	/* Hold the table itself so a cascade below cannot retype it under us. */
	if (!get_page_unlocked(mfn, d)) {
		return -EBUSY;
	}
	rc = get_page_type_unlocked(mfn, pg->type);
	if (rc) {
		put_page_unlocked(mfn);
		return rc;
	}
	rc = mm_get_entry_refs_unlocked(e, level, d, pg_owner, mfn);
	if (!rc) {
		t[idx] = adjust_entry(e, level);
		mm_put_entry_refs_unlocked(old, level);
	}
	put_page_and_type_unlocked(mfn);
	return rc;
}

int mm_update_entry(struct domain *d, struct domain *pg_owner, mfn_t mfn, unsigned idx, uint64_t e,
		    bool preserve_ad)
{
	mm_lock();
	int r = mm_update_entry_unlocked(d, pg_owner, mfn, idx, e, preserve_ad);

	mm_unlock();
	return r;
}

static int mm_pin_table_unlocked(struct domain *d, mfn_t mfn, unsigned level)
{
	struct page_info *pg = page_of(mfn);
	int rc;

	if (!d || level < 1 || level > 4) {
		return -EINVAL;
	}
	if (!pg || pg->owner != d->domain_id) {
		return -EINVAL;
	}
	if (pg->flags & PGF_pinned) {
		return -EINVAL;
	}
	rc = get_page_and_type_unlocked(mfn, d, PGT_l1 + level - 1);
	if (rc) {
		return rc;
	}
	pg->flags |= PGF_pinned;
	d->mm.nr_pinned++;
	return 0;
}

int mm_pin_table(struct domain *d, mfn_t mfn, unsigned level)
{
	mm_lock();
	int r = mm_pin_table_unlocked(d, mfn, level);

	mm_unlock();
	return r;
}

static int mm_unpin_table_unlocked(struct domain *d, mfn_t mfn)
{
	struct page_info *pg = page_of(mfn);

	if (!d || !pg || pg->owner != d->domain_id || !(pg->flags & PGF_pinned)) {
		return -EINVAL;
	}
	pg->flags &= ~PGF_pinned;
	d->mm.nr_pinned--;
	put_page_and_type_unlocked(mfn);
	return 0;
}

int mm_unpin_table(struct domain *d, mfn_t mfn)
{
	mm_lock();
	int r = mm_unpin_table_unlocked(d, mfn);

	mm_unlock();
	return r;
}

static mfn_t mm_alloc_domain_frame_unlocked(struct domain *d)
{
	mfn_t mfn;

	if (!d || d->tot_pages >= d->max_pages) {
		return INVALID_MFN;
	}
	mfn = frame_alloc(d->domain_id);
	if (mfn_eq(mfn, INVALID_MFN)) {
		return mfn;
	}
	d->tot_pages++;
	return mfn;
}

mfn_t mm_alloc_domain_frame(struct domain *d)
{
	mm_lock();
	mfn_t r = mm_alloc_domain_frame_unlocked(d);

	mm_unlock();
	return r;
}

void mm_orphan(mfn_t mfn)
{
	struct page_info *pg = page_of(mfn);

	mm_lock();
	if (pg && pg->count && pg->owner < DOMID_FIRST_RESERVED) {
		pg->owner = DOMID_ORPHAN;
		pg->flags = 0;
		orphans_live++;
	}
	mm_unlock();
}

bool mm_orphans_pending(void)
{
	return __atomic_load_n(&orphan_head, __ATOMIC_ACQUIRE) != 0;
}

void mm_orphans_reap(void)
{
	uint64_t n = 0;

	mm_lock();
	while (orphan_head) {
		mfn_t mfn = _mfn(orphan_head - 1);
		struct page_info *pg = mfn_to_page(mfn);

		orphan_head = pg->link;
		pg->link = 0;
		if (pg->owner != DOMID_ORPHAN || pg->count || pg->type_count) {
			pr_err("mm: orphan %llx queued while still held\n",
			       (unsigned long long)mfn_x(mfn));
			continue;
		}
		pg->type = PGT_none;
		pg->flags = 0;
		frame_free(mfn);
		orphans_live--;
		orphans_freed++;
		n++;
	}
	if (n) {
		pr_info("mm: %llu orphaned frames freed, %llu still mapped\n",
			(unsigned long long)n, (unsigned long long)orphans_live);
	}
	mm_unlock();
}

void mm_orphan_counts(uint64_t *live, uint64_t *freed)
{
	mm_lock();
	*live = orphans_live;
	*freed = orphans_freed;
	mm_unlock();
}

uint64_t mm_count_owned(uint32_t domid)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < max_mfn; i++) {
		n += frame_table[i].owner == domid;
	}
	return n;
}
