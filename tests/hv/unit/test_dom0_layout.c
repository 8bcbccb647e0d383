/*
 * Tests of hypervisor/arch/x86_64/pv/dom0_layout.c: Xen's bootstrap layout for
 * the kernel shapes that exist and for sizes around every boundary, each
 * checked against its definition: the parts in order and page-aligned,
 * the region 4 MiB aligned with at least 512 KiB of padding, and nr_pt
 * equal to the page tables that mapping the region really takes (counted
 * by walking it page by page, independently of the formula), and no
 * smaller count that would do. Then the refusals.
 */
#include "hvtest.h"

#include <stdio.h>
#include <string.h>

#include <asm/dom0_build.h>
#include <elf.h>
#include <public/errno.h>

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static struct dom0_layout l;
static char err[200];

static struct elf_image image(uint64_t base, uint64_t kstart, uint64_t size)
{
	struct elf_image img;

	memset(&img, 0, sizeof(img));
	img.virt_base = base;
	img.virt_kstart = kstart;
	img.virt_kend = (kstart + size + 4095) & ~4095ULL;
	return img;
}

/* Tables needed to map [lo, hi) with 4 KiB pages: distinct blocks per level, plus the L4. */
static uint64_t tables_by_walk(uint64_t lo, uint64_t hi)
{
	uint64_t va, n = 1, last[3] = {~0ULL, ~0ULL, ~0ULL};
	unsigned int s;

	for (va = lo; va < hi; va += 4096) {
		for (s = 0; s < 3; s++) {
			uint64_t blk = va >> (21 + 9 * s);

			if (blk != last[s]) {
				last[s] = blk;
				n++;
			}
		}
	}
	return n;
}

/* Every property of a successful layout; returns false (after failing) if one does not hold. */
static bool layout_sane(const struct elf_image *img, uint64_t pages, uint64_t initrd)
{
	uint64_t walk = tables_by_walk(l.v_start, l.v_end);
	uint64_t p = 4096;

	EXPECT_EQ(l.v_start, img->virt_base);
	EXPECT_EQ(l.kern_start, img->virt_kstart);
	EXPECT_EQ(l.kern_end, img->virt_kend);
	if (initrd && !img->unmapped_initrd) {
		EXPECT_EQ(l.initrd_start, l.kern_end);
		EXPECT_EQ(l.initrd_end, l.initrd_start + initrd);
		EXPECT_EQ(l.p2m_start, (l.initrd_end + p - 1) / p * p);
	} else {
		EXPECT_EQ(l.initrd_start, 0);
		EXPECT_EQ(l.p2m_start, l.kern_end);
	}
	EXPECT_EQ(l.p2m_end, l.p2m_start + pages * 8);
	EXPECT_EQ(l.si_start, (l.p2m_end + p - 1) / p * p);
	EXPECT_EQ(l.pt_start, l.si_start + p);
	EXPECT_EQ(l.pt_end, l.pt_start + l.nr_pt * p);
	EXPECT_EQ(l.stack_start, l.pt_end);
	EXPECT_EQ(l.stack_end, l.stack_start + p);
	EXPECT_EQ(l.v_end % (4 * MiB), 0);
	EXPECT(l.v_end - l.stack_end >= 512 * KiB);
	EXPECT(l.v_end - l.stack_end < 512 * KiB + 4 * MiB);
	/* Enough tables, and Xen's count: the smallest that covers its own region. */
	EXPECT(walk <= l.nr_pt);
	if (l.nr_pt > 2) {
		uint64_t stack_end = l.pt_start + (l.nr_pt - 1) * p + p;
		uint64_t end = (stack_end + 4 * MiB - 1) / (4 * MiB) * (4 * MiB);

		if (end - stack_end < 512 * KiB) {
			end += 4 * MiB;
		}
		EXPECT(tables_by_walk(l.v_start, end) > l.nr_pt - 1);
	}
	EXPECT((l.v_end - l.v_start) / p + (img->unmapped_initrd ? (initrd + p - 1) / p : 0) <=
	       pages);
	return true;
}

static void t_test_guest(void)
{
	struct elf_image img = image(0xffffffff80000000ULL, 0xffffffff80000000ULL, 0xc000);

	EXPECT_EQ(dom0_layout(&l, &img, 16384, 0, err, sizeof(err)), 0);
	layout_sane(&img, 16384, 0);
	/* What the hv-qemu boot of build_state printed. */
	EXPECT_EQ(l.p2m_start, 0xffffffff8000c000ULL);
	EXPECT_EQ(l.si_start, 0xffffffff8002c000ULL);
	EXPECT_EQ(l.nr_pt, 5);
	EXPECT_EQ(l.v_end, 0xffffffff80400000ULL);
}

static void t_linux(void)
{
	/* Debian 6.1: VIRT_BASE 0xffffffff80000000, kernel at +16 MiB, 46 MiB, 256 MiB dom0. */
	struct elf_image img = image(0xffffffff80000000ULL, 0xffffffff81000000ULL, 0x2e00000);

	EXPECT_EQ(dom0_layout(&l, &img, 65536, 0, err, sizeof(err)), 0);
	layout_sane(&img, 65536, 0);
	EXPECT_EQ(l.p2m_start, 0xffffffff83e00000ULL);
	EXPECT_EQ(l.si_start, 0xffffffff83e80000ULL);
	EXPECT_EQ(l.nr_pt, 35);
	EXPECT_EQ(l.v_end, 0xffffffff84000000ULL);
}

static void t_low_kernel_and_initrd(void)
{
	struct elf_image img = image(0, 0x100000, 0x20000);

	EXPECT_EQ(dom0_layout(&l, &img, 8192, 70001, err, sizeof(err)), 0);
	layout_sane(&img, 8192, 70001);
	img.unmapped_initrd = true;
	EXPECT_EQ(dom0_layout(&l, &img, 8192, 70001, err, sizeof(err)), 0);
	layout_sane(&img, 8192, 70001);
}

/* Sizes that push each part across 4 KiB, 2 MiB and 1 GiB boundaries. */
static void t_boundaries(void)
{
	static const uint64_t bases[] = {0, 0xffffffff80000000ULL, 0x3fe00000ULL,
					 0xffffff7fffc00000ULL, 0x7fff00000000ULL};
	static const uint64_t sizes[] = {1, 4096, 0x1ff000, 0x200000, 0x3fc000, 0x3fffff00};
	static const uint64_t pages[] = {4096, 65536, 262144, 1048576, 4194304};
	unsigned int b, s, n, checked = 0;

	for (b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
		for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			for (n = 0; n < sizeof(pages) / sizeof(pages[0]); n++) {
				struct elf_image img = image(bases[b], bases[b], sizes[s]);

				if (dom0_layout(&l, &img, pages[n], sizes[s] / 3, err,
						sizeof(err)) == 0) {
					layout_sane(&img, pages[n], sizes[s] / 3);
					checked++;
				} else {
					EXPECT(strstr(err, "too small") ||
					       strstr(err, "canonical"));
				}
			}
		}
	}
	EXPECT(checked > 80);
}

static void t_refusals(void)
{
	struct elf_image img = image(0xffffffff80000000ULL, 0xffffffff80000000ULL, 0xc000);

	EXPECT_EQ(dom0_layout(&l, &img, 512, 0, err, sizeof(err)), -ENOMEM);
	EXPECT(strstr(err, "dom0 memory (512 pages) is too small: the bootstrap region alone "
			   "needs 1024") != NULL);
	/* An unmapped initrd counts too. */
	EXPECT_EQ(dom0_layout(&l, &img, 1024, 0, err, sizeof(err)), 0);
	img.unmapped_initrd = true;
	EXPECT_EQ(dom0_layout(&l, &img, 1024, 4097, err, sizeof(err)), -ENOMEM);
	EXPECT(strstr(err, "needs 1026") != NULL);
	/* The padding runs off the lower half: not canonical. */
	img = image(0x00007ffffff00000ULL, 0x00007ffffff00000ULL, 0x80000);
	EXPECT_EQ(dom0_layout(&l, &img, 4096, 0, err, sizeof(err)), -EINVAL);
	EXPECT(strstr(err, "overlaps the hypervisor hole or is not canonical") != NULL);
	/* Just above the hole: fine. */
	img = image(0xffff880000000000ULL, 0xffff880000000000ULL, 0x1000);
	EXPECT_EQ(dom0_layout(&l, &img, 4096, 0, err, sizeof(err)), 0);
	/* Runs off the top of the address space. */
	img = image(0xffffffffffc00000ULL, 0xffffffffffc00000ULL, 0x1000);
	EXPECT_EQ(dom0_layout(&l, &img, 4096, 0, err, sizeof(err)), -EINVAL);
	EXPECT(strstr(err, "wraps around") != NULL);
}

static const struct hvt_case cases[] = {
    {"a test guest's layout (as booted)", t_test_guest},
    {"Debian Linux 6.1's layout", t_linux},
    {"low-linked kernel, initrd mapped and by pfn", t_low_kernel_and_initrd},
    {"sizes across page, 2 MiB and 1 GiB boundaries vs a page walk", t_boundaries},
    {"refused: too little memory, non-canonical, wrapping", t_refusals},
};

const struct hvt_group group_dom0_layout = HVT_GROUP("dom0_layout", cases);
