/*
 * Tests of hypervisor/common/bench_memcpy.c (the grant copy benchmark's
 * in-hypervisor reference) against the fake physical memory: a measured
 * run copies byte-exactly and gives both frames back; iters 0 and an
 * allocator with fewer than two frames are refused with nothing kept.
 */
#include "hvtest.h"

#include <stdlib.h>

#include <bench_memcpy.h>
#include <fake/mem.h>
#include <frame.h>
#include <public/errno.h>

#define MiB (1ULL << 20)

static mfn_t held[4096];

static bool init(void)
{
	const struct mem_range ram[] = {{0, 8 * MiB}};

	if (fake_mem_init(8 * MiB) != 0 || frame_alloc_init(ram, 1, NULL, 0) != 0) {
		hvt_fail(__FILE__, __LINE__, "no fake memory or frame allocator");
		return false;
	}
	return true;
}

static void t_measures(void)
{
	uint64_t cycles = ~0ULL, before;

	if (!init()) {
		return;
	}
	before = frame_free_count();
	/* -EIO would say the destination differs from the pattern after the copies. */
	EXPECT_EQ(bench_memcpy_page(3, &cycles), 0);
	/* The fake clock stands still: the loop's cycles are exactly 0, and were written. */
	EXPECT_EQ(cycles, 0);
	EXPECT_EQ(frame_free_count(), before);
	EXPECT_EQ(frame_error_count(), 0);
	fake_mem_free();
}

static void t_zero_iters(void)
{
	uint64_t cycles = 1234, before;

	if (!init()) {
		return;
	}
	before = frame_free_count();
	EXPECT_EQ(bench_memcpy_page(0, &cycles), -EINVAL);
	EXPECT_EQ(cycles, 1234);
	EXPECT_EQ(frame_free_count(), before);
	fake_mem_free();
}

/* With k frames left (k < 2): -ENOMEM, the k frames still free afterwards. */
static void no_frames(uint64_t k)
{
	uint64_t cycles = 1234, n = 0, i;
	mfn_t m;

	if (!init()) {
		return;
	}
	while (frame_free_count() > k && n < sizeof(held) / sizeof(held[0])) {
		m = frame_alloc(7);
		if (mfn_eq(m, INVALID_MFN)) {
			break;
		}
		held[n++] = m;
	}
	EXPECT_EQ(frame_free_count(), k);
	EXPECT_EQ(bench_memcpy_page(4, &cycles), -ENOMEM);
	EXPECT_EQ(cycles, 1234);
	EXPECT_EQ(frame_free_count(), k);
	for (i = 0; i < n; i++) {
		frame_free(held[i]);
	}
	EXPECT_EQ(frame_error_count(), 0);
	fake_mem_free();
}

static void t_one_frame(void)
{
	no_frames(1);
}

static void t_no_frame(void)
{
	no_frames(0);
}

static const struct hvt_case cases[] = {
    {"a measured run copies byte-exactly and gives both frames back", t_measures},
    {"iters 0: -EINVAL, nothing allocated", t_zero_iters},
    {"one frame left: -ENOMEM, that frame given back", t_one_frame},
    {"no frame left: -ENOMEM", t_no_frame},
};

const struct hvt_group group_bench_memcpy = HVT_GROUP("bench_memcpy", cases);
