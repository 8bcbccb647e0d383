/*
 * Bringing the application processors up.
 *
 * The CPU list comes from the ACPI MADT (acpi_madt.c), read while the boot
 * page tables still map the firmware. After the APIC timer runs, each AP
 * is started in turn with INIT, SIPI, SIPI (Intel SDM vol. 3, "MP
 * initialization"): the SIPI's vector names the page below 1 MiB that
 * holds the trampoline (trampoline.S). The boot CPU waits for one AP to
 * say it is online before it starts the next, so a single set of boot
 * parameters (ap_boot_*) serves them all.
 */
#include <arch/smp.h>
#include <asm/cpu.h>
#include <asm/current.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <cmdline.h>
#include <console.h>
#include <lib.h>
#include <public/errno.h>

#define ICR_INIT 0x00000500U
#define ICR_STARTUP 0x00000600U
#define ICR_ASSERT 0x00004000U
#define ICR_LEVEL 0x00008000U
#define INIT_DELAY_US 10000
#define SIPI_DELAY_US 200
/* Generous: QEMU's TCG runs several vCPUs on two host cores. */
#define AP_ONLINE_TIMEOUT_NS 10000000000ULL
#define LOW_MEM_TOP 0x9f000ULL

struct percpu percpu[NR_CPUS];
unsigned int smp_test_faults;

static struct acpi_cpus cpus = {.nr = 1, .nr_enabled = 1};
static paddr_t tramp_pa;
static unsigned int nr_online = 1;
static cpumask_t online_mask = 1;
static unsigned int cpus_wanted = 1;

/* Read by ap_start64 (trampoline.S) and ap_start_c; one AP at a time. */
uint64_t ap_boot_cr3, ap_boot_stack;
uint32_t ap_boot_cpu;
static uint64_t bsp_cr0, bsp_cr4;

/* trampoline.S */
extern const char ap_trampoline_start[], ap_trampoline_end[];
extern const char ap_tramp_gdt[], ap_tramp_gdt_desc[], ap_tramp_jump32[], ap_tramp_jump64[];
extern const char ap_tramp_start32[], ap_tramp_start64[];

unsigned int arch_nr_cpus(void)
{
	return nr_online;
}

cpumask_t arch_cpu_online_mask(void)
{
	return online_mask;
}

unsigned int smp_cpus_wanted(void)
{
	return cpus_wanted;
}

uint32_t smp_apic_id(unsigned int cpu)
{
	return cpu < NR_CPUS ? percpu[cpu].apic_id : 0;
}

static uint32_t bsp_apic_id_from_cpuid(void)
{
	uint32_t a, b, c, d;

	cpuid_count(1, 0, &a, &b, &c, &d);
	return b >> 24;
}

void smp_discover(const struct boot_info *bi)
{
	uint32_t bsp = bsp_apic_id_from_cpuid();
	char why[160], ids[NR_CPUS * 4 + 1];
	unsigned int i;
	size_t o = 0;
	int rc;

	smp_test_faults = test_hook_smp(hypervisor_cmdline());
	rc = acpi_find_cpus(bi, bsp, &cpus, why, sizeof(why));
	if (rc) {
		cpus.nr = 1;
		cpus.nr_enabled = 1;
		cpus.apic_id[0] = bsp;
		pr_warn("ACPI: no CPU list (%s): running on the boot CPU only\n", why);
	} else {
		for (i = 0; i < cpus.nr; i++) {
			o += snprintf(ids + o, sizeof(ids) - o, " %u", cpus.apic_id[i]);
		}
		pr_info("ACPI: MADT lists %u enabled CPUs, APIC ids%s\n", cpus.nr_enabled, ids);
		if (cpus.nr_enabled > cpus.nr) {
			pr_warn("ACPI: %u CPUs not used (at most %d)\n", cpus.nr_enabled - cpus.nr,
				NR_CPUS);
		}
	}
	percpu[0].apic_id = bsp;
	cpus_wanted = cpus.nr;
	if (boot_opts.nosmp) {
		cpus_wanted = 1;
	} else if (boot_opts.maxcpus > 0 && (unsigned int)boot_opts.maxcpus < cpus_wanted) {
		cpus_wanted = boot_opts.maxcpus;
	}
	if (cpus_wanted < cpus.nr) {
		pr_info("SMP: %u of %u CPUs will be used (%s)\n", cpus_wanted, cpus.nr,
			boot_opts.nosmp ? "nosmp" : "maxcpus=");
	}
}

static bool page_is_free(const struct boot_info *bi, paddr_t p)
{
	size_t j;

	if (p < bi->info_end && p + PAGE_SIZE > bi->info_start) {
		return false;
	}
	for (j = 0; j < bi->nr_modules; j++) {
		if (p < bi->modules[j].end && p + PAGE_SIZE > bi->modules[j].start) {
			return false;
		}
	}
	return true;
}

/* The highest free page of low RAM, never page 0 (the real-mode IVT and BDA). */
paddr_t smp_trampoline_page(const struct boot_info *bi)
{
	paddr_t best = 0;
	size_t i;

	for (i = 0; i < bi->nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];
		paddr_t s = MAX(ALIGN_UP(e->addr, PAGE_SIZE), (paddr_t)PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(MIN(e->addr + e->len, LOW_MEM_TOP), PAGE_SIZE);
		paddr_t p;

		if (e->type != MB2_MEM_AVAILABLE || end < s + PAGE_SIZE) {
			continue;
		}
		for (p = end - PAGE_SIZE; p >= s && p > best; p -= PAGE_SIZE) {
			if (page_is_free(bi, p)) {
				best = p;
				break;
			}
		}
	}
	tramp_pa = best;
	return best;
}

static void put32(char *base, const char *field, uint32_t v)
{
	memcpy(base + (field - ap_trampoline_start), &v, sizeof(v));
}

static void install_trampoline(void)
{
	char *t = (char *)DIRECTMAP_VIRT_START + tramp_pa;
	uint32_t gdt_pa = (uint32_t)tramp_pa + (uint32_t)(ap_tramp_gdt - ap_trampoline_start);

	memcpy(t, ap_trampoline_start, ap_trampoline_end - ap_trampoline_start);
	/* The descriptor's base follows its 16-bit limit. */
	memcpy(t + (ap_tramp_gdt_desc - ap_trampoline_start) + 2, &gdt_pa, sizeof(gdt_pa));
	put32(t, ap_tramp_jump32, tramp_pa + (ap_tramp_start32 - ap_trampoline_start));
	put32(t, ap_tramp_jump64, tramp_pa + (ap_tramp_start64 - ap_trampoline_start));
}

/* INIT, then two SIPIs, as the SDM's MP initialisation protocol has it. */
static int start_ap(uint32_t apic)
{
	int rc = apic_send_icr(apic, ICR_INIT | ICR_ASSERT | ICR_LEVEL);

	if (rc) {
		return rc;
	}
	udelay(INIT_DELAY_US);
	if (smp_test_faults & SMP_TEST_NOSIPI) {
		return 0;
	}
	for (int i = 0; i < 2; i++) {
		rc = apic_send_icr(apic, ICR_STARTUP | (uint32_t)(tramp_pa >> 12));
		if (rc) {
			return rc;
		}
		udelay(SIPI_DELAY_US);
	}
	return 0;
}

static bool wait_online(unsigned int cpu)
{
	uint64_t t0 = arch_now_ns();

	while (!percpu[cpu].online) {
		if (arch_now_ns() - t0 > AP_ONLINE_TIMEOUT_NS) {
			return false;
		}
		cpu_relax();
	}
	return true;
}

void smp_boot_aps(void)
{
	unsigned int cpu;
	int rc;

	if (cpus_wanted <= 1) {
		pr_info("SMP: 1 CPU online (APIC id %u)\n", percpu[0].apic_id);
		return;
	}
	if (!apic_mapped() || !tramp_pa) {
		pr_warn("SMP: %s: running on the boot CPU only\n",
			!apic_mapped() ? "no local APIC timer" : "no free page below 1 MiB");
		cpus_wanted = 1;
		return;
	}
	install_trampoline();
	bsp_cr0 = read_cr0();
	bsp_cr4 = read_cr4();
	ap_boot_cr3 = read_cr3();
	for (cpu = 1; cpu < cpus_wanted; cpu++) {
		uint32_t apic = cpus.apic_id[cpu];

		percpu[cpu].apic_id = apic;
		ap_boot_cpu = cpu;
		ap_boot_stack = cpu_ap_stack_top(cpu);
		__sync_synchronize();
		rc = start_ap(apic);
		if (rc || !wait_online(cpu)) {
			/* A late riser finds no CPU number to be and halts (ap_start_c). */
			ap_boot_cpu = NR_CPUS;
			__sync_synchronize();
			pr_err("SMP: CPU%u (APIC id %u) did not come up (%s)\n", cpu, apic,
			       rc ? "the APIC did not send INIT/SIPI" : "no answer");
			break;
		}
		pr_info("SMP: CPU%u (APIC id %u) online\n", cpu, apic);
	}
	pr_info("SMP: %u of %u CPUs online\n", nr_online, cpus_wanted);
}

void __attribute__((noreturn)) ap_start_c(uint32_t cpu);

void __attribute__((noreturn)) ap_start_c(uint32_t cpu)
{
	struct percpu *pc;

	if (cpu == 0 || cpu >= NR_CPUS) {
		for (;;) {
			__asm__ volatile("cli; hlt");
		}
	}
	cpu_init_ap(cpu, bsp_cr0, bsp_cr4);
	pc = &percpu[cpu];
	pc->id_seen = arch_cpu_id();
	pc->cr0 = read_cr0();
	pc->cr4 = read_cr4();
	pc->efer = rdmsr(MSR_EFER);
	pc->star = rdmsr(MSR_STAR);
	pc->lstar = rdmsr(MSR_LSTAR);
	pc->fmask = rdmsr(MSR_FMASK);
	if (apic_ap_init()) {
		pr_err("SMP: CPU%u: its local APIC did not start\n", cpu);
	}
	/* Counted before online: the boot CPU reads both once online is set. */
	__sync_fetch_and_or(&online_mask, 1ULL << cpu);
	__sync_fetch_and_add(&nr_online, 1);
	pc->online = true;
	arch_cpu_idle_loop();
}

struct vcpu *arch_current_slow(void)
{
	return percpu[arch_cpu_id()].curr;
}
