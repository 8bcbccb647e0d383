/*
 * xmalloc/xfree.
 *
 * Small blocks (up to 1 KiB with their guards) come from slabs: one frame
 * per slab, a 64-byte header at its start, then equal slots of one
 * power-of-two class. The header keeps a bitmap of used slots, so there is
 * no free list inside freed memory for an overrun to corrupt, and any free
 * can be checked against the bitmap. Larger blocks get contiguous
 * frames with the same 64-byte header room; either way the header sits at
 * the start of the frame holding the pointer, which is how xfree finds it.
 *
 * With heap_debug each small slot is [front guard 16][data][tail guard],
 * big blocks get a tail guard after the data, fresh blocks are filled with
 * POISON_NEW (to make use of uninitialised memory visible) and freed ones
 * with POISON_FREE (checked when the slot is handed out again).
 *
 * Single-CPU for now, like the frame allocator.
 */
#include <arch/mm.h>
#include <console.h>
#include <frame.h>
#include <heap.h>
#include <lib.h>
#include <spinlock.h>

/* Locking: every heap operation runs under heap_lock (interrupts off); it may take frame_lock
 * inside, never the reverse. */
static spinlock_t heap_lock;

#define HDR_SIZE 64
#define MIN_SHIFT 4  /* smallest class: 16 bytes */
#define NR_CLASSES 7 /* 16 .. 1024 */
#define MAX_SLOTS ((PAGE_SIZE - HDR_SIZE) >> MIN_SHIFT)

#define SLAB_MAGIC 0x51ab51abU
#define BIG_MAGIC 0xb16b10c5U
#define FRONT_MAGIC 0xf00dfaceU

#define FRONT_GUARD 16
#define TAIL_GUARD_MIN 8
#define BIG_TAIL_GUARD_MAX PAGE_SIZE

#define POISON_FREE 0x6b
#define POISON_NEW 0xa5
#define GUARD_BYTE 0xfd

struct slab {
	uint32_t magic;
	uint16_t cls;
	uint16_t nslots;
	uint16_t nfree;
	uint16_t pad[3];
	struct slab *next, *prev; /* slabs of this class with a free slot */
	uint64_t used[(MAX_SLOTS + 63) / 64];
};

struct big {
	uint32_t magic;
	uint32_t pages;
	uint64_t size;
	uint8_t pad[HDR_SIZE - 16];
};

struct front {
	uint32_t size;
	uint32_t magic;
	uint8_t pattern[8];
};

BUILD_BUG_ON(sizeof(struct slab) != HDR_SIZE);
BUILD_BUG_ON(sizeof(struct big) != HDR_SIZE);
BUILD_BUG_ON(sizeof(struct front) != FRONT_GUARD);
BUILD_BUG_ON((1UL << (MIN_SHIFT + NR_CLASSES - 1)) > PAGE_SIZE - HDR_SIZE);

static struct slab *partial[NR_CLASSES];
static struct heap_stats stats;

static size_t slot_size(unsigned cls)
{
	return (size_t)1 << (MIN_SHIFT + cls);
}

/* Reports a heap error; the caller then leaves the block alone. */
static void heap_error(const char *what, const void *p)
{
	stats.errors_detected++;
	pr_err("heap: %s at %p\n", what, p);
}

static bool all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] != v) {
			return false;
		}
	}
	return true;
}

static void list_add(struct slab *s)
{
	struct slab **head = &partial[s->cls];

	s->prev = NULL;
	s->next = *head;
	if (*head) {
		(*head)->prev = s;
	}
	*head = s;
}

static void list_del(struct slab *s)
{
	if (s->prev) {
		s->prev->next = s->next;
	} else {
		partial[s->cls] = s->next;
	}
	if (s->next) {
		s->next->prev = s->prev;
	}
	s->next = s->prev = NULL;
}

static struct slab *slab_new(unsigned cls)
{
	mfn_t mfn = frame_alloc(DOMID_XEN);
	struct slab *s;

	if (mfn_eq(mfn, INVALID_MFN)) {
		return NULL;
	}
	s = arch_mfn_to_virt(mfn);
	memset(s, 0, HDR_SIZE);
	s->magic = SLAB_MAGIC;
	s->cls = (uint16_t)cls;
	s->nslots = (uint16_t)((PAGE_SIZE - HDR_SIZE) / slot_size(cls));
	s->nfree = s->nslots;
	if (heap_debug) {
		memset((unsigned char *)s + HDR_SIZE, POISON_FREE, PAGE_SIZE - HDR_SIZE);
	}
	list_add(s);
	stats.pages++;
	return s;
}

static unsigned char *slot_addr(struct slab *s, unsigned idx)
{
	return (unsigned char *)s + HDR_SIZE + (size_t)idx * slot_size(s->cls);
}

static void *alloc_small(unsigned cls, size_t size)
{
	struct slab *s = partial[cls];
	size_t ssz = slot_size(cls);
	unsigned idx = 0, w;
	unsigned char *slot;

	if (!s && !(s = slab_new(cls))) {
		return NULL;
	}
	for (w = 0; w < ARRAY_SIZE(s->used); w++) {
		if (~s->used[w]) {
			idx = w * 64 + (unsigned)__builtin_ctzll(~s->used[w]);
			break;
		}
	}
	if (w == ARRAY_SIZE(s->used) || idx >= s->nslots) {
		/* The header disagrees with nfree: do not hand anything out. */
		heap_error("corrupt slab header", s);
		list_del(s);
		return NULL;
	}
	s->used[idx / 64] |= 1ULL << (idx % 64);
	if (--s->nfree == 0) {
		list_del(s);
	}
	slot = slot_addr(s, idx);
	stats.allocations++;
	stats.bytes_in_use += ssz;

	if (!heap_debug) {
		return slot;
	}
	if (!all_bytes(slot, ssz, POISON_FREE)) {
		heap_error("freed block was written to (use after free)", slot + FRONT_GUARD);
	}
	{
		struct front *f = (struct front *)slot;

		f->size = (uint32_t)size;
		f->magic = FRONT_MAGIC;
		memset(f->pattern, GUARD_BYTE, sizeof(f->pattern));
	}
	memset(slot + FRONT_GUARD, POISON_NEW, size);
	memset(slot + FRONT_GUARD + size, GUARD_BYTE, ssz - FRONT_GUARD - size);
	return slot + FRONT_GUARD;
}

static unsigned order_for(size_t pages)
{
	unsigned order = 0;

	while (((size_t)1 << order) < pages) {
		order++;
	}
	return order;
}

/*
 * The frame allocator hands out power-of-two blocks; the frames past the
 * ones needed go straight back, so a 64 MiB console ring costs 64 MiB and
 * one frame, not 128 MiB.
 */
static void *alloc_big(size_t size)
{
	size_t total = HDR_SIZE + size + (heap_debug ? TAIL_GUARD_MIN : 0);
	size_t pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
	unsigned order = order_for(pages);
	size_t block = pages * PAGE_SIZE, i;
	unsigned char *data;
	struct big *b;
	mfn_t mfn;

	if (order > FRAME_MAX_ORDER) {
		return NULL;
	}
	mfn = frame_alloc_contig(order, DOMID_XEN);
	if (mfn_eq(mfn, INVALID_MFN)) {
		return NULL;
	}
	for (i = pages; i < ((size_t)1 << order); i++) {
		frame_free(_mfn(mfn_x(mfn) + i));
	}
	b = arch_mfn_to_virt(mfn);
	memset(b, 0, HDR_SIZE);
	b->magic = BIG_MAGIC;
	b->pages = (uint32_t)pages;
	b->size = size;
	data = (unsigned char *)b + HDR_SIZE;
	if (heap_debug) {
		memset(data, POISON_NEW, size);
		memset(data + size, GUARD_BYTE,
		       MIN(block - HDR_SIZE - size, (size_t)BIG_TAIL_GUARD_MAX));
	}
	stats.pages += pages;
	stats.allocations++;
	stats.bytes_in_use += block;
	return data;
}

static void *xmalloc_unlocked(size_t size)
{
	size_t need;
	unsigned cls;

	if (size > XMALLOC_MAX) {
		return NULL;
	}
	if (size == 0) {
		size = 1; /* a unique pointer, as callers expect from malloc(0) */
	}
	need = size + (heap_debug ? FRONT_GUARD + TAIL_GUARD_MIN : 0);
	for (cls = 0; cls < NR_CLASSES; cls++) {
		if (need <= slot_size(cls)) {
			return alloc_small(cls, size);
		}
	}
	return alloc_big(size);
}

void *xmalloc(size_t size)
{
	bool was_on = spin_lock_irqsave(&heap_lock);
	void *r = xmalloc_unlocked(size);

	spin_unlock_irqrestore(&heap_lock, was_on);
	return r;
}

void *xzalloc(size_t size)
{
	void *p = xmalloc(size);

	if (p) {
		memset(p, 0, size);
	}
	return p;
}

void *xmalloc_array(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		return NULL;
	}
	return xmalloc(n * size);
}

void *xzalloc_array(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		return NULL;
	}
	return xzalloc(n * size);
}

static void free_small(struct slab *s, unsigned char *p)
{
	size_t ssz = slot_size(s->cls), off;
	unsigned char *slot = p - (heap_debug ? FRONT_GUARD : 0);
	unsigned char *first = (unsigned char *)s + HDR_SIZE;
	unsigned idx;

	if (slot < first || (off = (size_t)(slot - first)) % ssz || off / ssz >= s->nslots) {
		heap_error("xfree of a pointer that is not a block start", p);
		return;
	}
	idx = (unsigned)(off / ssz);
	if (!(s->used[idx / 64] & (1ULL << (idx % 64)))) {
		heap_error("double free", p);
		return;
	}
	if (heap_debug) {
		const struct front *f = (const struct front *)slot;

		if (f->magic != FRONT_MAGIC || f->size > ssz - FRONT_GUARD - TAIL_GUARD_MIN ||
		    !all_bytes(f->pattern, sizeof(f->pattern), GUARD_BYTE)) {
			heap_error("guard before the block overwritten (underrun)", p);
		} else if (!all_bytes(p + f->size, ssz - FRONT_GUARD - f->size, GUARD_BYTE)) {
			heap_error("guard after the block overwritten (overrun)", p);
		}
		memset(slot, POISON_FREE, ssz);
	}
	s->used[idx / 64] &= ~(1ULL << (idx % 64));
	stats.allocations--;
	stats.bytes_in_use -= ssz;
	if (s->nfree++ == 0) {
		list_add(s);
	}
	/* Keep one empty slab per class as a cache; give the others back. */
	if (s->nfree == s->nslots && (partial[s->cls] != s || s->next)) {
		list_del(s);
		s->magic = 0;
		frame_free(arch_virt_to_mfn(s));
		stats.pages--;
	}
}

static void free_big(struct big *b, unsigned char *p)
{
	size_t block, i;
	mfn_t first;

	if (p != (unsigned char *)b + HDR_SIZE || b->pages == 0 ||
	    b->pages > ((XMALLOC_MAX + HDR_SIZE + TAIL_GUARD_MIN) >> PAGE_SHIFT) + 1 ||
	    b->size > XMALLOC_MAX) {
		heap_error("xfree of a pointer that is not a block start", p);
		return;
	}
	block = (size_t)b->pages * PAGE_SIZE;
	first = arch_virt_to_mfn(b);
	/* Every frame must still be the heap's before any goes back. */
	for (i = 0; i < b->pages; i++) {
		const struct page_info *pg = mfn_to_page(_mfn(mfn_x(first) + i));

		if (!pg || pg->owner != DOMID_XEN) {
			heap_error("large block lost some of its frames", p);
			return;
		}
	}
	if (heap_debug &&
	    !all_bytes(p + b->size, MIN(block - HDR_SIZE - b->size, (size_t)BIG_TAIL_GUARD_MAX),
		       GUARD_BYTE)) {
		heap_error("guard after the block overwritten (overrun)", p);
	}
	b->magic = 0;
	stats.pages -= b->pages;
	stats.allocations--;
	stats.bytes_in_use -= block;
	for (i = 0; i < block / PAGE_SIZE; i++) {
		frame_free(_mfn(mfn_x(first) + i));
	}
}

static void xfree_unlocked(void *ptr)
{
	unsigned char *p = ptr;
	const struct page_info *pg;
	void *base;

	if (!p) {
		return;
	}
	pg = mfn_to_page(arch_virt_to_mfn(p));
	if (!pg || pg->owner != DOMID_XEN) {
		heap_error("xfree of memory the heap does not own (double free?)", p);
		return;
	}
	base = (void *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
	if (*(const uint32_t *)base == SLAB_MAGIC) {
		struct slab *sl = base;

		/* An overrun from the frame before may have hit the header: check it. */
		if (sl->cls >= NR_CLASSES ||
		    sl->nslots != (PAGE_SIZE - HDR_SIZE) / slot_size(sl->cls) ||
		    sl->nfree > sl->nslots) {
			heap_error("corrupt slab header", base);
			return;
		}
		free_small(sl, p);
	} else if (*(const uint32_t *)base == BIG_MAGIC) {
		free_big(base, p);
	} else {
		heap_error("xfree of a pointer the heap never returned", p);
	}
}

void xfree(void *ptr)
{
	bool was_on = spin_lock_irqsave(&heap_lock);

	xfree_unlocked(ptr);
	spin_unlock_irqrestore(&heap_lock, was_on);
}

int heap_init(void)
{
	unsigned i;

	for (i = 0; i < NR_CLASSES; i++) {
		partial[i] = NULL;
	}
	memset(&stats, 0, sizeof(stats));
	return 0;
}

void heap_get_stats(struct heap_stats *st)
{
	bool was_on = spin_lock_irqsave(&heap_lock);

	*st = stats;
	spin_unlock_irqrestore(&heap_lock, was_on);
}
