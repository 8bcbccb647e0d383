/*
 * grant_table_op, version 1 (see grant_table.h for the table's shape).
 *
 * Each sub-op decodes, asks XSM, then changes state, as Xen 4.17 does:
 * setup_table, query_size, set_version (1; 2 answers -ENOSYS, as Xen with
 * grant tables v2 disabled), get_version, get_status_frames (v2 only:
 * GNTST_general_error), copy, map_grant_ref, unmap_grant_ref and
 * unmap_and_replace. Per-op failures are GNTST_* codes in the op's status;
 * errno results are for the call as a whole.
 *
 * Pinning follows Xen: the first pin of an entry checks the granting
 * domain's flags and grantee (GTF_permit_access, the pinning domain's id,
 * not GTF_readonly for a write) and sets GTF_reading (and GTF_writing for
 * a write) in the shared entry with a compare-and-swap; the last pin
 * clears them again, GTF_writing as soon as no writer is left. While an
 * entry is pinned its frame and grantee are the ones recorded here, so a
 * guest rewriting the entry cannot move a pin to another frame. A pin
 * holds a general reference on the frame (and the PGT_writable type for
 * a write): for a mapping these are the references of its L1 entry.
 *
 * Maptrack: each mapping domain's table of its mappings (the handle is an
 * index), naming the granting table by domain id and serial number, so a
 * mapping outliving its granting domain (or that domain's id reused by a
 * restart) is recognised.
 *
 * Lifetime: when a granting domain goes, every frame still pinned by
 * another domain is marked PGF_orphan and survives the domain's memory
 * teardown (owner DOMID_ORPHAN, mm.h) until its last reference goes; the
 * mappers' later unmaps drop the references without a table to unpin and
 * reap the orphan they freed.
 * When a mapping domain goes, its pins are dropped (the flags cleared in
 * the granting entries); the references are its L1 entries', dropped by
 * its own page-table teardown.
 *
 * Locking: one lock for every table, pin and maptrack (gnttab_lock),
 * taken before mm_lock and before the domain list's lock, never held
 * across a TLB flush (unmap clears the entry, flushes, then unpins) or
 * across a copy's memmove (the frames are held by the pins meanwhile).
 * A domain found by id under it cannot be freed while it is held: the
 * reaper takes it (gnttab_release) before freeing the domain.
 */
#include <arch/continuation.h>
#include <arch/grant.h>
#include <arch/mm.h>
#include <console.h>
#include <domain.h>
#include <frame.h>
#include <grant_table.h>
#include <guest_access.h>
#include <heap.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/xen.h>
#include <spinlock.h>

#include <xsm/xsm.h>

/* The bits of cmd above the sub-op carry a continuation's argument (Xen's layout). */
#define GNTTABOP_CMD_MASK 0xfffU

/* A shared entry's flags and domid as one 32-bit word, for compare-and-swap. */
#define ENTRY_WORD(flags, domid) ((uint32_t)(flags) | ((uint32_t)(domid) << 16))

/* Retries of the compare-and-swap against a guest rewriting its entry (Xen tries 5 times). */
#define PIN_RETRIES 5

struct active_grant {
	uint32_t readers; /* pins for reading only */
	uint32_t writers; /* pins for writing */
	domid_t domid;	  /* the pinning domain, while pinned */
	mfn_t mfn;	  /* the frame the entry named when first pinned */
};

/* One mapping a domain holds; flags 0 = a free handle. */
struct maptrack {
	uint32_t flags; /* GNTMAP_* as mapped */
	domid_t dom;	/* the granting domain */
	grant_ref_t ref;
	uint64_t serial; /* the granting table's */
	mfn_t mfn;
};

struct grant_table {
	uint64_t serial; /* unique over the hypervisor's life */
	unsigned int nr_frames;
	unsigned int max_frames;
	mfn_t *frames;		      /* [max_frames] */
	struct active_grant **active; /* [max_frames], GNTTAB_ENTRIES_PER_FRAME each */
	struct maptrack *maptrack;    /* [maptrack_size] */
	unsigned int maptrack_size;
};

/* Maptrack handles a domain may hold (Xen's default limit is larger; this bounds the heap). */
#define MAPTRACK_MAX 65536U
#define MAPTRACK_FIRST 64U

/*
 * Ops per call: a longer batch continues in a fresh call (a continuation),
 * so the CPU passes through the scheduler between chunks, as Xen checks for
 * preemption between ops.
 */
#define BATCH_CHUNK 256U

static spinlock_t gnttab_lock;
static uint64_t next_serial = 1;

static unsigned int nr_entries(const struct grant_table *gt)
{
	return gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME;
}

static struct grant_entry_v1 *shared_entry(const struct grant_table *gt, grant_ref_t ref)
{
	struct grant_entry_v1 *f = arch_mfn_to_virt(gt->frames[ref / GNTTAB_ENTRIES_PER_FRAME]);

	return &f[ref % GNTTAB_ENTRIES_PER_FRAME];
}

static struct active_grant *active_entry(const struct grant_table *gt, grant_ref_t ref)
{
	return &gt->active[ref / GNTTAB_ENTRIES_PER_FRAME][ref % GNTTAB_ENTRIES_PER_FRAME];
}

/* One more shared frame for d's table, zeroed and held by the table. Under gnttab_lock. */
static int add_frame(struct domain *d, struct grant_table *gt)
{
	unsigned int i = gt->nr_frames;
	struct active_grant *act;
	mfn_t mfn;

	act = xzalloc_array(GNTTAB_ENTRIES_PER_FRAME, sizeof(*act));
	if (!act) {
		return -ENOMEM;
	}
	/* Not counted in tot_pages: Xen keeps grant frames outside the reservation too. */
	mfn = frame_alloc(d->domain_id);
	if (mfn_eq(mfn, INVALID_MFN)) {
		xfree(act);
		return -ENOMEM;
	}
	memset(arch_mfn_to_virt(mfn), 0, PAGE_SIZE);
	m2p_set(mfn, M2P_INVALID);
	if (!get_page(mfn, d)) {
		frame_free(mfn);
		xfree(act);
		return -ENOMEM;
	}
	domain_note_frames_taken(d, 1);
	gt->frames[i] = mfn;
	gt->active[i] = act;
	gt->nr_frames = i + 1;
	return 0;
}

/*
 * d's table, made with its first frame on first use (Xen gives every
 * domain one frame at creation). Under gnttab_lock; NULL when out of memory.
 */
static struct grant_table *table_of(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	if (gt) {
		return gt;
	}
	gt = xzalloc(sizeof(*gt));
	if (!gt) {
		return NULL;
	}
	gt->max_frames = d->max_grant_frames ? d->max_grant_frames : 1;
	gt->frames = xzalloc_array(gt->max_frames, sizeof(*gt->frames));
	gt->active = xzalloc_array(gt->max_frames, sizeof(*gt->active));
	if (!gt->frames || !gt->active || add_frame(d, gt)) {
		xfree(gt->frames);
		xfree(gt->active);
		xfree(gt);
		return NULL;
	}
	gt->serial = next_serial++;
	d->grant_table = gt;
	return gt;
}

static void unpin_locked(domid_t rid, uint64_t serial, grant_ref_t ref, bool write, bool drop_refs,
			 mfn_t mfn);

void gnttab_release(struct domain *d)
{
	struct grant_table *gt;
	unsigned int i, j, orphans = 0;

	if (!d) {
		return;
	}
	spin_lock(&gnttab_lock);
	gt = d->grant_table;
	d->grant_table = NULL;
	if (gt) {
		/* As a mapping domain: the pins go, the references are its L1 entries'. */
		for (i = 0; i < gt->maptrack_size; i++) {
			struct maptrack *mt = &gt->maptrack[i];

			if (mt->flags) {
				unpin_locked(mt->dom, mt->serial, mt->ref,
					     !(mt->flags & GNTMAP_readonly), false, mt->mfn);
				mt->flags = 0;
			}
		}
		/* As a granting domain: what others still hold outlives it. */
		for (i = 0; i < gt->nr_frames; i++) {
			for (j = 0; j < GNTTAB_ENTRIES_PER_FRAME; j++) {
				struct active_grant *act = &gt->active[i][j];

				if ((act->readers || act->writers) &&
				    mm_frame_orphan_if_held(act->mfn, d)) {
					orphans++;
				}
			}
		}
	}
	spin_unlock(&gnttab_lock);
	if (!gt) {
		return;
	}
	if (orphans) {
		pr_info("gnttab: d%u goes with %u grants still in use by other domains\n",
			d->domain_id, orphans);
	}
	for (i = 0; i < gt->nr_frames; i++) {
		/* The frame itself goes with the domain's other frames (mm_domain_teardown). */
		put_page(gt->frames[i]);
		xfree(gt->active[i]);
	}
	xfree(gt->maptrack);
	xfree(gt->frames);
	xfree(gt->active);
	xfree(gt);
}

unsigned int gnttab_nr_frames(const struct domain *d)
{
	return d->grant_table ? d->grant_table->nr_frames : 0;
}

/*
 * DOMID_SELF or a domain id; NULL for none, for a reserved id (DOMID_XEN,
 * DOMID_IO: no grant table, and no XSM check may see them as a domain), and
 * for a domain on its way out.
 */
static struct domain *lookup_live(domid_t id)
{
	struct domain *d = domain_lookup_guest(id);

	return d && !d->is_dying ? d : NULL;
}

static long setup_table(uint64_t uop, uint32_t count)
{
	struct gnttab_setup_table op;
	struct grant_table *gt;
	struct domain *d;
	uint32_t i;

	if (count != 1) {
		return -EINVAL;
	}
	if (copy_from_guest(&op, uop, sizeof(op))) {
		return -EFAULT;
	}
	if (!guest_range_ok(op.frame_list, (uint64_t)op.nr_frames * sizeof(xen_pfn_t))) {
		return -EFAULT;
	}
	spin_lock(&gnttab_lock);
	d = lookup_live(op.dom);
	if (!d) {
		op.status = GNTST_bad_domain;
		goto unlock;
	}
	if (xsm_grant_setup(current->domain, d)) {
		op.status = GNTST_permission_denied;
		goto unlock;
	}
	gt = table_of(d);
	if (!gt || op.nr_frames > gt->max_frames) {
		pr_debug("d%u: setup_table of %u frames for d%u refused (limit %u)\n",
			 current->domain->domain_id, op.nr_frames, d->domain_id,
			 gt ? gt->max_frames : 0);
		op.status = GNTST_general_error;
		goto unlock;
	}
	while (gt->nr_frames < op.nr_frames) {
		if (add_frame(d, gt)) {
			op.status = GNTST_general_error;
			goto unlock;
		}
	}
	op.status = GNTST_okay;
	for (i = 0; i < op.nr_frames; i++) {
		/* A PV domain is not translated: it gets machine frame numbers. */
		xen_pfn_t mfn = mfn_x(gt->frames[i]);

		if (copy_to_guest(op.frame_list + (uint64_t)i * sizeof(mfn), &mfn, sizeof(mfn))) {
			op.status = GNTST_bad_virt_addr;
		}
	}
unlock:
	spin_unlock(&gnttab_lock);
	if (copy_to_guest(uop + offsetof(struct gnttab_setup_table, status), &op.status,
			  sizeof(op.status))) {
		return -EFAULT;
	}
	return 0;
}

static long query_size(uint64_t uop, uint32_t count)
{
	struct gnttab_query_size op;
	struct grant_table *gt;
	struct domain *d;

	if (count != 1) {
		return -EINVAL;
	}
	if (copy_from_guest(&op, uop, sizeof(op))) {
		return -EFAULT;
	}
	spin_lock(&gnttab_lock);
	d = lookup_live(op.dom);
	gt = NULL;
	if (!d) {
		op.status = GNTST_bad_domain;
	} else if (xsm_grant_query_size(current->domain, d)) {
		op.status = GNTST_permission_denied;
	} else if ((gt = table_of(d))) {
		op.nr_frames = gt->nr_frames;
		op.max_nr_frames = gt->max_frames;
		op.status = GNTST_okay;
	} else {
		op.status = GNTST_general_error;
	}
	spin_unlock(&gnttab_lock);
	return copy_to_guest(uop, &op, sizeof(op)) ? -EFAULT : 0;
}

static long set_version(uint64_t uop)
{
	struct gnttab_set_version op;
	long rc;

	if (copy_from_guest(&op, uop, sizeof(op))) {
		return -EFAULT;
	}
	if (op.version != 1 && op.version != 2) {
		rc = -EINVAL;
	} else if (op.version == 2) {
		/* Version 2 is not built: Xen answers so when it is disabled (gnttab=max-ver:1). */
		rc = -ENOSYS;
	} else {
		rc = 0;
	}
	/* The version in force goes back in every case, as Xen does. */
	op.version = 1;
	if (copy_to_guest(uop, &op, sizeof(op))) {
		rc = -EFAULT;
	}
	return rc;
}

static long get_version(uint64_t uop)
{
	struct gnttab_get_version op;
	struct domain *d;
	long rc;

	if (copy_from_guest(&op, uop, sizeof(op))) {
		return -EFAULT;
	}
	spin_lock(&gnttab_lock);
	d = lookup_live(op.dom);
	rc = d ? xsm_grant_query_size(current->domain, d) : -ESRCH;
	spin_unlock(&gnttab_lock);
	if (rc) {
		return rc;
	}
	op.version = 1;
	return copy_to_guest(uop + offsetof(struct gnttab_get_version, version), &op.version,
			     sizeof(op.version))
		   ? -EFAULT
		   : 0;
}

static long get_status_frames(uint64_t uop, uint32_t count)
{
	struct gnttab_get_status_frames op;
	struct domain *d;

	if (count != 1) {
		return -EINVAL;
	}
	if (copy_from_guest(&op, uop, sizeof(op))) {
		return -EFAULT;
	}
	spin_lock(&gnttab_lock);
	d = lookup_live(op.dom);
	if (!d) {
		op.status = GNTST_bad_domain;
	} else if (xsm_grant_setup(current->domain, d)) {
		op.status = GNTST_permission_denied;
	} else {
		/* Status frames exist only in version 2, which no table here ever is. */
		op.status = GNTST_general_error;
	}
	spin_unlock(&gnttab_lock);
	return copy_to_guest(uop + offsetof(struct gnttab_get_status_frames, status), &op.status,
			     sizeof(op.status))
		   ? -EFAULT
		   : 0;
}

/*
 * Pins entry ref of rd's table for ldom, reading or (write) writing, and
 * takes a general reference on its frame (and the PGT_writable type for
 * a write): GNTST_okay with *mfn and *serial (the table's), or the GNTST
 * code of the refusal with nothing changed. Under gnttab_lock.
 */
static int16_t pin_entry(struct domain *rd, grant_ref_t ref, domid_t ldom, bool write, mfn_t *mfn,
			 uint64_t *serial)
{
	struct grant_table *gt = rd->grant_table;
	struct active_grant *act;
	struct grant_entry_v1 *e;
	int16_t rc = GNTST_okay;
	bool first;
	mfn_t frame;

	if (!gt) {
		/* Not made yet: as Xen's first frame, all invalid entries. */
		return ref < GNTTAB_ENTRIES_PER_FRAME ? GNTST_general_error : GNTST_bad_gntref;
	}
	if (ref >= nr_entries(gt)) {
		return GNTST_bad_gntref;
	}
	act = active_entry(gt, ref);
	e = shared_entry(gt, ref);
	if ((act->readers || act->writers) &&
	    (act->domid != ldom || act->readers >= 0xffff || act->writers >= 0xffff)) {
		return GNTST_general_error;
	}
	first = !act->readers && !act->writers;
	if (first || (write && !act->writers)) {
		uint32_t *word = (uint32_t *)e;
		unsigned int tries;

		for (tries = 0;; tries++) {
			uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE);
			uint16_t flags = (uint16_t)old;
			uint32_t want;

			if (first && ((flags & GTF_type_mask) != GTF_permit_access ||
				      (domid_t)(old >> 16) != ldom)) {
				return GNTST_general_error;
			}
			if (write && (flags & GTF_readonly)) {
				return GNTST_general_error;
			}
			want = old | GTF_reading | (write ? GTF_writing : 0);
			if (__atomic_compare_exchange_n(word, &old, want, false, __ATOMIC_SEQ_CST,
							__ATOMIC_SEQ_CST)) {
				break;
			}
			if (tries == PIN_RETRIES) {
				return GNTST_general_error;
			}
		}
	}
	/* The frame is read once, when the entry is first pinned; later pins get the same. */
	frame = first ? _mfn(__atomic_load_n(&e->frame, __ATOMIC_ACQUIRE)) : act->mfn;
	if (!get_page(frame, rd)) {
		rc = GNTST_bad_page;
	} else if (write && get_page_type(frame, PGT_writable)) {
		/* A page table or descriptor page of the granting domain is never writable. */
		put_page(frame);
		rc = GNTST_general_error;
	}
	if (rc != GNTST_okay) {
		/* Undo the flags this pin set: the entry stays as the granting domain left it. */
		uint16_t clear =
		    (first ? GTF_reading : 0) | (write && !act->writers ? GTF_writing : 0);

		__atomic_fetch_and((uint16_t *)&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
		return rc;
	}
	if (first) {
		act->domid = ldom;
		act->mfn = frame;
	}
	if (write) {
		act->writers++;
	} else {
		act->readers++;
	}
	*mfn = frame;
	*serial = gt->serial;
	return GNTST_okay;
}

/*
 * Drops one pin pin_entry took on entry ref of the table (rid, serial),
 * clearing the in-use flags as the last pins go; with drop_refs the frame
 * references too. A table that is gone (its domain destroyed, the id
 * perhaps reused) has no pin left to drop. Under gnttab_lock.
 */
static void unpin_locked(domid_t rid, uint64_t serial, grant_ref_t ref, bool write, bool drop_refs,
			 mfn_t mfn)
{
	struct domain *rd = domain_lookup(rid);
	struct grant_table *gt = rd ? rd->grant_table : NULL;

	if (gt && gt->serial == serial && ref < nr_entries(gt)) {
		struct active_grant *act = active_entry(gt, ref);
		uint16_t clear = 0;

		if (write && act->writers) {
			act->writers--;
		} else if (!write && act->readers) {
			act->readers--;
		}
		if (!act->writers) {
			clear |= GTF_writing;
		}
		if (!act->readers && !act->writers) {
			clear |= GTF_reading;
		}
		__atomic_fetch_and((uint16_t *)&shared_entry(gt, ref)->flags, (uint16_t)~clear,
				   __ATOMIC_SEQ_CST);
	}
	if (drop_refs) {
		if (write) {
			put_page_type(mfn);
		}
		put_page(mfn);
		/*
		 * The last reference of a frame whose owner is gone queues it; no
		 * CPU translates it any more (an unmap flushed before unpinning, a
		 * copy never mapped it), so it is freed now.
		 */
		mm_orphans_reap();
	}
}

/* One side of a copy: the frame claimed for it and how it is held. */
struct copy_side {
	struct domain *d;
	bool by_ref;
	bool write;
	grant_ref_t ref;
	domid_t rid;
	uint64_t serial;
	mfn_t mfn;
	bool held;
};

/* Under gnttab_lock. */
static int16_t claim_side(struct copy_side *s, const struct gnttab_copy_ptr *p)
{
	if (s->by_ref) {
		int16_t rc = pin_entry(s->d, p->u.ref, current->domain->domain_id, s->write,
				       &s->mfn, &s->serial);

		if (rc != GNTST_okay) {
			return rc;
		}
		s->ref = p->u.ref;
		s->rid = s->d->domain_id;
		s->held = true;
		return GNTST_okay;
	}
	/* By frame: the caller's own (DOMID_SELF only, checked before). */
	s->mfn = _mfn(p->u.gmfn);
	if (!get_page(s->mfn, s->d)) {
		return GNTST_bad_page;
	}
	if (s->write && get_page_type(s->mfn, PGT_writable)) {
		put_page(s->mfn);
		return GNTST_general_error;
	}
	s->held = true;
	return GNTST_okay;
}

/* Under gnttab_lock; the domain may have gone meanwhile (its pin with it). */
static void release_side(struct copy_side *s)
{
	if (!s->held) {
		return;
	}
	if (s->by_ref) {
		unpin_locked(s->rid, s->serial, s->ref, s->write, true, s->mfn);
	} else {
		if (s->write) {
			put_page_type(s->mfn);
		}
		put_page(s->mfn);
	}
	s->held = false;
}

/* Only DOMID_SELF may name a frame rather than a grant; a gone domain is bad_domain. */
static int16_t copy_domain(domid_t id, bool by_ref, struct domain **out)
{
	if (id != DOMID_SELF && !by_ref) {
		return GNTST_permission_denied;
	}
	*out = lookup_live(id);
	return *out ? GNTST_okay : GNTST_bad_domain;
}

static int16_t copy_one(const struct gnttab_copy *op)
{
	struct copy_side src = {.by_ref = op->flags & GNTCOPY_source_gref, .write = false};
	struct copy_side dst = {.by_ref = op->flags & GNTCOPY_dest_gref, .write = true};
	int16_t rc;

	spin_lock(&gnttab_lock);
	rc = copy_domain(op->source.domid, src.by_ref, &src.d);
	if (rc == GNTST_okay) {
		rc = copy_domain(op->dest.domid, dst.by_ref, &dst.d);
	}
	/* As Xen's FLASK: the source domain's grant:copy on the destination domain. */
	if (rc == GNTST_okay && xsm_grant_copy(src.d, dst.d)) {
		rc = GNTST_permission_denied;
	}
	if (rc == GNTST_okay) {
		rc = claim_side(&src, &op->source);
	}
	if (rc == GNTST_okay) {
		rc = claim_side(&dst, &op->dest);
	}
	spin_unlock(&gnttab_lock);
	if (rc == GNTST_okay) {
		if ((uint32_t)op->source.offset + op->len > PAGE_SIZE ||
		    (uint32_t)op->dest.offset + op->len > PAGE_SIZE) {
			rc = GNTST_bad_copy_arg;
		} else {
			/* Both frames are held by the claims: safe without the lock. */
			memmove((uint8_t *)arch_mfn_to_virt(dst.mfn) + op->dest.offset,
				(const uint8_t *)arch_mfn_to_virt(src.mfn) + op->source.offset,
				op->len);
		}
	}
	spin_lock(&gnttab_lock);
	release_side(&dst);
	release_side(&src);
	spin_unlock(&gnttab_lock);
	return rc;
}

/* Op done of count: time for the rest to go on in a continuation (true: it will). */
static bool continue_batch(uint32_t cmd, uint64_t uop, size_t size, uint32_t done, uint32_t count)
{
	return done == BATCH_CHUNK && done < count &&
	       arch_hypercall_continue(__HYPERVISOR_grant_table_op, cmd,
				       uop + (uint64_t)done * size, count - done);
}

static long copy(uint64_t uop, uint32_t count)
{
	struct gnttab_copy op;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * sizeof(op);

		if (continue_batch(GNTTABOP_copy, uop, sizeof(op), i, count)) {
			return 0;
		}
		if (copy_from_guest(&op, at, sizeof(op))) {
			return -EFAULT;
		}
		op.status = copy_one(&op);
		if (copy_to_guest(at + offsetof(struct gnttab_copy, status), &op.status,
				  sizeof(op.status))) {
			return -EFAULT;
		}
	}
	return 0;
}

/* A free maptrack handle of gt, the array grown when full; -1 at the limit. Under gnttab_lock. */
static int maptrack_get(struct grant_table *gt)
{
	struct maptrack *bigger;
	unsigned int i, n;

	for (i = 0; i < gt->maptrack_size; i++) {
		if (!gt->maptrack[i].flags) {
			return (int)i;
		}
	}
	if (gt->maptrack_size >= MAPTRACK_MAX) {
		return -1;
	}
	n = gt->maptrack_size ? gt->maptrack_size * 2 : MAPTRACK_FIRST;
	bigger = xzalloc_array(n, sizeof(*bigger));
	if (!bigger) {
		return -1;
	}
	if (gt->maptrack_size) {
		memcpy(bigger, gt->maptrack, gt->maptrack_size * sizeof(*bigger));
	}
	xfree(gt->maptrack);
	gt->maptrack = bigger;
	i = gt->maptrack_size;
	gt->maptrack_size = n;
	return (int)i;
}

static int16_t map_one(struct gnttab_map_grant_ref *op, bool *flush)
{
	struct domain *ld = current->domain, *rd;
	bool write = !(op->flags & GNTMAP_readonly);
	struct grant_table *lgt;
	uint64_t serial = 0;
	int16_t rc;
	mfn_t mfn;
	int h;

	if (!(op->flags & (GNTMAP_host_map | GNTMAP_device_map))) {
		return GNTST_bad_gntref;
	}
	spin_lock(&gnttab_lock);
	/* A real id: Xen looks the granting domain up by id, DOMID_SELF is no domain here. */
	rd = op->dom == DOMID_SELF ? NULL : lookup_live(op->dom);
	if (!rd) {
		rc = GNTST_bad_domain;
		goto unlock;
	}
	if (xsm_grant_mapref(ld, rd, op->flags)) {
		rc = GNTST_permission_denied;
		goto unlock;
	}
	if (!(op->flags & GNTMAP_host_map)) {
		/* A device mapping alone: no device here can use one (no IOMMU, no passthrough). */
		rc = GNTST_general_error;
		goto unlock;
	}
	lgt = table_of(ld);
	h = lgt ? maptrack_get(lgt) : -1;
	if (h < 0) {
		rc = GNTST_no_device_space;
		goto unlock;
	}
	rc = pin_entry(rd, op->ref, ld->domain_id, write, &mfn, &serial);
	if (rc != GNTST_okay) {
		goto unlock;
	}
	rc = arch_grant_map(ld, op->host_addr, op->flags, mfn);
	if (rc != GNTST_okay) {
		unpin_locked(rd->domain_id, serial, op->ref, write, true, mfn);
		goto unlock;
	}
	lgt->maptrack[h] = (struct maptrack){.flags = op->flags | GNTMAP_host_map,
					     .dom = rd->domain_id,
					     .ref = op->ref,
					     .serial = serial,
					     .mfn = mfn};
	op->handle = (grant_handle_t)h;
	op->dev_bus_addr = mfn_to_paddr(mfn);
	/* The entry replaced may be cached anywhere the domain ran. */
	*flush = true;
unlock:
	spin_unlock(&gnttab_lock);
	return rc;
}

static long map(uint64_t uop, uint32_t count)
{
	struct gnttab_map_grant_ref op;
	bool flush = false;
	long rc = 0;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * sizeof(op);

		if (continue_batch(GNTTABOP_map_grant_ref, uop, sizeof(op), i, count)) {
			break;
		}
		if (copy_from_guest(&op, at, sizeof(op))) {
			rc = -EFAULT;
			break;
		}
		op.status = map_one(&op, &flush);
		if (copy_to_guest(at, &op, sizeof(op))) {
			rc = -EFAULT;
			break;
		}
	}
	if (flush) {
		arch_grant_flush(current->domain);
	}
	return rc;
}

/*
 * Unmaps handle's mapping at host_addr (new_addr: unmap_and_replace). The
 * entry goes first, then every CPU's translation of it, and only then the
 * pin and its references, so no CPU can reach the frame once it is free.
 */
static int16_t unmap_one(uint64_t host_addr, uint64_t new_addr, grant_handle_t handle)
{
	struct domain *ld = current->domain, *rd;
	struct grant_table *lgt;
	struct maptrack mt;
	int16_t rc;

	spin_lock(&gnttab_lock);
	lgt = ld->grant_table;
	if (!lgt || handle >= lgt->maptrack_size || !lgt->maptrack[handle].flags) {
		rc = GNTST_bad_handle;
		goto unlock;
	}
	mt = lgt->maptrack[handle];
	/* The granting domain may be gone: its frame outlives it, and there is no label to ask. */
	rd = domain_lookup(mt.dom);
	if (rd && xsm_grant_unmapref(ld, rd)) {
		rc = GNTST_permission_denied;
		goto unlock;
	}
	if (!host_addr) {
		/* Xen unmaps nothing then, and keeps the handle. */
		rc = GNTST_okay;
		goto unlock;
	}
	rc = arch_grant_unmap(ld, host_addr, mt.flags, mt.mfn, new_addr);
	if (rc != GNTST_okay) {
		goto unlock;
	}
	lgt->maptrack[handle].flags = 0;
	spin_unlock(&gnttab_lock);
	arch_grant_flush(ld);
	spin_lock(&gnttab_lock);
	unpin_locked(mt.dom, mt.serial, mt.ref, !(mt.flags & GNTMAP_readonly), true, mt.mfn);
unlock:
	spin_unlock(&gnttab_lock);
	return rc;
}

static long unmap(uint64_t uop, uint32_t count)
{
	struct gnttab_unmap_grant_ref op;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * sizeof(op);

		if (continue_batch(GNTTABOP_unmap_grant_ref, uop, sizeof(op), i, count)) {
			return 0;
		}
		if (copy_from_guest(&op, at, sizeof(op))) {
			return -EFAULT;
		}
		op.status = unmap_one(op.host_addr, 0, op.handle);
		if (copy_to_guest(at + offsetof(struct gnttab_unmap_grant_ref, status), &op.status,
				  sizeof(op.status))) {
			return -EFAULT;
		}
	}
	return 0;
}

static long unmap_and_replace(uint64_t uop, uint32_t count)
{
	struct gnttab_unmap_and_replace op;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * sizeof(op);

		if (continue_batch(GNTTABOP_unmap_and_replace, uop, sizeof(op), i, count)) {
			return 0;
		}
		if (copy_from_guest(&op, at, sizeof(op))) {
			return -EFAULT;
		}
		op.status = unmap_one(op.host_addr, op.new_addr, op.handle);
		if (copy_to_guest(at + offsetof(struct gnttab_unmap_and_replace, status),
				  &op.status, sizeof(op.status))) {
			return -EFAULT;
		}
	}
	return 0;
}

/* Size of one element of a batched sub-op's array (0: not a batch). */
static size_t batch_elem_size(uint32_t cmd)
{
	switch (cmd) {
	case GNTTABOP_copy:
		return sizeof(struct gnttab_copy);
	case GNTTABOP_map_grant_ref:
		return sizeof(struct gnttab_map_grant_ref);
	case GNTTABOP_unmap_grant_ref:
		return sizeof(struct gnttab_unmap_grant_ref);
	case GNTTABOP_unmap_and_replace:
		return sizeof(struct gnttab_unmap_and_replace);
	default:
		return 0;
	}
}

long do_grant_table_op(uint32_t cmd, uint64_t uop, uint32_t count)
{
	size_t elem;

	if (!current) {
		return -EINVAL;
	}
	if ((int32_t)count < 0) {
		return -EINVAL;
	}
	/* Only cache_flush carries an argument above the sub-op; it is not built. */
	if (cmd & ~GNTTABOP_CMD_MASK) {
		return -EINVAL;
	}
	/*
	 * As Xen's guest_handle_okay for a 64-bit PV guest: only where the
	 * array starts is checked; each op is then read fault-safely, so a
	 * count running past mapped memory ends in -EFAULT there.
	 */
	elem = batch_elem_size(cmd);
	if (elem && !guest_range_ok(uop, elem)) {
		return -EFAULT;
	}
	switch (cmd) {
	case GNTTABOP_setup_table:
		return setup_table(uop, count);
	case GNTTABOP_query_size:
		return query_size(uop, count);
	case GNTTABOP_set_version:
		return set_version(uop);
	case GNTTABOP_get_version:
		return get_version(uop);
	case GNTTABOP_get_status_frames:
		return get_status_frames(uop, count);
	case GNTTABOP_copy:
		return copy(uop, count);
	case GNTTABOP_map_grant_ref:
		return map(uop, count);
	case GNTTABOP_unmap_grant_ref:
		return unmap(uop, count);
	case GNTTABOP_unmap_and_replace:
		return unmap_and_replace(uop, count);
	case GNTTABOP_transfer:
		/* Answered as Xen 4.17 built with gnttab=no-transfer. */
		return -EOPNOTSUPP;
	default:
		return -ENOSYS;
	}
}
