/*
 * memory_op and the M2P table as a PV kernel uses them: machphys_mapping,
 * m2p[mfn_list[pfn]] == pfn read through the read-only table, the
 * reservations, the pseudo-physical memory map (one RAM range), the
 * machine memory map of the privileged domain, bad arguments.
 */
#include "mm_util.h"

static uint64_t sink;

static void write_m2p(void *arg)
{
	*(volatile uint64_t *)MACH2PHYS_VIRT_START = (uint64_t)(uintptr_t)arg;
}

static void read_hole(void *arg)
{
	sink = *(volatile uint64_t *)(uintptr_t)arg;
}

void guest_main(struct start_info *si)
{
	struct xen_machphys_mapping mm = {0};
	struct xen_e820_entry e820[4];
	struct xen_memory_map map;
	struct trap_record rec;
	domid_t dom = DOMID_SELF;
	uint64_t max_mfn_seen = 0, bad = 0;
	long rc;

	gprintf("mm_query: memory_op and the M2P table\n");
	rc = hypercall_memory_op(XENMEM_machphys_mapping, &mm);
	test_check(rc == 0, "machphys_mapping succeeds (%ld)", rc);
	test_check(mm.v_start == MACH2PHYS_VIRT_START && mm.v_end == MACH2PHYS_VIRT_END,
		   "machphys_mapping range 0x%llx-0x%llx", (unsigned long long)mm.v_start,
		   (unsigned long long)mm.v_end);
	for (uint64_t pfn = 0; pfn < si->nr_pages; pfn++) {
		uint64_t mfn = pfn_to_mfn(pfn);

		if (mfn > max_mfn_seen) {
			max_mfn_seen = mfn;
		}
		if (m2p[mfn] != pfn) {
			bad++;
		}
	}
	test_check(bad == 0, "m2p[mfn_list[pfn]] == pfn for all %llu pages (%llu wrong)",
		   (unsigned long long)si->nr_pages, (unsigned long long)bad);
	test_check(mm.max_mfn >= max_mfn_seen, "max_mfn 0x%llx covers every frame of ours (0x%llx)",
		   (unsigned long long)mm.max_mfn, (unsigned long long)max_mfn_seen);
	test_check(m2p[0] == ~0ULL, "m2p of mfn 0 (not ours) is INVALID_M2P_ENTRY (0x%llx)",
		   (unsigned long long)m2p[0]);
	rc = hypercall_memory_op(XENMEM_machphys_mapping, (void *)0x10);
	test_check(rc == -XEN_EFAULT, "machphys_mapping to a bad pointer: -EFAULT (%ld)", rc);

	/* The M2P is read-only to the guest; the rest of the hole is not there at all. */
	test_check(trap_catch(TRAP_PF, write_m2p, (void *)1, &rec),
		   "a write to the M2P table faults");
	test_check(rec.cr2 == MACH2PHYS_VIRT_START || !rec.cr2_valid, "cr2 0x%llx",
		   (unsigned long long)rec.cr2);
	test_check(trap_catch(TRAP_PF, read_hole, (void *)0xFFFF830000000000ULL, &rec),
		   "a read of the hypervisor's direct map faults");
	test_check(trap_catch(TRAP_PF, read_hole, (void *)0xFFFF82D040200000ULL, &rec),
		   "a read of the hypervisor image faults");

	rc = hypercall_memory_op(XENMEM_maximum_ram_page, NULL);
	test_check(rc > (long)max_mfn_seen, "maximum_ram_page %ld above our frames", rc);
	rc = hypercall_memory_op(XENMEM_current_reservation, &dom);
	test_check(rc == (long)si->nr_pages, "current_reservation %ld == nr_pages", rc);
	rc = hypercall_memory_op(XENMEM_maximum_reservation, &dom);
	test_check(rc >= (long)si->nr_pages, "maximum_reservation %ld >= nr_pages", rc);
	dom = 0;
	rc = hypercall_memory_op(XENMEM_current_reservation, &dom);
	test_check(rc == (long)si->nr_pages, "current_reservation of domid 0 (ourselves) %ld", rc);
	dom = 77;
	rc = hypercall_memory_op(XENMEM_current_reservation, &dom);
	test_check(rc == -XEN_ESRCH, "current_reservation of a missing domain: -ESRCH (%ld)", rc);
	rc = hypercall_memory_op(XENMEM_maximum_reservation, (void *)0x10);
	test_check(rc == -XEN_EFAULT, "maximum_reservation with a bad pointer: -EFAULT (%ld)", rc);

	map.nr_entries = 4;
	map.buffer = (uint64_t)(uintptr_t)e820;
	rc = hypercall_memory_op(XENMEM_memory_map, &map);
	test_check(rc == 0 && map.nr_entries == 1, "memory_map: one range (rc %ld, %u entries)", rc,
		   map.nr_entries);
	test_check(e820[0].addr == 0 && e820[0].size == si->nr_pages * PAGE &&
		       e820[0].type == XEN_E820_RAM,
		   "memory_map: RAM 0x%llx+0x%llx type %u", (unsigned long long)e820[0].addr,
		   (unsigned long long)e820[0].size, e820[0].type);
	map.nr_entries = 0;
	rc = hypercall_memory_op(XENMEM_memory_map, &map);
	test_check(rc == 0 && map.nr_entries == 0, "memory_map with no room: 0 entries (%ld)", rc);
	map.nr_entries = 4;
	map.buffer = 0xFFFF800000000000ULL;
	rc = hypercall_memory_op(XENMEM_memory_map, &map);
	test_check(rc == -XEN_EFAULT, "memory_map into the hole: -EFAULT (%ld)", rc);

	map.nr_entries = 4;
	map.buffer = (uint64_t)(uintptr_t)e820;
	rc = hypercall_memory_op(XENMEM_machine_memory_map, &map);
	test_check(rc == 0 && map.nr_entries >= 1 && e820[0].type == XEN_E820_RAM,
		   "machine_memory_map for dom0 (rc %ld, %u entries)", rc, map.nr_entries);
	for (unsigned i = 0; rc == 0 && i < map.nr_entries; i++) {
		gprintf("machine RAM 0x%llx-0x%llx\n", (unsigned long long)e820[i].addr,
			(unsigned long long)(e820[i].addr + e820[i].size));
	}

	rc = hypercall_memory_op(XENMEM_exchange, NULL);
	test_check(rc == -XEN_ENOSYS, "exchange: -ENOSYS (%ld)", rc);
	rc = hypercall_memory_op(63, NULL);
	test_check(rc == -XEN_ENOSYS, "memory_op 63: -ENOSYS (%ld)", rc);
	rc = hypercall_memory_op(XENMEM_maximum_ram_page | (1U << 6), NULL);
	test_check(rc == -XEN_EINVAL, "maximum_ram_page with a start extent: -EINVAL (%ld)", rc);
	test_finish();
}
