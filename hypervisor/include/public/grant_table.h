/*
 * Guest ABI: grant_table_op (20) - how a domain lets another map or copy
 * its pages. Facts of Xen's public grant_table.h.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_GRANT_TABLE_H
#define PALISADE_PUBLIC_GRANT_TABLE_H

#include "xen.h"

#define GNTTABOP_map_grant_ref 0
#define GNTTABOP_unmap_grant_ref 1
#define GNTTABOP_setup_table 2
#define GNTTABOP_dump_table 3
#define GNTTABOP_transfer 4
#define GNTTABOP_copy 5
#define GNTTABOP_query_size 6
#define GNTTABOP_unmap_and_replace 7
#define GNTTABOP_set_version 8
#define GNTTABOP_get_status_frames 9
#define GNTTABOP_get_version 10
#define GNTTABOP_swap_grant_ref 11
#define GNTTABOP_cache_flush 12

/* Entries the tools may fill before the guest runs. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE 0
#define GNTTAB_RESERVED_XENSTORE 1

/* grant entry flags: type in bits 0-1 */
#define GTF_invalid (0U << 0)
#define GTF_permit_access (1U << 0)
#define GTF_accept_transfer (2U << 0)
#define GTF_transitive (3U << 0)
#define GTF_type_mask (3U << 0)
#define _GTF_readonly 2
#define GTF_readonly (1U << _GTF_readonly)
#define _GTF_reading 3
#define GTF_reading (1U << _GTF_reading)
#define _GTF_writing 4
#define GTF_writing (1U << _GTF_writing)
#define _GTF_PWT 5
#define GTF_PWT (1U << _GTF_PWT)
#define _GTF_PCD 6
#define GTF_PCD (1U << _GTF_PCD)
#define _GTF_PAT 7
#define GTF_PAT (1U << _GTF_PAT)
#define _GTF_sub_page 8
#define GTF_sub_page (1U << _GTF_sub_page)
#define _GTF_transfer_committed 2
#define GTF_transfer_committed (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed 3
#define GTF_transfer_completed (1U << _GTF_transfer_completed)

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map 0
#define GNTMAP_device_map (1 << _GNTMAP_device_map)
#define _GNTMAP_host_map 1
#define GNTMAP_host_map (1 << _GNTMAP_host_map)
#define _GNTMAP_readonly 2
#define GNTMAP_readonly (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map 3
#define GNTMAP_application_map (1 << _GNTMAP_application_map)
#define _GNTMAP_contains_pte 4
#define GNTMAP_contains_pte (1 << _GNTMAP_contains_pte)
#define _GNTMAP_can_fail 5
#define GNTMAP_can_fail (1 << _GNTMAP_can_fail)
#define _GNTMAP_guest_avail0 16

/* gnttab_copy.flags */
#define _GNTCOPY_source_gref 0
#define GNTCOPY_source_gref (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref 1
#define GNTCOPY_dest_gref (1 << _GNTCOPY_dest_gref)

/* gnttab_cache_flush.op */
#define GNTTAB_CACHE_CLEAN (1 << 0)
#define GNTTAB_CACHE_INVAL (1 << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1U << 31)

/* Per-operation status codes (negative; not errno values). */
#define GNTST_okay (0)
#define GNTST_general_error (-1)
#define GNTST_bad_domain (-2)
#define GNTST_bad_gntref (-3)
#define GNTST_bad_handle (-4)
#define GNTST_bad_virt_addr (-5)
#define GNTST_bad_dev_addr (-6)
#define GNTST_no_device_space (-7)
#define GNTST_permission_denied (-8)
#define GNTST_bad_page (-9)
#define GNTST_bad_copy_arg (-10)
#define GNTST_address_too_big (-11)
#define GNTST_eagain (-12)

#ifndef __ASSEMBLY__

typedef uint32_t grant_ref_t;
typedef uint32_t grant_handle_t;
typedef uint16_t grant_status_t;

/* Version 1 entry, written by the granting guest. */
struct grant_entry_v1 {
	uint16_t flags; /* GTF_* */
	domid_t domid;	/* the grantee */
	uint32_t frame; /* gfn granted (or transferred into) */
};
_Static_assert(sizeof(struct grant_entry_v1) == 8, "grant_entry_v1 is 8 bytes");
_Static_assert(offsetof(struct grant_entry_v1, frame) == 4, "grant_entry_v1.frame at 4");

struct grant_entry_header {
	uint16_t flags;
	domid_t domid;
};
_Static_assert(sizeof(struct grant_entry_header) == 4, "grant_entry_header is 4 bytes");

union grant_entry_v2 {
	struct grant_entry_header hdr;
	struct {
		struct grant_entry_header hdr;
		uint32_t pad0;
		uint64_t frame;
	} full_page;
	struct {
		struct grant_entry_header hdr;
		uint16_t page_off;
		uint16_t length;
		uint64_t frame;
	} sub_page;
	struct {
		struct grant_entry_header hdr;
		domid_t trans_domid;
		uint16_t pad0;
		grant_ref_t gref;
	} transitive;
	uint32_t __spacer[4];
};
_Static_assert(sizeof(union grant_entry_v2) == 16, "grant_entry_v2 is 16 bytes");

struct gnttab_map_grant_ref {
	uint64_t host_addr; /* IN */
	uint32_t flags;	    /* IN: GNTMAP_* */
	grant_ref_t ref;    /* IN */
	domid_t dom;	    /* IN */
	int16_t status;	    /* OUT: GNTST_* */
	grant_handle_t handle;
	uint64_t dev_bus_addr;
};
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "map_grant_ref is 32 bytes");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dom) == 16, "map.dom at 16");
_Static_assert(offsetof(struct gnttab_map_grant_ref, handle) == 20, "map.handle at 20");
_Static_assert(offsetof(struct gnttab_map_grant_ref, dev_bus_addr) == 24, "map.dev_bus_addr");

struct gnttab_unmap_grant_ref {
	uint64_t host_addr;
	uint64_t dev_bus_addr;
	grant_handle_t handle;
	int16_t status;
};
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "unmap_grant_ref is 24 bytes");

struct gnttab_setup_table {
	domid_t dom;
	uint32_t nr_frames;
	int16_t status;
	uint64_t frame_list; /* guest address of a xen_pfn_t array */
};
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "setup_table is 24 bytes");
_Static_assert(offsetof(struct gnttab_setup_table, frame_list) == 16, "frame_list at 16");

struct gnttab_dump_table {
	domid_t dom;
	int16_t status;
};
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "dump_table is 4 bytes");

struct gnttab_transfer {
	xen_pfn_t mfn;
	domid_t domid;
	grant_ref_t ref;
	int16_t status;
};
_Static_assert(sizeof(struct gnttab_transfer) == 24, "transfer is 24 bytes");

struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;
		xen_pfn_t gmfn;
	} u;
	domid_t domid;
	uint16_t offset;
};
struct gnttab_copy {
	struct gnttab_copy_ptr source, dest;
	uint16_t len;
	uint16_t flags; /* GNTCOPY_* */
	int16_t status;
};
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "copy_ptr is 16 bytes");
_Static_assert(sizeof(struct gnttab_copy) == 40, "gnttab_copy is 40 bytes");
_Static_assert(offsetof(struct gnttab_copy, len) == 32, "copy.len at 32");

struct gnttab_query_size {
	domid_t dom;
	uint32_t nr_frames;
	uint32_t max_nr_frames;
	int16_t status;
};
_Static_assert(sizeof(struct gnttab_query_size) == 16, "query_size is 16 bytes");

struct gnttab_unmap_and_replace {
	uint64_t host_addr;
	uint64_t new_addr;
	grant_handle_t handle;
	int16_t status;
};
_Static_assert(sizeof(struct gnttab_unmap_and_replace) == 24, "unmap_and_replace is 24 bytes");

struct gnttab_set_version {
	uint32_t version;
};
_Static_assert(sizeof(struct gnttab_set_version) == 4, "set_version is 4 bytes");

struct gnttab_get_status_frames {
	uint32_t nr_frames;
	domid_t dom;
	int16_t status;
	uint64_t frame_list; /* guest address of a uint64_t array */
};
_Static_assert(sizeof(struct gnttab_get_status_frames) == 16, "get_status_frames is 16 bytes");

struct gnttab_get_version {
	domid_t dom;
	uint16_t pad;
	uint32_t version;
};
_Static_assert(sizeof(struct gnttab_get_version) == 8, "get_version is 8 bytes");

struct gnttab_swap_grant_ref {
	grant_ref_t ref_a;
	grant_ref_t ref_b;
	int16_t status;
};
_Static_assert(sizeof(struct gnttab_swap_grant_ref) == 12, "swap_grant_ref is 12 bytes");

struct gnttab_cache_flush {
	union {
		uint64_t dev_bus_addr;
		grant_ref_t ref;
	} a;
	uint16_t offset;
	uint16_t length;
	uint32_t op; /* GNTTAB_CACHE_* */
};
_Static_assert(sizeof(struct gnttab_cache_flush) == 16, "cache_flush is 16 bytes");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_GRANT_TABLE_H */
