/*
 * Guest ABI: system control (sysctl, hypercall 35), the part Palisade
 * implements. Every call passes one struct xen_sysctl whose
 * interface_version must be XEN_SYSCTL_INTERFACE_VERSION (Xen 4.17's),
 * else -EACCES as Xen answers. Facts of Xen's public sysctl.h.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_SYSCTL_H
#define PALISADE_PUBLIC_SYSCTL_H

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#define XEN_SYSCTL_readconsole 1
#define XEN_SYSCTL_tbuf_op 2
#define XEN_SYSCTL_physinfo 3
#define XEN_SYSCTL_sched_id 4
#define XEN_SYSCTL_perfc_op 5
#define XEN_SYSCTL_getdomaininfolist 6
#define XEN_SYSCTL_debug_keys 7
#define XEN_SYSCTL_getcpuinfo 8
#define XEN_SYSCTL_availheap 9
#define XEN_SYSCTL_get_pmstat 10
#define XEN_SYSCTL_pm_op 12
#define XEN_SYSCTL_lockprof_op 15

#ifndef __ASSEMBLY__

#include <stddef.h>
#include <stdint.h>

/*
 * Read the hypervisor console ring. Without incremental, reading starts at
 * the oldest byte kept (after the last clear); with it, at index. On
 * return index is where the next incremental read starts and count the
 * bytes written to buffer.
 */
struct xen_sysctl_readconsole {
	uint8_t clear;	     /* IN: forget what was read */
	uint8_t incremental; /* IN: start at index */
	uint8_t pad0, pad1;
	uint32_t index;	 /* IN/OUT */
	uint64_t buffer; /* IN: guest address */
	uint32_t count;	 /* IN: buffer size, OUT: bytes written */
};
_Static_assert(sizeof(struct xen_sysctl_readconsole) == 24, "sysctl_readconsole is 24 bytes");
_Static_assert(offsetof(struct xen_sysctl_readconsole, buffer) == 8, "readconsole.buffer at 8");
_Static_assert(offsetof(struct xen_sysctl_readconsole, count) == 16, "readconsole.count at 16");

struct xen_sysctl {
	uint32_t cmd;		    /* XEN_SYSCTL_* */
	uint32_t interface_version; /* XEN_SYSCTL_INTERFACE_VERSION */
	union {
		struct xen_sysctl_readconsole readconsole;
		uint8_t pad[128];
	} u;
};
_Static_assert(sizeof(struct xen_sysctl) == 136, "xen_sysctl is 136 bytes");
_Static_assert(offsetof(struct xen_sysctl, u) == 8, "xen_sysctl.u at 8");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_SYSCTL_H */
