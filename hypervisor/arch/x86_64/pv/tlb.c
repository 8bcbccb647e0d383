/*
 * TLB maintenance for the page-type logic and mmuext_op (x86_64 only: the
 * host unit tests provide their own counting versions, so this file is
 * not part of their build).
 */
#include <arch/smp.h>
#include <asm/cpu.h>
#include <domain.h>
#include <mm.h>

void mm_tlb_flush_local(void)
{
	/* Reloading CR3 drops every non-global translation; guest mappings are never global. */
	write_cr3(read_cr3());
}

void mm_tlb_flush_one(uint64_t va)
{
	asm volatile("invlpg (%0)" ::"r"(va) : "memory");
}

void mm_tlb_flush_others(struct domain *d)
{
	cpumask_t mask = __atomic_load_n(&d->dirty_cpus, __ATOMIC_SEQ_CST);

	mask &= ~(1ULL << arch_cpu_id());
	if (mask) {
		arch_flush_tlb_others(mask);
	}
}

void mm_tlb_flush_all(void)
{
	mm_tlb_flush_local();
	arch_flush_tlb_others(arch_cpu_online_mask());
}

void mm_tlb_flush_vcpus(struct domain *d, uint64_t vcpumask)
{
	cpumask_t cpus = 0;
	unsigned int i;

	for (i = 0; i < d->max_vcpus && i < 64; i++) {
		if ((vcpumask & (1ULL << i)) && d->vcpu[i]) {
			cpus |= 1ULL << d->vcpu[i]->processor;
		}
	}
	/* Only where the domain may still be cached: a CPU that reloaded CR3 since holds nothing.
	 */
	cpus &= __atomic_load_n(&d->dirty_cpus, __ATOMIC_SEQ_CST);
	if (cpus & (1ULL << arch_cpu_id())) {
		mm_tlb_flush_local();
	}
	cpus &= ~(1ULL << arch_cpu_id());
	if (cpus) {
		arch_flush_tlb_others(cpus);
	}
}
