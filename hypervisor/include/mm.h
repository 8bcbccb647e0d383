/*
 * Domain memory: frame ownership and references, the machine-to-phys
 * table, allocation and teardown of a domain's frames, TLB maintenance.
 *
 * Every frame has an owner and counts (struct page_info, frame.h). A
 * general reference keeps a frame from being freed; a type reference
 * (enum page_type) keeps it in one use: a page table of some level, a
 * descriptor table, or writable memory. What a page-table type means, and
 * how entries are validated, is the arch's PV memory model
 * (arch/x86_64/include/asm/pv_mm.h); the core only takes and drops
 * references and accounts frames.
 *
 * Counts never wrap: an increment that would overflow is refused.
 */
#ifndef PALISADE_MM_H
#define PALISADE_MM_H

#include <frame.h>
#include <types.h>

struct domain;
struct vcpu;

/* Xen's INVALID_M2P_ENTRY: the M2P value of a frame no guest owns. */
#define M2P_INVALID (~0ULL)

/*
 * Per-domain memory state, embedded in struct domain as d->mm. (The LDT
 * setting lives in struct arch_vcpu: ldt_base, ldt_ents.)
 */
struct domain_mm {
	uint32_t nr_pinned; /* tables this domain has pinned */
};

/*
 * General references. get_page fails (false) if mfn is out of range, not
 * owned by d, or the count would overflow. put_page drops one reference.
 */
bool get_page(mfn_t mfn, struct domain *d);
void put_page(mfn_t mfn);

/*
 * Type references; type is an enum page_type (PGT_l1..PGT_writable).
 * 0, -EINVAL (the frame holds another type with a nonzero count: type
 * confusion; or an entry failed validation), -EBUSY (count would overflow),
 * or the validation error of an entry. The caller must already hold a
 * general reference (get_page_and_type does both).
 */
int get_page_type(mfn_t mfn, unsigned type);
void put_page_type(mfn_t mfn);
int get_page_and_type(mfn_t mfn, struct domain *d, unsigned type);
void put_page_and_type(mfn_t mfn);

/* The machine-to-phys table: the hypervisor writes it, guests map it read-only. */
void m2p_set(mfn_t mfn, uint64_t pfn);
uint64_t m2p_get(mfn_t mfn); /* M2P_INVALID outside the table */
/* Frames the M2P table covers (max_mfn at mm_init). */
uint64_t m2p_nr_entries(void);

/*
 * Frames of a domain: allocate one owned by d (tot_pages counted, the M2P
 * entry left to the builder), INVALID_MFN if none is left or d->max_pages
 * is reached.
 */
mfn_t mm_alloc_domain_frame(struct domain *d);

/*
 * At domain destruction: drop the vcpus' base pointers and every pin, then
 * every type and reference that remain, free every frame d owns (its M2P
 * entries back to M2P_INVALID) and set d->tot_pages to 0. Afterwards
 * mm_count_owned(d's id) is 0.
 */
void mm_domain_teardown(struct domain *d);

/*
 * The lock of the page-type logic (mm_types.c says what it guards); the
 * type functions take it themselves, a caller only for a sequence of them
 * that must not interleave with another CPU's (teardown). Recursive;
 * interrupts stay as they are (no interrupt handler takes it).
 */
void mm_lock(void);
void mm_unlock(void);

/*
 * TLB maintenance, provided by the arch (arch/x86_64/pv/tlb.c; the unit
 * tests on the host). The type logic flushes before a frame that may still
 * be reachable through a stale writable translation becomes a page table.
 */
void mm_tlb_flush_local(void);
void mm_tlb_flush_one(uint64_t va);

/*
 * The same on other CPUs, returning once they have flushed: every CPU
 * but this one where d's translations may be cached (d->dirty_cpus: it
 * runs one of d's vcpus, or did since its last CR3 load), or, for
 * mm_tlb_flush_all, every CPU (this one too: a frame's stale mappings
 * may be any domain's). Never called with a lock held (a CPU spinning
 * with interrupts off would not answer).
 */
void mm_tlb_flush_others(struct domain *d);
void mm_tlb_flush_all(void);

/* The CPUs on which the listed vcpus of d (bit n = vcpu n) may hold translations. */
void mm_tlb_flush_vcpus(struct domain *d, uint64_t vcpumask);

/*
 * References mm_domain_teardown had to drop by force so far (held from
 * outside a domain's own tables, pins and base pointers); 0 when every
 * holder released what it took.
 */
uint64_t mm_forced_refs(void);

/*
 * Foreign mappings outliving their frame's owner. mm_orphan (teardown,
 * mm_lock held or not) gives a frame that still has references, all of
 * them entries of other domains' L1 tables, to DOMID_ORPHAN: no domain
 * owns it, nobody may map it anew, and when its last reference goes it
 * is queued. A caller that may have dropped such a reference flushes the
 * TLBs that may still translate it, then calls mm_orphans_reap, which
 * frees the queue. mm_orphan_counts: orphans not freed yet, and freed
 * since boot.
 */
void mm_orphan(mfn_t mfn);
bool mm_orphans_pending(void);
void mm_orphans_reap(void);
void mm_orphan_counts(uint64_t *live, uint64_t *freed);

/*
 * A frame of d another domain references through a grant (PGF_orphan):
 * if d is torn down first, the frame survives it (owner DOMID_ORPHAN) and
 * its last put_page frees it. false if mfn is not d's.
 */
bool mm_frame_orphan_if_held(mfn_t mfn, struct domain *d);

/* Frames owned by domid right now (a scan of the frame table; for checks). */
uint64_t mm_count_owned(uint32_t domid);

#endif /* PALISADE_MM_H */
