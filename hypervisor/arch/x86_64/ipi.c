/*
 * Inter-processor interrupts, the TLB shootdown, work handed to an idle AP,
 * and the SMP self-checks.
 *
 * Vectors (layout.h): 0xf1 reschedule, 0xf2 event check, 0xf3 TLB flush.
 * The first two wake their target and are counted: what they ask for is
 * done on the way out of the interrupt (the idle loop schedules when its
 * CPU's need_resched is set; the exit to a guest switches then, or
 * delivers the upcall the sender left pending); the third flushes the
 * target's whole TLB and clears its bit in flush_pending, which the
 * sender watches.
 */
#include <arch/idle.h>
#include <arch/mm.h>
#include <arch/smp.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <console.h>
#include <frame.h>
#include <lib.h>
#include <public/errno.h>
#include <sched.h>
#include <xsm/xsm.h>

#define ICR_FIXED 0x00000000U
#define ICR_ASSERT 0x00004000U
/* Only against a CPU that is gone for good: a live one answers in microseconds. */
#define IPI_WAIT_NS 5000000000ULL

static const uint8_t ipi_vector[ARCH_NR_IPIS] = {
    [ARCH_IPI_RESCHEDULE] = IPI_RESCHEDULE_VECTOR,
    [ARCH_IPI_EVENT_CHECK] = IPI_EVENT_CHECK_VECTOR,
    [ARCH_IPI_TLB_FLUSH] = IPI_TLB_FLUSH_VECTOR,
};

/* CPUs that still owe a flush of the shootdown in progress. */
static volatile cpumask_t flush_pending;
/* One shootdown at a time: flush_pending describes it. */
static volatile int flush_lock;

static bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && (arch_cpu_online_mask() & (1ULL << cpu));
}

int arch_send_ipi(unsigned int cpu, enum arch_ipi ipi)
{
	if (!cpu_online(cpu) || (unsigned int)ipi >= ARCH_NR_IPIS) {
		return -EINVAL;
	}
	return apic_send_icr(smp_apic_id(cpu), ICR_FIXED | ICR_ASSERT | ipi_vector[ipi]);
}

/* One by one rather than the all-but-self shorthand, which also hits CPUs never started. */
void arch_send_ipi_others(enum arch_ipi ipi)
{
	unsigned int me = arch_cpu_id(), cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (cpu != me && cpu_online(cpu)) {
			arch_send_ipi(cpu, ipi);
		}
	}
}

/* Toggling CR4.PGE drops the global entries too (the hypervisor's own). */
static void flush_tlb_local(void)
{
	unsigned long cr4 = read_cr4();

	if (cr4 & X86_CR4_PGE) {
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

static void ack_flush(unsigned int me)
{
	if (flush_pending & (1ULL << me)) {
		if (!(smp_test_faults & SMP_TEST_NOFLUSH)) {
			flush_tlb_local();
		}
		__sync_fetch_and_and(&flush_pending, ~(1ULL << me));
	}
}

void arch_smp_spin_poll(void)
{
	if (flush_pending) {
		ack_flush(arch_cpu_id());
	}
}

int arch_flush_tlb_others(cpumask_t mask)
{
	unsigned int me = arch_cpu_id(), cpu;
	unsigned long flags = read_flags();
	uint64_t t0;
	int rc = 0;

	mask &= arch_cpu_online_mask() & ~(1ULL << me);
	if (!mask) {
		return 0;
	}
	local_irq_disable();
	/* A CPU waiting here with interrupts off still answers the shootdown in progress. */
	while (!__sync_bool_compare_and_swap(&flush_lock, 0, 1)) {
		ack_flush(me);
		cpu_relax();
	}
	__sync_fetch_and_or(&flush_pending, mask);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (mask & (1ULL << cpu)) {
			apic_send_icr(smp_apic_id(cpu),
				      ICR_FIXED | ICR_ASSERT | ipi_vector[ARCH_IPI_TLB_FLUSH]);
		}
	}
	t0 = arch_now_ns();
	while (flush_pending & mask) {
		if (arch_now_ns() - t0 > IPI_WAIT_NS) {
			pr_err("SMP: TLB shootdown: CPUs %#llx never flushed\n",
			       (unsigned long long)(flush_pending & mask));
			__sync_fetch_and_and(&flush_pending, ~mask);
			rc = -ETIMEDOUT;
			break;
		}
		cpu_relax();
	}
	__atomic_store_n(&flush_lock, 0, __ATOMIC_RELEASE);
	if (flags & X86_EFLAGS_IF) {
		local_irq_enable();
	}
	return rc;
}

void smp_ipi_interrupt(unsigned int vector)
{
	unsigned int me = arch_cpu_id();
	unsigned int ipi = vector - IPI_RESCHEDULE_VECTOR;

	percpu[me].ipis[ipi]++;
	if (vector == IPI_TLB_FLUSH_VECTOR) {
		ack_flush(me);
	}
	apic_eoi();
}

static void run_call(struct percpu *pc)
{
	void (*fn)(void *) = pc->call_fn;

	if (fn && !pc->call_done) {
		fn(pc->call_arg);
		__sync_synchronize();
		pc->call_done = true;
	}
}

void __attribute__((noreturn)) arch_cpu_idle_loop(void)
{
	struct percpu *pc = this_cpu();

	for (;;) {
		run_call(pc);
		test_hook_ap_idle();
		/* Between calls the AP holds nothing from XSM: a quiescent point. */
		xsm_cpu_quiescent();
		/* sched_start's reschedule IPI woke us: the idle vcpu takes over. */
		if (sched_is_started()) {
			sched_start_secondary();
		}
		arch_idle_wait();
	}
}

int smp_call_on(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
	struct percpu *pc;
	uint64_t t0;

	if (!cpu_online(cpu)) {
		return -EINVAL;
	}
	if (cpu == arch_cpu_id()) {
		fn(arg);
		return 0;
	}
	pc = &percpu[cpu];
	pc->call_fn = NULL;
	pc->call_done = false;
	pc->call_arg = arg;
	__sync_synchronize();
	pc->call_fn = fn;
	arch_send_ipi(cpu, ARCH_IPI_EVENT_CHECK);
	t0 = arch_now_ns();
	while (!pc->call_done) {
		if (arch_now_ns() - t0 > IPI_WAIT_NS) {
			pc->call_fn = NULL;
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	pc->call_fn = NULL;
	return 0;
}
