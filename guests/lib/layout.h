/*
 * Where test guests are linked, shared by the linker script (through cpp),
 * notes.S and the host-side checks in tests/hv/abi. Usable from assembly.
 *
 * 0xffffffff80000000 is where a Linux PV kernel's VIRT_BASE is: the top
 * 2 GiB, so -mcmodel=kernel code reaches every symbol with 32-bit signed
 * displacements, and far from the hypervisor hole. Pseudo-physical address
 * 0 is mapped at GUEST_VIRT_BASE (PADDR_OFFSET 0, p_paddr = p_vaddr - base).
 */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

#define GUEST_VIRT_BASE 0xffffffff80000000
#define GUEST_PADDR_OFFSET 0

#define GUEST_VERSION_STRING "0.1"
/* The features string Linux PV kernels advertise. */
#define GUEST_FEATURES_STRING "!writable_page_tables|pae_pgdir_above_4gb"

#endif /* GUEST_LAYOUT_H */
