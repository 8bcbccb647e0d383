/*
 * Frame table and physical frame allocator.
 *
 * State lives in one block of RAM chosen at init: the page_info array, then
 * two bitmaps over all frames below max_mfn:
 *   usable  - the frame may ever be handed out (RAM, not reserved, not
 *             below 1 MiB, not this block);
 *   free    - the frame is free now (always a subset of usable).
 * Keeping "usable" separately is what lets frame_free reject reserved or
 * non-RAM frames and double frees without trusting page_info contents.
 *
 * Allocation scans the free bitmap a word (64 frames) at a time from a hint
 * below which no word has a free bit. Boot is single-CPU; callers that run
 * later on several CPUs must add a lock.
 */
#include <arch/mm.h>
#include <console.h>
#include <frame.h>
#include <lib.h>
#include <public/errno.h>
#include <spinlock.h>

/* Locking: the free map, the counters and each frame's owner change only under frame_lock
 * (interrupts off); nothing here takes another lock but the console's. */
static spinlock_t frame_lock;

struct page_info *frame_table;
uint64_t max_mfn;

static uint64_t *usable_map;
static uint64_t *free_map;
static uint64_t map_words;
static uint64_t hint_word;
static uint64_t nr_free, nr_total, nr_errors;

#define LOW_FRAMES (FRAME_LOW_RESERVED >> PAGE_SHIFT)
#define MAX_FRAMES (FRAME_MAX_PADDR >> PAGE_SHIFT)

static bool test_bit(const uint64_t *map, uint64_t n)
{
	return (map[n / 64] >> (n % 64)) & 1;
}

static void set_bit(uint64_t *map, uint64_t n)
{
	map[n / 64] |= 1ULL << (n % 64);
}

static void clear_bit(uint64_t *map, uint64_t n)
{
	map[n / 64] &= ~(1ULL << (n % 64));
}

/* Whole frames inside a RAM range, clipped to the supported maximum. */
static bool ram_frames(const struct mem_range *r, uint64_t *first, uint64_t *end)
{
	paddr_t s = r->start, e = MIN(r->end, (paddr_t)FRAME_MAX_PADDR);

	if (s >= e) {
		return false;
	}
	s = ALIGN_UP(s, PAGE_SIZE); /* no overflow: s < e <= FRAME_MAX_PADDR */
	e = ALIGN_DOWN(e, PAGE_SIZE);
	if (s >= e) {
		return false;
	}
	*first = paddr_to_pfn(s);
	*end = paddr_to_pfn(e);
	return true;
}

/* Every frame a reserved range touches, clipped to the supported maximum. */
static bool reserved_frames(const struct mem_range *r, uint64_t *first, uint64_t *end)
{
	paddr_t s = r->start, e = MIN(r->end, (paddr_t)FRAME_MAX_PADDR);

	if (s >= e) {
		return false;
	}
	*first = paddr_to_pfn(s);
	*end = paddr_to_pfn(ALIGN_UP(e, PAGE_SIZE));
	return true;
}

static void warn_ranges(const struct mem_range *ram, size_t nr_ram)
{
	size_t i;

	for (i = 0; i < nr_ram; i++) {
		if (ram[i].end < ram[i].start) {
			pr_warn("frame: RAM range %#llx-%#llx is inverted, ignored\n",
				(unsigned long long)ram[i].start, (unsigned long long)ram[i].end);
		} else if (ram[i].end > FRAME_MAX_PADDR) {
			pr_warn("frame: RAM above %llu GiB (%#llx-%#llx) not supported, ignored\n",
				FRAME_MAX_PADDR >> 30,
				(unsigned long long)MAX(ram[i].start, (paddr_t)FRAME_MAX_PADDR),
				(unsigned long long)ram[i].end);
		}
	}
}

/*
 * Lowest start of npages frames inside one RAM range, above 1 MiB, clear of
 * every reserved range; 0 if there is none (frame 0 is never a candidate).
 */
static uint64_t place_table(const struct mem_range *ram, size_t nr_ram,
			    const struct mem_range *reserved, size_t nr_reserved, uint64_t npages)
{
	uint64_t best = 0;
	size_t i, j;

	for (i = 0; i < nr_ram; i++) {
		uint64_t s, e, p;
		bool moved;

		if (!ram_frames(&ram[i], &s, &e)) {
			continue;
		}
		p = MAX(s, (uint64_t)LOW_FRAMES);
		do {
			moved = false;
			if (p >= e || e - p < npages) {
				p = 0;
				break;
			}
			for (j = 0; j < nr_reserved; j++) {
				uint64_t rs, re;

				if (reserved_frames(&reserved[j], &rs, &re) && rs < p + npages &&
				    re > p) {
					p = re;
					moved = true;
				}
			}
		} while (moved);
		if (p && (!best || p < best)) {
			best = p;
		}
	}
	return best;
}

int frame_alloc_init(const struct mem_range *ram, size_t nr_ram, const struct mem_range *reserved,
		     size_t nr_reserved)
{
	uint64_t top = 0, bytes, npages, table_mfn, s, e, n;
	unsigned char *block;
	size_t i;

	frame_table = NULL;
	max_mfn = 0;
	nr_free = nr_total = nr_errors = 0;
	hint_word = 0;

	warn_ranges(ram, nr_ram);
	for (i = 0; i < nr_ram; i++) {
		if (ram_frames(&ram[i], &s, &e) && e > LOW_FRAMES) {
			top = MAX(top, e);
		}
	}
	if (!top) {
		pr_err("frame: no usable RAM above 1 MiB\n");
		return -EINVAL;
	}

	map_words = (top + 63) / 64;
	bytes = top * sizeof(struct page_info) + 2 * map_words * sizeof(uint64_t);
	npages = ALIGN_UP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
	table_mfn = place_table(ram, nr_ram, reserved, nr_reserved, npages);
	if (!table_mfn) {
		pr_err("frame: no room for a %llu KiB frame table\n",
		       (unsigned long long)(npages * (PAGE_SIZE / 1024)));
		return -ENOMEM;
	}

	/* The direct map makes consecutive frames consecutive in memory. */
	block = arch_mfn_to_virt(_mfn(table_mfn));
	memset(block, 0, npages * PAGE_SIZE);
	frame_table = (struct page_info *)block;
	usable_map = (uint64_t *)(block + top * sizeof(struct page_info));
	free_map = usable_map + map_words;
	max_mfn = top;

	for (n = 0; n < top; n++) {
		frame_table[n].owner = DOMID_IO;
	}
	for (i = 0; i < nr_ram; i++) {
		if (ram_frames(&ram[i], &s, &e)) {
			for (n = s; n < e; n++) {
				frame_table[n].owner = DOMID_XEN;
				set_bit(usable_map, n);
			}
		}
	}
	for (i = 0; i < nr_reserved; i++) {
		if (reserved_frames(&reserved[i], &s, &e)) {
			for (n = s; n < e && n < top; n++) {
				clear_bit(usable_map, n);
			}
		}
	}
	for (n = 0; n < LOW_FRAMES && n < top; n++) {
		clear_bit(usable_map, n);
	}
	for (n = table_mfn; n < table_mfn + npages; n++) {
		clear_bit(usable_map, n);
	}
	for (n = 0; n < top; n++) {
		if (test_bit(usable_map, n)) {
			set_bit(free_map, n);
			frame_table[n].owner = DOMID_INVALID;
			nr_total++;
		}
	}
	nr_free = nr_total;

	pr_info("frame: %llu frames (%llu MiB) free, table %llu KiB at %#llx, max_mfn %#llx\n",
		(unsigned long long)nr_total, (unsigned long long)(nr_total >> (20 - PAGE_SHIFT)),
		(unsigned long long)(npages * (PAGE_SIZE / 1024)),
		(unsigned long long)pfn_to_paddr(table_mfn), (unsigned long long)max_mfn);
	return 0;
}

static void take(uint64_t n, uint32_t owner)
{
	struct page_info *pg = &frame_table[n];

	clear_bit(free_map, n);
	pg->owner = owner;
	pg->count = 0;
	pg->type = PGT_none;
	pg->type_count = 0;
	pg->flags = 0;
	pg->link = 0;
	nr_free--;
}

static bool owner_ok(uint32_t owner)
{
	if (owner == DOMID_INVALID || owner > 0xFFFF) {
		pr_err("frame: allocation for DOMID_INVALID or a non-domid refused\n");
		return false;
	}
	return frame_table != NULL;
}

static mfn_t frame_alloc_unlocked(uint32_t owner)
{
	uint64_t w;

	if (!owner_ok(owner)) {
		return INVALID_MFN;
	}
	for (w = hint_word; w < map_words; w++) {
		if (free_map[w]) {
			uint64_t n = w * 64 + (uint64_t)__builtin_ctzll(free_map[w]);

			hint_word = w;
			take(n, owner);
			return _mfn(n);
		}
	}
	hint_word = map_words;
	return INVALID_MFN;
}

mfn_t frame_alloc(uint32_t owner)
{
	bool was_on = spin_lock_irqsave(&frame_lock);
	mfn_t r = frame_alloc_unlocked(owner);

	spin_unlock_irqrestore(&frame_lock, was_on);
	return r;
}

/* Is the aligned block of 2^order frames at first (a multiple of 2^order) all free? */
static bool block_free(uint64_t first, unsigned order)
{
	uint64_t n = 1ULL << order, w;

	if (order >= 6) {
		for (w = first / 64; w < (first + n) / 64; w++) {
			if (free_map[w] != ~0ULL) {
				return false;
			}
		}
		return true;
	}
	w = free_map[first / 64] >> (first % 64);
	return (w & ((1ULL << n) - 1)) == (1ULL << n) - 1;
}

static mfn_t frame_alloc_contig_unlocked(unsigned order, uint32_t owner)
{
	uint64_t n, first, i;

	if (order == 0) {
		return frame_alloc_unlocked(owner);
	}
	if (order > FRAME_MAX_ORDER || !owner_ok(owner)) {
		return INVALID_MFN;
	}
	n = 1ULL << order;
	if (n > max_mfn) {
		return INVALID_MFN;
	}
	/* Blocks below the hint word cannot be free: start at the block holding it. */
	for (first = ALIGN_DOWN(hint_word * 64, n); first + n <= max_mfn; first += n) {
		if (block_free(first, order)) {
			for (i = 0; i < n; i++) {
				take(first + i, owner);
			}
			return _mfn(first);
		}
	}
	return INVALID_MFN;
}

mfn_t frame_alloc_contig(unsigned order, uint32_t owner)
{
	bool was_on = spin_lock_irqsave(&frame_lock);
	mfn_t r = frame_alloc_contig_unlocked(order, owner);

	spin_unlock_irqrestore(&frame_lock, was_on);
	return r;
}

/* Can frame n be freed? Reports why not. */
static bool freeable(uint64_t n)
{
	const char *why;

	if (!frame_table || n >= max_mfn) {
		why = "beyond the frame table";
	} else if (!test_bit(usable_map, n)) {
		why = "reserved or not RAM";
	} else if (test_bit(free_map, n)) {
		why = "already free (double free)";
	} else if (frame_table[n].count || frame_table[n].type_count) {
		why = "still referenced";
	} else {
		return true;
	}
	nr_errors++;
	pr_err("frame: free of mfn %#llx refused: %s\n", (unsigned long long)n, why);
	return false;
}

static void give_back(uint64_t n)
{
	set_bit(free_map, n);
	frame_table[n].owner = DOMID_INVALID;
	frame_table[n].type = PGT_none;
	nr_free++;
	if (n / 64 < hint_word) {
		hint_word = n / 64;
	}
}

static void frame_free_unlocked(mfn_t mfn)
{
	if (freeable(mfn_x(mfn))) {
		give_back(mfn_x(mfn));
	}
}

void frame_free(mfn_t mfn)
{
	bool was_on = spin_lock_irqsave(&frame_lock);

	frame_free_unlocked(mfn);
	spin_unlock_irqrestore(&frame_lock, was_on);
}

static void frame_free_contig_unlocked(mfn_t mfn, unsigned order)
{
	uint64_t first = mfn_x(mfn), n, i;

	if (order > FRAME_MAX_ORDER || !IS_ALIGNED(first, 1ULL << order)) {
		nr_errors++;
		pr_err("frame: free of mfn %#llx order %u refused: bad block\n",
		       (unsigned long long)first, order);
		return;
	}
	n = 1ULL << order;
	/* All or nothing: a half-freed block would be worse than a leak. */
	for (i = 0; i < n; i++) {
		if (!freeable(first + i)) {
			return;
		}
	}
	for (i = 0; i < n; i++) {
		give_back(first + i);
	}
}

void frame_free_contig(mfn_t mfn, unsigned order)
{
	bool was_on = spin_lock_irqsave(&frame_lock);

	frame_free_contig_unlocked(mfn, order);
	spin_unlock_irqrestore(&frame_lock, was_on);
}

uint64_t frame_free_count(void)
{
	return nr_free;
}

uint64_t frame_total_count(void)
{
	return nr_total;
}

uint64_t frame_error_count(void)
{
	return nr_errors;
}

struct page_info *mfn_to_page(mfn_t mfn)
{
	if (!frame_table || mfn_x(mfn) >= max_mfn) {
		return NULL;
	}
	return &frame_table[mfn_x(mfn)];
}
