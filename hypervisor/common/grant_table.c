/*
 * grant_table_op, version 1 (see grant_table.h for the table's shape).
 *
 * Each sub-op decodes, asks XSM, then changes state, as Xen 4.17 does:
 * setup_table, query_size, set_version (1; 2 answers -ENOSYS, as Xen with
 * grant tables v2 disabled), get_version, get_status_frames (v2 only:
 * GNTST_general_error) and copy. Per-op failures are GNTST_* codes in the
 * op's status; errno results are for the call as a whole.
 *
 * Pinning follows Xen: the first pin of an entry checks the granting
 * domain's flags and grantee (GTF_permit_access, the pinning domain's id,
 * not GTF_readonly for a write) and sets GTF_reading (and GTF_writing for
 * a write) in the shared entry with a compare-and-swap; the last pin
 * clears them again, GTF_writing as soon as no writer is left. While an
 * entry is pinned its frame and grantee are the ones recorded here, so a
 * guest rewriting the entry cannot move a pin to another frame.
 *
 * Locking: an entry's pin and the table's frames change under the
 * granting domain's grant_lock. The copy itself runs without it, on frames
 * held by a general reference (and, for the destination, a PGT_writable
 * type reference), so it never waits for another domain's lock.
 */
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

struct grant_table {
	unsigned int nr_frames;
	unsigned int max_frames;
	mfn_t *frames;		      /* [max_frames] */
	struct active_grant **active; /* [max_frames], GNTTAB_ENTRIES_PER_FRAME each */
};

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

/* One more shared frame for d's table, zeroed and held by the table. Under grant_lock. */
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
	gt->frames[i] = mfn;
	gt->active[i] = act;
	gt->nr_frames = i + 1;
	return 0;
}

/*
 * d's table, made with its first frame on first use (Xen gives every
 * domain one frame at creation). Under grant_lock; NULL when out of memory.
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
	d->grant_table = gt;
	return gt;
}

void gnttab_release(struct domain *d)
{
	struct grant_table *gt;

	if (!d) {
		return;
	}
	spin_lock(&d->grant_lock);
	gt = d->grant_table;
	d->grant_table = NULL;
	spin_unlock(&d->grant_lock);
	if (!gt) {
		return;
	}
	for (unsigned int i = 0; i < gt->nr_frames; i++) {
		/* The frame itself goes with the domain's other frames (mm_domain_teardown). */
		put_page(gt->frames[i]);
		xfree(gt->active[i]);
	}
	xfree(gt->frames);
	xfree(gt->active);
	xfree(gt);
}

unsigned int gnttab_nr_frames(const struct domain *d)
{
	return d->grant_table ? d->grant_table->nr_frames : 0;
}

/* DOMID_SELF or a domain id; NULL for none, and for a domain on its way out. */
static struct domain *lookup_live(domid_t id)
{
	struct domain *d = domain_lookup(id);

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
	d = lookup_live(op.dom);
	if (!d) {
		op.status = GNTST_bad_domain;
		goto out;
	}
	if (xsm_grant_setup(current->domain, d)) {
		op.status = GNTST_permission_denied;
		goto out;
	}
	spin_lock(&d->grant_lock);
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
	spin_unlock(&d->grant_lock);
out:
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
	d = lookup_live(op.dom);
	if (!d) {
		op.status = GNTST_bad_domain;
		goto out;
	}
	if (xsm_grant_query_size(current->domain, d)) {
		op.status = GNTST_permission_denied;
		goto out;
	}
	spin_lock(&d->grant_lock);
	gt = table_of(d);
	if (gt) {
		op.nr_frames = gt->nr_frames;
		op.max_nr_frames = gt->max_frames;
		op.status = GNTST_okay;
	} else {
		op.status = GNTST_general_error;
	}
	spin_unlock(&d->grant_lock);
out:
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
	d = lookup_live(op.dom);
	if (!d) {
		return -ESRCH;
	}
	rc = xsm_grant_query_size(current->domain, d);
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
	d = lookup_live(op.dom);
	if (!d) {
		op.status = GNTST_bad_domain;
	} else if (xsm_grant_setup(current->domain, d)) {
		op.status = GNTST_permission_denied;
	} else {
		/* Status frames exist only in version 2, which no table here ever is. */
		op.status = GNTST_general_error;
	}
	return copy_to_guest(uop + offsetof(struct gnttab_get_status_frames, status), &op.status,
			     sizeof(op.status))
		   ? -EFAULT
		   : 0;
}

/*
 * Pins entry ref of rd's table for ldom, reading or (write) writing, and
 * takes a general reference on its frame (and the PGT_writable type for
 * a write): GNTST_okay and *mfn, or the GNTST code of the refusal with
 * nothing changed.
 */
static int16_t pin_entry(struct domain *rd, grant_ref_t ref, domid_t ldom, bool write, mfn_t *mfn)
{
	struct grant_table *gt;
	struct active_grant *act;
	struct grant_entry_v1 *e;
	int16_t rc = GNTST_okay;
	bool first;
	mfn_t frame;

	spin_lock(&rd->grant_lock);
	gt = rd->grant_table;
	if (!gt) {
		/* Not made yet: as Xen's first frame, all invalid entries. */
		rc = ref < GNTTAB_ENTRIES_PER_FRAME ? GNTST_general_error : GNTST_bad_gntref;
		goto unlock;
	}
	if (ref >= nr_entries(gt)) {
		rc = GNTST_bad_gntref;
		goto unlock;
	}
	act = active_entry(gt, ref);
	e = shared_entry(gt, ref);
	if ((act->readers || act->writers) &&
	    (act->domid != ldom || act->readers >= 0xffff || act->writers >= 0xffff)) {
		rc = GNTST_general_error;
		goto unlock;
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
				rc = GNTST_general_error;
				goto unlock;
			}
			if (write && (flags & GTF_readonly)) {
				rc = GNTST_general_error;
				goto unlock;
			}
			want = old | GTF_reading | (write ? GTF_writing : 0);
			if (__atomic_compare_exchange_n(word, &old, want, false, __ATOMIC_SEQ_CST,
							__ATOMIC_SEQ_CST)) {
				break;
			}
			if (tries == PIN_RETRIES) {
				rc = GNTST_general_error;
				goto unlock;
			}
		}
	}
	/* The frame is read once, when the entry is first pinned; later pins get the same. */
	frame = first ? _mfn(__atomic_load_n(&e->frame, __ATOMIC_ACQUIRE)) : act->mfn;
	if (!get_page(frame, rd)) {
		rc = GNTST_bad_page;
	} else if (write && get_page_type(frame, PGT_writable)) {
		put_page(frame);
		rc = GNTST_general_error;
	}
	if (rc != GNTST_okay) {
		/* Undo the flags this pin set: the entry stays as the granting domain left it. */
		uint16_t clear =
		    (first ? GTF_reading : 0) | (write && !act->writers ? GTF_writing : 0);

		__atomic_fetch_and((uint16_t *)&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
		goto unlock;
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
unlock:
	spin_unlock(&rd->grant_lock);
	return rc;
}

/* Drops one pin that pin_entry took, clearing the in-use flags as the last pins go. */
static void unpin_entry(struct domain *rd, grant_ref_t ref, bool write)
{
	struct grant_table *gt;
	struct active_grant *act;
	struct grant_entry_v1 *e;
	uint16_t clear = 0;
	mfn_t frame;

	spin_lock(&rd->grant_lock);
	gt = rd->grant_table;
	act = active_entry(gt, ref);
	e = shared_entry(gt, ref);
	frame = act->mfn;
	if (write) {
		act->writers--;
		put_page_type(frame);
	} else {
		act->readers--;
	}
	if (!act->writers) {
		clear |= GTF_writing;
	}
	if (!act->readers && !act->writers) {
		clear |= GTF_reading;
	}
	__atomic_fetch_and((uint16_t *)&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
	put_page(frame);
	spin_unlock(&rd->grant_lock);
}

/* One side of a copy: the frame claimed for it and how it is held. */
struct copy_side {
	struct domain *d;
	bool by_ref;
	bool write;
	grant_ref_t ref;
	mfn_t mfn;
	bool held;
};

static int16_t claim_side(struct copy_side *s, const struct gnttab_copy_ptr *p)
{
	if (s->by_ref) {
		int16_t rc =
		    pin_entry(s->d, p->u.ref, current->domain->domain_id, s->write, &s->mfn);

		if (rc != GNTST_okay) {
			return rc;
		}
		s->ref = p->u.ref;
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

static void release_side(struct copy_side *s)
{
	if (!s->held) {
		return;
	}
	if (s->by_ref) {
		unpin_entry(s->d, s->ref, s->write);
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

	rc = copy_domain(op->source.domid, src.by_ref, &src.d);
	if (rc == GNTST_okay) {
		rc = copy_domain(op->dest.domid, dst.by_ref, &dst.d);
	}
	if (rc != GNTST_okay) {
		return rc;
	}
	/* As Xen's FLASK: the source domain's grant:copy on the destination domain. */
	if (xsm_grant_copy(src.d, dst.d)) {
		return GNTST_permission_denied;
	}
	rc = claim_side(&src, &op->source);
	if (rc == GNTST_okay) {
		rc = claim_side(&dst, &op->dest);
	}
	if (rc == GNTST_okay) {
		if ((uint32_t)op->source.offset + op->len > PAGE_SIZE ||
		    (uint32_t)op->dest.offset + op->len > PAGE_SIZE) {
			rc = GNTST_bad_copy_arg;
		} else {
			memmove((uint8_t *)arch_mfn_to_virt(dst.mfn) + op->dest.offset,
				(const uint8_t *)arch_mfn_to_virt(src.mfn) + op->source.offset,
				op->len);
		}
	}
	release_side(&dst);
	release_side(&src);
	return rc;
}

static long copy(uint64_t uop, uint32_t count)
{
	struct gnttab_copy op;

	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * sizeof(op);

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

/* Size of one element of a batched sub-op's array (0: not a batch). */
static size_t batch_elem_size(uint32_t cmd)
{
	switch (cmd) {
	case GNTTABOP_copy:
		return sizeof(struct gnttab_copy);
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
	case GNTTABOP_transfer:
		/* Answered as Xen 4.17 built with gnttab=no-transfer. */
		return -EOPNOTSUPP;
	default:
		return -ENOSYS;
	}
}
