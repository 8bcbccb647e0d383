/*
 * The x86_64 PV memory model: direct paging with page types, in Xen's
 * style. The arch-neutral part (references, M2P, teardown) is <mm.h>.
 *
 * A PV guest's page tables are its own frames; the hardware walks them
 * directly. Safety comes from per-frame state kept in struct page_info
 * (frame.h): an owner, a general reference count, a type (PGT_l1..PGT_l4,
 * PGT_seg_desc, PGT_writable or PGT_none) with its own count, and the
 * PGF_validated / PGF_pinned flags.
 *
 *  - A frame may hold only one type at a time; the type can change only
 *    while its type count is zero. So a frame can never be both a page
 *    table (or descriptor table) and mapped writable, nor an L2 and an L1.
 *  - The first reference of a page-table type validates every entry of the
 *    frame and takes the references the entries imply: an L1 entry takes a
 *    general reference on the frame it maps (plus a PGT_writable type
 *    reference when it is RW); an L2/L3/L4 entry takes a typed reference of
 *    the next lower level on the frame it names. The last reference drops
 *    all of them again (iteratively, through a work list in page_info.link).
 *  - Refused in entries: frames the domain does not own, anything in or
 *    mapping the hypervisor hole, PSE/superpages (not supported), reserved
 *    bits, and any L2/L3/L4 entry naming a frame of its own level (the
 *    "linear page table" trick; Xen allows a read-only variant, Palisade
 *    refuses it outright).
 *  - The L4 slots 256..271 (the hole) belong to the hypervisor: they are
 *    filled from its own L4 when an L4 is validated (slot 256 being the
 *    read-only, user-readable M2P table) and guests can never write them.
 *
 * Counts never wrap: an increment that would overflow is refused.
 * Boot and hypercalls run on one CPU; there is no locking yet.
 */
#ifndef PALISADE_ASM_PV_MM_H
#define PALISADE_ASM_PV_MM_H

#include <mm.h>
#include <types.h>

struct domain;
struct vcpu;

/* Page-table entry bits that matter to validation (same values as asm/paging.h). */
#define MM_PTE_P (1ULL << 0)
#define MM_PTE_RW (1ULL << 1)
#define MM_PTE_US (1ULL << 2)
#define MM_PTE_PWT (1ULL << 3)
#define MM_PTE_PCD (1ULL << 4)
#define MM_PTE_A (1ULL << 5)
#define MM_PTE_D (1ULL << 6)
#define MM_PTE_PSE (1ULL << 7) /* PAT in an L1 entry */
#define MM_PTE_G (1ULL << 8)
#define MM_PTE_NX (1ULL << 63)
#define MM_PTE_ADDR 0x000ffffffffff000ULL

/* The hypervisor's L4 slots (0xFFFF800000000000-0xFFFF880000000000). */
#define MM_HV_L4_FIRST 256
#define MM_HV_L4_LAST 271
#define MM_M2P_L4_SLOT 256

/* Xen's MMU_UPDATE_PREEMPTED: the continuation flag in a batch count. */
#define MM_UPDATE_PREEMPTED 0x80000000U

/* Set-LDT limit, as in Xen (a full 64 KiB descriptor table). */
#define MM_LDT_MAX_ENTS 8192

/*
 * Once at boot, after frame_alloc_init and paging_init: remember the
 * hypervisor's own L4 (hv_l4, a hypervisor-virtual pointer to the table
 * currently in CR3) for mm_l4_install_hypervisor_slots, build the M2P table
 * (every entry M2P_INVALID) and the read-only page tables that map it at
 * MACH2PHYS_VIRT_START. Returns 0 or -ENOMEM.
 */
int mm_init(const uint64_t *hv_l4);

/* Fill slots 256..271 of a guest L4 (l4: its hypervisor-virtual address). */
void mm_l4_install_hypervisor_slots(void *l4);

/*
 * MMUEXT_PIN_L{1..4}_TABLE / MMUEXT_UNPIN_TABLE: a pin holds one general
 * and one type reference of level (1..4). Pinning twice: -EINVAL;
 * unpinning an unpinned frame or one d does not own: -EINVAL. Unpinning a
 * table still in use (a base pointer, a higher-level entry) succeeds: the
 * other references keep it typed.
 */
int mm_pin_table(struct domain *d, mfn_t mfn, unsigned level);
int mm_unpin_table(struct domain *d, mfn_t mfn);

/*
 * Make mfn (an L4 of v's domain) v's kernel (user = false) or user base
 * pointer: takes a PGT_l4 reference (validating it if needed), drops the
 * previous table's, stores it in v->arch.guest_table(_user) and calls
 * vcpu_update_cr3. For user, INVALID_MFN (the guest passes mfn 0) means
 * "no user table". 0 or a negative errno (nothing changed then).
 */
int mm_new_guest_baseptr(struct vcpu *v, mfn_t mfn, bool user);

/*
 * One entry of a page-table page of level (1..4), as used by mmu_update,
 * update_va_mapping and table validation. mm_get_entry_refs checks e and
 * takes the references it implies: the table belongs to d, the mapped
 * frame (L1) must belong to pg_owner (d, or the foreign domain of a
 * privileged mmu_update). Returns 0, -EINVAL (bad bits, superpage, linear
 * table, type confusion, hole) or -EPERM (frame not owned). Non-present
 * entries take nothing. mm_put_entry_refs drops what a valid e holds.
 */
int mm_get_entry_refs(uint64_t e, unsigned level, struct domain *d, struct domain *pg_owner,
		      mfn_t table);
void mm_put_entry_refs(uint64_t e, unsigned level);

/*
 * Replace entry idx of the validated table mfn (owned by d) with e: checks
 * e, takes its references, writes it, drops the old entry's. With
 * preserve_ad the old Accessed/Dirty bits are kept. For a frame that is
 * not a page table the write is a checked ordinary store (the frame must
 * be able to take the PGT_writable type). The L4 hypervisor slots are
 * refused with -EINVAL.
 */
int mm_update_entry(struct domain *d, struct domain *pg_owner, mfn_t mfn, unsigned idx, uint64_t e,
		    bool preserve_ad);

/* What a new entry e does with the page it names, as xsm_mmu_update's flags. */
uint32_t mm_update_xsm_flags(uint64_t e);

/*
 * The domain whose frames a batch maps (mmu_update, mmuext_op,
 * update_va_mapping_otherdomain), as Xen's get_pg_owner: d for DOMID_SELF,
 * -ESRCH for d's own id or an unknown or dying domain, -EPERM for the
 * reserved ids (I/O, hypervisor). NULL with *err set. The caller's XSM
 * hook decides whether d may act on it.
 */
struct domain *mm_foreign_owner(struct domain *d, uint32_t foreigndom, long *err);

/*
 * At the end of a batch that may have dropped an orphan's last mapping
 * (mm.h): flush this CPU and d's others, then free the queued orphans.
 */
void mm_flush_and_reap_orphans(struct domain *d);

/*
 * The L1 table that maps va under the guest L4 l4 (a validated table of
 * the domain), or INVALID_MFN when an entry on the way is not present or
 * is a superpage (pv/guest_walk.c).
 */
mfn_t pv_guest_l1_table(mfn_t l4, uint64_t va);

/* v's L4 for its current mode: the user table in user mode if it has one. */
mfn_t pv_active_l4(const struct vcpu *v);

#endif /* PALISADE_ASM_PV_MM_H */
