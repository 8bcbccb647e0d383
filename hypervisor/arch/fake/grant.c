/*
 * The grant-mapping and continuation contracts on the host: there are no
 * guest page tables or registers here, so every mapping is refused and a
 * batch never continues (the unit tests drive the rest of grant_table.c;
 * the QEMU tests drive the mappings and continuations).
 */
#include <arch/continuation.h>
#include <arch/grant.h>
#include <public/grant_table.h>

int arch_grant_map(struct domain *ld, uint64_t addr, uint32_t flags, mfn_t mfn)
{
	return GNTST_general_error;
}

int arch_grant_unmap(struct domain *ld, uint64_t addr, uint32_t flags, mfn_t mfn, uint64_t new_addr)
{
	return GNTST_general_error;
}

void arch_grant_flush(struct domain *ld)
{
}

bool arch_hypercall_continue(unsigned int nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return false;
}
