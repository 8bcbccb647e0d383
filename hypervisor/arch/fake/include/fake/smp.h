/*
 * Test-only controls of the fake arch's processors (arch/fake/smp.c).
 */
#ifndef PALISADE_FAKE_SMP_H
#define PALISADE_FAKE_SMP_H

#include <arch/smp.h>

struct vcpu;

/* What current is in host tests. */
extern struct vcpu *current_vcpu;
/* The CPU the code under test runs on, and the CPUs online (bit 0 by default). */
extern unsigned int fake_cpu;
extern cpumask_t fake_online_mask;
/* IPIs "sent", per target CPU and kind (TLB flushes by arch_flush_tlb_others). */
extern unsigned int fake_ipis[NR_CPUS][ARCH_NR_IPIS];

#endif /* PALISADE_FAKE_SMP_H */
