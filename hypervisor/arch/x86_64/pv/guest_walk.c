/*
 * Walking a PV guest's own page tables from the hypervisor.
 *
 * Every table under a validated L4 is itself validated (its entries name
 * frames of the next lower type owned by the domain), so reading them
 * through the direct map is safe; the walk only has to stop at a missing
 * entry or a superpage, which PV guests may not use.
 */
#include <arch/mm.h>
#include <asm/pv_mm.h>
#include <domain.h>

mfn_t pv_guest_l1_table(mfn_t l4, uint64_t va)
{
	mfn_t t = l4;

	for (unsigned level = 4; level > 1; level--) {
		uint64_t e;

		if (mfn_eq(t, INVALID_MFN)) {
			return INVALID_MFN;
		}
		e = ((const uint64_t *)arch_mfn_to_virt(t))[(va >> (12 + 9 * (level - 1))) & 511];
		if (!(e & MM_PTE_P) || (e & MM_PTE_PSE)) {
			return INVALID_MFN;
		}
		t = paddr_to_mfn(e & MM_PTE_ADDR);
	}
	return t;
}

mfn_t pv_active_l4(const struct vcpu *v)
{
	if (v->arch.in_kernel || mfn_eq(v->arch.guest_table_user, INVALID_MFN)) {
		return v->arch.guest_table;
	}
	return v->arch.guest_table_user;
}
