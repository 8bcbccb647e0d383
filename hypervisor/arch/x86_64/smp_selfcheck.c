/*
 * The SMP self-checks (selfcheck_arch.c lists them): the CPUs and their
 * setup, IPIs both ways, the TLB shootdown, and the guest side of it
 * (mm.h's flushes by vcpu and by a domain's dirty mask).
 */
#include <arch/mm.h>
#include <arch/smp.h>
#include <arch/time.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/pv.h>
#include <asm/smp.h>
#include <console.h>
#include <domain.h>
#include <frame.h>
#include <lib.h>
#include <mm.h>
#include <public/xen.h>

/* Only against a CPU that is gone for good: a live one answers in microseconds. */
#define IPI_WAIT_NS 5000000000ULL

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

#define PROBE_C 0x5afe0000ccccccccULL

/* Every AP but those in skip reads the probe; true when each saw want. */
static bool aps_read(unsigned int online, uint64_t want, unsigned int *bad)
{
	unsigned int cpu;

	for (cpu = 1; cpu < online; cpu++) {
		if (smp_call_on(cpu, probe_read, NULL) || probe_seen[cpu] != want) {
			*bad = cpu;
			return false;
		}
	}
	return true;
}

/*
 * The guest side of the shootdown (mm.h): a pretend domain whose one vcpu
 * is placed on the last CPU. The probe is read by every AP, pointed
 * elsewhere, and mm_tlb_flush_vcpus for that vcpu must make that CPU see
 * the new frame; then pointed at a third frame with every CPU in the
 * domain's dirty mask, and mm_tlb_flush_others must make every AP see it.
 */
int smp_check_guest_tlb(char *d, size_t n)
{
	static struct domain dom;
	static struct vcpu vcpu;
	unsigned int online = arch_nr_cpus(), last = online - 1, bad = 0;
	mfn_t f[3] = {INVALID_MFN, INVALID_MFN, INVALID_MFN};
	static const uint64_t val[3] = {PROBE_A, PROBE_B, PROBE_C};
	int rc = 0, i;

	if (online == 1) {
		snprintf(d, n, "one CPU online: nothing to shoot down");
		return 0;
	}
	for (i = 0; i < 3; i++) {
		f[i] = frame_alloc(DOMID_XEN);
		if (mfn_eq(f[i], INVALID_MFN)) {
			snprintf(d, n, "no frames for the probe");
			rc = -1;
			goto out;
		}
		*(volatile uint64_t *)arch_mfn_to_virt(f[i]) = val[i];
	}
	memset(&dom, 0, sizeof(dom));
	memset(&vcpu, 0, sizeof(vcpu));
	dom.domain_id = DOMID_IDLE;
	dom.max_vcpus = 1;
	dom.vcpu[0] = &vcpu;
	vcpu.domain = &dom;
	vcpu.processor = last;
	dom.dirty_cpus = arch_cpu_online_mask();
	fixmap_map(FIX_SMP_PROBE, mfn_to_paddr(f[0]), PTE_NX | PTE_G);
	if (!aps_read(online, PROBE_A, &bad)) {
		snprintf(d, n, "CPU%u could not read the probe page before the change", bad);
		rc = -1;
		goto unmap;
	}
	fixmap_map(FIX_SMP_PROBE, mfn_to_paddr(f[1]), PTE_NX | PTE_G);
	mm_tlb_flush_vcpus(&dom, 1ULL << 0);
	if (smp_call_on(last, probe_read, NULL) || probe_seen[last] != PROBE_B) {
		snprintf(d, n, "CPU%u (vcpu 0's) still reads the old page after mm_tlb_flush_vcpus",
			 last);
		rc = -1;
		goto unmap;
	}
	fixmap_map(FIX_SMP_PROBE, mfn_to_paddr(f[2]), PTE_NX | PTE_G);
	mm_tlb_flush_others(&dom);
	if (!aps_read(online, PROBE_C, &bad)) {
		snprintf(d, n,
			 "CPU%u (in the dirty mask) still reads an old page after "
			 "mm_tlb_flush_others",
			 bad);
		rc = -1;
		goto unmap;
	}
	snprintf(d, n,
		 "a vcpu's CPU, then every CPU of a domain's dirty mask (%u APs), see a remapped "
		 "page anew",
		 online - 1);
unmap:
	fixmap_unmap(FIX_SMP_PROBE);
	arch_flush_tlb_others(arch_cpu_online_mask());
out:
	for (i = 0; i < 3; i++) {
		if (!mfn_eq(f[i], INVALID_MFN)) {
			frame_free(f[i]);
		}
	}
	return rc;
}
