/*
 * x86_64 boot self-checks: what the hardware actually enforces, read back
 * from the page tables and control registers rather than from what setup
 * meant to do.
 */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <lib.h>
#include <selfcheck.h>

static int check_wx(char *d, size_t n)
{
	struct paging_walk_result r;

	paging_walk(&r);
	if (r.wx) {
		snprintf(d, n, "%llu writable+executable mappings, first at %#llx",
			 (unsigned long long)r.wx, (unsigned long long)r.first_wx);
		return -1;
	}
	if (r.user || r.lower) {
		snprintf(d, n, "%llu user mappings, %llu in the lower half",
			 (unsigned long long)r.user, (unsigned long long)r.lower);
		return -1;
	}
	snprintf(d, n, "%llu mappings in %llu tables walked, none writable and executable",
		 (unsigned long long)r.leaves, (unsigned long long)r.pt_pages);
	return 0;
}

/* Expected effective rights of one address of each kind. */
static int check_sections(char *d, size_t n)
{
	static const struct {
		const char *what;
		const void *addr;
		uint64_t want, mask;
	} probe[] = {
	    {"text", __text_start, PTE_P, PTE_P | PTE_W | PTE_NX | PTE_U},
	    {"rodata", __rodata_start, PTE_P | PTE_NX, PTE_P | PTE_W | PTE_NX | PTE_U},
	    {"data", __data_start, PTE_P | PTE_W | PTE_NX, PTE_P | PTE_W | PTE_NX | PTE_U},
	    {"bss", __bss_end - 1, PTE_P | PTE_W | PTE_NX, PTE_P | PTE_W | PTE_NX | PTE_U},
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(probe); i++) {
		uint64_t f = paging_lookup((uint64_t)probe[i].addr);

		if ((f & probe[i].mask) != probe[i].want) {
			snprintf(d, n, "%s at %p has flags %#llx", probe[i].what, probe[i].addr,
				 (unsigned long long)f);
			return -1;
		}
	}
	for (i = 0; i < nr_stack_guard_pages; i++) {
		if (paging_lookup(stack_guard_pages[i])) {
			snprintf(d, n, "stack guard page %#llx is mapped",
				 (unsigned long long)stack_guard_pages[i]);
			return -1;
		}
	}
	snprintf(d, n, "text RX, rodata R, data/bss RW+NX, %u stack guard pages unmapped",
		 nr_stack_guard_pages);
	return 0;
}

/*
 * A vcpu stack as domain_create gets one: every stack page mapped RW+NX,
 * every page of its slot below it unmapped, and nothing left once freed.
 */
static int check_vcpu_stack_guard(char *d, size_t n)
{
	char *stack = vcpu_stack_alloc();
	uint64_t base = (uint64_t)(uintptr_t)stack, va, f;
	uint64_t slot = base + STACK_SIZE - VCPU_STACK_SLOT_SIZE;

	if (!stack) {
		snprintf(d, n, "no vcpu stack could be allocated");
		return -1;
	}
	for (va = base; va < base + STACK_SIZE; va += PAGE_SIZE) {
		f = paging_lookup(va);
		if ((f & (PTE_P | PTE_W | PTE_NX | PTE_U)) != (PTE_P | PTE_W | PTE_NX)) {
			snprintf(d, n, "vcpu stack page %#llx has flags %#llx",
				 (unsigned long long)va, (unsigned long long)f);
			vcpu_stack_free(stack);
			return -1;
		}
	}
	for (va = slot; va < base; va += PAGE_SIZE) {
		if (paging_lookup(va) || vcpu_stack_guard_slot(va) < 0) {
			snprintf(d, n, "guard page %#llx below the vcpu stack is mapped or unknown",
				 (unsigned long long)va);
			vcpu_stack_free(stack);
			return -1;
		}
	}
	vcpu_stack_free(stack);
	if (paging_lookup(base) || paging_lookup(base + STACK_SIZE - 1)) {
		snprintf(d, n, "the freed vcpu stack at %#llx is still mapped",
			 (unsigned long long)base);
		return -1;
	}
	snprintf(d, n,
		 "stack %#llx-%#llx RW+NX, %llu guard pages below unmapped, unmapped once freed",
		 (unsigned long long)base, (unsigned long long)(base + STACK_SIZE),
		 (unsigned long long)((base - slot) / PAGE_SIZE));
	return 0;
}

static int check_nx(char *d, size_t n)
{
	if (!(rdmsr(MSR_EFER) & EFER_NXE)) {
		snprintf(d, n, "EFER.NXE is clear");
		return -1;
	}
	if (!(read_cr0() & X86_CR0_WP)) {
		snprintf(d, n, "CR0.WP is clear");
		return -1;
	}
	snprintf(d, n, "EFER.NXE on, CR0.WP on");
	return 0;
}

static int check_cr4_bit(char *d, size_t n, const char *name, bool supported, unsigned long bit)
{
	bool on = read_cr4() & bit;

	if (supported && !on) {
		snprintf(d, n, "CPU supports %s but CR4.%s is clear", name, name);
		return -1;
	}
	if (!supported && on) {
		snprintf(d, n, "CR4.%s set on a CPU without %s", name, name);
		return -1;
	}
	snprintf(d, n, supported ? "CR4.%s on" : "%s not supported by this CPU, off", name);
	return 0;
}

static int check_smep(char *d, size_t n)
{
	return check_cr4_bit(d, n, "SMEP", cpu_features.smep, X86_CR4_SMEP);
}

static int check_smap(char *d, size_t n)
{
	return check_cr4_bit(d, n, "SMAP", cpu_features.smap, X86_CR4_SMAP);
}

#define TSC_MIN_HZ 100000000ULL	  /* 100 MHz */
#define TSC_MAX_HZ 20000000000ULL /* 20 GHz */

static int check_tsc(char *d, size_t n)
{
	uint64_t hz = arch_tsc_hz(), a, b;

	if (hz < TSC_MIN_HZ || hz > TSC_MAX_HZ) {
		snprintf(d, n, "TSC frequency %llu Hz is implausible", (unsigned long long)hz);
		return -1;
	}
	a = arch_now_ns();
	udelay(1000);
	b = arch_now_ns();
	if (b < a + 1000000) {
		snprintf(d, n, "arch_now_ns advanced %llu ns over a 1 ms delay",
			 (unsigned long long)(b - a));
		return -1;
	}
	snprintf(d, n, "%llu.%03llu MHz, arch_now_ns monotonic", (unsigned long long)(hz / 1000000),
		 (unsigned long long)(hz / 1000 % 1000));
	return 0;
}

#define TIMER_TICKS_WANTED 5
#define TIMER_TIMEOUT_NS 2000000000ULL

/* Interrupts are on only here during boot: proves the IDT, the APIC and EOI work. */
static int check_timer(char *d, size_t n)
{
	uint64_t t0, start, got, elapsed;

	if (!apic_timer_hz()) {
		snprintf(d, n, "APIC timer not running");
		return -1;
	}
	start = apic_timer_ticks();
	t0 = arch_now_ns();
	local_irq_enable();
	while (apic_timer_ticks() - start < TIMER_TICKS_WANTED &&
	       arch_now_ns() - t0 < TIMER_TIMEOUT_NS) {
		/* Not hlt: with no interrupt coming, the timeout must still end the wait. */
		cpu_relax();
	}
	local_irq_disable();
	got = apic_timer_ticks() - start;
	elapsed = arch_now_ns() - t0;
	if (got < TIMER_TICKS_WANTED) {
		snprintf(d, n, "%llu of %d ticks within %llu ms", (unsigned long long)got,
			 TIMER_TICKS_WANTED, (unsigned long long)(elapsed / 1000000));
		return -1;
	}
	snprintf(d, n, "%llu ticks in %llu ms at %llu Hz", (unsigned long long)got,
		 (unsigned long long)(elapsed / 1000000), (unsigned long long)apic_timer_hz());
	return 0;
}

const struct selfcheck arch_selfchecks[] = {
    {"wx", check_wx},
    {"sections", check_sections},
    {"nx", check_nx},
    {"smep", check_smep},
    {"smap", check_smap},
    {"tsc", check_tsc},
    {"timer", check_timer},
    {"vcpu-stack-guard", check_vcpu_stack_guard},
    {"smp", smp_check_cpus},
    {"ipi", smp_check_ipi},
    {"tlb-shootdown", smp_check_tlb_shootdown},
    {"guest-tlb", smp_check_guest_tlb},
};
const size_t nr_arch_selfchecks = ARRAY_SIZE(arch_selfchecks);
