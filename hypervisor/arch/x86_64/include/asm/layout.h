/*
 * The hypervisor's virtual memory layout (x86_64). Usable from assembly.
 *
 * Everything the hypervisor maps for itself lives in the hole that Xen's
 * x86_64 PV ABI reserves (0xFFFF800000000000-0xFFFF880000000000), so the
 * whole lower half and the upper half above the hole stay free for PV
 * guests (a Linux PV kernel sits at 0xFFFFFFFF80000000, which is why the
 * image cannot use the usual "top 2 GiB" kernel code model).
 *
 *  0xFFFF800000000000 +256G  reserved: read-only M2P table for PV guests
 *  0xFFFF82D040000000 +1G    the image window: virt = phys + HV_VIRT_OFFSET,
 *                            the image itself is loaded at HV_LOAD_PHYS
 *  0xFFFF82D080000000 +2M    fixmap: device registers (local APIC), UC, NX
 *  0xFFFF82D080200000 +2M    vcpu stacks: 32 slots of 64K, the stack in the
 *                            top 32K of its slot, the 32K below unmapped
 *  0xFFFF830000000000 +5T    direct map of RAM: virt = phys + DIRECTMAP_VIRT_START
 *  0xFFFF880000000000        end of the hole
 *
 * Because the image is not in the top 2 GiB it is compiled position
 * independent (-fpie, RIP-relative) and linked at its fixed address.
 */
#ifndef PALISADE_ARCH_LAYOUT_H
#define PALISADE_ARCH_LAYOUT_H

#ifdef __ASSEMBLY__
#define _AC(x, s) x
#else
#define __AC(x, s) x##s
#define _AC(x, s) __AC(x, s)
#endif

#define HV_HOLE_START _AC(0xFFFF800000000000, UL)
#define HV_HOLE_END _AC(0xFFFF880000000000, UL)

#define RO_MPT_VIRT_START _AC(0xFFFF800000000000, UL)
#define RO_MPT_VIRT_END _AC(0xFFFF804000000000, UL)

#define HV_VIRT_OFFSET _AC(0xFFFF82D040000000, UL)
#define HV_LOAD_PHYS _AC(0x200000, UL)
#define HV_VIRT_START (HV_VIRT_OFFSET + HV_LOAD_PHYS)
#define HV_IMAGE_WINDOW (_AC(1, UL) << 30)

#define FIXMAP_VIRT_START _AC(0xFFFF82D080000000, UL)
#define FIXMAP_SLOTS 512
#define FIX_LAPIC 0
/* One page the TLB-shootdown self-check remaps (ipi.c). */
#define FIX_SMP_PROBE 1

#define DIRECTMAP_VIRT_START _AC(0xFFFF830000000000, UL)
#define DIRECTMAP_VIRT_END _AC(0xFFFF880000000000, UL)
#define DIRECTMAP_SIZE (DIRECTMAP_VIRT_END - DIRECTMAP_VIRT_START)

/* Stacks: every stack has an unmapped guard page right below it. */
#define STACK_SIZE (32 * 1024)
#define IST_STACK_SIZE (8 * 1024)
#define GUARD_SIZE 4096

/*
 * Per-vcpu hypervisor stacks live in their own area rather than the direct
 * map, where the page below a stack would be some other frame, mapped: an
 * overflow must fault, never run into another vcpu's data.
 */
#define VCPU_STACK_VIRT_START _AC(0xFFFF82D080200000, UL)
#define VCPU_STACK_SLOT_SIZE _AC(0x10000, UL)
#define VCPU_STACK_SLOTS 32
#define VCPU_STACK_VIRT_END (VCPU_STACK_VIRT_START + VCPU_STACK_SLOTS * VCPU_STACK_SLOT_SIZE)

/* pv/entry.S: one syscall stub of this many bytes per CPU (NR_CPUS of them; asm/pv.h). */
#define PV_STUB_SIZE 128
#define PV_STUB_CPUS 8

/* Segment selectors. The reserved part of the GDT starts at 0xe000 as in Xen. */
#define GDT_RESERVED_START 0xe000
#define GDT_ENTRIES (0x10000 / 8)
#define HV_CS 0xe008
#define HV_DS 0xe010
#define FLAT_RING3_CS32 0xe023
#define FLAT_RING3_DS32 0xe02b
#define FLAT_RING3_SS32 0xe02b
#define FLAT_RING3_CS64 0xe033
#define TSS_SEL 0xe040

/* Interrupt vectors beyond the 32 exceptions. */
#define TIMER_VECTOR 0xf0
/* Inter-processor interrupts (ipi.c), in the timer's priority class. */
#define IPI_RESCHEDULE_VECTOR 0xf1
#define IPI_EVENT_CHECK_VECTOR 0xf2
#define IPI_TLB_FLUSH_VECTOR 0xf3
#define SPURIOUS_VECTOR 0xff

/* Exit codes passed to arch_poweroff (see arch/power.h). */
#define EXIT_OK 0
#define EXIT_FAULT 1
#define EXIT_BAD_BOOT 2
#define EXIT_SELFCHECK 3

#endif /* PALISADE_ARCH_LAYOUT_H */
