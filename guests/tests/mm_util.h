/*
 * Helpers of the mm_* test guests: finding their way around their own
 * page tables as a PV kernel does. Pseudo-physical page p is mapped at
 * GUEST_VIRT_BASE + p * 4096 (PADDR_OFFSET 0); start_info.mfn_list turns a
 * pfn into a machine frame, the read-only M2P table turns it back; the
 * bootstrap page tables are readable in the bootstrap region.
 *
 * Scratch frames are pages of the domain that the bootstrap tables do not
 * map (the top of its memory); they are written through a "window": the
 * last mapped page of the bootstrap region, which the ABI leaves free (at
 * least 512 KiB of padding), temporarily remapped with update_va_mapping.
 */
#ifndef GUEST_MM_UTIL_H
#define GUEST_MM_UTIL_H

#include <public/errno.h>

#include "guest.h"
#include "layout.h"

#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_US 0x4ULL
#define PTE_A 0x20ULL
#define PTE_D 0x40ULL
#define PTE_PSE 0x80ULL
#define PTE_ADDR 0x000ffffffffff000ULL
#define PAGE 4096ULL

static const uint64_t *const m2p = (const uint64_t *)MACH2PHYS_VIRT_START;
static uint64_t window_va, window_pte;

static inline uint64_t pfn_to_mfn(uint64_t pfn)
{
	return ((const uint64_t *)start_info->mfn_list)[pfn];
}

static inline uint64_t mfn_to_va(uint64_t mfn)
{
	return GUEST_VIRT_BASE + m2p[mfn] * PAGE;
}

static inline uint64_t va_to_mfn(uint64_t va)
{
	return pfn_to_mfn((va - GUEST_VIRT_BASE) / PAGE);
}

static inline unsigned pt_index(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

/* The machine frame of the current L4 (CR3 as the guest sees it: pt_base). */
static inline uint64_t l4_mfn(void)
{
	return va_to_mfn(start_info->pt_base);
}

/*
 * The mfn of the table of @level (4..1) on the way to va, or 0 if an upper
 * entry is not present. level 4 is the L4 itself.
 */
static inline uint64_t table_mfn(uint64_t va, unsigned level)
{
	uint64_t mfn = l4_mfn();

	for (unsigned l = 4; l > level; l--) {
		uint64_t e = ((const uint64_t *)mfn_to_va(mfn))[pt_index(va, l)];

		if (!(e & PTE_P)) {
			return 0;
		}
		mfn = (e & PTE_ADDR) >> 12;
	}
	return mfn;
}

static inline uint64_t *table_va(uint64_t mfn)
{
	return (uint64_t *)mfn_to_va(mfn);
}

/* Machine address of the L1 entry of va (0 if its L1 is missing). */
static inline uint64_t l1e_maddr(uint64_t va)
{
	uint64_t l1 = table_mfn(va, 1);

	return l1 ? (l1 << 12) + pt_index(va, 1) * 8 : 0;
}

static inline bool va_mapped(uint64_t va)
{
	uint64_t l1 = table_mfn(va, 1);

	return l1 && (table_va(l1)[pt_index(va, 1)] & PTE_P);
}

static inline uint64_t l1e_of(uint64_t va)
{
	uint64_t l1 = table_mfn(va, 1);

	return l1 ? table_va(l1)[pt_index(va, 1)] : 0;
}

/* Finds the window page; false if the bootstrap region looks wrong. */
static inline bool mm_util_init(void)
{
	uint64_t va = GUEST_VIRT_BASE;

	while (va_mapped(va + PAGE) && va + PAGE < GUEST_VIRT_BASE + start_info->nr_pages * PAGE) {
		va += PAGE;
	}
	window_va = va;
	window_pte = l1e_of(va);
	gprintf("mm: window page at 0x%llx (pte 0x%llx), %llu pages, L4 mfn 0x%llx\n",
		(unsigned long long)window_va, (unsigned long long)window_pte,
		(unsigned long long)start_info->nr_pages, (unsigned long long)l4_mfn());
	return window_va > start_info->pt_base && (window_pte & PTE_P);
}

/* The i-th scratch frame (from the top of memory), never mapped by the bootstrap tables. */
static inline uint64_t scratch_mfn(unsigned i)
{
	uint64_t pfn = start_info->nr_pages - 1 - i;

	if (va_mapped(GUEST_VIRT_BASE + pfn * PAGE)) {
		test_report(TEST_ERROR, "scratch pfn 0x%llx is mapped", (unsigned long long)pfn);
	}
	return pfn_to_mfn(pfn);
}

/* A present, writable, accessed and dirty mapping of mfn. */
static inline uint64_t pte_rw(uint64_t mfn)
{
	return (mfn << 12) | PTE_P | PTE_RW | PTE_A | PTE_D;
}

/* Equal but for the user bit, which the hypervisor adds (guest kernels run in ring 3). */
static inline bool pte_same(uint64_t a, uint64_t b)
{
	return (a & ~PTE_US) == (b & ~PTE_US);
}

static inline long map_window(uint64_t pte)
{
	return hypercall_update_va_mapping(window_va, pte, UVMF_INVLPG);
}

static inline void restore_window(void)
{
	long rc = map_window(window_pte);

	if (rc) {
		test_report(TEST_ERROR, "window restore failed (%ld)", rc);
	}
}

/* Maps mfn writable at the window; the caller restores it. */
static inline uint64_t *open_frame(uint64_t mfn)
{
	long rc = map_window(pte_rw(mfn));

	if (rc) {
		test_report(TEST_ERROR, "cannot map scratch mfn 0x%llx (%ld)",
			    (unsigned long long)mfn, rc);
	}
	return (uint64_t *)window_va;
}

static inline void zero_frame(uint64_t mfn)
{
	uint64_t *p = open_frame(mfn);

	for (int i = 0; i < 512; i++) {
		p[i] = 0;
	}
	restore_window();
}

static inline long mmu_one(uint64_t ptr, uint64_t val)
{
	struct mmu_update u = {.ptr = ptr, .val = val};

	return hypercall_mmu_update(&u, 1, NULL, DOMID_SELF);
}

static inline long mmuext_one(unsigned cmd, uint64_t arg1, uint64_t arg2)
{
	struct mmuext_op op = {.cmd = cmd};

	op.arg1.mfn = arg1;
	op.arg2.vcpumask = arg2;
	return hypercall_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

/* The window's L1 entry, where the guest can read it (L1 tables are mapped read-only). */
static inline volatile uint64_t *window_slot(void)
{
	return &table_va(table_mfn(window_va, 1))[pt_index(window_va, 1)];
}

/* Scratch frame i, with tag written into its first word. */
static inline uint64_t scratch_tagged(unsigned i, uint64_t tag)
{
	uint64_t mfn = scratch_mfn(i);

	open_frame(mfn)[0] = tag;
	restore_window();
	return mfn;
}

/* After a direct write to the window's PTE: drop its stale TLB entry. */
static inline void flush_window(void)
{
	mmuext_one(MMUEXT_INVLPG_LOCAL, window_va, 0);
}

/* The window still maps what it mapped at the start: the guest's state is intact. */
static inline bool window_intact(void)
{
	return (l1e_of(window_va) & PTE_ADDR) == (window_pte & PTE_ADDR);
}

#endif /* GUEST_MM_UTIL_H */
