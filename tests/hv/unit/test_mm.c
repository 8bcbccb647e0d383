/*
 * Tests of the PV memory model (hypervisor/arch/x86_64/pv/mm_types.c, m2p.c, mm_teardown.c)
 * on fake physical memory: page tables are built by hand in frames of a
 * test domain, then typed, pinned, updated and torn down. Every refusal is
 * checked for its errno and for leaving every count exactly as before.
 */
#include "hvtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/mm.h>
#include <asm/pv_mm.h>
#include <domain.h>
#include <fake/mem.h>
#include <frame.h>
#include <public/errno.h>

#define MEM (64ULL << 20)
#define P MM_PTE_P
#define RW MM_PTE_RW
#define US MM_PTE_US

static struct domain dom, other;
static struct vcpu vcpu0;
static uint64_t hv_l4[512];
static uint64_t nr_flushes;
static uint64_t free_at_start;

/* The arch side of mm.h, counted instead of done. */
void mm_tlb_flush_local(void)
{
	nr_flushes++;
}

void mm_tlb_flush_one(uint64_t va)
{
	(void)va;
}

/* One CPU here: a flush everywhere is the local one. */
void mm_tlb_flush_all(void)
{
	nr_flushes++;
}

void mm_tlb_flush_others(struct domain *d)
{
	(void)d;
}

void mm_tlb_flush_vcpus(struct domain *d, uint64_t vcpumask)
{
	(void)d;
	(void)vcpumask;
}

static void setup(void)
{
	struct mem_range ram = {0, MEM};

	if (fake_mem_init(MEM) || frame_alloc_init(&ram, 1, NULL, 0)) {
		hvt_fail(__FILE__, __LINE__, "fake memory");
		return;
	}
	for (unsigned i = 0; i < 512; i++) {
		hv_l4[i] = i >= 257 && i <= 271 ? (0x1000ULL * i) | P | RW : 0;
	}
	EXPECT_EQ(mm_init(hv_l4), 0);
	memset(&dom, 0, sizeof(dom));
	memset(&other, 0, sizeof(other));
	memset(&vcpu0, 0, sizeof(vcpu0));
	dom.domain_id = 1;
	dom.max_pages = 4096;
	dom.vcpu[0] = &vcpu0;
	other.domain_id = 2;
	other.max_pages = 16;
	vcpu0.domain = &dom;
	vcpu0.arch.guest_table = INVALID_MFN;
	vcpu0.arch.guest_table_user = INVALID_MFN;
	nr_flushes = 0;
	free_at_start = frame_free_count();
}

static mfn_t page(struct domain *d)
{
	mfn_t m = mm_alloc_domain_frame(d);

	if (mfn_eq(m, INVALID_MFN)) {
		hvt_fail(__FILE__, __LINE__, "out of frames");
		return m;
	}
	memset(arch_mfn_to_virt(m), 0, PAGE_SIZE);
	return m;
}

static uint64_t *tab(mfn_t m)
{
	return arch_mfn_to_virt(m);
}

static uint64_t pte(mfn_t m, uint64_t flags)
{
	return mfn_to_paddr(m) | flags;
}

static struct page_info *pg(mfn_t m)
{
	return mfn_to_page(m);
}

/* count, type, type_count of a frame in one comparable number. */
static uint64_t st(mfn_t m)
{
	return ((uint64_t)pg(m)->count << 32) | ((uint64_t)pg(m)->type << 24) | pg(m)->type_count;
}

#define ST(count, type, tc) (((uint64_t)(count) << 32) | ((uint64_t)(type) << 24) | (tc))

static void teardown_clean(void)
{
	uint64_t forced = mm_forced_refs();

	mm_domain_teardown(&dom);
	EXPECT_EQ(mm_count_owned(1), 0);
	EXPECT_EQ(mm_forced_refs(), forced);
	EXPECT_EQ(frame_free_count(), free_at_start);
	EXPECT_EQ(dom.tot_pages, 0);
}

static void t_get_put_page(void)
{
	mfn_t a, b;

	setup();
	a = page(&dom);
	b = page(&other);
	EXPECT(get_page(a, &dom));
	EXPECT(get_page(a, &dom));
	EXPECT_EQ(pg(a)->count, 2);
	EXPECT(!get_page(b, &dom));	  /* not ours */
	EXPECT(!get_page(_mfn(0), &dom)); /* the hypervisor's */
	EXPECT(!get_page(_mfn(max_mfn), &dom));
	EXPECT(!get_page(_mfn(~0ULL >> 12), &dom));
	EXPECT_EQ(pg(b)->count, 0);
	put_page(a);
	put_page(a);
	EXPECT_EQ(pg(a)->count, 0);
	/* An overflowing count is refused, never wrapped. */
	pg(a)->count = 0xFFFFFFF0U;
	EXPECT(!get_page(a, &dom));
	EXPECT_EQ(pg(a)->count, 0xFFFFFFF0U);
	pg(a)->count = 0;
	pg(a)->type = PGT_writable;
	pg(a)->type_count = 0xFFFFFFF0U;
	EXPECT_EQ(get_page_type(a, PGT_writable), -EBUSY);
	EXPECT_EQ(pg(a)->type_count, 0xFFFFFFF0U);
	pg(a)->type_count = 0;
	pg(a)->type = PGT_none;
	EXPECT_EQ(get_page_type(a, 99), -EINVAL);
	EXPECT_EQ(get_page_type(a, PGT_none), -EINVAL);
	mm_domain_teardown(&other);
	teardown_clean();
}

static void t_l1_refs(void)
{
	mfn_t l1, x, y;

	setup();
	l1 = page(&dom);
	x = page(&dom);
	y = page(&dom);
	tab(l1)[0] = pte(x, P | MM_PTE_G);
	tab(l1)[1] = pte(y, P | RW);
	tab(l1)[2] = pte(y, P | RW | US);
	tab(l1)[3] = 0x123456789ULL & ~P; /* not present: anything goes */
	EXPECT_EQ(mm_pin_table(&dom, l1, 1), 0);
	EXPECT_EQ(st(l1), ST(1, PGT_l1, 1));
	EXPECT(pg(l1)->flags & PGF_validated);
	EXPECT(pg(l1)->flags & PGF_pinned);
	EXPECT_EQ(st(x), ST(1, PGT_none, 0));
	EXPECT_EQ(st(y), ST(2, PGT_writable, 2));
	/* Ring-3 guest kernel: user bit added; global bit dropped. */
	EXPECT_EQ(tab(l1)[0], pte(x, P | US));
	EXPECT_EQ(tab(l1)[1], pte(y, P | RW | US));
	EXPECT_EQ(dom.mm.nr_pinned, 1);
	EXPECT_EQ(mm_pin_table(&dom, l1, 1), -EINVAL); /* pinned twice */
	EXPECT_EQ(st(l1), ST(1, PGT_l1, 1));
	EXPECT_EQ(mm_unpin_table(&dom, l1), 0);
	EXPECT_EQ(st(l1), ST(0, PGT_none, 0));
	EXPECT_EQ(st(x), ST(0, PGT_none, 0));
	EXPECT_EQ(st(y), ST(0, PGT_none, 0));
	EXPECT(!(pg(l1)->flags & (PGF_validated | PGF_pinned)));
	EXPECT_EQ(mm_unpin_table(&dom, l1), -EINVAL); /* not pinned */
	EXPECT_EQ(dom.mm.nr_pinned, 0);
	teardown_clean();
}

/* Pinning t as level fails with rc and leaves the listed frames as they were. */
static void expect_refused(mfn_t t, unsigned level, int rc, const mfn_t *watch, size_t n)
{
	uint64_t before[8];

	for (size_t i = 0; i < n; i++) {
		before[i] = st(watch[i]);
	}
	EXPECT_EQ(mm_pin_table(&dom, t, level), rc);
	EXPECT_EQ(st(t), ST(0, PGT_none, 0));
	EXPECT(!(pg(t)->flags & (PGF_validated | PGF_pinned)));
	for (size_t i = 0; i < n; i++) {
		EXPECT_EQ(st(watch[i]), before[i]);
	}
}

static void t_writable_page_tables(void)
{
	mfn_t l1a, l1b, x, seg, w[3];

	setup();
	l1a = page(&dom);
	l1b = page(&dom);
	x = page(&dom);
	seg = page(&dom);
	tab(l1a)[0] = pte(x, P | RW);
	EXPECT_EQ(mm_pin_table(&dom, l1a, 1), 0);
	w[0] = l1a;
	w[1] = x;
	w[2] = seg;
	/* A writable mapping of a live L1 (after a good entry that must be undone). */
	tab(l1b)[0] = pte(x, P | RW);
	tab(l1b)[1] = pte(l1a, P | RW);
	expect_refused(l1b, 1, -EINVAL, w, 3);
	/* Read-only is fine. */
	tab(l1b)[1] = pte(l1a, P);
	EXPECT_EQ(mm_pin_table(&dom, l1b, 1), 0);
	EXPECT_EQ(st(l1a), ST(2, PGT_l1, 1));
	EXPECT_EQ(mm_unpin_table(&dom, l1b), 0);
	/* A writable mapping of its own table. */
	tab(l1b)[1] = pte(l1b, P | RW);
	expect_refused(l1b, 1, -EINVAL, w, 3);
	/* A writable mapping of a descriptor page. */
	EXPECT_EQ(get_page_and_type(seg, &dom, PGT_seg_desc), 0);
	tab(l1b)[1] = pte(seg, P | RW);
	expect_refused(l1b, 1, -EINVAL, w, 3);
	put_page_and_type(seg);
	/* The other way round: a frame mapped writable cannot become a table. */
	EXPECT_EQ(mm_pin_table(&dom, x, 1), -EINVAL);
	EXPECT(!(pg(x)->flags & (PGF_validated | PGF_pinned)));
	EXPECT_EQ(get_page_and_type(x, &dom, PGT_seg_desc), -EINVAL);
	EXPECT_EQ(st(x), ST(1, PGT_writable, 1));
	EXPECT_EQ(mm_unpin_table(&dom, l1a), 0);
	teardown_clean();
}

static void t_foreign_and_hypervisor_frames(void)
{
	mfn_t l1, l2, f, w[1];

	setup();
	l1 = page(&dom);
	l2 = page(&dom);
	f = page(&other);
	w[0] = f;
	tab(l1)[5] = pte(f, P);
	expect_refused(l1, 1, -EPERM, w, 1);
	tab(l1)[5] = pte(_mfn(0), P); /* low memory: DOMID_XEN */
	expect_refused(l1, 1, -EPERM, w, 1);
	tab(l1)[5] = pte(_mfn(max_mfn + 5), P); /* beyond RAM */
	expect_refused(l1, 1, -EPERM, w, 1);
	/* The M2P table's own frames (user-readable at slot 256) are the hypervisor's. */
	{
		uint64_t *l4g = tab(page(&dom));

		mm_l4_install_hypervisor_slots(l4g);
		mfn_t l3m = paddr_to_mfn(l4g[256] & MM_PTE_ADDR);
		mfn_t l2m = paddr_to_mfn(tab(l3m)[0] & MM_PTE_ADDR);
		mfn_t l1m = paddr_to_mfn(tab(l2m)[0] & MM_PTE_ADDR);
		mfn_t m2p0 = paddr_to_mfn(tab(l1m)[0] & MM_PTE_ADDR);

		tab(l1)[5] = pte(m2p0, P);
		expect_refused(l1, 1, -EPERM, w, 1);
		tab(l1)[5] = pte(m2p0, P | RW);
		expect_refused(l1, 1, -EPERM, w, 1);
		/* ... nor can an L2 adopt the M2P's L1 as its own. */
		tab(l2)[0] = pte(l1m, P | RW);
		expect_refused(l2, 2, -EPERM, w, 1);
	}
	/* A privileged foreign mapping is checked against the foreign owner. */
	tab(l1)[5] = 0;
	EXPECT_EQ(mm_pin_table(&dom, l1, 1), 0);
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 5, pte(f, P), false), -EPERM);
	EXPECT_EQ(mm_update_entry(&dom, &other, l1, 5, pte(f, P | RW), false), 0);
	EXPECT_EQ(st(f), ST(1, PGT_writable, 1));
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 5, 0, false), 0);
	EXPECT_EQ(st(f), ST(0, PGT_none, 0));
	/* An update of a table the caller does not own. */
	EXPECT_EQ(mm_update_entry(&other, &other, l1, 5, 0, false), -EPERM);
	EXPECT_EQ(mm_unpin_table(&other, l1), -EINVAL);
	EXPECT_EQ(mm_pin_table(&other, l1, 1), -EINVAL);
	EXPECT_EQ(mm_unpin_table(&dom, l1), 0);
	mm_domain_teardown(&other);
	EXPECT_EQ(mm_count_owned(2), 0);
	teardown_clean();
}

static void t_bits(void)
{
	mfn_t l1, l2, l3, l4, w[2];

	setup();
	l1 = page(&dom);
	l2 = page(&dom);
	l3 = page(&dom);
	l4 = page(&dom);
	w[0] = l1;
	w[1] = l2;
	/* Superpages. */
	tab(l2)[1] = pte(l1, P | RW | MM_PTE_PSE);
	expect_refused(l2, 2, -EINVAL, w, 1);
	tab(l3)[1] = pte(l2, P | RW | MM_PTE_PSE);
	expect_refused(l3, 3, -EINVAL, w, 2);
	tab(l4)[1] = pte(l3, P | RW | MM_PTE_PSE);
	expect_refused(l4, 4, -EINVAL, w, 2);
	/* Global and cache-control bits in non-leaf entries. */
	tab(l2)[1] = pte(l1, P | RW | MM_PTE_G);
	expect_refused(l2, 2, -EINVAL, w, 1);
	tab(l2)[1] = pte(l1, P | RW | MM_PTE_PCD);
	expect_refused(l2, 2, -EINVAL, w, 1);
	tab(l2)[1] = pte(l1, P | RW | MM_PTE_PWT);
	expect_refused(l2, 2, -EINVAL, w, 1);
	/* Accepted: A/D, NX, software bits; and in an L1 the PAT/PCD/PWT leaf bits. */
	tab(l2)[1] = pte(l1, P | RW | MM_PTE_A | MM_PTE_D | MM_PTE_NX | (1ULL << 9) | (1ULL << 60));
	tab(l1)[0] = pte(l3, P | MM_PTE_PSE | MM_PTE_PCD | MM_PTE_PWT | MM_PTE_NX);
	EXPECT_EQ(mm_pin_table(&dom, l2, 2), 0);
	EXPECT_EQ(st(l1), ST(1, PGT_l1, 1));
	EXPECT_EQ(st(l3), ST(1, PGT_none, 0));
	EXPECT_EQ(mm_unpin_table(&dom, l2), 0);
	EXPECT_EQ(st(l1), ST(0, PGT_none, 0));
	EXPECT_EQ(st(l3), ST(0, PGT_none, 0));
	EXPECT_EQ(mm_pin_table(&dom, l1, 5), -EINVAL);
	EXPECT_EQ(mm_pin_table(&dom, l1, 0), -EINVAL);
	teardown_clean();
}

static void t_linear_and_confusion(void)
{
	mfn_t l1, l2, l2b, l3, l3b, l4, l4b, w[4];

	setup();
	l1 = page(&dom);
	l2 = page(&dom);
	l2b = page(&dom);
	l3 = page(&dom);
	l3b = page(&dom);
	l4 = page(&dom);
	l4b = page(&dom);
	tab(l2)[0] = pte(l1, P | RW);
	EXPECT_EQ(mm_pin_table(&dom, l2, 2), 0);
	w[0] = l1;
	w[1] = l2;
	/* Self references at each level, read-only or not. */
	tab(l2b)[3] = pte(l2b, P);
	expect_refused(l2b, 2, -EINVAL, w, 2);
	tab(l3b)[3] = pte(l3b, P | RW);
	expect_refused(l3b, 3, -EINVAL, w, 2);
	tab(l4b)[3] = pte(l4b, P);
	expect_refused(l4b, 4, -EINVAL, w, 2);
	/* Same-level links to another live table. */
	tab(l2b)[3] = pte(l2, P);
	expect_refused(l2b, 2, -EINVAL, w, 2);
	tab(l3)[0] = pte(l2, P | RW);
	EXPECT_EQ(mm_pin_table(&dom, l3, 3), 0);
	w[2] = l3;
	tab(l3b)[3] = pte(l3, P);
	expect_refused(l3b, 3, -EINVAL, w, 3);
	tab(l4)[0] = pte(l3, P | RW);
	EXPECT_EQ(mm_pin_table(&dom, l4, 4), 0);
	w[3] = l4;
	tab(l4b)[3] = pte(l4, P);
	expect_refused(l4b, 4, -EINVAL, w, 4);
	/* Type confusion: the live L2 used as an L1 (by an L2 entry, and by a pin). */
	tab(l2b)[3] = 0;
	tab(l2b)[4] = pte(l1, P);
	tab(l2b)[5] = pte(l2, P);
	expect_refused(l2b, 2, -EINVAL, w, 4);
	EXPECT_EQ(get_page_and_type(l2, &dom, PGT_l1), -EINVAL);
	EXPECT_EQ(get_page_and_type(l1, &dom, PGT_l3), -EINVAL);
	/* An L3 entry naming an L1 (level skipping). */
	tab(l3b)[3] = pte(l1, P);
	expect_refused(l3b, 3, -EINVAL, w, 4);
	EXPECT_EQ(st(l1), ST(1, PGT_l1, 1));
	EXPECT_EQ(st(l2), ST(2, PGT_l2, 2));
	EXPECT_EQ(st(l3), ST(2, PGT_l3, 2));
	EXPECT_EQ(st(l4), ST(1, PGT_l4, 1));
	EXPECT_EQ(mm_unpin_table(&dom, l2), 0);
	EXPECT_EQ(mm_unpin_table(&dom, l3), 0);
	/* Still held through the L4. */
	EXPECT_EQ(st(l2), ST(1, PGT_l2, 1));
	EXPECT_EQ(st(l3), ST(1, PGT_l3, 1));
	EXPECT_EQ(mm_unpin_table(&dom, l4), 0);
	EXPECT_EQ(st(l1), ST(0, PGT_none, 0));
	EXPECT_EQ(st(l2), ST(0, PGT_none, 0));
	teardown_clean();
}

/* A full 4-level tree: l4[0] -> l3 -> l2[0..n) -> l1 each -> data pages. */
#define NL2 8

static void t_hierarchy_and_hypervisor_slots(void)
{
	mfn_t l4, l3, l2, l1[NL2], data[NL2];
	uint64_t free_before_pin;

	setup();
	l4 = page(&dom);
	l3 = page(&dom);
	l2 = page(&dom);
	tab(l4)[0] = pte(l3, P | RW);
	tab(l4)[300] = pte(l3, P);	/* two references to one L3 */
	tab(l4)[260] = pte(l2, P | RW); /* guest junk in the hole: ignored, overwritten */
	tab(l3)[0] = pte(l2, P | RW);
	for (int i = 0; i < NL2; i++) {
		l1[i] = page(&dom);
		data[i] = page(&dom);
		tab(l2)[i] = pte(l1[i], P | RW);
		tab(l1[i])[0] = pte(data[i], P | RW);
		tab(l1[i])[1] = pte(data[i], P);
	}
	free_before_pin = frame_free_count();
	EXPECT_EQ(mm_pin_table(&dom, l4, 4), 0);
	EXPECT_EQ(frame_free_count(), free_before_pin);
	EXPECT_EQ(st(l4), ST(1, PGT_l4, 1));
	EXPECT_EQ(st(l3), ST(2, PGT_l3, 2));
	EXPECT_EQ(st(l2), ST(1, PGT_l2, 1));
	for (int i = 0; i < NL2; i++) {
		EXPECT_EQ(st(l1[i]), ST(1, PGT_l1, 1));
		EXPECT_EQ(st(data[i]), ST(2, PGT_writable, 1));
	}
	for (int i = 257; i <= 271; i++) {
		EXPECT_EQ(tab(l4)[i], hv_l4[i]);
	}
	/* The M2P slot: present, user-readable, never writable, at every level. */
	{
		uint64_t e4 = tab(l4)[256];
		mfn_t l3m = paddr_to_mfn(e4 & MM_PTE_ADDR);
		uint64_t e3 = tab(l3m)[0];
		uint64_t e2 = tab(paddr_to_mfn(e3 & MM_PTE_ADDR))[0];
		uint64_t e1 = tab(paddr_to_mfn(e2 & MM_PTE_ADDR))[0];

		EXPECT_EQ(e4 & (P | RW | US), P | US);
		EXPECT_EQ(e3 & (P | RW | US), P | US);
		EXPECT_EQ(e2 & (P | RW | US), P | US);
		EXPECT_EQ(e1 & (P | RW | US), P | US);
		EXPECT_EQ(pg(l3m)->owner, DOMID_XEN);
		m2p_set(data[3], 0x77);
		EXPECT_EQ(
		    ((uint64_t *)arch_mfn_to_virt(paddr_to_mfn(e1 & MM_PTE_ADDR)))[mfn_x(data[3])],
		    0x77);
	}
	/* The hypervisor slots cannot be written. */
	for (int i = 256; i <= 271; i++) {
		EXPECT_EQ(mm_update_entry(&dom, &dom, l4, i, 0, false), -EINVAL);
	}
	EXPECT_EQ(mm_update_entry(&dom, &dom, l4, 256, pte(l3, P | RW), false), -EINVAL);
	EXPECT_EQ(tab(l4)[257], hv_l4[257]);
	EXPECT_EQ(st(l3), ST(2, PGT_l3, 2));
	/* Dropping the last reference takes the whole tree down. */
	EXPECT_EQ(mm_unpin_table(&dom, l4), 0);
	EXPECT_EQ(st(l4), ST(0, PGT_none, 0));
	EXPECT_EQ(st(l3), ST(0, PGT_none, 0));
	EXPECT_EQ(st(l2), ST(0, PGT_none, 0));
	for (int i = 0; i < NL2; i++) {
		EXPECT_EQ(st(l1[i]), ST(0, PGT_none, 0));
		EXPECT_EQ(st(data[i]), ST(0, PGT_none, 0));
	}
	teardown_clean();
}

static void t_update_entry(void)
{
	mfn_t l1, l2, x, y, z;

	setup();
	l1 = page(&dom);
	l2 = page(&dom);
	x = page(&dom);
	y = page(&dom);
	z = page(&dom);
	tab(l2)[0] = pte(l1, P | RW);
	EXPECT_EQ(mm_pin_table(&dom, l2, 2), 0);
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 7, pte(x, P | RW), false), 0);
	EXPECT_EQ(st(x), ST(1, PGT_writable, 1));
	EXPECT_EQ(tab(l1)[7], pte(x, P | RW | US));
	/* Replace: references move from x to y. */
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 7, pte(y, P), false), 0);
	EXPECT_EQ(st(x), ST(0, PGT_none, 0));
	EXPECT_EQ(st(y), ST(1, PGT_none, 0));
	/* Refused updates leave the old entry and every count as they were. */
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 7, pte(l2, P | RW), false), -EINVAL);
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 7, pte(l1, P | RW), false), -EINVAL);
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 7, pte(_mfn(0), P), false), -EPERM);
	EXPECT_EQ(tab(l1)[7], pte(y, P | US));
	EXPECT_EQ(st(y), ST(1, PGT_none, 0));
	EXPECT_EQ(st(l1), ST(1, PGT_l1, 1));
	EXPECT_EQ(st(l2), ST(1, PGT_l2, 1));
	/* Hardware-set A/D bits survive a preserving update. */
	tab(l1)[7] |= MM_PTE_A | MM_PTE_D;
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 7, pte(y, P), true), 0);
	EXPECT_EQ(tab(l1)[7], pte(y, P | US | MM_PTE_A | MM_PTE_D));
	EXPECT_EQ(st(y), ST(1, PGT_none, 0));
	/* L2 updates: a new L1 is validated on the spot, the old one released. */
	tab(z)[0] = pte(x, P | RW);
	EXPECT_EQ(mm_update_entry(&dom, &dom, l2, 1, pte(z, P | RW), false), 0);
	EXPECT_EQ(st(z), ST(1, PGT_l1, 1));
	EXPECT_EQ(st(x), ST(1, PGT_writable, 1));
	EXPECT_EQ(mm_update_entry(&dom, &dom, l2, 1, pte(l2, P), false), -EINVAL);
	EXPECT_EQ(mm_update_entry(&dom, &dom, l2, 1, pte(z, P | RW | MM_PTE_PSE), false), -EINVAL);
	EXPECT_EQ(st(z), ST(1, PGT_l1, 1));
	EXPECT_EQ(mm_update_entry(&dom, &dom, l2, 1, 0, false), 0);
	EXPECT_EQ(st(z), ST(0, PGT_none, 0));
	EXPECT_EQ(st(x), ST(0, PGT_none, 0));
	/* A frame that is no page table takes an ordinary checked write... */
	EXPECT_EQ(mm_update_entry(&dom, &dom, x, 3, 0xabcd, false), 0);
	EXPECT_EQ(tab(x)[3], 0xabcd);
	EXPECT_EQ(st(x), ST(0, PGT_none, 0));
	/* ... but not a descriptor page, nor anything beyond 512 entries. */
	EXPECT_EQ(get_page_and_type(x, &dom, PGT_seg_desc), 0);
	EXPECT_EQ(mm_update_entry(&dom, &dom, x, 3, 0, false), -EINVAL);
	EXPECT_EQ(tab(x)[3], 0xabcd);
	put_page_and_type(x);
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 512, 0, false), -EINVAL);
	EXPECT_EQ(mm_unpin_table(&dom, l2), 0);
	teardown_clean();
}

static void t_stale_tlb_flush(void)
{
	mfn_t l1, x;
	uint64_t n;

	setup();
	l1 = page(&dom);
	x = page(&dom);
	tab(l1)[0] = pte(x, P | RW);
	EXPECT_EQ(mm_pin_table(&dom, l1, 1), 0);
	EXPECT_EQ(mm_update_entry(&dom, &dom, l1, 0, 0, false), 0);
	n = nr_flushes;
	/* x was writable a moment ago: the CPU may still cache that. */
	EXPECT_EQ(mm_pin_table(&dom, x, 1), 0);
	EXPECT_EQ(nr_flushes, n + 1);
	EXPECT_EQ(mm_unpin_table(&dom, x), 0);
	EXPECT_EQ(mm_unpin_table(&dom, l1), 0);
	teardown_clean();
}

static void t_teardown(void)
{
	mfn_t l4, l3, l2, l1, data, seg, spare;
	uint64_t forced;

	setup();
	l4 = page(&dom);
	l3 = page(&dom);
	l2 = page(&dom);
	l1 = page(&dom);
	data = page(&dom);
	seg = page(&dom);
	spare = page(&dom);
	for (int i = 0; i < 100; i++) {
		page(&dom);
	}
	EXPECT_EQ(dom.tot_pages, 107);
	m2p_set(data, 5);
	tab(l4)[511] = pte(l3, P | RW);
	tab(l3)[510] = pte(l2, P | RW);
	tab(l2)[0] = pte(l1, P | RW);
	tab(l1)[0] = pte(data, P | RW);
	EXPECT_EQ(mm_pin_table(&dom, l4, 4), 0);
	EXPECT_EQ(mm_pin_table(&dom, l2, 2), 0);
	EXPECT_EQ(mm_pin_table(&dom, l1, 1), 0);
	/* The base pointer, as mm_new_guest_baseptr would hold it. */
	EXPECT_EQ(get_page_and_type(l4, &dom, PGT_l4), 0);
	vcpu0.arch.guest_table = l4;
	/* A reference held from outside (a set_gdt page never released). */
	EXPECT_EQ(get_page_and_type(seg, &dom, PGT_seg_desc), 0);
	EXPECT_EQ(st(l4), ST(2, PGT_l4, 2));
	EXPECT_EQ(st(l1), ST(2, PGT_l1, 2));
	forced = mm_forced_refs();
	nr_flushes = 0;
	mm_domain_teardown(&dom);
	EXPECT_EQ(mm_count_owned(1), 0);
	EXPECT_EQ(frame_free_count(), free_at_start);
	EXPECT_EQ(mm_forced_refs(), forced + 2); /* exactly seg's type and general reference */
	EXPECT(mfn_eq(vcpu0.arch.guest_table, INVALID_MFN));
	EXPECT_EQ(dom.tot_pages, 0);
	EXPECT_EQ(dom.mm.nr_pinned, 0);
	EXPECT_EQ(m2p_get(data), M2P_INVALID);
	EXPECT(nr_flushes >= 1);
	EXPECT_EQ(pg(spare)->owner, DOMID_INVALID);
	EXPECT_EQ(frame_error_count(), 0);
}

/*
 * A frame of a dying domain that another domain's L1 still maps (a foreign
 * mapping) is neither freed nor forced: it becomes an orphan that nobody
 * may map anew, keeps its contents, and is freed only once the last
 * mapping is gone and mm_orphans_reap runs.
 */
static void t_teardown_foreign(void)
{
	mfn_t ol1, shared, ro, mine;
	uint64_t forced, free_before, live, freed0, freed;

	setup();
	ol1 = page(&other);
	shared = page(&dom);
	ro = page(&dom);
	mine = page(&dom);
	memset(arch_mfn_to_virt(shared), 0x5a, PAGE_SIZE);
	EXPECT_EQ(mm_pin_table(&other, ol1, 1), 0);
	EXPECT_EQ(mm_update_entry(&other, &dom, ol1, 0, pte(shared, P | RW), false), 0);
	EXPECT_EQ(mm_update_entry(&other, &dom, ol1, 1, pte(ro, P), false), 0);
	EXPECT_EQ(mm_update_entry(&other, &dom, ol1, 2, pte(shared, P), false), 0);
	EXPECT_EQ(st(shared), ST(2, PGT_writable, 1));
	mm_orphan_counts(&live, &freed0);
	EXPECT_EQ(live, 0);
	forced = mm_forced_refs();
	free_before = frame_free_count();
	mm_domain_teardown(&dom);
	EXPECT_EQ(mm_forced_refs(), forced); /* foreign references are legitimate */
	EXPECT_EQ(mm_count_owned(1), 0);
	EXPECT_EQ(pg(shared)->owner, DOMID_ORPHAN);
	EXPECT_EQ(pg(ro)->owner, DOMID_ORPHAN);
	EXPECT_EQ(pg(mine)->owner, DOMID_INVALID);
	EXPECT_EQ(st(shared), ST(2, PGT_writable, 1));
	EXPECT_EQ(st(ro), ST(1, PGT_none, 0));
	EXPECT_EQ(frame_free_count(), free_before + 1); /* only mine */
	EXPECT_EQ(((uint8_t *)arch_mfn_to_virt(shared))[100], 0x5a);
	mm_orphan_counts(&live, &freed);
	EXPECT_EQ(live, 2);
	/* Nobody maps an orphan anew, not even the domain that still does. */
	EXPECT_EQ(mm_update_entry(&other, &dom, ol1, 3, pte(shared, P), false), -EPERM);
	EXPECT_EQ(mm_update_entry(&other, &other, ol1, 3, pte(shared, P), false), -EPERM);
	EXPECT_EQ(st(shared), ST(2, PGT_writable, 1));
	/* One of two mappings gone: still held. */
	EXPECT_EQ(mm_update_entry(&other, &other, ol1, 0, 0, false), 0);
	EXPECT(!mm_orphans_pending());
	EXPECT_EQ(st(shared), ST(1, PGT_none, 0));
	/* The last one: queued, freed only by the reap (after the caller's flush). */
	EXPECT_EQ(mm_update_entry(&other, &other, ol1, 2, 0, false), 0);
	EXPECT(mm_orphans_pending());
	EXPECT_EQ(frame_free_count(), free_before + 1);
	mm_orphans_reap();
	EXPECT(!mm_orphans_pending());
	EXPECT_EQ(frame_free_count(), free_before + 2);
	EXPECT_EQ(pg(shared)->owner, DOMID_INVALID);
	/* The mapping domain dies holding the other orphan: freed with it. */
	mm_domain_teardown(&other);
	mm_orphans_reap();
	mm_orphan_counts(&live, &freed);
	EXPECT_EQ(live, 0);
	EXPECT_EQ(freed, freed0 + 2);
	EXPECT_EQ(pg(ro)->owner, DOMID_INVALID);
	EXPECT_EQ(frame_free_count(), free_at_start);
	EXPECT_EQ(frame_error_count(), 0);
}

/* Many tables under many tables: teardown of a big tree by the work list. */
static void t_teardown_big(void)
{
	mfn_t l4, l3, l2;
	uint64_t forced;

	setup();
	l4 = page(&dom);
	for (int a = 0; a < 4; a++) {
		l3 = page(&dom);
		tab(l4)[a] = pte(l3, P | RW);
		for (int b = 0; b < 4; b++) {
			l2 = page(&dom);
			tab(l3)[b] = pte(l2, P | RW);
			for (int c = 0; c < 16; c++) {
				mfn_t l1 = page(&dom);

				tab(l2)[c] = pte(l1, P | RW);
				for (int e = 0; e < 512; e += 64) {
					tab(l1)[e] = pte(l1, P); /* read-only self maps are fine */
				}
				tab(l1)[1] = pte(l4, P);
			}
		}
	}
	EXPECT_EQ(mm_pin_table(&dom, l4, 4), 0);
	EXPECT_EQ(pg(l4)->count, 1 + 4 * 4 * 16);
	forced = mm_forced_refs();
	mm_domain_teardown(&dom);
	EXPECT_EQ(mm_forced_refs(), forced);
	EXPECT_EQ(mm_count_owned(1), 0);
	EXPECT_EQ(frame_free_count(), free_at_start);
}

static void t_m2p(void)
{
	mfn_t a;

	setup();
	EXPECT_EQ(m2p_nr_entries(), max_mfn);
	a = page(&dom);
	EXPECT_EQ(m2p_get(a), M2P_INVALID);
	m2p_set(a, 42);
	EXPECT_EQ(m2p_get(a), 42);
	m2p_set(_mfn(max_mfn), 1); /* ignored */
	EXPECT_EQ(m2p_get(_mfn(max_mfn)), M2P_INVALID);
	EXPECT_EQ(m2p_get(_mfn(~0ULL)), M2P_INVALID);
	/* Allocation stops at max_pages. */
	dom.max_pages = dom.tot_pages;
	EXPECT(mfn_eq(mm_alloc_domain_frame(&dom), INVALID_MFN));
	teardown_clean();
}

/*
 * Random operations on a small pool of frames, and after each one the
 * counts of every frame recomputed from scratch: general references =
 * pins + base pointer + present entries of validated tables naming it;
 * type references = pins + base pointer + next-level entries naming it
 * + writable L1 entries naming it. A frame typed as a table is
 * validated; writable and table types never meet.
 */
#define POOL 24

static mfn_t pool[POOL], foreign;
static uint64_t seen_level[5];
static mfn_t base = {~0ULL};
static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(uint64_t n)
{
	return hvt_xorshift(&rng) % n;
}

static int pool_index(mfn_t m)
{
	for (int i = 0; i < POOL; i++) {
		if (mfn_eq(pool[i], m)) {
			return i;
		}
	}
	return -1;
}

static bool check_model(void)
{
	uint64_t cnt[POOL] = {0}, tc[POOL] = {0};
	bool ok = true;

	for (int i = 0; i < POOL; i++) {
		struct page_info *p = pg(pool[i]);
		unsigned level = p->type - PGT_l1 + 1;

		if (p->flags & PGF_pinned) {
			cnt[i]++;
			tc[i]++;
		}
		if (mfn_eq(pool[i], base)) {
			cnt[i]++;
			tc[i]++;
		}
		if (!(p->flags & PGF_validated)) {
			continue;
		}
		for (unsigned e = 0; e < 512; e++) {
			uint64_t v = tab(pool[i])[e];
			int t;

			if (level == 4 && e >= 256 && e <= 271) {
				continue;
			}
			if (!(v & P)) {
				continue;
			}
			t = pool_index(paddr_to_mfn(v & MM_PTE_ADDR));
			if (t < 0) {
				hvt_fail(__FILE__, __LINE__,
					 "validated entry names a foreign frame");
				return false;
			}
			cnt[t]++;
			if (level > 1 || (v & RW)) {
				tc[t]++;
			}
		}
	}
	for (int i = 0; i < POOL; i++) {
		struct page_info *p = pg(pool[i]);

		if (p->count != cnt[i] || p->type_count != tc[i]) {
			hvt_fail(__FILE__, __LINE__,
				 "frame %d: count %u/%llu type_count %u/%llu type %u", i, p->count,
				 (unsigned long long)cnt[i], p->type_count,
				 (unsigned long long)tc[i], p->type);
			ok = false;
		}
		if (p->type_count && p->type >= PGT_l1 && p->type <= PGT_l4 &&
		    !(p->flags & PGF_validated)) {
			hvt_fail(__FILE__, __LINE__, "frame %d typed as a table, not validated", i);
			ok = false;
		}
		if (!p->type_count && p->type != PGT_none) {
			hvt_fail(__FILE__, __LINE__, "frame %d keeps a type without references", i);
			ok = false;
		}
	}
	return ok;
}

static uint64_t random_entry(void)
{
	static const uint64_t flags[] = {
	    P, P | RW, P | US, P | RW | MM_PTE_PSE, P | MM_PTE_G, P | RW | MM_PTE_A | MM_PTE_D, 0};
	mfn_t m = rnd(16) ? pool[rnd(POOL)] : (rnd(2) ? _mfn(0) : foreign);

	return pte(m, flags[rnd(sizeof(flags) / sizeof(flags[0]))]);
}

static void t_random_model(void)
{
	unsigned errors_seen = 0;
	int steps = 20000;

	setup();
	base = INVALID_MFN;
	for (int i = 0; i < POOL; i++) {
		pool[i] = page(&dom);
	}
	foreign = page(&other);
	memset(seen_level, 0, sizeof(seen_level));
	for (int step = 0; step < steps && errors_seen == 0; step++) {
		int i = (int)rnd(POOL);
		struct page_info *p = pg(pool[i]);
		unsigned idx = rnd(8) ? (unsigned)rnd(4) : 256 + (unsigned)rnd(16);

		switch (rnd(6)) {
		case 0: /* a guest store into a frame that is no table */
			if (!p->type_count || p->type == PGT_writable) {
				tab(pool[i])[idx & 3] = random_entry();
			}
			break;
		case 1:
			(void)mm_update_entry(&dom, rnd(4) ? &dom : &other, pool[i], idx,
					      random_entry(), rnd(2));
			break;
		case 2:
			(void)mm_pin_table(&dom, pool[i], 1 + (unsigned)rnd(4));
			break;
		case 3:
			(void)mm_unpin_table(&dom, pool[i]);
			break;
		case 4: /* a base pointer switch */
			if (get_page_and_type(pool[i], &dom, PGT_l4) == 0) {
				if (!mfn_eq(base, INVALID_MFN)) {
					put_page_and_type(base);
				}
				base = pool[i];
			}
			break;
		default:
			(void)mm_update_entry(&dom, &dom, pool[i], (unsigned)rnd(4), 0, false);
			break;
		}
		if (!check_model()) {
			errors_seen++;
			hvt_fail(__FILE__, __LINE__, "model broken at step %d", step);
		}
		for (int k = 0; k < POOL; k++) {
			struct page_info *q = pg(pool[k]);

			if (q->flags & PGF_validated) {
				seen_level[q->type - PGT_l1 + 1]++;
			}
		}
	}
	/* Something must have happened: tables of every level were built. */
	for (int l = 1; l <= 4; l++) {
		EXPECT(seen_level[l] > 100);
	}
	vcpu0.arch.guest_table = base;
	mm_domain_teardown(&other);
	teardown_clean();
}

static const struct hvt_case cases[] = {
    {"mm: get_page/put_page ownership, range and overflow", t_get_put_page},
    {"mm: L1 validation takes exact references; user bit added, global dropped", t_l1_refs},
    {"mm: no writable mapping of page tables or descriptor pages", t_writable_page_tables},
    {"mm: foreign, hypervisor, M2P and out-of-range frames refused",
     t_foreign_and_hypervisor_frames},
    {"mm: superpages, reserved and cache bits in non-leaf entries refused", t_bits},
    {"mm: linear page tables and type confusion refused", t_linear_and_confusion},
    {"mm: 4-level tree validated and released; hypervisor L4 slots and M2P",
     t_hierarchy_and_hypervisor_slots},
    {"mm: entry updates move references; refusals change nothing", t_update_entry},
    {"mm: TLB flushed before a once-writable frame becomes a table", t_stale_tlb_flush},
    {"mm: teardown frees every frame, counts forced references", t_teardown},
    {"mm: teardown of a wide tree", t_teardown_big},
    {"mm: a frame still mapped by another domain outlives its owner, then is freed",
     t_teardown_foreign},
    {"mm: M2P entries and the reservation limit", t_m2p},
    {"mm: 20000 random operations keep every count equal to a recount", t_random_model},
};

const struct hvt_group group_mm = HVT_GROUP("mm", cases);
