/*
 * Arch contract, grant mappings: where a granted frame appears in the
 * mapping domain (x86_64 PV: an L1 entry, arch/x86_64/pv/grant_map.c).
 * The references a mapping holds on the frame (a general one, and the
 * writable type for a writable mapping) are taken and dropped by the
 * caller with the grant's pin; these functions only write the entry.
 * Each answers a GNTST_* code; a refusal changes nothing.
 */
#ifndef PALISADE_ARCH_GRANT_H
#define PALISADE_ARCH_GRANT_H

#include <types.h>

struct domain;

/*
 * Maps mfn for ld at addr: a guest virtual address, or with
 * GNTMAP_contains_pte the machine address of the L1 entry to write (8-byte
 * aligned, in an L1 table of ld). Writable unless GNTMAP_readonly; the
 * guest's available bits come from flags (GNTMAP_guest_avail0 up, as
 * XENFEAT_gnttab_map_avail_bits promises). What the old entry held is
 * dropped. GNTST_okay or GNTST_general_error.
 */
int arch_grant_map(struct domain *ld, uint64_t addr, uint32_t flags, mfn_t mfn);

/*
 * Removes ld's mapping of mfn at addr (found as arch_grant_map found it):
 * the entry must be present and map mfn. With new_addr (a guest virtual
 * address; unmap_and_replace) the entry there moves into the slot, its
 * own references with it, and its old slot is cleared; else the slot is
 * cleared. GNTST_okay or GNTST_general_error.
 */
int arch_grant_unmap(struct domain *ld, uint64_t addr, uint32_t flags, mfn_t mfn,
		     uint64_t new_addr);

/*
 * Drops every translation ld may still cache, on every CPU (this one
 * included); returns once they have. Never called with a lock held.
 */
void arch_grant_flush(struct domain *ld);

#endif /* PALISADE_ARCH_GRANT_H */
