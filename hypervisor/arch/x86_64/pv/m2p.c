/*
 * The machine-to-phys table and the hypervisor's slots of guest L4s.
 *
 * The table is one contiguous run of hypervisor frames (8 bytes per
 * machine frame below max_mfn). The hypervisor reads and writes it through
 * the direct map; guests see the same frames read-only and user-readable
 * at MACH2PHYS_VIRT_START (L4 slot 256), through page tables that belong
 * to DOMID_XEN and therefore can never be named by a guest entry.
 */
#include <arch/mm.h>
#include <asm/layout.h>
#include <asm/pv_mm.h>
#include <console.h>
#include <frame.h>
#include <lib.h>
#include <public/errno.h>

#define ENTRIES 512
/* Upper-level entries of the guest-visible M2P mapping: present, user, read-only. */
#define M2P_TABLE_FLAGS (MM_PTE_P | MM_PTE_US)
#define M2P_LEAF_FLAGS (MM_PTE_P | MM_PTE_US | MM_PTE_NX)

static const uint64_t *hv_l4;
static uint64_t *m2p;
static uint64_t m2p_entries;
static mfn_t m2p_l3 = INVALID_MFN;

static mfn_t alloc_zeroed_table(void)
{
	mfn_t mfn = frame_alloc(DOMID_XEN);

	if (!mfn_eq(mfn, INVALID_MFN)) {
		memset(arch_mfn_to_virt(mfn), 0, PAGE_SIZE);
	}
	return mfn;
}

/* Map the table's frames (first .. first+nr) read-only at RO_MPT_VIRT_START. */
static int build_guest_mapping(mfn_t first, uint64_t nr)
{
	uint64_t *l3, *l2 = NULL, *l1 = NULL;
	mfn_t t;

	m2p_l3 = alloc_zeroed_table();
	if (mfn_eq(m2p_l3, INVALID_MFN)) {
		return -ENOMEM;
	}
	l3 = arch_mfn_to_virt(m2p_l3);
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t va = i << PAGE_SHIFT; /* offset into the region */
		unsigned i3 = (va >> 30) & 511, i2 = (va >> 21) & 511, i1 = (va >> 12) & 511;

		if (!(l3[i3] & MM_PTE_P)) {
			t = alloc_zeroed_table();
			if (mfn_eq(t, INVALID_MFN)) {
				return -ENOMEM;
			}
			l3[i3] = mfn_to_paddr(t) | M2P_TABLE_FLAGS;
		}
		l2 = arch_mfn_to_virt(paddr_to_mfn(l3[i3] & MM_PTE_ADDR));
		if (!(l2[i2] & MM_PTE_P)) {
			t = alloc_zeroed_table();
			if (mfn_eq(t, INVALID_MFN)) {
				return -ENOMEM;
			}
			l2[i2] = mfn_to_paddr(t) | M2P_TABLE_FLAGS;
		}
		l1 = arch_mfn_to_virt(paddr_to_mfn(l2[i2] & MM_PTE_ADDR));
		l1[i1] = mfn_to_paddr(_mfn(mfn_x(first) + i)) | M2P_LEAF_FLAGS;
	}
	return 0;
}

int mm_init(const uint64_t *l4)
{
	uint64_t frames, order = 0;
	mfn_t first;

	hv_l4 = l4;
	m2p_entries = max_mfn;
	frames = (m2p_entries * sizeof(uint64_t) + PAGE_SIZE - 1) / PAGE_SIZE;
	if (frames == 0 || m2p_entries > (RO_MPT_VIRT_END - RO_MPT_VIRT_START) / 8) {
		return -ENOMEM;
	}
	while ((1ULL << order) < frames) {
		order++;
	}
	first = frame_alloc_contig((unsigned)order, DOMID_XEN);
	if (mfn_eq(first, INVALID_MFN)) {
		return -ENOMEM;
	}
	/* Only the frames the table needs stay allocated. */
	for (uint64_t i = frames; i < (1ULL << order); i++) {
		frame_free(_mfn(mfn_x(first) + i));
	}
	m2p = arch_mfn_to_virt(first);
	for (uint64_t i = 0; i < frames * (PAGE_SIZE / 8); i++) {
		m2p[i] = M2P_INVALID;
	}
	if (build_guest_mapping(first, frames)) {
		pr_err("mm: no memory for the M2P mapping\n");
		return -ENOMEM;
	}
	pr_info("mm: M2P table of %llu entries in %llu frames at mfn %llx\n",
		(unsigned long long)m2p_entries, (unsigned long long)frames,
		(unsigned long long)mfn_x(first));
	return 0;
}

void mm_l4_install_hypervisor_slots(void *l4)
{
	uint64_t *t = l4;

	for (unsigned i = MM_HV_L4_FIRST; i <= MM_HV_L4_LAST; i++) {
		t[i] = hv_l4 ? hv_l4[i] : 0;
	}
	/* The hypervisor's entries lack the user bit, so ring 3 cannot use them; the M2P slot has
	 * it. */
	t[MM_M2P_L4_SLOT] =
	    mfn_eq(m2p_l3, INVALID_MFN) ? 0 : mfn_to_paddr(m2p_l3) | M2P_TABLE_FLAGS;
}

void m2p_set(mfn_t mfn, uint64_t pfn)
{
	if (m2p && mfn_x(mfn) < m2p_entries) {
		m2p[mfn_x(mfn)] = pfn;
	}
}

uint64_t m2p_get(mfn_t mfn)
{
	if (!m2p || mfn_x(mfn) >= m2p_entries) {
		return M2P_INVALID;
	}
	return m2p[mfn_x(mfn)];
}

uint64_t m2p_nr_entries(void)
{
	return m2p_entries;
}
