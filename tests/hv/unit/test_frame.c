/*
 * Tests of hypervisor/common/frame.c against the fake physical memory:
 * layout from messy RAM maps, reserved ranges never handed out,
 * exhaustion, free and realloc, contiguous orders, bad frees detected,
 * and a random sequence checked against a model.
 */
#include "hvtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/mm.h>
#include <console.h>
#include <fake/mem.h>
#include <frame.h>
#include <public/errno.h>

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define LOW_FRAMES (MiB / PAGE_SIZE)

/* Model of which frames may be handed out, computed independently. */
static bool allowed[1 << 16];
static uint64_t model_max;

static uint64_t table_pages(uint64_t max)
{
	uint64_t bytes = max * 16 + 2 * ((max + 63) / 64) * 8;

	return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

static uint64_t table_mfn(void)
{
	return mfn_x(arch_virt_to_mfn(frame_table));
}

/* Builds the model from the same ranges: RAM shrunk, reserved grown. */
static void build_model(const struct mem_range *ram, size_t nr, const struct mem_range *res,
			size_t nres)
{
	uint64_t t;

	memset(allowed, 0, sizeof(allowed));
	model_max = 0;
	for (size_t i = 0; i < nr; i++) {
		paddr_t s = ram[i].start, e = ram[i].end;

		if (e > FRAME_MAX_PADDR) {
			e = FRAME_MAX_PADDR;
		}
		if (s >= e) {
			continue;
		}
		s = (s + PAGE_SIZE - 1) / PAGE_SIZE;
		e = e / PAGE_SIZE;
		for (uint64_t n = s; n < e; n++) {
			allowed[n] = n >= LOW_FRAMES;
			if (n + 1 > model_max) {
				model_max = n + 1;
			}
		}
	}
	for (size_t i = 0; i < nres; i++) {
		if (res[i].start >= res[i].end) {
			continue;
		}
		for (uint64_t n = res[i].start / PAGE_SIZE;
		     n < (res[i].end + PAGE_SIZE - 1) / PAGE_SIZE && n < (1 << 16); n++) {
			allowed[n] = false;
		}
	}
	if (frame_table) {
		t = table_mfn();
		for (uint64_t n = t; n < t + table_pages(model_max); n++) {
			allowed[n] = false;
		}
	}
}

static uint64_t model_count(void)
{
	uint64_t c = 0;

	for (uint64_t n = 0; n < model_max; n++) {
		c += allowed[n];
	}
	return c;
}

static int init(size_t mem, const struct mem_range *ram, size_t nr, const struct mem_range *res,
		size_t nres)
{
	int rc;

	if (fake_mem_init(mem) != 0) {
		hvt_fail(__FILE__, __LINE__, "no host memory");
		return -1;
	}
	rc = frame_alloc_init(ram, nr, res, nres);
	if (rc == 0) {
		build_model(ram, nr, res, nres);
	}
	return rc;
}

/* Allocates everything; checks each frame against the model. Returns the count. */
static uint64_t alloc_all(uint32_t owner, mfn_t *out, size_t max_out)
{
	uint64_t got = 0;
	mfn_t m;

	while (!mfn_eq(m = frame_alloc(owner), INVALID_MFN)) {
		uint64_t n = mfn_x(m);

		if (n >= model_max || !allowed[n]) {
			hvt_fail(__FILE__, __LINE__, "handed out mfn %#llx which it must not",
				 (unsigned long long)n);
			return got;
		}
		if (mfn_to_page(m)->owner != owner) {
			hvt_fail(__FILE__, __LINE__, "owner not set on mfn %#llx",
				 (unsigned long long)n);
		}
		if (got < max_out) {
			out[got] = m;
		}
		got++;
	}
	return got;
}

static mfn_t all[1 << 16];

static void t_before_init(void)
{
	EXPECT(mfn_eq(frame_alloc(1), INVALID_MFN));
	EXPECT(mfn_eq(frame_alloc_contig(3, 1), INVALID_MFN));
	EXPECT(mfn_to_page(_mfn(0)) == NULL);
	EXPECT_EQ(frame_free_count(), 0);
	frame_free(_mfn(300)); /* refused, not a crash */
	EXPECT_EQ(frame_error_count(), 1);
}

static void t_simple_layout(void)
{
	const struct mem_range ram[] = {{0, 32 * MiB}};
	uint64_t pages = table_pages(32 * MiB / PAGE_SIZE);

	EXPECT_EQ(init(32 * MiB, ram, 1, NULL, 0), 0);
	EXPECT_EQ(max_mfn, 32 * MiB / PAGE_SIZE);
	/* the table goes to the lowest place above 1 MiB */
	EXPECT_EQ(table_mfn(), LOW_FRAMES);
	EXPECT_EQ(frame_total_count(), 32 * MiB / PAGE_SIZE - LOW_FRAMES - pages);
	EXPECT_EQ(frame_total_count(), model_count());
	EXPECT_EQ(frame_free_count(), frame_total_count());
	EXPECT_EQ(frame_error_count(), 0);
	EXPECT_EQ(mfn_to_page(_mfn(0))->owner, DOMID_XEN);	    /* low memory */
	EXPECT_EQ(mfn_to_page(_mfn(LOW_FRAMES))->owner, DOMID_XEN); /* the table */
	EXPECT_EQ(mfn_to_page(_mfn(LOW_FRAMES + pages))->owner, DOMID_INVALID);
	EXPECT(mfn_to_page(_mfn(max_mfn)) == NULL);
	EXPECT(mfn_to_page(_mfn(max_mfn - 1)) != NULL);
}

static void t_exhaustion(void)
{
	const struct mem_range ram[] = {{0, 16 * MiB}};
	uint64_t total, got, again;

	EXPECT_EQ(init(16 * MiB, ram, 1, NULL, 0), 0);
	total = frame_total_count();
	got = alloc_all(7, all, ARRAY_SIZE(all));
	EXPECT_EQ(got, total);
	EXPECT_EQ(frame_free_count(), 0);
	EXPECT(mfn_eq(frame_alloc(7), INVALID_MFN));
	EXPECT(mfn_eq(frame_alloc_contig(1, 7), INVALID_MFN));
	/* all distinct */
	for (uint64_t i = 0; i < got; i++) {
		EXPECT(mfn_to_page(all[i])->owner == 7);
	}
	/* free one, get exactly that one back */
	frame_free(all[got / 2]);
	EXPECT_EQ(frame_free_count(), 1);
	EXPECT_EQ(mfn_to_page(all[got / 2])->owner, DOMID_INVALID);
	EXPECT(mfn_eq(frame_alloc(9), all[got / 2]));
	EXPECT_EQ(mfn_to_page(all[got / 2])->owner, 9);
	/* free all, allocate all again */
	for (uint64_t i = 0; i < got; i++) {
		frame_free(all[i]);
	}
	EXPECT_EQ(frame_free_count(), total);
	EXPECT_EQ(frame_error_count(), 0);
	again = alloc_all(3, all, ARRAY_SIZE(all));
	EXPECT_EQ(again, total);
}

static void t_reserved(void)
{
	const struct mem_range ram[] = {{0, 64 * MiB}};
	const struct mem_range res[] = {
	    {2 * MiB + 100, 3 * MiB - 5}, /* unaligned both ends: grown */
	    {5 * MiB / 2, 4 * MiB},	  /* overlaps the first */
	    {10 * MiB, 10 * MiB},	  /* empty */
	    {12 * MiB, 11 * MiB},	  /* inverted */
	    {60 * MiB - 1, 70 * MiB},	  /* beyond the end of RAM */
	    {7 * MiB, 7 * MiB + 1},	  /* one byte: one frame */
	    {100 * GiB, 200 * GiB},	  /* far beyond the maximum */
	};
	uint64_t got;

	EXPECT_EQ(init(64 * MiB, ram, 1, res, ARRAY_SIZE(res)), 0);
	EXPECT_EQ(frame_total_count(), model_count());
	/* the model itself: spot checks of the rounding */
	EXPECT(!allowed[2 * MiB / PAGE_SIZE] && !allowed[3 * MiB / PAGE_SIZE - 1]);
	EXPECT(!allowed[7 * MiB / PAGE_SIZE] && allowed[7 * MiB / PAGE_SIZE + 1]);
	EXPECT(allowed[4 * MiB / PAGE_SIZE] && !allowed[4 * MiB / PAGE_SIZE - 1]);
	EXPECT(!allowed[60 * MiB / PAGE_SIZE - 1] && allowed[60 * MiB / PAGE_SIZE - 2]);
	EXPECT_EQ(mfn_to_page(_mfn(7 * MiB / PAGE_SIZE))->owner, DOMID_XEN);
	got = alloc_all(1, all, ARRAY_SIZE(all)); /* fails the case if a reserved frame comes out */
	EXPECT_EQ(got, model_count());
}

static void t_messy_ram_map(void)
{
	const struct mem_range ram[] = {
	    {40 * MiB, 48 * MiB},     {MiB + 123, 8 * MiB - 7}, /* unaligned: shrunk */
	    {4 * MiB, 12 * MiB},				/* overlaps the previous */
	    {0, 640 * 1024},					/* low memory: never handed out */
	    {20 * MiB, 20 * MiB},				/* empty */
	    {30 * MiB, 25 * MiB},				/* inverted */
	    {100 * GiB, 101 * GiB},				/* beyond the supported maximum */
	    {47 * MiB, 48 * MiB - 1},				/* inside another, partial page */
	};
	uint64_t pos = console_ring_head();
	const char *log;

	EXPECT_EQ(init(48 * MiB, ram, ARRAY_SIZE(ram), NULL, 0), 0);
	log = ring_since(pos);
	EXPECT(strstr(log, "frame: RAM range 0x1e00000-0x1900000 is inverted, ignored\n"));
	EXPECT(strstr(log, "frame: RAM above 64 GiB (0x1900000000-0x1940000000) not supported, "
			   "ignored\n"));
	EXPECT_EQ(max_mfn, 48 * MiB / PAGE_SIZE);
	/* the first whole frame above 1 MiB + 123 */
	EXPECT_EQ(table_mfn(), LOW_FRAMES + 1);
	EXPECT_EQ(frame_total_count(), model_count());
	/* holes are not RAM */
	EXPECT_EQ(mfn_to_page(_mfn(20 * MiB / PAGE_SIZE))->owner, DOMID_IO);
	EXPECT_EQ(mfn_to_page(_mfn(640 * 1024 / PAGE_SIZE))->owner, DOMID_IO);
	EXPECT_EQ(mfn_to_page(_mfn(8))->owner, DOMID_XEN);
	EXPECT_EQ(alloc_all(2, all, ARRAY_SIZE(all)), model_count());
	/* freeing a hole frame is refused */
	frame_free(_mfn(20 * MiB / PAGE_SIZE));
	EXPECT_EQ(frame_error_count(), 1);
}

static void t_table_placement(void)
{
	/* too small a first range, and a reserved range at 1 MiB */
	const struct mem_range ram[] = {{MiB, MiB + 8192}, {4 * MiB, 32 * MiB}};
	const struct mem_range res[] = {{4 * MiB, 5 * MiB}, {5 * MiB + 4096, 5 * MiB + 8192}};

	EXPECT_EQ(init(32 * MiB, ram, 2, res, 2), 0);
	/* above both reserved ranges: the gap of one frame between them is too small */
	EXPECT_EQ(table_mfn(), (5 * MiB + 8192) / PAGE_SIZE);
	EXPECT_EQ(frame_total_count(), model_count());
	EXPECT_EQ(alloc_all(2, all, ARRAY_SIZE(all)), model_count());
}

static void t_bad_maps(void)
{
	const struct mem_range low[] = {{0, 640 * 1024}, {0xF0000, MiB}};
	const struct mem_range ram[] = {{0, 4 * MiB}};
	const struct mem_range all_res[] = {{MiB, 4 * MiB}};
	const struct mem_range beyond[] = {{65 * GiB, 66 * GiB}};

	EXPECT_EQ(init(4 * MiB, NULL, 0, NULL, 0), -EINVAL);
	EXPECT_EQ(init(4 * MiB, low, 2, NULL, 0), -EINVAL);
	EXPECT_EQ(init(4 * MiB, beyond, 1, NULL, 0), -EINVAL);
	EXPECT_EQ(init(4 * MiB, ram, 1, all_res, 1), -ENOMEM);
	/* a failed init leaves nothing to allocate */
	EXPECT(mfn_eq(frame_alloc(1), INVALID_MFN));
	EXPECT_EQ(frame_free_count(), 0);
}

static void t_contig(void)
{
	const struct mem_range ram[] = {{0, 64 * MiB}};
	uint64_t total;

	EXPECT_EQ(init(64 * MiB, ram, 1, NULL, 0), 0);
	total = frame_total_count();
	for (unsigned order = 0; order <= 12; order++) {
		mfn_t m = frame_alloc_contig(order, 5);
		uint64_t n = 1ULL << order;

		if (mfn_eq(m, INVALID_MFN)) {
			hvt_fail(__FILE__, __LINE__, "order %u failed", order);
			continue;
		}
		EXPECT_EQ(mfn_x(m) % n, 0);
		for (uint64_t i = 0; i < n; i++) {
			EXPECT(allowed[mfn_x(m) + i]);
			EXPECT_EQ(mfn_to_page(_mfn(mfn_x(m) + i))->owner, 5);
		}
		EXPECT_EQ(frame_free_count(), total - n);
		frame_free_contig(m, order);
		EXPECT_EQ(frame_free_count(), total);
	}
	/* 64 MiB has no free 64 MiB block (low memory, table) */
	EXPECT(mfn_eq(frame_alloc_contig(14, 5), INVALID_MFN));
	EXPECT(mfn_eq(frame_alloc_contig(FRAME_MAX_ORDER + 1, 5), INVALID_MFN));
	EXPECT(mfn_eq(frame_alloc_contig(63, 5), INVALID_MFN));
	EXPECT(mfn_eq(frame_alloc_contig(1000, 5), INVALID_MFN));
	EXPECT_EQ(frame_free_count(), total);
	EXPECT_EQ(frame_error_count(), 0);
}

static void t_fragmentation(void)
{
	const struct mem_range ram[] = {{0, 8 * MiB}};
	uint64_t got;
	mfn_t m;

	EXPECT_EQ(init(8 * MiB, ram, 1, NULL, 0), 0);
	got = alloc_all(1, all, ARRAY_SIZE(all));
	/* free every other frame: plenty free, but no two adjacent */
	for (uint64_t i = 0; i < got; i++) {
		if (mfn_x(all[i]) % 2 == 0) {
			frame_free(all[i]);
		}
	}
	EXPECT(frame_free_count() > 100);
	EXPECT(mfn_eq(frame_alloc_contig(1, 1), INVALID_MFN));
	/* free the frame next to an even free one: now an order-1 block exists */
	for (uint64_t i = 0; i < got; i++) {
		if (mfn_x(all[i]) % 2 == 1 && mfn_x(all[i]) > 1000) {
			frame_free(all[i]);
			m = frame_alloc_contig(1, 1);
			EXPECT_EQ(mfn_x(m), mfn_x(all[i]) - 1);
			break;
		}
	}
	EXPECT_EQ(frame_error_count(), 0);
}

static void t_bad_frees(void)
{
	const struct mem_range ram[] = {{0, 16 * MiB}};
	const struct mem_range res[] = {{8 * MiB, 9 * MiB}};
	uint64_t freec, pos;
	mfn_t a, b;

	EXPECT_EQ(init(16 * MiB, ram, 1, res, 1), 0);
	a = frame_alloc(4);
	freec = frame_free_count();
	frame_free(a);
	pos = console_ring_head();
	frame_free(a); /* double free */
	EXPECT_EQ(frame_error_count(), 1);
	EXPECT_EQ(frame_free_count(), freec + 1);
	EXPECT(strstr(ring_since(pos), "already free (double free)"));
	frame_free(_mfn(8 * MiB / PAGE_SIZE)); /* reserved */
	frame_free(_mfn(10));		       /* low memory */
	frame_free(_mfn(table_mfn()));	       /* the table itself */
	frame_free(_mfn(max_mfn));	       /* beyond */
	frame_free(INVALID_MFN);
	EXPECT_EQ(frame_error_count(), 6);
	EXPECT_EQ(frame_free_count(), freec + 1);
	EXPECT_EQ(mfn_to_page(_mfn(8 * MiB / PAGE_SIZE))->owner, DOMID_XEN);

	/* a referenced frame is not freed */
	b = frame_alloc(4);
	mfn_to_page(b)->count = 1;
	frame_free(b);
	EXPECT_EQ(frame_error_count(), 7);
	EXPECT_EQ(mfn_to_page(b)->owner, 4);
	mfn_to_page(b)->count = 0;
	frame_free(b);
	EXPECT_EQ(frame_error_count(), 7);

	/* contiguous frees: misaligned, bad order, partly free: all refused, nothing freed */
	a = frame_alloc_contig(3, 4);
	freec = frame_free_count();
	frame_free_contig(_mfn(mfn_x(a) + 1), 1);
	frame_free_contig(a, FRAME_MAX_ORDER + 1);
	frame_free(_mfn(mfn_x(a) + 5));
	frame_free_contig(a, 3);
	EXPECT_EQ(frame_error_count(), 10);
	EXPECT_EQ(frame_free_count(), freec + 1);
	EXPECT_EQ(mfn_to_page(a)->owner, 4);
	/* allocating for DOMID_INVALID would make a used frame look free */
	EXPECT(mfn_eq(frame_alloc(DOMID_INVALID), INVALID_MFN));
}

static void t_random_model(void)
{
	const struct mem_range ram[] = {{0, 24 * MiB}, {30 * MiB, 40 * MiB}};
	const struct mem_range res[] = {{3 * MiB, 3 * MiB + 77}, {31 * MiB, 32 * MiB}};
	static uint8_t owner_of[1 << 16]; /* 0 = free per the model */
	static uint32_t held[1 << 16];
	size_t nheld = 0;
	uint64_t total;
	unsigned seed = 4242;

	EXPECT_EQ(init(40 * MiB, ram, 2, res, 2), 0);
	total = frame_total_count();
	EXPECT_EQ(total, model_count());
	memset(owner_of, 0, sizeof(owner_of));
	for (int step = 0; step < 40000; step++) {
		seed = seed * 1103515245 + 12345;
		unsigned r = seed >> 8;

		if (r % 3 != 0 || nheld == 0) {
			unsigned order = (r >> 4) % 8 == 0 ? (r >> 8) % 5 : 0;
			uint32_t owner = 1 + (r >> 12) % 200;
			mfn_t m = frame_alloc_contig(order, owner);

			if (mfn_eq(m, INVALID_MFN)) {
				continue;
			}
			for (uint64_t i = 0; i < (1ULL << order); i++) {
				uint64_t n = mfn_x(m) + i;

				if (!allowed[n] || owner_of[n]) {
					hvt_fail(__FILE__, __LINE__,
						 "step %d: mfn %#llx bad or taken", step,
						 (unsigned long long)n);
					return;
				}
				owner_of[n] = (uint8_t)owner;
				held[nheld++] = (uint32_t)n;
			}
		} else {
			size_t k = (r >> 4) % nheld;
			uint64_t n = held[k];

			if (mfn_to_page(_mfn(n))->owner != owner_of[n]) {
				hvt_fail(__FILE__, __LINE__, "owner of %#llx changed",
					 (unsigned long long)n);
				return;
			}
			frame_free(_mfn(n));
			owner_of[n] = 0;
			held[k] = held[--nheld];
		}
		if (frame_free_count() != total - nheld) {
			hvt_fail(__FILE__, __LINE__, "step %d: free count %llu, model %llu", step,
				 (unsigned long long)frame_free_count(),
				 (unsigned long long)(total - nheld));
			return;
		}
	}
	EXPECT_EQ(frame_error_count(), 0);
	fake_mem_free();
}

static const struct hvt_case cases[] = {
    {"calls before init fail safely", t_before_init},
    {"simple map: counts, table at 1 MiB, owners", t_simple_layout},
    {"exhaustion, free one, free all, realloc", t_exhaustion},
    {"unaligned/overlapping/empty reserved ranges never handed out", t_reserved},
    {"unsorted/overlapping/unaligned/empty/inverted/too-high RAM ranges", t_messy_ram_map},
    {"table placed clear of reserved ranges and small ranges", t_table_placement},
    {"no usable RAM or no room for the table: errors", t_bad_maps},
    {"contiguous orders 0-12 aligned, impossible orders refused", t_contig},
    {"fragmented memory: contiguous allocation fails then succeeds", t_fragmentation},
    {"double free, reserved, referenced, bad contiguous frees detected", t_bad_frees},
    {"40000 random allocs/frees against a model", t_random_model},
};

const struct hvt_group group_frame = HVT_GROUP("frame", cases);
