/*
 * Guest ABI: memory_op (12) - reservations, the memory map, where the m2p
 * table lives. Facts of Xen's public memory.h (only the sub-ops whose
 * numbers were checked against it are listed).
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_MEMORY_H
#define PALISADE_PUBLIC_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation 0 /* arg: struct xen_memory_reservation */
#define XENMEM_decrease_reservation 1 /* arg: struct xen_memory_reservation */
#define XENMEM_maximum_ram_page 2     /* arg: NULL; returns the highest RAM mfn */
#define XENMEM_current_reservation 3  /* arg: domid_t; returns pages */
#define XENMEM_maximum_reservation 4  /* arg: domid_t; returns pages */
#define XENMEM_machphys_mfn_list 5    /* arg: struct xen_machphys_mfn_list */
#define XENMEM_populate_physmap 6     /* arg: struct xen_memory_reservation */
#define XENMEM_add_to_physmap 7	      /* arg: struct xen_add_to_physmap */
/* 8 was translate_gpfn_list, removed */
#define XENMEM_memory_map 9	      /* arg: struct xen_memory_map */
#define XENMEM_machine_memory_map 10  /* arg: struct xen_memory_map */
#define XENMEM_exchange 11	      /* arg: struct xen_memory_exchange */
#define XENMEM_machphys_mapping 12    /* arg: struct xen_machphys_mapping */
#define XENMEM_set_memory_map 13      /* arg: struct xen_foreign_memory_map */
#define XENMEM_maximum_gpfn 14	      /* arg: domid_t */
#define XENMEM_remove_from_physmap 15 /* arg: struct xen_remove_from_physmap */
#define XENMEM_set_pod_target 16
#define XENMEM_get_pod_target 17
#define XENMEM_get_sharing_freed_pages 18
#define XENMEM_get_sharing_shared_pages 19
#define XENMEM_paging_op 20
#define XENMEM_access_op 21
#define XENMEM_sharing_op 22
#define XENMEM_add_to_physmap_batch 23
#define XENMEM_machphys_compat_mfn_list 25

/* xen_memory_reservation.mem_flags */
#define XENMEMF_address_bits(x) (x)
#define XENMEMF_get_address_bits(x) ((x)&0xffu)
#define XENMEMF_node(x) (((x) + 1) << 8)
#define XENMEMF_get_node(x) ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand (1 << 16)
#define XENMEMF_exact_node_request (1 << 17)
#define XENMEMF_exact_node(n) (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode (1 << 18)

/* xen_add_to_physmap.space */
#define XENMAPSPACE_shared_info 0
#define XENMAPSPACE_grant_table 1
#define XENMAPSPACE_gmfn 2
#define XENMAPSPACE_gmfn_range 3
#define XENMAPSPACE_gmfn_foreign 4
#define XENMAPSPACE_dev_mmio 5

/* e820 entry types, as the BIOS reports them */
#define XEN_E820_RAM 1
#define XEN_E820_RESERVED 2
#define XEN_E820_ACPI 3
#define XEN_E820_NVS 4
#define XEN_E820_UNUSABLE 5

#ifndef __ASSEMBLY__

struct xen_memory_reservation {
	uint64_t extent_start; /* guest address of a xen_pfn_t array */
	xen_ulong_t nr_extents;
	uint32_t extent_order; /* each extent is 2^order pages */
	uint32_t mem_flags;    /* XENMEMF_* */
	domid_t domid;	       /* DOMID_SELF unless privileged */
};
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "memory_reservation is 32 bytes");
_Static_assert(offsetof(struct xen_memory_reservation, extent_order) == 16, "order at 16");
_Static_assert(offsetof(struct xen_memory_reservation, domid) == 24, "domid at 24");

struct xen_memory_exchange {
	struct xen_memory_reservation in;
	struct xen_memory_reservation out;
	xen_ulong_t nr_exchanged; /* must be 0 on entry */
};
_Static_assert(sizeof(struct xen_memory_exchange) == 72, "memory_exchange is 72 bytes");

/* Argument of XENMEM_current/maximum_reservation and maximum_gpfn. */
struct xen_memory_domain {
	domid_t domid;
};
_Static_assert(sizeof(struct xen_memory_domain) == 2, "memory_domain is 2 bytes");

struct xen_machphys_mfn_list {
	uint32_t max_extents;
	uint64_t extent_start; /* guest address of a xen_pfn_t array (2 MiB extents) */
	uint32_t nr_extents;
};
_Static_assert(sizeof(struct xen_machphys_mfn_list) == 24, "machphys_mfn_list is 24 bytes");

struct xen_machphys_mapping {
	xen_ulong_t v_start, v_end; /* virtual range of the m2p table */
	xen_ulong_t max_mfn;	    /* highest mfn that can be looked up */
};
_Static_assert(sizeof(struct xen_machphys_mapping) == 24, "machphys_mapping is 24 bytes");

struct xen_add_to_physmap {
	domid_t domid;
	uint16_t size;	/* pages, for XENMAPSPACE_gmfn_range */
	uint32_t space; /* XENMAPSPACE_* */
	xen_ulong_t idx;
	xen_pfn_t gpfn;
};
_Static_assert(sizeof(struct xen_add_to_physmap) == 24, "add_to_physmap is 24 bytes");

struct xen_add_to_physmap_batch {
	domid_t domid;
	uint16_t space;		/* XENMAPSPACE_* (16 bits here, unlike xen_add_to_physmap) */
	uint16_t size;		/* entries in the three arrays */
	uint16_t foreign_domid; /* XENMAPSPACE_gmfn_foreign only, else 0 */
	uint64_t idxs;		/* guest address of xen_ulong_t[size] */
	uint64_t gpfns;		/* guest address of xen_pfn_t[size] */
	uint64_t errs;		/* guest address of int[size], per-entry results */
};
_Static_assert(sizeof(struct xen_add_to_physmap_batch) == 32, "add_to_physmap_batch is 32 bytes");
_Static_assert(offsetof(struct xen_add_to_physmap_batch, idxs) == 8, "batch.idxs at 8");

struct xen_remove_from_physmap {
	domid_t domid;
	xen_pfn_t gpfn;
};
_Static_assert(sizeof(struct xen_remove_from_physmap) == 16, "remove_from_physmap is 16 bytes");

/* The buffer holds struct xen_e820_entry records. */
struct xen_memory_map {
	uint32_t nr_entries; /* IN: capacity, OUT: entries written */
	uint64_t buffer;     /* guest address */
};
_Static_assert(sizeof(struct xen_memory_map) == 16, "memory_map is 16 bytes");
_Static_assert(offsetof(struct xen_memory_map, buffer) == 8, "memory_map.buffer at 8");

struct xen_foreign_memory_map {
	domid_t domid;
	struct xen_memory_map map;
};
_Static_assert(sizeof(struct xen_foreign_memory_map) == 24, "foreign_memory_map is 24 bytes");

/* The BIOS INT 15h E820 record: packed, 20 bytes. */
struct xen_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type; /* XEN_E820_* */
} __attribute__((packed));
_Static_assert(sizeof(struct xen_e820_entry) == 20, "e820 entry is 20 bytes");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_MEMORY_H */
