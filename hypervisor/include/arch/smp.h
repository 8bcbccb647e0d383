/*
 * Arch contract, the processors: which CPU runs, how many are online,
 * interrupts between them and the idle loop a scheduler takes over.
 *
 * CPUs are numbered 0..arch_nr_cpus()-1 in the order they came online;
 * CPU 0 is the boot processor. Every online CPU runs guests once the
 * scheduler starts (sched.h places the vcpus).
 */
#ifndef PALISADE_ARCH_SMP_H
#define PALISADE_ARCH_SMP_H

#include <types.h>

/* Most CPUs ever brought online; a cpumask has one bit per CPU. */
#define NR_CPUS 8
typedef uint64_t cpumask_t;

enum arch_ipi {
	ARCH_IPI_RESCHEDULE,  /* the target should run its scheduler */
	ARCH_IPI_EVENT_CHECK, /* the target should look at pending events */
	ARCH_IPI_TLB_FLUSH,   /* sent only by arch_flush_tlb_others */
	ARCH_NR_IPIS,
};

/* Number of the running CPU; cheap enough for any path (see the arch README). */
unsigned int arch_cpu_id(void);

/* CPUs online now (the boot CPU included). */
unsigned int arch_nr_cpus(void);

/* Mask of the CPUs online now. */
cpumask_t arch_cpu_online_mask(void);

/* Interrupts cpu with ipi; -EINVAL if it is not online or ipi is not one to send. */
int arch_send_ipi(unsigned int cpu, enum arch_ipi ipi);

/* arch_send_ipi to every online CPU but the running one. */
void arch_send_ipi_others(enum arch_ipi ipi);

/*
 * Flushes the whole TLB (global entries included) of every online CPU in
 * mask but the running one and returns once each has done so: 0, or
 * -ETIMEDOUT (said in the log) if one never answered. Call it after the
 * page-table change, before reporting the change done.
 */
int arch_flush_tlb_others(cpumask_t mask);

/*
 * Called by a CPU spinning for a lock (interrupts maybe off): does what
 * others may be waiting for from it, i.e. the flush of a TLB shootdown in
 * progress. Cheap when there is none.
 */
void arch_smp_spin_poll(void);

/*
 * Where a secondary CPU stays once it is up: halts with interrupts on and
 * runs work handed to it. The scheduler replaces this with its idle vcpu.
 */
void __attribute__((noreturn)) arch_cpu_idle_loop(void);

#endif /* PALISADE_ARCH_SMP_H */
