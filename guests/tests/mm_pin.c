/*
 * mmuext_op: pin and unpin at every level (twice, wrongly, in use),
 * a writable mapping of a pinned table refused, new_baseptr to a fresh L4
 * (built by the guest, pinned, loaded, run on, and switched back),
 * new_user_baseptr, the TLB flush and invlpg variants, flush_cache,
 * set_ldt checks, bad commands, pointers and foreign domains.
 */
#include "mm_util.h"

static long ext(unsigned cmd, uint64_t arg1, uint64_t arg2)
{
	return mmuext_one(cmd, arg1, arg2);
}

static void pin_levels(void)
{
	uint64_t t1 = scratch_mfn(0), t2 = scratch_mfn(1), t3 = scratch_mfn(2);
	uint64_t t4 = scratch_mfn(3), data = scratch_mfn(4);
	uint64_t *p;
	long rc;

	zero_frame(t1);
	zero_frame(t2);
	zero_frame(t3);
	zero_frame(t4);
	/* t4 -> t3 -> t2 -> t1 -> data, low in the address space (slot 1 of each). */
	p = open_frame(t1);
	p[1] = (data << 12) | PTE_P | PTE_RW;
	restore_window();
	p = open_frame(t2);
	p[1] = (t1 << 12) | PTE_P | PTE_RW;
	restore_window();
	p = open_frame(t3);
	p[1] = (t2 << 12) | PTE_P | PTE_RW;
	restore_window();
	p = open_frame(t4);
	p[1] = (t3 << 12) | PTE_P | PTE_RW;
	restore_window();

	rc = ext(MMUEXT_PIN_L1_TABLE, t1, 0);
	test_check(rc == 0, "pin L1 (%ld)", rc);
	rc = ext(MMUEXT_PIN_L1_TABLE, t1, 0);
	test_check(rc == -XEN_EINVAL, "pin the same L1 again: -EINVAL (%ld)", rc);
	test_check(map_window((t1 << 12) | PTE_P | PTE_RW) == -XEN_EINVAL && window_intact(),
		   "a pinned L1 cannot be mapped writable");
	test_check(map_window((data << 12) | PTE_P | PTE_RW) == 0, "its data page still can");
	restore_window();
	rc = ext(MMUEXT_PIN_L2_TABLE, t2, 0);
	test_check(rc == 0, "pin L2 over the pinned L1 (%ld)", rc);
	rc = ext(MMUEXT_PIN_L3_TABLE, t3, 0);
	test_check(rc == 0, "pin L3 (%ld)", rc);
	rc = ext(MMUEXT_PIN_L4_TABLE, t4, 0);
	test_check(rc == 0, "pin a second L4 (%ld)", rc);
	rc = map_window((t4 << 12) | PTE_P);
	/* Equal but for the accessed bit the CPU sets in the running one. */
	test_check(rc == 0 && (((volatile uint64_t *)window_va)[256] | PTE_A) ==
				  (table_va(l4_mfn())[256] | PTE_A),
		   "its slot 256 was filled by the hypervisor (rc %ld, 0x%llx vs 0x%llx)", rc,
		   (unsigned long long)((volatile uint64_t *)window_va)[256],
		   (unsigned long long)table_va(l4_mfn())[256]);
	restore_window();
	rc = ext(MMUEXT_PIN_L3_TABLE, t4, 0);
	test_check(rc == -XEN_EINVAL, "pin the L4 as an L3: -EINVAL (%ld)", rc);

	/* Unpin bottom-up: each table stays typed while the level above uses it. */
	rc = ext(MMUEXT_UNPIN_TABLE, t1, 0);
	test_check(rc == 0, "unpin the L1 still used by the L2 (%ld)", rc);
	test_check(map_window((t1 << 12) | PTE_P | PTE_RW) == -XEN_EINVAL,
		   "the unpinned but used L1 is still no writable page");
	rc = ext(MMUEXT_UNPIN_TABLE, t1, 0);
	test_check(rc == -XEN_EINVAL, "unpin it twice: -EINVAL (%ld)", rc);
	test_check(ext(MMUEXT_UNPIN_TABLE, t2, 0) == 0, "unpin L2");
	test_check(ext(MMUEXT_UNPIN_TABLE, t3, 0) == 0, "unpin L3");
	test_check(ext(MMUEXT_UNPIN_TABLE, t4, 0) == 0, "unpin L4");
	test_check(map_window((t1 << 12) | PTE_P | PTE_RW) == 0,
		   "with everything unpinned the old L1 is an ordinary page again");
	restore_window();
	test_check(map_window((data << 12) | PTE_P | PTE_RW) == 0, "and the data page too");
	restore_window();

	/* Pins of frames that are not ours, not tables, or bad. */
	rc = ext(MMUEXT_PIN_L1_TABLE, 0, 0);
	test_check(rc == -XEN_EINVAL, "pin mfn 0: -EINVAL (%ld)", rc);
	rc = ext(MMUEXT_UNPIN_TABLE, 0, 0);
	test_check(rc == -XEN_EINVAL, "unpin mfn 0: -EINVAL (%ld)", rc);
	rc = ext(MMUEXT_PIN_L1_TABLE, 0xFFFFFFFFFULL, 0);
	test_check(rc == -XEN_EINVAL, "pin an mfn beyond RAM: -EINVAL (%ld)", rc);
	p = open_frame(t2);
	p[3] = (t2 << 12) | PTE_P; /* linear */
	restore_window();
	rc = ext(MMUEXT_PIN_L2_TABLE, t2, 0);
	test_check(rc == -XEN_EINVAL, "pin an L2 that names itself: -EINVAL (%ld)", rc);
	test_check(map_window((t1 << 12) | PTE_P | PTE_RW) == 0,
		   "the refused pin released the L1 it had validated");
	restore_window();

	/* Unpinning the table in use: the running L4 (pinned by the builder). */
	rc = ext(MMUEXT_UNPIN_TABLE, l4_mfn(), 0);
	test_check(rc == 0, "unpin the running L4 (%ld): the base pointer keeps it", rc);
	test_check(map_window((l4_mfn() << 12) | PTE_P | PTE_RW) == -XEN_EINVAL,
		   "the running L4 is still no writable page");
	gprintf("still running after unpinning the L4\n");
	rc = ext(MMUEXT_PIN_L4_TABLE, l4_mfn(), 0);
	test_check(rc == 0, "pin it again (%ld)", rc);
}

static void baseptr(void)
{
	uint64_t old = l4_mfn(), fresh = scratch_mfn(5);
	const uint64_t *cur = table_va(old);
	uint64_t *p;
	volatile uint64_t probe;
	long rc;

	/* A copy of the guest half of the running L4. */
	p = open_frame(fresh);
	for (int i = 0; i < 512; i++) {
		p[i] = (i >= 256 && i < 272) ? 0 : cur[i];
	}
	restore_window();

	rc = ext(MMUEXT_NEW_BASEPTR, fresh, 0);
	test_check(rc == 0, "new_baseptr to an unpinned fresh L4 validates it (%ld)", rc);
	probe = *(volatile uint64_t *)start_info;
	gprintf("running on the fresh L4 (probe 0x%llx)\n", (unsigned long long)probe);
	test_check(map_window((fresh << 12) | PTE_P | PTE_RW) == -XEN_EINVAL,
		   "the loaded L4 cannot be mapped writable");
	rc = ext(MMUEXT_NEW_BASEPTR, old, 0);
	test_check(rc == 0, "new_baseptr back to the old L4 (%ld)", rc);
	test_check(map_window((fresh << 12) | PTE_P | PTE_RW) == 0,
		   "the fresh L4 is released once no longer loaded");
	restore_window();

	/* Pinned first, then loaded, unpinned while loaded, switched back. */
	test_check(ext(MMUEXT_PIN_L4_TABLE, fresh, 0) == 0, "pin the fresh L4");
	test_check(ext(MMUEXT_NEW_BASEPTR, fresh, 0) == 0, "load it");
	test_check(ext(MMUEXT_UNPIN_TABLE, fresh, 0) == 0, "unpin it while loaded");
	test_check(ext(MMUEXT_NEW_BASEPTR, old, 0) == 0, "switch back");

	rc = ext(MMUEXT_NEW_BASEPTR, 0, 0);
	test_check(rc == -XEN_EINVAL, "new_baseptr to mfn 0: -EINVAL (%ld)", rc);
	rc = ext(MMUEXT_NEW_BASEPTR, table_mfn(window_va, 1), 0);
	test_check(rc == -XEN_EINVAL, "new_baseptr to a live L1: -EINVAL (%ld)", rc);
	rc = ext(MMUEXT_NEW_BASEPTR, va_to_mfn(window_va), 0);
	test_check(rc == -XEN_EINVAL, "new_baseptr to a page mapped writable: -EINVAL (%ld)", rc);

	rc = ext(MMUEXT_NEW_USER_BASEPTR, fresh, 0);
	test_check(rc == 0, "new_user_baseptr (%ld)", rc);
	rc = ext(MMUEXT_NEW_USER_BASEPTR, 0, 0);
	test_check(rc == 0, "new_user_baseptr 0 drops it (%ld)", rc);
	test_check(map_window((fresh << 12) | PTE_P | PTE_RW) == 0, "the user L4 is released");
	restore_window();
	rc = ext(MMUEXT_NEW_USER_BASEPTR, 1, 0);
	test_check(rc == -XEN_EINVAL, "new_user_baseptr to mfn 1: -EINVAL (%ld)", rc);
}

static void flushes_and_ldt(void)
{
	struct mmuext_op ops[3] = {{0}};
	unsigned int done = 99;
	long rc;

	test_check(ext(MMUEXT_TLB_FLUSH_LOCAL, 0, 0) == 0, "tlb_flush_local");
	test_check(ext(MMUEXT_TLB_FLUSH_ALL, 0, 0) == 0, "tlb_flush_all");
	test_check(ext(MMUEXT_INVLPG_LOCAL, window_va, 0) == 0, "invlpg_local");
	test_check(ext(MMUEXT_INVLPG_ALL, window_va, 0) == 0, "invlpg_all");
	test_check(ext(MMUEXT_INVLPG_LOCAL, 0xFFFF830000000000ULL, 0) == 0,
		   "invlpg of a hypervisor address is ignored");
	{
		uint64_t mask = 1;

		test_check(ext(MMUEXT_TLB_FLUSH_MULTI, 0, (uint64_t)(uintptr_t)&mask) == 0,
			   "tlb_flush_multi");
		test_check(ext(MMUEXT_INVLPG_MULTI, window_va, (uint64_t)(uintptr_t)&mask) == 0,
			   "invlpg_multi");
	}
	rc = ext(MMUEXT_TLB_FLUSH_MULTI, 0, 0x10);
	test_check(rc == -XEN_EFAULT, "tlb_flush_multi with a bad mask: -EFAULT (%ld)", rc);
	rc = ext(MMUEXT_INVLPG_MULTI, window_va, 0xFFFF800000000000ULL);
	test_check(rc == -XEN_EFAULT, "invlpg_multi with a mask in the hole: -EFAULT (%ld)", rc);
	rc = ext(MMUEXT_FLUSH_CACHE, 0, 0);
	test_check(rc == 0, "flush_cache for the privileged dom0 (%ld)", rc);

	rc = ext(MMUEXT_SET_LDT, 0x10000, 16);
	test_check(rc == 0, "set_ldt at a page-aligned base (%ld)", rc);
	rc = ext(MMUEXT_SET_LDT, 0, 0);
	test_check(rc == 0, "set_ldt with no entries (%ld)", rc);
	rc = ext(MMUEXT_SET_LDT, 0x10008, 16);
	test_check(rc == -XEN_EINVAL, "set_ldt at an unaligned base: -EINVAL (%ld)", rc);
	rc = ext(MMUEXT_SET_LDT, 0x10000, 8193);
	test_check(rc == -XEN_EINVAL, "set_ldt with 8193 entries: -EINVAL (%ld)", rc);
	rc = ext(MMUEXT_SET_LDT, 0xFFFF800000000000ULL, 1);
	test_check(rc == -XEN_EINVAL, "set_ldt in the hole: -EINVAL (%ld)", rc);
	rc = ext(MMUEXT_SET_LDT, 0x00007FFFFFFFF000ULL, 8192);
	test_check(rc == -XEN_EINVAL, "set_ldt running past the lower half: -EINVAL (%ld)", rc);

	rc = ext(99, 0, 0);
	test_check(rc == -XEN_ENOSYS, "mmuext_op 99: -ENOSYS (%ld)", rc);
	rc = hypercall_mmuext_op((const struct mmuext_op *)0x10, 1, NULL, DOMID_SELF);
	test_check(rc == -XEN_EFAULT, "mmuext_op from a bad pointer: -EFAULT (%ld)", rc);
	rc = hypercall_mmuext_op(ops, 1, NULL, 77);
	test_check(rc == -XEN_ESRCH, "mmuext_op for a missing foreign domain: -ESRCH (%ld)", rc);
	ops[0].cmd = MMUEXT_TLB_FLUSH_LOCAL;
	ops[1].cmd = MMUEXT_INVLPG_LOCAL;
	ops[1].arg1.linear_addr = window_va;
	ops[2].cmd = MMUEXT_PIN_L1_TABLE;
	ops[2].arg1.mfn = 0;
	rc = hypercall_mmuext_op(ops, 3, &done, DOMID_SELF);
	test_check(rc == -XEN_EINVAL && done == 2, "batch of 3, last bad: rc %ld, done %u", rc,
		   done);
	rc = hypercall_mmuext_op(ops, 2, &done, DOMID_SELF);
	test_check(rc == 0 && done == 2, "batch of 2 (rc %ld, done %u)", rc, done);
}

void guest_main(struct start_info *si)
{
	gprintf("mm_pin: mmuext_op\n");
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "cannot find the window page");
	}
	pin_levels();
	baseptr();
	flushes_and_ldt();
	test_check(window_intact(), "the guest's mappings are intact at the end");
	test_finish();
}
