/*
 * mmu_update and update_va_mapping: good updates (with pdone, batches,
 * A/D preservation, machphys updates, TLB flush flags) and every
 * forbidden mapping refused with the guest still running: writable
 * mappings of its own L1/L2/L3/L4, of the M2P table and other hypervisor
 * frames, of frames it does not own; PSE entries; linear page-table
 * entries; writes to the hypervisor's L4 slots; an L1 used as an L2.
 */
#include "mm_util.h"

/* A refused update must leave the entry as it was. */
static void refused(uint64_t ptr, uint64_t val, long want, const char *what)
{
	uint64_t before = *(volatile uint64_t *)(mfn_to_va(ptr >> 12) + (ptr & 0xff8));
	long rc = mmu_one(ptr, val);

	test_check(rc == want, "%s: refused with %ld (got %ld)", what, want, rc);
	test_check(*(volatile uint64_t *)(mfn_to_va(ptr >> 12) + (ptr & 0xff8)) == before,
		   "%s: the entry is unchanged", what);
}

static void uva_refused(uint64_t val, long want, const char *what)
{
	long rc = hypercall_update_va_mapping(window_va, val, UVMF_INVLPG);

	test_check(rc == want, "update_va_mapping %s: %ld (got %ld)", what, want, rc);
	test_check(window_intact(), "update_va_mapping %s: window unchanged", what);
}

/* A free slot of a table (0 if none): for entries that must be refused. */
static unsigned free_slot(uint64_t mfn, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++) {
		if (!(table_va(mfn)[i] & PTE_P)) {
			return i;
		}
	}
	test_report(TEST_ERROR, "no free slot in table mfn 0x%llx", (unsigned long long)mfn);
}

static void good_updates(void)
{
	uint64_t a = scratch_mfn(0), b = scratch_mfn(1);
	struct mmu_update u[3];
	unsigned int done = 99;
	volatile uint64_t *w = (volatile uint64_t *)window_va;
	uint64_t ptr = l1e_maddr(window_va);
	long rc;

	*open_frame(a) = 0x1111;
	restore_window();
	*open_frame(b) = 0x2222;
	restore_window();

	/* mmu_update of the window's L1 entry: pdone, then read through the new mapping. */
	u[0].ptr = ptr | MMU_NORMAL_PT_UPDATE;
	u[0].val = (a << 12) | PTE_P | PTE_RW;
	rc = hypercall_mmu_update(u, 1, &done, DOMID_SELF);
	test_check(rc == 0 && done == 1, "mmu_update of one entry (rc %ld, done %u)", rc, done);
	mmuext_one(MMUEXT_INVLPG_LOCAL, window_va, 0);
	test_check(*w == 0x1111, "the new mapping shows frame a (0x%llx)", (unsigned long long)*w);

	/* update_va_mapping with INVLPG, then with a full flush. */
	rc = hypercall_update_va_mapping(window_va, (b << 12) | PTE_P | PTE_RW, UVMF_INVLPG);
	test_check(rc == 0 && *w == 0x2222, "update_va_mapping+INVLPG shows b (rc %ld)", rc);
	rc = hypercall_update_va_mapping(window_va, (a << 12) | PTE_P, UVMF_TLB_FLUSH | UVMF_ALL);
	test_check(rc == 0 && *w == 0x1111, "update_va_mapping+TLB_FLUSH shows a (rc %ld)", rc);
	test_check((l1e_of(window_va) & (PTE_P | PTE_RW | PTE_US)) == (PTE_P | PTE_US),
		   "the entry reads back present, read-only, user (0x%llx)",
		   (unsigned long long)l1e_of(window_va));

	/* Batches stop at the first bad request; pdone tells where. */
	u[0].val = (b << 12) | PTE_P | PTE_RW;
	u[1].ptr = ptr | MMU_NORMAL_PT_UPDATE;
	u[1].val = (a << 12) | PTE_P;
	u[2].ptr = ptr | MMU_NORMAL_PT_UPDATE;
	u[2].val = (0ULL << 12) | PTE_P; /* mfn 0: not ours */
	rc = hypercall_mmu_update(u, 3, &done, DOMID_SELF);
	test_check(rc == -XEN_EPERM && done == 2, "batch of 3, last bad: rc %ld, done %u", rc,
		   done);
	mmuext_one(MMUEXT_TLB_FLUSH_LOCAL, 0, 0);
	test_check(*w == 0x1111, "the good part of the batch took effect");
	rc = hypercall_mmu_update(u, 0, &done, DOMID_SELF);
	test_check(rc == 0 && done == 0, "empty batch (rc %ld)", rc);

	/* Accessed/dirty preserved by MMU_PT_UPDATE_PRESERVE_AD. */
	rc = mmu_one(ptr | MMU_NORMAL_PT_UPDATE, (b << 12) | PTE_P | PTE_RW | PTE_A | PTE_D);
	test_check(rc == 0, "set A|D (%ld)", rc);
	rc = mmu_one(ptr | MMU_PT_UPDATE_PRESERVE_AD, (b << 12) | PTE_P | PTE_RW);
	test_check(rc == 0 && (l1e_of(window_va) & (PTE_A | PTE_D)) == (PTE_A | PTE_D),
		   "PRESERVE_AD keeps A and D (rc %ld, pte 0x%llx)", rc,
		   (unsigned long long)l1e_of(window_va));

	/* Bad commands and pointers. */
	rc = mmu_one(ptr | 4, 0);
	test_check(rc == -XEN_ENOSYS, "mmu_update command 4: -ENOSYS (%ld)", rc);
	rc = mmu_one(ptr | 7, 0);
	test_check(rc == -XEN_ENOSYS, "mmu_update command 7: -ENOSYS (%ld)", rc);
	rc = hypercall_mmu_update((const struct mmu_update *)0x10, 1, NULL, DOMID_SELF);
	test_check(rc == -XEN_EFAULT, "mmu_update from a bad pointer: -EFAULT (%ld)", rc);
	rc = hypercall_mmu_update(u, 1, (unsigned int *)0xFFFF800000000000ULL, DOMID_SELF);
	test_check(rc == -XEN_EFAULT, "mmu_update with pdone in the hole: -EFAULT (%ld)", rc);
	rc = hypercall_mmu_update(u, 1, NULL, 77);
	test_check(rc == -XEN_ESRCH, "mmu_update for a missing foreign domain: -ESRCH (%ld)", rc);
	rc = mmu_one((0ULL << 12) | MMU_NORMAL_PT_UPDATE, 0);
	test_check(rc == -XEN_EPERM, "mmu_update of a table in mfn 0: -EPERM (%ld)", rc);

	/* MMU_MACHPHYS_UPDATE: our own frame yes, another's no. */
	rc = mmu_one((a << 12) | MMU_MACHPHYS_UPDATE, 0x12345);
	test_check(rc == 0 && m2p[a] == 0x12345,
		   "machphys update of our frame (rc %ld, m2p 0x%llx)", rc,
		   (unsigned long long)m2p[a]);
	rc = mmu_one((a << 12) | MMU_MACHPHYS_UPDATE, start_info->nr_pages - 1);
	test_check(rc == 0 && m2p[a] == start_info->nr_pages - 1, "machphys restored");
	rc = mmu_one((0ULL << 12) | MMU_MACHPHYS_UPDATE, 5);
	test_check(rc == -XEN_EINVAL && m2p[0] == ~0ULL, "machphys update of mfn 0: -EINVAL (%ld)",
		   rc);

	/* update_va_mapping: bad addresses and flags. */
	rc = hypercall_update_va_mapping(0xFFFF800000001000ULL, 0, 0);
	test_check(rc == -XEN_EINVAL, "update_va_mapping in the hole: -EINVAL (%ld)", rc);
	rc = hypercall_update_va_mapping(0x0000900000000000ULL, 0, 0);
	test_check(rc == -XEN_EINVAL, "update_va_mapping non-canonical: -EINVAL (%ld)", rc);
	rc = hypercall_update_va_mapping(0x0000100000000000ULL, 0, 0);
	test_check(rc == -XEN_EINVAL, "update_va_mapping with no L1: -EINVAL (%ld)", rc);
	rc = hypercall_update_va_mapping(window_va, window_pte, UVMF_INVLPG | 0x10);
	test_check(rc == -XEN_EFAULT, "update_va_mapping with a bad vcpu mask: -EFAULT (%ld)", rc);
	restore_window();
	test_check(window_intact() && *w != 0x2222, "window restored");
}

static void forbidden(void)
{
	uint64_t l4 = l4_mfn(), l3 = table_mfn(window_va, 3), l2 = table_mfn(window_va, 2);
	uint64_t l1 = table_mfn(window_va, 1);
	uint64_t m2p_l3 = (table_va(l4)[256] & PTE_ADDR) >> 12;
	uint64_t hv_table = (table_va(l4)[262] & PTE_ADDR) >> 12;
	uint64_t other = scratch_mfn(2);
	unsigned s;

	gprintf("tables: L4 0x%llx L3 0x%llx L2 0x%llx L1 0x%llx; M2P L3 0x%llx\n",
		(unsigned long long)l4, (unsigned long long)l3, (unsigned long long)l2,
		(unsigned long long)l1, (unsigned long long)m2p_l3);
	test_check(table_va(l4)[256] & PTE_P, "L4 slot 256 (M2P) is filled");
	test_check(!(table_va(l4)[256] & PTE_RW), "L4 slot 256 is read-only");

	/* Writable mappings of our own page tables; read-only ones are fine. */
	uva_refused((l1 << 12) | PTE_P | PTE_RW, -XEN_EINVAL, "RW of its L1");
	uva_refused((l2 << 12) | PTE_P | PTE_RW, -XEN_EINVAL, "RW of its L2");
	uva_refused((l3 << 12) | PTE_P | PTE_RW, -XEN_EINVAL, "RW of its L3");
	uva_refused((l4 << 12) | PTE_P | PTE_RW, -XEN_EINVAL, "RW of its L4");
	test_check(map_window((l4 << 12) | PTE_P) == 0, "a read-only mapping of its L4 is allowed");
	restore_window();

	/* Frames that are not ours: the M2P's tables, hypervisor tables, mfn 0. */
	uva_refused((m2p_l3 << 12) | PTE_P, -XEN_EPERM, "RO of the M2P's L3");
	uva_refused((m2p_l3 << 12) | PTE_P | PTE_RW, -XEN_EPERM, "RW of the M2P's L3");
	uva_refused((hv_table << 12) | PTE_P, -XEN_EPERM, "a hypervisor page table");
	uva_refused(PTE_P | PTE_RW, -XEN_EPERM, "mfn 0");
	uva_refused((0xFFFFFFFULL << 12) | PTE_P, -XEN_EPERM, "an mfn beyond RAM");
	uva_refused(PTE_P | (1ULL << 51), -XEN_EPERM, "an address bit beyond RAM");

	/* The hypervisor's L4 slots, whatever the value. */
	refused((l4 << 12) + 256 * 8, 0, -XEN_EINVAL, "clearing L4 slot 256");
	refused((l4 << 12) + 256 * 8, (other << 12) | PTE_P | PTE_RW, -XEN_EINVAL,
		"L4 slot 256 to our frame");
	refused((l4 << 12) + 262 * 8, table_va(l4)[262], -XEN_EINVAL, "rewriting L4 slot 262");
	refused((l4 << 12) + 271 * 8, 0, -XEN_EINVAL, "clearing L4 slot 271");

	/* Superpages. */
	s = free_slot(l2, 0, 512);
	refused((l2 << 12) + s * 8, (other << 12) | PTE_P | PTE_RW | PTE_PSE, -XEN_EINVAL,
		"a 2 MiB PSE entry in an L2");
	s = free_slot(l3, 0, 512);
	refused((l3 << 12) + s * 8, (other << 12) | PTE_P | PTE_PSE, -XEN_EINVAL,
		"a 1 GiB PSE entry in an L3");

	/* Linear page tables: an entry naming its own table or one of the same level. */
	s = free_slot(l4, 0, 256);
	refused((l4 << 12) + s * 8, (l4 << 12) | PTE_P, -XEN_EINVAL, "L4 -> itself, read-only");
	refused((l4 << 12) + s * 8, (l4 << 12) | PTE_P | PTE_RW, -XEN_EINVAL, "L4 -> itself");
	s = free_slot(l3, 0, 512);
	refused((l3 << 12) + s * 8, (l3 << 12) | PTE_P, -XEN_EINVAL, "L3 -> itself");
	s = free_slot(l2, 0, 512);
	refused((l2 << 12) + s * 8, (l2 << 12) | PTE_P, -XEN_EINVAL, "L2 -> itself");

	/* Type confusion: an L1 (or the L2) named where an L2 is expected, and the reverse. */
	refused((l3 << 12) + free_slot(l3, 0, 512) * 8, (l1 << 12) | PTE_P, -XEN_EINVAL,
		"L3 entry naming a live L1");
	refused((l2 << 12) + free_slot(l2, 0, 512) * 8, (l3 << 12) | PTE_P, -XEN_EINVAL,
		"L2 entry naming a live L3");
	refused((l4 << 12) + free_slot(l4, 0, 256) * 8, (l2 << 12) | PTE_P, -XEN_EINVAL,
		"L4 entry naming a live L2");
	test_check(mmuext_one(MMUEXT_PIN_L1_TABLE, l2, 0) == -XEN_EINVAL,
		   "pinning the live L2 as an L1 is refused");
	test_check(mmuext_one(MMUEXT_PIN_L2_TABLE, l1, 0) == -XEN_EINVAL,
		   "pinning the live L1 as an L2 is refused");

	/* Reserved bits in a non-leaf entry. */
	zero_frame(other);
	refused((l2 << 12) + free_slot(l2, 0, 512) * 8, (other << 12) | PTE_P | 0x100, -XEN_EINVAL,
		"a global bit in an L2 entry");
	/* And a good one, to show the slot was usable: an empty L1 under the L2. */
	s = free_slot(l2, 0, 512);
	test_check(mmu_one((l2 << 12) + s * 8, (other << 12) | PTE_P | PTE_RW) == 0,
		   "an L2 entry to a fresh empty L1 is accepted");
	uva_refused((other << 12) | PTE_P | PTE_RW, -XEN_EINVAL, "RW of the fresh L1");
	test_check(mmu_one((l2 << 12) + s * 8, 0) == 0, "and removed again");
	test_check(map_window((other << 12) | PTE_P | PTE_RW) == 0,
		   "the former L1 can be mapped writable again");
	restore_window();
}

void guest_main(struct start_info *si)
{
	gprintf("mm_update: mmu_update, update_va_mapping, forbidden mappings\n");
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "cannot find the window page");
	}
	good_updates();
	forbidden();
	test_check(window_intact(), "the guest's mappings are intact at the end");
	test_finish();
}
