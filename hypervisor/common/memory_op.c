/*
 * memory_op: the reservation queries, the pseudo-physical and machine
 * memory maps, and where the M2P table is. Changing a reservation
 * (increase/decrease/populate/exchange) is not supported yet: -ENOSYS.
 */
#include <domain.h>
#include <frame.h>
#include <guest_access.h>
#include <mm.h>
#include <public/errno.h>
#include <public/memory.h>
#include <public/xen.h>

#include "../../xsm/xsm.h"

/* Bits above the command carry a continuation's start extent (Xen's MEMOP_EXTENT_SHIFT). */
#define MEMOP_CMD_BITS 6
#define MEMOP_CMD_MASK ((1U << MEMOP_CMD_BITS) - 1)

static long reservation(uint32_t op, uint64_t arg)
{
	struct xen_memory_domain md;
	struct domain *d;
	long rc;

	if (copy_from_guest(&md, arg, sizeof(md))) {
		return -EFAULT;
	}
	d = domain_lookup(md.domid);
	if (!d) {
		return -ESRCH;
	}
	rc = xsm_memory_stat_reservation(current->domain, d);
	if (rc) {
		return rc;
	}
	return (long)(op == XENMEM_current_reservation ? d->tot_pages : d->max_pages);
}

/* Writes at most map->nr_entries of entries[0..n) and the count back. */
static long put_map(uint64_t arg, struct xen_memory_map *map, const struct xen_e820_entry *e,
		    uint32_t n)
{
	if (map->nr_entries > n) {
		map->nr_entries = n;
	}
	if (copy_to_guest(map->buffer, e, (size_t)map->nr_entries * sizeof(*e)) ||
	    copy_to_guest(arg, map, sizeof(*map))) {
		return -EFAULT;
	}
	return 0;
}

static long memory_map(struct domain *d, uint64_t arg)
{
	struct xen_memory_map map;
	struct xen_e820_entry ram = {0, 0, XEN_E820_RAM};
	long rc;

	if (copy_from_guest(&map, arg, sizeof(map))) {
		return -EFAULT;
	}
	rc = xsm_domain_memory_map(d);
	if (rc) {
		return rc;
	}
	/* A PV guest's pseudo-physical space is exactly its pages, from 0. */
	ram.size = d->tot_pages << PAGE_SHIFT;
	return put_map(arg, &map, &ram, 1);
}

/* Host RAM as the frame table knows it: maximal runs of frames that are not I/O. */
#define MACHINE_MAP_MAX 64

static long machine_memory_map(struct domain *d, uint64_t arg)
{
	static struct xen_e820_entry e[MACHINE_MAP_MAX];
	struct xen_memory_map map;
	uint32_t n = 0;
	uint64_t i = 0;
	long rc;

	if (copy_from_guest(&map, arg, sizeof(map))) {
		return -EFAULT;
	}
	/* The hook decides (dummy: privileged only; FLASK: mmu memorymap on the hypervisor). */
	rc = xsm_machine_memory_map();
	if (rc) {
		return rc;
	}
	while (i < max_mfn && n < MACHINE_MAP_MAX) {
		uint64_t s;

		while (i < max_mfn && frame_table[i].owner == DOMID_IO) {
			i++;
		}
		s = i;
		while (i < max_mfn && frame_table[i].owner != DOMID_IO) {
			i++;
		}
		if (i > s) {
			e[n].addr = pfn_to_paddr(s);
			e[n].size = pfn_to_paddr(i - s);
			e[n].type = XEN_E820_RAM;
			n++;
		}
	}
	return put_map(arg, &map, e, n);
}

static long machphys_mapping(uint64_t arg)
{
	struct xen_machphys_mapping m = {
	    .v_start = MACH2PHYS_VIRT_START,
	    .v_end = MACH2PHYS_VIRT_END,
	    .max_mfn = m2p_nr_entries() ? m2p_nr_entries() - 1 : 0,
	};

	return copy_to_guest(arg, &m, sizeof(m)) ? -EFAULT : 0;
}

long do_memory_op(uint32_t cmd, uint64_t arg)
{
	struct vcpu *v = current;
	uint32_t op = cmd & MEMOP_CMD_MASK;

	if (!v) {
		return -EINVAL;
	}
	switch (op) {
	case XENMEM_maximum_ram_page:
		if (cmd >> MEMOP_CMD_BITS) {
			return -EINVAL;
		}
		/* One past the highest machine frame, as Xen's max_page. */
		return (long)max_mfn;
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		return reservation(op, arg);
	case XENMEM_memory_map:
		return memory_map(v->domain, arg);
	case XENMEM_machine_memory_map:
		return machine_memory_map(v->domain, arg);
	case XENMEM_machphys_mapping:
		return machphys_mapping(arg);
	default:
		return -ENOSYS;
	}
}
