/*
 * Frame table and physical frame allocator.
 *
 * One struct page_info per machine frame below max_mfn. The table (and the
 * allocator's bitmaps) are placed in RAM itself, found by frame_alloc_init
 * and accessed through arch_mfn_to_virt, so the direct map must cover that
 * RAM (and, to be useful, every frame handed out) before the call.
 *
 * Memory above FRAME_MAX_PADDR (64 GiB) is ignored with a warning; frames
 * below 1 MiB are never handed out (firmware, trampolines, BIOS data).
 */
#ifndef PALISADE_FRAME_H
#define PALISADE_FRAME_H

#include <types.h>

#define FRAME_MAX_PADDR (64ULL << 30)
#define FRAME_LOW_RESERVED (1ULL << 20)
/* Largest order frame_alloc_contig accepts: 2^20 frames = 4 GiB. */
#define FRAME_MAX_ORDER 20

#define DOMID_FIRST_RESERVED 0x7FF0
#define DOMID_IO 0x7FF1	     /* not RAM: holes, MMIO */
#define DOMID_XEN 0x7FF2     /* the hypervisor, incl. reserved RAM */
#define DOMID_INVALID 0x7FF4 /* free */
/* Once a destroyed domain's, still mapped by another domain (mm.h: mm_orphan). */
#define DOMID_ORPHAN 0x7FF6

/* Half-open byte range [start, end). */
struct mem_range {
	paddr_t start, end;
};

enum page_type {
	PGT_none,
	PGT_l1,
	PGT_l2,
	PGT_l3,
	PGT_l4,
	PGT_seg_desc,
	PGT_writable,
};

/* page_info.flags (mm.h's page-type logic owns them). */
#define PGF_validated (1U << 0) /* page-table contents checked and referenced */
#define PGF_pinned (1U << 1)	/* held by an MMUEXT_PIN_*: one type+general ref */
/*
 * Granted to another domain that may still hold it (a grant mapping, a
 * copy in flight) when its owner is torn down: the frame then outlives
 * its owner, owned by DOMID_ORPHAN, and is freed by its last put_page.
 */
#define PGF_orphan (1U << 2)

/* 16 bytes: the table costs 0.4% of RAM (the frame tests size it so). */
struct page_info {
	uint16_t owner;	     /* domain id; DOMID_INVALID when free */
	uint8_t type;	     /* enum page_type */
	uint8_t flags;	     /* PGF_*; 0 from the allocator */
	uint32_t count;	     /* general references; 0 from the allocator */
	uint32_t type_count; /* references of that type */
	uint32_t link;	     /* mm's work list (frame numbers fit: < 2^24) */
};
_Static_assert(sizeof(struct page_info) == 16, "page_info is 16 bytes");

extern struct page_info *frame_table;
/* One past the highest frame the table describes. */
extern uint64_t max_mfn;

/*
 * ram: usable RAM as reported by the firmware; reserved: ranges that must
 * never be handed out (image, modules, ...). Both may be unsorted,
 * overlapping, unaligned or empty; RAM is shrunk to whole frames, reserved
 * ranges grown to whole frames. Returns 0, -EINVAL (no usable RAM above
 * 1 MiB) or -ENOMEM (no room for the table). A second call starts afresh,
 * forgetting every allocation (the unit tests rely on that).
 */
int frame_alloc_init(const struct mem_range *ram, size_t nr_ram, const struct mem_range *reserved,
		     size_t nr_reserved);

/* INVALID_MFN when no frame is left. The frame's contents are not cleared. */
mfn_t frame_alloc(uint32_t owner);
/* 2^order contiguous frames aligned to 2^order; INVALID_MFN if none. */
mfn_t frame_alloc_contig(unsigned order, uint32_t owner);

/*
 * Give frames back. Freeing a free, reserved, non-RAM or out-of-range
 * frame is reported with pr_err, counted, and otherwise ignored.
 */
void frame_free(mfn_t mfn);
void frame_free_contig(mfn_t mfn, unsigned order);

uint64_t frame_free_count(void);
/* Frames that can be allocated at all (RAM minus reserved minus the table). */
uint64_t frame_total_count(void);
/* Bad frees detected so far. */
uint64_t frame_error_count(void);

/* NULL when mfn is beyond the table. */
struct page_info *mfn_to_page(mfn_t mfn);

#endif /* PALISADE_FRAME_H */
