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
#include <asm/pv.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <console.h>
#include <frame.h>
#include <lib.h>
#include <public/errno.h>
#include <sched.h>

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

/* --- self-checks --- */

int smp_check_cpus(char *d, size_t n)
{
	unsigned int cpu, online = arch_nr_cpus(), wanted = smp_cpus_wanted();
	const struct percpu *bsp = &percpu[0];
	uint64_t efer = rdmsr(MSR_EFER), star = rdmsr(MSR_STAR);
	uint64_t fmask = rdmsr(MSR_FMASK);

	if (online < wanted) {
		snprintf(d, n, "%u of %u CPUs online", online, wanted);
		return -1;
	}
	if (arch_cpu_id() != 0) {
		snprintf(d, n, "the boot CPU reads CPU number %u", arch_cpu_id());
		return -1;
	}
	for (cpu = 1; cpu < online; cpu++) {
		const struct percpu *pc = &percpu[cpu];

		if (pc->id_seen != cpu) {
			snprintf(d, n, "CPU%u read its number as %u", cpu, pc->id_seen);
			return -1;
		}
		if (pc->cr0 != read_cr0() || pc->cr4 != read_cr4() || pc->efer != efer ||
		    pc->star != star || pc->lstar != pv_syscall_stub(cpu, false) ||
		    pc->fmask != fmask) {
			snprintf(d, n,
				 "CPU%u: CR0 %#llx CR4 %#llx EFER %#llx differ from the boot "
				 "CPU's %#lx %#lx %#llx (or its syscall MSRs do)",
				 cpu, (unsigned long long)pc->cr0, (unsigned long long)pc->cr4,
				 (unsigned long long)pc->efer, read_cr0(), read_cr4(),
				 (unsigned long long)efer);
			return -1;
		}
	}
	(void)bsp;
	snprintf(d, n,
		 "%u of %u CPUs online; each AP: its own GDT/TSS/IST stacks and syscall stub, "
		 "CR0/CR4/EFER and syscall MSRs as the boot CPU's",
		 online, wanted);
	return 0;
}

static volatile uint64_t ping_seen;

/* On the AP: answer the boot CPU with an IPI of its own. */
static void ping_back(void *arg)
{
	(void)arg;
	arch_send_ipi(0, ARCH_IPI_EVENT_CHECK);
}

int smp_check_ipi(char *d, size_t n)
{
	unsigned int cpu, online = arch_nr_cpus();
	uint64_t t0;

	if (online == 1) {
		snprintf(d, n, "one CPU online: no IPI to send");
		return 0;
	}
	for (cpu = 1; cpu < online; cpu++) {
		uint64_t before = percpu[cpu].ipis[ARCH_IPI_EVENT_CHECK];
		uint64_t back = percpu[0].ipis[ARCH_IPI_EVENT_CHECK];
		int rc;

		rc = smp_call_on(cpu, ping_back, NULL);
		if (rc) {
			snprintf(d, n, "CPU%u did not run the call its IPI carried (%d)", cpu, rc);
			return -1;
		}
		/*
		 * The AP may have run the call from its idle loop, woken by its
		 * timer, before taking the IPI (interrupts are off there): the
		 * IPI is counted once it enables them again.
		 */
		t0 = arch_now_ns();
		while (percpu[cpu].ipis[ARCH_IPI_EVENT_CHECK] == before &&
		       arch_now_ns() - t0 < IPI_WAIT_NS) {
			cpu_relax();
		}
		if (percpu[cpu].ipis[ARCH_IPI_EVENT_CHECK] == before) {
			snprintf(d, n, "CPU%u ran the call but counted no event-check IPI", cpu);
			return -1;
		}
		/* The answer arrives once interrupts are on here. */
		t0 = arch_now_ns();
		local_irq_enable();
		while (percpu[0].ipis[ARCH_IPI_EVENT_CHECK] == back &&
		       arch_now_ns() - t0 < IPI_WAIT_NS) {
			cpu_relax();
		}
		local_irq_disable();
		if (percpu[0].ipis[ARCH_IPI_EVENT_CHECK] == back) {
			snprintf(d, n, "no IPI came back from CPU%u", cpu);
			return -1;
		}
		if (percpu[cpu].ticks == 0) {
			snprintf(d, n, "CPU%u's APIC timer has not ticked", cpu);
			return -1;
		}
	}
	snprintf(d, n, "round trip to and from each of %u APs, their timers ticking", online - 1);
	return 0;
}

#define PROBE_VA (FIXMAP_VIRT_START + FIX_SMP_PROBE * PAGE_SIZE)
#define PROBE_A 0x5afe0000aaaaaaaaULL
#define PROBE_B 0x5afe0000bbbbbbbbULL

static volatile uint64_t probe_seen[NR_CPUS];

/* On each AP: a read through the probe mapping (which caches it in the TLB). */
static void probe_read(void *arg)
{
	(void)arg;
	probe_seen[arch_cpu_id()] = *(volatile uint64_t *)PROBE_VA;
}

/*
 * Map frame A at the probe address, have every AP read it (its TLB now
 * holds the translation), point the address at frame B, shoot down, and
 * every AP must read B's value: a CPU that kept its stale entry reads A's.
 */
int smp_check_tlb_shootdown(char *d, size_t n)
{
	unsigned int cpu, online = arch_nr_cpus();
	mfn_t a, b;
	int rc = 0;

	if (online == 1) {
		snprintf(d, n, "one CPU online: nothing to shoot down");
		return 0;
	}
	a = frame_alloc(DOMID_XEN);
	b = frame_alloc(DOMID_XEN);
	if (mfn_eq(a, INVALID_MFN) || mfn_eq(b, INVALID_MFN)) {
		snprintf(d, n, "no frames for the probe");
		rc = -1;
		goto out;
	}
	*(volatile uint64_t *)arch_mfn_to_virt(a) = PROBE_A;
	*(volatile uint64_t *)arch_mfn_to_virt(b) = PROBE_B;
	fixmap_map(FIX_SMP_PROBE, mfn_to_paddr(a), PTE_NX | PTE_G);
	for (cpu = 1; cpu < online && !rc; cpu++) {
		if (smp_call_on(cpu, probe_read, NULL) || probe_seen[cpu] != PROBE_A) {
			snprintf(d, n, "CPU%u could not read the probe page before the change",
				 cpu);
			rc = -1;
		}
	}
	if (!rc) {
		fixmap_map(FIX_SMP_PROBE, mfn_to_paddr(b), PTE_NX | PTE_G);
		if (arch_flush_tlb_others(arch_cpu_online_mask())) {
			snprintf(d, n, "the shootdown was not acknowledged");
			rc = -1;
		}
	}
	for (cpu = 1; cpu < online && !rc; cpu++) {
		if (smp_call_on(cpu, probe_read, NULL) || probe_seen[cpu] != PROBE_B) {
			snprintf(d, n, "CPU%u still reads the old page after the shootdown", cpu);
			rc = -1;
		}
	}
	fixmap_unmap(FIX_SMP_PROBE);
	arch_flush_tlb_others(arch_cpu_online_mask());
	if (!rc) {
		snprintf(d, n, "a remapped page seen anew by each of %u APs after the shootdown",
			 online - 1);
	}
out:
	if (!mfn_eq(a, INVALID_MFN)) {
		frame_free(a);
	}
	if (!mfn_eq(b, INVALID_MFN)) {
		frame_free(b);
	}
	return rc;
}
