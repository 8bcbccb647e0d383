/*
 * Guest ABI: physdev_op (33) - interrupts and I/O privilege. Only what
 * early kernels use has structures here (iopl, io bitmap, IRQ status, EOI,
 * APIC access); the other sub-op numbers are listed so nothing reuses
 * them. Facts of Xen's public physdev.h.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_PHYSDEV_H
#define PALISADE_PUBLIC_PHYSDEV_H

#include "xen.h"

#define PHYSDEVOP_IRQ_UNMASK_NOTIFY 4 /* obsolete */
#define PHYSDEVOP_irq_status_query 5
#define PHYSDEVOP_set_iopl 6
#define PHYSDEVOP_set_iobitmap 7
#define PHYSDEVOP_apic_read 8
#define PHYSDEVOP_apic_write 9
#define PHYSDEVOP_alloc_irq_vector 10
#define PHYSDEVOP_free_irq_vector 11
#define PHYSDEVOP_eoi 12
#define PHYSDEVOP_map_pirq 13
#define PHYSDEVOP_unmap_pirq 14
#define PHYSDEVOP_manage_pci_add 15
#define PHYSDEVOP_manage_pci_remove 16
#define PHYSDEVOP_pirq_eoi_gmfn_v1 17
#define PHYSDEVOP_restore_msi 19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi 21
#define PHYSDEVOP_get_free_pirq 23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add 25
#define PHYSDEVOP_pci_device_remove 26
#define PHYSDEVOP_restore_msi_ext 27
#define PHYSDEVOP_pirq_eoi_gmfn_v2 28
#define PHYSDEVOP_dbgp_op 29
#define PHYSDEVOP_prepare_msix 30
#define PHYSDEVOP_release_msix 31
#define PHYSDEVOP_pci_device_reset 32

/* physdev_irq_status_query.flags */
#define _XENIRQSTAT_needs_eoi 0
#define XENIRQSTAT_needs_eoi (1U << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared 1
#define XENIRQSTAT_shared (1U << _XENIRQSTAT_shared)

#ifndef __ASSEMBLY__

struct physdev_eoi {
	uint32_t irq;
};
_Static_assert(sizeof(struct physdev_eoi) == 4, "physdev_eoi is 4 bytes");

struct physdev_irq_status_query {
	uint32_t irq;	/* IN */
	uint32_t flags; /* OUT: XENIRQSTAT_* */
};
_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "irq_status_query is 8 bytes");

/* The I/O privilege level the vcpu's kernel mode gets for in/out. */
struct physdev_set_iopl {
	uint32_t iopl;
};
_Static_assert(sizeof(struct physdev_set_iopl) == 4, "set_iopl is 4 bytes");

/* Two bytes are read from bitmap even when nr_ports ends mid-byte, as a TSS would. */
struct physdev_set_iobitmap {
	uint64_t bitmap; /* guest address */
	uint32_t nr_ports;
};
_Static_assert(sizeof(struct physdev_set_iobitmap) == 16, "set_iobitmap is 16 bytes");
_Static_assert(offsetof(struct physdev_set_iobitmap, nr_ports) == 8, "nr_ports at 8");

struct physdev_apic {
	uint64_t apic_physbase;
	uint32_t reg;
	uint32_t value;
};
_Static_assert(sizeof(struct physdev_apic) == 16, "physdev_apic is 16 bytes");

struct physdev_irq {
	uint32_t irq;
	uint32_t vector;
};
_Static_assert(sizeof(struct physdev_irq) == 8, "physdev_irq is 8 bytes");

/* Argument of physdev_op_compat (19). */
struct physdev_op {
	uint32_t cmd;
	union {
		struct physdev_irq_status_query irq_status_query;
		struct physdev_set_iopl set_iopl;
		struct physdev_set_iobitmap set_iobitmap;
		struct physdev_apic apic_op;
		struct physdev_irq irq_op;
	} u;
};
_Static_assert(sizeof(struct physdev_op) == 24, "physdev_op is 24 bytes");
_Static_assert(offsetof(struct physdev_op, u) == 8, "physdev_op.u at 8");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_PHYSDEV_H */
