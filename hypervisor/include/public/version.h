/*
 * Guest ABI: xen_version (17) and the feature bits it reports. Facts of
 * Xen's public version.h and features.h.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_VERSION_H
#define PALISADE_PUBLIC_VERSION_H

#include "xen.h"

/* All return 0 on success except version, pagesize and build_id. */
#define XENVER_version 0	     /* arg NULL; returns major << 16 | minor */
#define XENVER_extraversion 1	     /* arg: xen_extraversion_t */
#define XENVER_compile_info 2	     /* arg: struct xen_compile_info */
#define XENVER_capabilities 3	     /* arg: xen_capabilities_info_t */
#define XENVER_changeset 4	     /* arg: xen_changeset_info_t */
#define XENVER_platform_parameters 5 /* arg: struct xen_platform_parameters */
#define XENVER_get_features 6	     /* arg: struct xen_feature_info */
#define XENVER_pagesize 7	     /* arg NULL; returns the page size */
#define XENVER_guest_handle 8	     /* arg: xen_domain_handle_t */
#define XENVER_commandline 9	     /* arg: xen_commandline_t */
#define XENVER_build_id 10	     /* arg: struct xen_varbuf */
#define XENVER_extraversion2 11	     /* the *2 forms do not truncate: struct xen_varbuf */
#define XENVER_capabilities2 12
#define XENVER_changeset2 13
#define XENVER_commandline2 14

#define XEN_EXTRAVERSION_LEN 16
#define XEN_CAPABILITIES_INFO_LEN 1024
#define XEN_CHANGESET_INFO_LEN 64
#define XEN_COMMANDLINE_LEN 1024

/*
 * Feature bits (XENVER_get_features submap 0). The names without the
 * prefix are what the FEATURES ELF note lists.
 */
#define XENFEAT_writable_page_tables 0
#define XENFEAT_writable_descriptor_tables 1
#define XENFEAT_auto_translated_physmap 2
#define XENFEAT_supervisor_mode_kernel 3
#define XENFEAT_pae_pgdir_above_4gb 4
#define XENFEAT_mmu_pt_update_preserve_ad 5
#define XENFEAT_highmem_assist 6
#define XENFEAT_gnttab_map_avail_bits 7
#define XENFEAT_hvm_callback_vector 8
#define XENFEAT_hvm_safe_pvclock 9
#define XENFEAT_hvm_pirqs 10
#define XENFEAT_dom0 11
/* 12 was grant_map_identity, retired */
#define XENFEAT_memory_op_vnode_supported 13
#define XENFEAT_ARM_SMCCC_supported 14
#define XENFEAT_linux_rsdp_unrestricted 15
#define XENFEAT_not_direct_mapped 16
#define XENFEAT_direct_mapped 17
#define XENFEAT_runstate_phys_area 18
#define XENFEAT_vcpu_time_phys_area 19
#define XENFEAT_NR_SUBMAPS 1

#ifndef __ASSEMBLY__

typedef char xen_extraversion_t[XEN_EXTRAVERSION_LEN];
typedef char xen_capabilities_info_t[XEN_CAPABILITIES_INFO_LEN];
typedef char xen_changeset_info_t[XEN_CHANGESET_INFO_LEN];
typedef char xen_commandline_t[XEN_COMMANDLINE_LEN];
_Static_assert(sizeof(xen_extraversion_t) == 16, "extraversion is 16 bytes");
_Static_assert(sizeof(xen_capabilities_info_t) == 1024, "capabilities is 1024 bytes");
_Static_assert(sizeof(xen_changeset_info_t) == 64, "changeset is 64 bytes");

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
_Static_assert(sizeof(struct xen_compile_info) == 144, "compile_info is 144 bytes");
_Static_assert(offsetof(struct xen_compile_info, compile_date) == 112, "compile_date at 112");

struct xen_platform_parameters {
	xen_ulong_t virt_start; /* start of the hypervisor hole */
};
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "platform_parameters is 8 bytes");

struct xen_feature_info {
	uint32_t submap_idx; /* IN: which 32-bit submap */
	uint32_t submap;     /* OUT */
};
_Static_assert(sizeof(struct xen_feature_info) == 8, "feature_info is 8 bytes");

/* Header of a variable-length answer (build_id and the *2 sub-ops). */
struct xen_varbuf {
	uint32_t len; /* IN: size of buf */
	unsigned char buf[];
};
_Static_assert(sizeof(struct xen_varbuf) == 4, "varbuf header is 4 bytes");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_VERSION_H */
