/*
 * The hypervisor's own page tables (x86_64, 4-level).
 *
 * paging_init builds them once at boot, replacing head.S's temporary ones:
 *  - the image at 4 KiB granularity with per-section rights (W^X): text
 *    RX, rodata R+NX, data/bss RW+NX, stack guard pages left unmapped;
 *  - the direct map of every RAM range, RW+NX, with 2 MiB (or 1 GiB)
 *    pages where the range allows;
 *  - one fixmap page table for device registers.
 * Nothing is mapped in the lower half (guests' space) and nothing is
 * user-accessible.
 */
#ifndef PALISADE_ARCH_PAGING_H
#define PALISADE_ARCH_PAGING_H

#include <asm/layout.h>
#include <frame.h>
#include <types.h>

#define PTE_P (1UL << 0)
#define PTE_W (1UL << 1)
#define PTE_U (1UL << 2)
#define PTE_PWT (1UL << 3)
#define PTE_PCD (1UL << 4)
#define PTE_A (1UL << 5)
#define PTE_D (1UL << 6)
#define PTE_PS (1UL << 7)
#define PTE_G (1UL << 8)
#define PTE_NX (1UL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000UL

/* Linker-script symbols (hypervisor.lds). */
extern char __image_start[], __image_end[];
extern char __text_start[], __text_end[];
extern char __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[];
extern char __bss_start[], __bss_end[];

/* Physical range of the loaded image, boot section included. */
paddr_t image_phys_start(void);
paddr_t image_phys_end(void);

/* Physical address of an address inside the image. */
static inline paddr_t image_virt_to_phys(const void *p)
{
	return (paddr_t)(uintptr_t)p - HV_VIRT_OFFSET;
}

/*
 * Build and load the final tables; ram lists RAM to direct-map (any order,
 * may overlap). Returns 0 or a negative errno (then the boot tables stay).
 */
int paging_init(const struct mem_range *ram, size_t nr_ram);

/* Physical address of the hypervisor's own L4 (the idle vcpu runs on it). */
paddr_t paging_hv_root(void);

/* Map one device page at fixmap slot; returns its virtual address. */
void *fixmap_map(unsigned int slot, paddr_t pa, uint64_t flags);

/* Unmaps fixmap slot on this CPU (others: arch_flush_tlb_others). */
void fixmap_unmap(unsigned int slot);

/* Effective leaf flags of va (NX/W/U combined over all levels); 0 if unmapped. */
uint64_t paging_lookup(uint64_t va);

/*
 * A vcpu's hypervisor stack: STACK_SIZE bytes of fresh frames mapped at the
 * top of a free slot of the vcpu stack area (layout.h), the rest of the slot
 * (the guard) left unmapped. Returns the lowest stack address, or NULL when
 * no slot or frame is left. Free with vcpu_stack_free (NULL is ignored).
 */
void *vcpu_stack_alloc(void);
void vcpu_stack_free(void *stack);
/* Slot number of va when it lies in a slot's unmapped guard, else -1. */
int vcpu_stack_guard_slot(uint64_t va);

struct paging_walk_result {
	uint64_t leaves;   /* present leaf entries seen */
	uint64_t wx;	   /* writable and executable leaves */
	uint64_t user;	   /* user-accessible leaves */
	uint64_t lower;	   /* leaves in the lower half */
	uint64_t first_wx; /* virtual address of the first W+X leaf */
	uint64_t pt_pages; /* page-table pages in use */
};

/* Walk the whole address space of the current CR3. */
void paging_walk(struct paging_walk_result *res);

#endif /* PALISADE_ARCH_PAGING_H */
