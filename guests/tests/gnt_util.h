/*
 * Grant-table helpers of the gnt_* test guests: the hypercall, the
 * caller's own table (set up and mapped at the mm_util window, as a PV
 * kernel maps the machine frames setup_table returns), and writing an
 * entry the way Linux does (grantee and frame first, flags last).
 */
#ifndef GUEST_GNT_UTIL_H
#define GUEST_GNT_UTIL_H

#include <public/grant_table.h>

#include "mm_util.h"

/* Entries of version 1 per table frame. */
#define GNT_PER_FRAME 512

static inline long gnt(unsigned int cmd, void *op, unsigned int count)
{
	return hypercall_grant_table_op(cmd, op, count);
}

/* The caller's first table frame, mapped writable at the window (after mm_util_init). */
static inline struct grant_entry_v1 *gnt_map_own_table(uint64_t *mfn_out)
{
	uint64_t frames[1] = {0};
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
	long rc;

	st.frame_list = (uint64_t)(uintptr_t)frames;
	rc = gnt(GNTTABOP_setup_table, &st, 1);
	if (rc || st.status != GNTST_okay || !frames[0]) {
		test_report(TEST_ERROR, "setup_table of 1 frame: %ld, status %d", rc, st.status);
	}
	*mfn_out = frames[0];
	return (struct grant_entry_v1 *)open_frame(frames[0]);
}

static inline void gnt_set(struct grant_entry_v1 *e, uint16_t flags, domid_t domid, uint32_t frame)
{
	e->domid = domid;
	e->frame = frame;
	__atomic_store_n(&e->flags, flags, __ATOMIC_RELEASE);
}

static inline uint16_t gnt_flags(const struct grant_entry_v1 *e)
{
	return __atomic_load_n(&e->flags, __ATOMIC_ACQUIRE);
}

/* One copy op; returns its status, or the call's errno if the call itself failed. */
static inline long gnt_copy1(struct gnttab_copy *op)
{
	long rc = gnt(GNTTABOP_copy, op, 1);

	return rc ? rc : op->status;
}

#endif /* GUEST_GNT_UTIL_H */
