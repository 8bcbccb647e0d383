/*
 * Tests of hypervisor/common/heap.c on the fake physical memory. The same
 * cases run linked with heap_debug.c and with heap_ndebug.c; where the two
 * differ (poisoning, guards) each case checks the documented behaviour of
 * the build it is in.
 */
#include "hvtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/mm.h>
#include <console.h>
#include <fake/mem.h>
#include <frame.h>
#include <heap.h>

#define MiB (1ULL << 20)

static uint64_t frames_at_start;

static void setup(size_t mem)
{
	const struct mem_range ram[] = {{0, mem}};

	if (fake_mem_init(mem) || frame_alloc_init(ram, 1, NULL, 0) || heap_init()) {
		hvt_fail(__FILE__, __LINE__, "setup failed");
	}
	frames_at_start = frame_free_count();
}

static struct heap_stats stats(void)
{
	struct heap_stats st;

	heap_get_stats(&st);
	return st;
}

/* After everything is freed only the cached empty slabs (one per class) remain. */
static void expect_all_returned(void)
{
	struct heap_stats st = stats();

	EXPECT_EQ(st.allocations, 0);
	EXPECT_EQ(st.bytes_in_use, 0);
	EXPECT(st.pages <= 7);
	EXPECT_EQ(frames_at_start - frame_free_count(), st.pages);
}

static bool all_bytes(const void *p, size_t n, unsigned char v)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		if (c[i] != v) {
			return false;
		}
	}
	return true;
}

static void t_many_sizes(void)
{
	static void *p[600];
	static size_t sz[600];
	size_t n = 0;

	setup(32 * MiB);
	for (size_t s = 0; s <= 5000; s += (s < 80 ? 1 : 37)) {
		sz[n] = s;
		p[n] = xmalloc(s);
		if (!p[n]) {
			hvt_fail(__FILE__, __LINE__, "xmalloc(%zu) failed", s);
			return;
		}
		EXPECT_EQ((uintptr_t)p[n] % 16, 0);
		memset(p[n], (int)(n & 0xff), s);
		n++;
	}
	EXPECT_EQ(stats().allocations, n);
	/* no block overlaps another: every fill is intact */
	for (size_t i = 0; i < n; i++) {
		if (!all_bytes(p[i], sz[i], (unsigned char)(i & 0xff))) {
			hvt_fail(__FILE__, __LINE__, "block %zu (size %zu) overwritten", i, sz[i]);
		}
	}
	for (size_t i = 0; i < n; i += 2) {
		xfree(p[i]);
	}
	for (size_t i = 1; i < n; i += 2) {
		xfree(p[i]);
	}
	EXPECT_EQ(stats().errors_detected, 0);
	expect_all_returned();
}

static void t_large_blocks(void)
{
	uint64_t before;
	void *a, *b, *c;

	setup(32 * MiB);
	before = frame_free_count();
	a = xmalloc(MiB); /* 1 MiB + header: 257 frames, not a power of two */
	EXPECT(a != NULL);
	EXPECT_EQ(before - frame_free_count(), 257);
	EXPECT_EQ((uintptr_t)a % 64, 0);
	memset(a, 1, MiB);
	b = xmalloc(4096 - 64 - (heap_debug ? 8 : 0)); /* just fits one frame */
	EXPECT_EQ(before - frame_free_count(), 258);
	EXPECT_EQ(stats().pages, 258);
	c = xzalloc(3 * MiB);
	EXPECT(c != NULL && all_bytes(c, 3 * MiB, 0));
	xfree(a);
	xfree(b);
	xfree(c);
	EXPECT_EQ(frame_free_count(), before);
	/* too big for this memory, too big at all: NULL, no harm */
	EXPECT(xmalloc(XMALLOC_MAX) == NULL);
	EXPECT(xmalloc(XMALLOC_MAX + 1) == NULL);
	EXPECT(xmalloc((size_t)-1) == NULL);
	EXPECT_EQ(frame_free_count(), before);
	EXPECT_EQ(stats().errors_detected, 0);
	expect_all_returned();
}

static void t_zero_and_arrays(void)
{
	void *a, *b, *z;

	setup(8 * MiB);
	a = xmalloc(0);
	b = xmalloc(0);
	EXPECT(a && b && a != b);
	xfree(a);
	xfree(b);
	xfree(NULL);
	/* xzalloc zeroes memory that held other data */
	a = xmalloc(200);
	memset(a, 0x77, 200);
	xfree(a);
	z = xzalloc(200);
	EXPECT(z == a); /* same slot reused: a real test of the zeroing */
	EXPECT(all_bytes(z, 200, 0));
	xfree(z);
	EXPECT(xmalloc_array((size_t)1 << 40, (size_t)1 << 40) == NULL); /* overflow */
	EXPECT(xzalloc_array(SIZE_MAX / 2, 3) == NULL);
	z = xzalloc_array(100, 8);
	EXPECT(z && all_bytes(z, 800, 0));
	xfree(z);
	z = xmalloc_array(0, 8);
	EXPECT(z != NULL);
	xfree(z);
	EXPECT_EQ(stats().errors_detected, 0);
	expect_all_returned();
}

static void t_poison(void)
{
	unsigned char *p;

	setup(8 * MiB);
	p = xmalloc(100);
	/* fresh memory is poisoned in the debug build */
	EXPECT_EQ(all_bytes(p, 100, 0xa5), heap_debug);
	memset(p, 0, 100);
	xfree(p);
	/* freed memory is poisoned in the debug build (it is still mapped here) */
	EXPECT_EQ(all_bytes(p, 100, 0x6b), heap_debug);
	EXPECT_EQ(stats().errors_detected, 0);
}

static void t_double_free(void)
{
	uint64_t pos, errs;
	void *a, *b, *c, *big;

	setup(8 * MiB);
	a = xmalloc(40);
	b = xmalloc(40);
	xfree(a);
	pos = console_ring_head();
	xfree(a);
	EXPECT_EQ(stats().errors_detected, 1);
	EXPECT(strstr(ring_since(pos), "heap: double free at 0x") != NULL);
	/* the slot is handed out once, not twice */
	a = xmalloc(40);
	c = xmalloc(40);
	EXPECT(a != c && a != b && b != c);
	xfree(a);
	xfree(b);
	xfree(c);
	/* large block: its frames went back, so the heap does not own them any more */
	big = xmalloc(100000);
	xfree(big);
	errs = stats().errors_detected;
	pos = console_ring_head();
	xfree(big);
	EXPECT_EQ(stats().errors_detected, errs + 1);
	EXPECT(strstr(ring_since(pos), "does not own") != NULL);
	/* freeing the last object of a released slab: detected the same way */
	{
		void *v[300];
		int n = 0;

		/* fill two slabs of the 512-byte class, free all: the second slab is released */
		for (n = 0; n < 14; n++) {
			v[n] = xmalloc(400);
		}
		for (int i = 0; i < n; i++) {
			xfree(v[i]);
		}
		errs = stats().errors_detected;
		xfree(v[n - 1]);
		xfree(v[0]);
		EXPECT_EQ(stats().errors_detected, errs + 2);
	}
	expect_all_returned();
}

static void t_bad_pointers(void)
{
	unsigned char *a;
	void *frame;
	uint64_t errs;

	setup(8 * MiB);
	a = xmalloc(64);
	xfree(a + 1);
	xfree(a + 16);
	EXPECT_EQ(stats().errors_detected, 2);
	/* a frame the heap never had */
	frame = arch_mfn_to_virt(frame_alloc(5));
	xfree(frame);
	xfree((char *)frame + 64);
	EXPECT_EQ(stats().errors_detected, 4);
	/* a hypervisor frame that is not a heap page */
	frame = arch_mfn_to_virt(frame_alloc(DOMID_XEN));
	memset(frame, 0, PAGE_SIZE);
	xfree((char *)frame + 64);
	EXPECT_EQ(stats().errors_detected, 5);
	/* not in the direct map at all */
	xfree(&errs);
	EXPECT_EQ(stats().errors_detected, 6);
	/* a slab header damaged by an overrun from the frame before */
	{
		unsigned char *v = xmalloc(16);
		uint16_t *nslots = (uint16_t *)((uintptr_t)v / PAGE_SIZE * PAGE_SIZE + 6);
		uint16_t saved = *nslots;

		*nslots = 60000;
		xfree(v);
		EXPECT_EQ(stats().errors_detected, 7);
		*nslots = saved;
		xfree(v);
		EXPECT_EQ(stats().errors_detected, 7);
	}
	/* a large block one of whose frames was given back behind the heap's back */
	{
		unsigned char *big = xmalloc(5 * PAGE_SIZE);
		mfn_t m = arch_virt_to_mfn(big + 2 * PAGE_SIZE);
		uint64_t freec;

		frame_free(m);
		freec = frame_free_count();
		xfree(big);
		EXPECT_EQ(stats().errors_detected, 8);
		EXPECT_EQ(frame_free_count(), freec); /* nothing freed twice */
	}
	/* still usable afterwards */
	errs = stats().errors_detected;
	xfree(a);
	EXPECT_EQ(stats().errors_detected, errs);
	EXPECT_EQ(stats().allocations, 1); /* the damaged large block stays allocated */
}

static void t_overrun_underrun(void)
{
	unsigned char *p, *q;
	uint64_t pos;

	setup(8 * MiB);
	/* one byte past the end of a small block */
	p = xmalloc(21);
	pos = console_ring_head();
	p[21] = 0;
	xfree(p);
	EXPECT_EQ(stats().errors_detected, heap_debug ? 1 : 0);
	if (heap_debug) {
		EXPECT(strstr(ring_since(pos), "overrun") != NULL);
	}
	/* one byte before the start */
	p = xmalloc(100);
	q = xmalloc(100);
	if (heap_debug) {
		p[-1] = 0;
	}
	xfree(p);
	EXPECT_EQ(stats().errors_detected, heap_debug ? 2 : 0);
	xfree(q);
	/* one byte past a large block */
	p = xmalloc(20000);
	p[20000] = 0;
	xfree(p);
	EXPECT_EQ(stats().errors_detected, heap_debug ? 3 : 0);
	/* a block written to after xfree (debug: noticed when the slot is reused) */
	p = xmalloc(48);
	xfree(p);
	p[5] = 1;
	q = xmalloc(48);
	EXPECT(q == p);
	EXPECT_EQ(stats().errors_detected, heap_debug ? 4 : 0);
	xfree(q);
	expect_all_returned();
}

static void t_exhaustion(void)
{
	static void *v[20000];
	size_t n = 0;
	uint64_t errs;

	setup(4 * MiB);
	while (n < 20000 && (v[n] = xmalloc(1000)) != NULL) {
		memset(v[n], 0x11, 1000);
		n++;
	}
	EXPECT(n > 1000 && n < 20000);
	EXPECT_EQ(frame_free_count(), 0);
	EXPECT(xmalloc(5000) == NULL);
	EXPECT(xmalloc(16) == NULL);
	errs = stats().errors_detected;
	for (size_t i = 0; i < n; i++) {
		xfree(v[i]);
	}
	EXPECT_EQ(stats().errors_detected, errs);
	EXPECT_EQ(errs, 0);
	expect_all_returned();
	/* and the memory is usable again */
	v[0] = xmalloc(100000);
	EXPECT(v[0] != NULL);
	xfree(v[0]);
}

static void t_random_stress(void)
{
	static unsigned char *blk[2000];
	static size_t len[2000];
	static unsigned char tag[2000];
	unsigned seed = 777;

	setup(64 * MiB);
	memset(blk, 0, sizeof(blk));
	for (int step = 0; step < 60000; step++) {
		seed = seed * 1103515245 + 12345;
		unsigned r = seed >> 8;
		size_t k = r % 2000;

		if (blk[k]) {
			if (!all_bytes(blk[k], len[k], tag[k])) {
				hvt_fail(__FILE__, __LINE__, "step %d: block %zu corrupted", step,
					 k);
				return;
			}
			xfree(blk[k]);
			blk[k] = NULL;
		} else {
			size_t s = (r >> 11) % 16 == 0 ? (r >> 4) % 70000 : (r >> 4) % 1200;

			blk[k] = xmalloc(s);
			if (!blk[k]) {
				continue;
			}
			len[k] = s;
			tag[k] = (unsigned char)step;
			memset(blk[k], tag[k], s);
		}
	}
	for (size_t k = 0; k < 2000; k++) {
		if (blk[k]) {
			EXPECT(all_bytes(blk[k], len[k], tag[k]));
			xfree(blk[k]);
		}
	}
	EXPECT_EQ(stats().errors_detected, 0);
	expect_all_returned();
	fake_mem_free();
}

static const struct hvt_case cases[] = {
    {"sizes 0-5000: aligned, disjoint, all returned", t_many_sizes},
    {"large blocks: frame counts, too-big requests", t_large_blocks},
    {"xmalloc(0), xzalloc zeroes, array overflow checks", t_zero_and_arrays},
    {"fresh and freed memory poisoned (debug build only)", t_poison},
    {"double free of small, large and released-slab blocks detected", t_double_free},
    {"pointers not from xmalloc detected", t_bad_pointers},
    {"overrun, underrun, write after free (debug build only)", t_overrun_underrun},
    {"exhaustion: NULL, everything returned, usable again", t_exhaustion},
    {"60000 random xmalloc/xfree with content checks", t_random_stress},
};

const struct hvt_group group_heap = HVT_GROUP("heap", cases);
