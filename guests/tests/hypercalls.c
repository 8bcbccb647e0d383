/*
 * Answers of the simple hypercalls that a PV kernel makes first, as Xen
 * gives them: unused numbers and sub-ops are -ENOSYS, the page size, the
 * feature map of a PV guest (not auto-translated), the address-space split
 * and the m2p location, the domain's reservation as start_info reported it,
 * vcpu 0 up and nonexistent vcpus -ENOENT.
 */
#include <public/errno.h>

#include "guest.h"

void guest_main(struct start_info *si)
{
	struct xen_feature_info fi = {.submap_idx = 0};
	struct xen_platform_parameters pp = {0};
	struct xen_machphys_mapping mm = {0};
	domid_t self = DOMID_SELF;
	long rc, cur, max;

	gprintf("hypercall answers of a PV guest\n");

	rc = HYPERCALL0(11);
	test_check(rc == -XEN_ENOSYS, "unused hypercall 11 returns -ENOSYS (got %ld)", rc);
	rc = HYPERCALL2(__HYPERVISOR_arch_7, 0, 0);
	test_check(rc == -XEN_ENOSYS, "unused hypercall 55 returns -ENOSYS (got %ld)", rc);
	rc = hypercall_sched_op(99, NULL);
	test_check(rc == -XEN_ENOSYS, "sched_op(99) returns -ENOSYS (got %ld)", rc);
	rc = hypercall_console_io(99, 0, NULL);
	test_check(rc == -XEN_ENOSYS, "console_io(99) returns -ENOSYS (got %ld)", rc);
	rc = hypercall_memory_op(99, NULL);
	test_check(rc == -XEN_ENOSYS, "memory_op(99) returns -ENOSYS (got %ld)", rc);

	rc = hypercall_xen_version(XENVER_version, NULL);
	gprintf("xen_version: %ld.%ld\n", rc >> 16, rc & 0xffff);
	test_check(rc >= 0, "XENVER_version succeeds (got %ld)", rc);
	rc = hypercall_xen_version(XENVER_pagesize, NULL);
	test_check(rc == 4096, "XENVER_pagesize is 4096 (got %ld)", rc);

	rc = hypercall_xen_version(XENVER_get_features, &fi);
	if (test_check(rc == 0, "XENVER_get_features(0) succeeds (got %ld)", rc)) {
		gprintf("features submap 0: 0x%x\n", fi.submap);
		test_check(!(fi.submap & (1U << XENFEAT_auto_translated_physmap)),
			   "a PV guest is not auto-translated");
	}
	fi.submap_idx = XENFEAT_NR_SUBMAPS;
	rc = hypercall_xen_version(XENVER_get_features, &fi);
	test_check(rc == -XEN_EINVAL, "XENVER_get_features beyond the last submap is -EINVAL (%ld)",
		   rc);

	rc = hypercall_xen_version(XENVER_platform_parameters, &pp);
	test_check(rc == 0 && pp.virt_start == HYPERVISOR_VIRT_START,
		   "platform_parameters: virt_start 0x%llx (rc %ld)",
		   (unsigned long long)pp.virt_start, rc);

	rc = hypercall_memory_op(XENMEM_machphys_mapping, &mm);
	test_check(rc == 0 && mm.v_start == MACH2PHYS_VIRT_START && mm.v_end > mm.v_start &&
		       mm.v_end <= MACH2PHYS_VIRT_END && mm.max_mfn > 0,
		   "machphys_mapping: 0x%llx-0x%llx max_mfn 0x%llx (rc %ld)",
		   (unsigned long long)mm.v_start, (unsigned long long)mm.v_end,
		   (unsigned long long)mm.max_mfn, rc);
	rc = hypercall_memory_op(XENMEM_maximum_ram_page, NULL);
	test_check(rc > 0, "maximum_ram_page > 0 (got %ld)", rc);

	cur = hypercall_memory_op(XENMEM_current_reservation, &self);
	max = hypercall_memory_op(XENMEM_maximum_reservation, &self);
	gprintf("reservation: current %ld, maximum %ld pages\n", cur, max);
	test_check(cur >= 0 && (uint64_t)cur == si->nr_pages,
		   "current_reservation equals start_info.nr_pages (%ld vs %llu)", cur,
		   (unsigned long long)si->nr_pages);
	test_check(max >= cur, "maximum_reservation >= current (%ld)", max);

	rc = hypercall_vcpu_op(VCPUOP_is_up, 0, NULL);
	test_check(rc == 1, "vcpu 0 is up (got %ld)", rc);
	rc = hypercall_vcpu_op(VCPUOP_is_up, 4096, NULL);
	test_check(rc == -XEN_ENOENT, "vcpu 4096 does not exist: -ENOENT (got %ld)", rc);

	test_finish();
}
