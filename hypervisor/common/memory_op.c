/*
 * memory_op: the reservation queries and changes, the pseudo-physical and
 * machine memory maps, and where the M2P table is.
 *
 * Reservation changes work on whole extents of 2^order frames, as Xen's:
 * increase_reservation hands out frames and writes their mfns back,
 * populate_physmap does the same for given pfns and fills the M2P,
 * decrease_reservation gives back frames nothing references any more.
 * They return how many extents were done (Xen's continuation index: the
 * bits of cmd above the command are the first extent). r.domid may name
 * another domain (a toolstack building one, a device model serving its
 * target): the XSM hook decides. Exchange and the rest are not supported:
 * -ENOSYS.
 */
#include <domain.h>
#include <frame.h>
#include <guest_access.h>
#include <mm.h>
#include <physmap.h>
#include <public/errno.h>
#include <public/memory.h>
#include <public/xen.h>

#include <xsm/xsm.h>

/* Bits above the command carry a continuation's start extent (Xen's MEMOP_EXTENT_SHIFT). */
#define MEMOP_CMD_BITS 6
#define MEMOP_CMD_MASK ((1U << MEMOP_CMD_BITS) - 1)

/* Largest extent a guest may ask for (2 MiB), as Xen allows PV domains by default. */
#define MAX_EXTENT_ORDER 9

/* A frame d may give back: its own, and held by nothing (no entry, pin, base, GDT). */
static bool releasable(struct domain *d, mfn_t mfn)
{
	struct page_info *pg = mfn_x(mfn) < max_mfn ? mfn_to_page(mfn) : NULL;

	return pg && pg->owner == d->domain_id && pg->count == 0 && pg->type_count == 0 &&
	       !(pg->flags & PGF_pinned) && !mfn_eq(mfn, d->shared_info_mfn);
}

static bool release_extent(struct domain *d, uint64_t first, unsigned order)
{
	uint64_t n = 1ULL << order;

	if (first & (n - 1)) {
		return false;
	}
	for (uint64_t j = 0; j < n; j++) {
		if (!releasable(d, _mfn(first + j))) {
			return false;
		}
	}
	for (uint64_t j = 0; j < n; j++) {
		m2p_set(_mfn(first + j), M2P_INVALID);
		frame_free(_mfn(first + j));
	}
	d->tot_pages -= n;
	return true;
}

static mfn_t grow_extent(struct domain *d, unsigned order, unsigned address_bits)
{
	uint64_t n = 1ULL << order;
	mfn_t mfn;

	if (d->tot_pages + n > d->max_pages) {
		return INVALID_MFN;
	}
	mfn = frame_alloc_contig(order, d->domain_id);
	if (mfn_eq(mfn, INVALID_MFN)) {
		return mfn;
	}
	/* A device that can only address so many bits needs frames below that. */
	if (address_bits && address_bits < 64 &&
	    mfn_x(mfn) + n > (1ULL << (address_bits - PAGE_SHIFT))) {
		frame_free_contig(mfn, order);
		return INVALID_MFN;
	}
	d->tot_pages += n;
	return mfn;
}

static long change_reservation(uint32_t op, uint64_t start, uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	unsigned bits;
	uint64_t i;

	/*
	 * As Xen: every refusal before the first extent (unreadable
	 * arguments, bad order or flags, an unknown domain, the XSM hook's
	 * denial, which FLASK still logs) answers the extent it started at,
	 * never an errno. Acting on another domain is the hook's decision
	 * (dummy: XSM_TARGET, itself, its device model's target or the
	 * privileged domain).
	 */
	if (copy_from_guest(&r, arg, sizeof(r))) {
		return (long)start;
	}
	if (start >= r.nr_extents) {
		return (long)start;
	}
	if (r.extent_order > MAX_EXTENT_ORDER || (r.mem_flags & ~0xffu)) {
		return (long)start;
	}
	bits = XENMEMF_get_address_bits(r.mem_flags);
	if (bits && bits <= PAGE_SHIFT) {
		return (long)start;
	}
	d = domain_lookup(r.domid);
	if (!d || d->domain_id >= DOMID_FIRST_RESERVED ||
	    __atomic_load_n(&d->is_dying, __ATOMIC_ACQUIRE)) {
		return (long)start;
	}
	if (xsm_memory_adjust_reservation(current->domain, d)) {
		return (long)start;
	}
	for (i = start; i < r.nr_extents; i++) {
		uint64_t slot = r.extent_start + i * sizeof(uint64_t), val = 0, n;
		mfn_t mfn;

		if (op != XENMEM_increase_reservation && copy_from_guest(&val, slot, sizeof(val))) {
			break;
		}
		if (op == XENMEM_decrease_reservation) {
			if (!release_extent(d, val, r.extent_order)) {
				break;
			}
			continue;
		}
		mfn = grow_extent(d, r.extent_order, bits);
		if (mfn_eq(mfn, INVALID_MFN)) {
			break;
		}
		n = 1ULL << r.extent_order;
		for (uint64_t j = 0; j < n; j++) {
			m2p_set(_mfn(mfn_x(mfn) + j),
				op == XENMEM_populate_physmap ? val + j : M2P_INVALID);
		}
		val = mfn_x(mfn);
		/* increase_reservation may pass no list: the frames are then just counted. */
		if ((r.extent_start || op == XENMEM_populate_physmap) &&
		    copy_to_guest(slot, &val, sizeof(val))) {
			release_extent(d, mfn_x(mfn), r.extent_order);
			break;
		}
	}
	/* A released frame may still sit in the TLB through a mapping removed just before. */
	if (op == XENMEM_decrease_reservation && i > start) {
		mm_tlb_flush_local();
		mm_tlb_flush_others(d);
	}
	return (long)i;
}

static long reservation(uint32_t op, uint64_t arg)
{
	struct xen_memory_domain md;
	struct domain *d;
	long rc;

	if (copy_from_guest(&md, arg, sizeof(md))) {
		return -EFAULT;
	}
	d = domain_lookup_guest(md.domid);
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
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return change_reservation(op, cmd >> MEMOP_CMD_BITS, arg);
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
	case XENMEM_add_to_physmap:
		return physmap_add(cmd >> MEMOP_CMD_BITS, arg);
	case XENMEM_add_to_physmap_batch:
		return physmap_add_batch(cmd >> MEMOP_CMD_BITS, arg);
	case XENMEM_remove_from_physmap:
		return physmap_remove(cmd >> MEMOP_CMD_BITS, arg);
	default:
		return -ENOSYS;
	}
}
