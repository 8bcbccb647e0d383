/*
 * Changing the reservation: decrease_reservation gives back a frame
 * nothing uses (and refuses frames that are in use or not ours),
 * increase_reservation and populate_physmap hand frames out (mfn written
 * back, M2P filled for populate), the maximum is respected, extents and
 * continuation indexes behave as Xen's.
 */
#include "mm_util.h"

static long reserve(unsigned cmd, uint64_t *list, uint64_t n, unsigned order)
{
	struct xen_memory_reservation r = {
	    .extent_start = (uint64_t)(uintptr_t)list,
	    .nr_extents = n,
	    .extent_order = order,
	    .domid = DOMID_SELF,
	};

	return hypercall_memory_op(cmd, &r);
}

static long pages(void)
{
	domid_t self = DOMID_SELF;

	return hypercall_memory_op(XENMEM_current_reservation, &self);
}

void guest_main(struct start_info *si)
{
	long cur0, max, rc;
	uint64_t list[4], a, b, gpfn;
	volatile uint64_t *w;

	gprintf("mm_reservation: decrease, increase, populate\n");
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "cannot find the window page");
	}
	a = scratch_mfn(0);
	b = scratch_mfn(1);
	cur0 = pages();
	max = hypercall_memory_op(XENMEM_maximum_reservation, &(domid_t){DOMID_SELF});
	gprintf("reservation: %ld of %ld pages\n", cur0, max);

	/* Refusals first: nothing changes. */
	list[0] = l4_mfn();
	rc = reserve(XENMEM_decrease_reservation, list, 1, 0);
	test_check(rc == 0 && pages() == cur0, "the running L4 cannot be given back (%ld)", rc);
	list[0] = va_to_mfn(window_va);
	rc = reserve(XENMEM_decrease_reservation, list, 1, 0);
	test_check(rc == 0, "a mapped page cannot be given back (%ld)", rc);
	list[0] = 0;
	rc = reserve(XENMEM_decrease_reservation, list, 1, 0);
	test_check(rc == 0, "mfn 0 is not ours to give back (%ld)", rc);
	rc = reserve(XENMEM_decrease_reservation, (uint64_t *)0x10, 1, 0);
	test_check(rc == 0, "an unreadable extent list: no extent done (%ld)", rc);
	list[0] = a;
	rc = reserve(XENMEM_decrease_reservation, list, 1, 10);
	test_check(rc == 0, "an extent order of 10 is refused (%ld)", rc);
	rc = hypercall_memory_op(XENMEM_decrease_reservation, (void *)0x10);
	test_check(rc == 0, "an unreadable reservation: no extent done, as Xen (%ld)", rc);
	{
		struct xen_memory_reservation r = {.nr_extents = 1, .domid = 77};

		rc = hypercall_memory_op(XENMEM_decrease_reservation, &r);
		test_check(rc == 0, "a missing domain: no extent done, as Xen (%ld)", rc);
	}
	test_check(pages() == cur0, "the reservation is unchanged (%ld)", pages());

	/* Give back two unused frames; the second extent of a batch of 3 is bad. */
	list[0] = a;
	list[1] = 0;
	list[2] = b;
	rc = reserve(XENMEM_decrease_reservation, list, 3, 0);
	test_check(rc == 1 && pages() == cur0 - 1, "batch stops at the bad extent (%ld, %ld pages)",
		   rc, pages());
	test_check(m2p[a] == ~0ULL, "a given-back frame leaves the M2P (0x%llx)",
		   (unsigned long long)m2p[a]);
	test_check(map_window((a << 12) | PTE_P) == -XEN_EPERM && window_intact(),
		   "a given-back frame can no longer be mapped");
	/* Continue at extent 2 (the continuation index in the command's high bits). */
	rc = reserve(XENMEM_decrease_reservation | (2U << 6), list, 3, 0);
	test_check(rc == 3 && pages() == cur0 - 2, "continuation from extent 2 (%ld)", rc);
	rc = reserve(XENMEM_decrease_reservation | (5U << 6), list, 3, 0);
	test_check(rc == 5, "a start beyond the list returns the start (%ld)", rc);

	/* Take two back: one by increase_reservation, one by populate_physmap. */
	list[0] = 0;
	rc = reserve(XENMEM_increase_reservation, list, 1, 0);
	test_check(rc == 1 && pages() == cur0 - 1, "increase_reservation (%ld)", rc);
	test_check(m2p[list[0]] == ~0ULL, "its M2P entry is not set yet");
	gpfn = si->nr_pages - 1;
	rc = mmu_one((list[0] << 12) | MMU_MACHPHYS_UPDATE, gpfn);
	test_check(rc == 0 && m2p[list[0]] == gpfn, "machphys update of the new frame (%ld)", rc);
	w = (volatile uint64_t *)open_frame(list[0]);
	*w = 0x5a5a;
	test_check(*w == 0x5a5a, "the new frame is usable");
	restore_window();

	list[1] = si->nr_pages - 2;
	rc = reserve(XENMEM_populate_physmap, &list[1], 1, 0);
	test_check(rc == 1 && pages() == cur0, "populate_physmap (%ld)", rc);
	test_check(m2p[list[1]] == si->nr_pages - 2, "populate filled the M2P (0x%llx)",
		   (unsigned long long)m2p[list[1]]);

	/* The maximum holds. */
	if (max == cur0) {
		list[2] = 0;
		rc = reserve(XENMEM_increase_reservation, &list[2], 1, 0);
		test_check(rc == 0 && pages() == cur0, "no frame beyond the maximum (%ld)", rc);
	}
	/* An order-1 extent must be aligned. */
	list[2] = list[0] | 1;
	rc = reserve(XENMEM_decrease_reservation, &list[2], 1, 1);
	test_check(rc == 0, "an unaligned order-1 extent is refused (%ld)", rc);
	test_finish();
}
