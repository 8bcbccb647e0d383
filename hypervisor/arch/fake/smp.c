/*
 * The fake arch's processors for host tests: one host thread plays every
 * CPU. fake_cpu says which CPU the code under test believes it runs on
 * and fake_online_mask which CPUs are online; IPIs are counted, not sent.
 * current is the global current_vcpu the tests set (no vcpu stacks here).
 */
#include <arch/idle.h>
#include <arch/smp.h>
#include <asm/current.h>
#include <fake/smp.h>
#include <public/errno.h>

struct vcpu *current_vcpu;
unsigned int fake_cpu;
cpumask_t fake_online_mask = 1;
unsigned int fake_ipis[NR_CPUS][ARCH_NR_IPIS];

struct vcpu *arch_current_slow(void)
{
	return current_vcpu;
}

unsigned int arch_cpu_id(void)
{
	return fake_cpu;
}

unsigned int arch_nr_cpus(void)
{
	return (unsigned int)__builtin_popcountll(fake_online_mask);
}

cpumask_t arch_cpu_online_mask(void)
{
	return fake_online_mask;
}

int arch_send_ipi(unsigned int cpu, enum arch_ipi ipi)
{
	if (cpu >= NR_CPUS || !(fake_online_mask & (1ULL << cpu)) ||
	    (unsigned int)ipi >= ARCH_NR_IPIS) {
		return -EINVAL;
	}
	fake_ipis[cpu][ipi]++;
	return 0;
}

int arch_flush_tlb_others(cpumask_t mask)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if ((mask & fake_online_mask & (1ULL << cpu)) && cpu != fake_cpu) {
			fake_ipis[cpu][ARCH_IPI_TLB_FLUSH]++;
		}
	}
	return 0;
}

bool arch_irq_save(void)
{
	return false;
}

void arch_irq_restore(bool was_on)
{
	(void)was_on;
}

void arch_smp_spin_poll(void)
{
}
