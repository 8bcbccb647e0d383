/*
 * The C entry point and the boot sequence.
 *
 * Order matters: the console first (so every later failure is visible),
 * the CPU tables next (so a fault is reported instead of triple-faulting),
 * then the boot information (copied out while the boot tables still map
 * it), the command line, the real page tables, memory, time, the
 * self-checks, and finally the decision about dom0.
 */
#include <arch/power.h>
#include <arch/smp.h>
#include <asm/bench.h>
#include <asm/cpu.h>
#include <asm/dom0_build.h>
#include <asm/layout.h>
#include <asm/multiboot2.h>
#include <asm/paging.h>
#include <asm/pv_mm.h>
#include <asm/serial.h>
#include <asm/setup.h>
#include <asm/smp.h>
#include <asm/time.h>
#include <bench_memcpy.h>
#include <bootdomain.h>
#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <frame.h>
#include <heap.h>
#include <lib.h>
#include <sched.h>
#include <selfcheck.h>

#include <xsm/xsm.h>

#define PALISADE_VERSION "0.1.0"
#define TIMER_HZ 100
/* head.S maps the first 4 GiB at the direct map; GRUB keeps its data there. */
#define BOOT_MAPPED_LIMIT (4ULL << 30)

static struct boot_info boot_info;

const char *hypervisor_cmdline(void)
{
	return boot_info.cmdline;
}
static char boot_err[256];

void boot_fail(const char *why)
{
	pr_err("Boot error: %s\n", why);
	pr_err("Powering off (status %d)\n", EXIT_BAD_BOOT);
	arch_poweroff(EXIT_BAD_BOOT);
}

static void parse_boot_info(uint64_t info_pa)
{
	const void *info;
	size_t avail;
	uint32_t size;
	int rc;

	if (info_pa == 0 || info_pa >= BOOT_MAPPED_LIMIT - 8 || (info_pa & 7)) {
		snprintf(boot_err, sizeof(boot_err), "boot information at %#llx is unusable",
			 (unsigned long long)info_pa);
		boot_fail(boot_err);
	}
	info = (const void *)(DIRECTMAP_VIRT_START + info_pa);
	avail = MIN(BOOT_MAPPED_LIMIT - info_pa, (uint64_t)MB2_MAX_INFO_SIZE);
	rc = mb2_parse(info, avail, info_pa, image_phys_start(), image_phys_end(), &boot_info,
		       boot_err, sizeof(boot_err));
	if (rc) {
		boot_fail(boot_err);
	}
	memcpy(&size, info, sizeof(size));
	rc = test_hook_boot_info(info, size, info_pa, &boot_info, boot_err, sizeof(boot_err));
	if (rc) {
		boot_fail(boot_err);
	}
}

static void print_boot_info(const struct boot_info *bi)
{
	size_t i;

	pr_info("Boot loader: %s\n", bi->have_loader ? bi->loader : "(not named)");
	pr_info("Command line: %s\n", bi->cmdline);
	pr_info("Memory map:\n");
	for (i = 0; i < bi->nr_mmap; i++) {
		const struct mb2_mmap_entry *e = &bi->mmap[i];

		pr_info("  %016llx - %016llx %s\n", (unsigned long long)e->addr,
			(unsigned long long)(e->addr + e->len), mb2_mem_type_name(e->type));
	}
	pr_info("Total memory: %llu MiB (%llu bytes)\n", (unsigned long long)(bi->total_ram >> 20),
		(unsigned long long)bi->total_ram);
	if (bi->nr_modules == 0) {
		pr_info("Modules: none\n");
	}
	for (i = 0; i < bi->nr_modules; i++) {
		const struct mb2_module *m = &bi->modules[i];

		pr_info("Module %zu: %016llx - %016llx (%llu bytes) cmdline \"%s\"\n", i,
			(unsigned long long)m->start, (unsigned long long)m->end,
			(unsigned long long)(m->end - m->start), m->cmdline);
	}
}

static struct mem_range ram[MB2_MAX_MMAP];
static struct mem_range reserved[MB2_MAX_MODULES + 3];

static void setup_memory(const struct boot_info *bi)
{
	size_t nr_ram = 0, nr_res = 0, i;
	paddr_t tramp;
	void *ring;
	int rc;

	for (i = 0; i < bi->nr_mmap; i++) {
		if (bi->mmap[i].type == MB2_MEM_AVAILABLE) {
			ram[nr_ram].start = bi->mmap[i].addr;
			ram[nr_ram].end = bi->mmap[i].addr + bi->mmap[i].len;
			nr_ram++;
		}
	}
	reserved[nr_res++] = (struct mem_range){image_phys_start(), image_phys_end()};
	reserved[nr_res++] = (struct mem_range){bi->info_start, bi->info_end};
	for (i = 0; i < bi->nr_modules; i++) {
		reserved[nr_res++] = (struct mem_range){bi->modules[i].start, bi->modules[i].end};
	}
	/* The APs' real-mode entry page stays out of the allocator for good. */
	tramp = smp_trampoline_page(bi);
	if (tramp) {
		reserved[nr_res++] = (struct mem_range){tramp, tramp + PAGE_SIZE};
	}

	rc = paging_init(ram, nr_ram);
	if (rc) {
		snprintf(boot_err, sizeof(boot_err), "page tables: error %d", rc);
		boot_fail(boot_err);
	}
	pr_info("Memory: image %#llx-%#llx at %p, direct map at %#llx\n",
		(unsigned long long)image_phys_start(), (unsigned long long)image_phys_end(),
		(void *)__image_start, (unsigned long long)DIRECTMAP_VIRT_START);

	rc = frame_alloc_init(ram, nr_ram, reserved, nr_res);
	if (rc) {
		snprintf(boot_err, sizeof(boot_err), "frame allocator: error %d", rc);
		boot_fail(boot_err);
	}
	pr_info("Memory: %llu frames usable, %llu free, max_mfn %#llx\n",
		(unsigned long long)frame_total_count(), (unsigned long long)frame_free_count(),
		(unsigned long long)max_mfn);
	rc = heap_init();
	if (rc) {
		snprintf(boot_err, sizeof(boot_err), "heap: error %d", rc);
		boot_fail(boot_err);
	}
	ring = xmalloc(boot_opts.conring_size);
	if (!ring || console_ring_init(ring, boot_opts.conring_size)) {
		pr_warn("console: no %zu byte ring, keeping the early one\n",
			boot_opts.conring_size);
		xfree(ring);
	}
}

static void setup_time(void)
{
	int rc = tsc_init();

	if (rc) {
		pr_err("TSC: calibration against the PIT failed (%d)\n", rc);
	} else {
		pr_info("TSC: %llu.%03llu MHz (calibrated against PIT channel 2)%s\n",
			(unsigned long long)(arch_tsc_hz() / 1000000),
			(unsigned long long)(arch_tsc_hz() / 1000 % 1000),
			cpu_features.invariant_tsc ? ", invariant" : "");
	}
	rc = apic_timer_init(TIMER_HZ);
	if (rc) {
		pr_err("APIC timer: not started (%d)\n", rc);
	}
}

static void module_of(const struct mb2_module *m, struct dom0_module *out)
{
	out->data = (const void *)(DIRECTMAP_VIRT_START + m->start);
	out->size = m->end - m->start;
	out->cmdline = m->cmdline;
}

/*
 * The reference for the PV hypercall benchmark (make bench): the cost of
 * the syscall/sysret pair alone, measured here once per dom0 boot, after a
 * warm-up run. Cheap: a few thousand instructions.
 */
#define BARE_SYSCALL_ITERS 1000

static void measure_bare_syscall(void)
{
	uint64_t cycles;

	if (arch_bench_bare_syscall(100, &cycles) ||
	    arch_bench_bare_syscall(BARE_SYSCALL_ITERS, &cycles)) {
		pr_warn("bench: bare syscall/sysret not measured\n");
		return;
	}
	cycles = cycles * 100 / BARE_SYSCALL_ITERS;
	pr_info("bench: bare syscall/sysret round trip: %llu.%02llu cycles (%u iterations)\n",
		(unsigned long long)(cycles / 100), (unsigned long long)(cycles % 100),
		BARE_SYSCALL_ITERS);
}

/*
 * The reference for the grant copy benchmark (issue 11): the hypervisor's
 * own memcpy of a 4 KiB page, once per boot that builds domains, after a
 * warm-up copy. About MEMCPY_ITERS x 4 KiB of copying.
 */
#define MEMCPY_ITERS 32

static void measure_memcpy(void)
{
	uint64_t cycles;
	int rc = bench_memcpy_page(MEMCPY_ITERS, &cycles);

	if (rc) {
		pr_warn("bench: memcpy of 4096 bytes not measured (%d)\n", rc);
		return;
	}
	cycles = cycles * 100 / MEMCPY_ITERS;
	pr_info("bench: hypervisor memcpy of 4096 bytes: %llu.%02llu cycles (%u iterations)\n",
		(unsigned long long)(cycles / 100), (unsigned long long)(cycles % 100),
		MEMCPY_ITERS);
}

/*
 * The first module is dom0's kernel (its command line is dom0's), the next
 * its initrd; a FLASK policy module (xsm_module_is_policy) is not counted.
 * A kernel the builder refuses ends the boot as bad boot input (status 2)
 * with the builder's reason.
 */
static void __attribute__((noreturn)) finish_boot(const struct boot_info *bi)
{
	struct dom0_module mods[2];
	struct dom0_entry entry;
	unsigned int dom0_vcpus;
	size_t i, n = 0, nr_desc = 0;
	char err[160];
	int rc;

	for (i = 0; i < bi->nr_modules; i++) {
		char rd[BOOTDOM_NAME_MAX];

		if (xsm_module_is_policy(i)) {
			continue;
		}
		/* Boot-time domains and their ramdisks: pv/bootdom_build.c. */
		if (bootdom_is_description(bi->modules[i].cmdline)) {
			nr_desc++;
			continue;
		}
		if (bootdom_ramdisk_of(bi->modules[i].cmdline, rd, sizeof(rd))) {
			continue;
		}
		if (n < 2) {
			module_of(&bi->modules[i], &mods[n++]);
		} else {
			pr_info("dom0: module %zu (\"%s\") not used\n", i, bi->modules[i].cmdline);
		}
	}
	if (n == 0 && nr_desc == 0) {
		pr_info("No dom0 to start: powering off\n");
		arch_poweroff(EXIT_OK);
	}
	rc = domain_init();
	if (!rc) {
		rc = sched_init();
	}
	if (!rc) {
		const uint64_t *hv_l4 =
		    (const uint64_t *)(DIRECTMAP_VIRT_START + (read_cr3() & PTE_ADDR_MASK));

		rc = mm_init(hv_l4);
	}
	if (rc) {
		snprintf(boot_err, sizeof(boot_err), "PV memory and domains: error %d", rc);
		boot_fail(boot_err);
	}
	measure_memcpy();
	if (n && nr_desc) {
		/* dom0 follows the boot-time domUs: none of them may take its label. */
		xsm_dom0_label_reserve();
	}
	if (nr_desc && !bootdom_start_all(bi->modules, bi->nr_modules) && n == 0) {
		boot_fail("no boot-time domain could be started");
	}
	if (n == 0) {
		/* dom0 is optional with boot-time domains; then the last one to go ends the
		 * machine. */
		domain_set_poweroff_when_none(true);
		xsm_boot_done();
		sched_start();
	}
	measure_bare_syscall();
	rc = cmdline_dom0_vcpus(boot_opts.dom0_max_vcpus, arch_nr_cpus(), MAX_VIRT_CPUS,
				&dom0_vcpus, err, sizeof(err));
	if (rc) {
		boot_fail(err);
	}
	rc = dom0_build(&mods[0], n > 1 ? &mods[1] : NULL, boot_opts.dom0_mem, dom0_vcpus, &entry,
			err, sizeof(err));
	if (rc) {
		snprintf(boot_err, sizeof(boot_err), "dom0 kernel: %s", err);
		boot_fail(boot_err);
	}
	/* The boot domains are built: the hypervisor leaves its boot label. */
	xsm_boot_done();
	dom0_start(&entry);
}

void start_palisade(uint64_t magic, uint64_t info_pa)
{
	struct xsm_boot_module xsm_mods[MB2_MAX_MODULES];
	unsigned int failed;
	size_t i;

	serial_init();
	pr_info("Palisade %s%s (x86_64)\n", PALISADE_VERSION, test_variant_name);
	if (magic != MB2_LOADER_MAGIC) {
		snprintf(boot_err, sizeof(boot_err),
			 "not started by a multiboot2 loader (magic %#llx)",
			 (unsigned long long)magic);
		boot_fail(boot_err);
	}
	cpu_init();
	parse_boot_info(info_pa);
	cmdline_parse(boot_info.cmdline, &boot_opts);
	console_set_loglvl(boot_opts.loglvl);
	if (strcmp(boot_opts.console, "com1") != 0) {
		pr_warn("console=%s: only com1 exists in this build, using it\n",
			boot_opts.console);
	}
	print_boot_info(&boot_info);
	/* While the boot tables still map the first 4 GiB, where the firmware's tables are. */
	smp_discover(&boot_info);
	pr_info("CPU: SMEP %s, SMAP %s, NX on, 1G pages %s\n",
		cpu_features.smep ? "on" : "not supported",
		cpu_features.smap ? "on" : "not supported", cpu_features.pdpe1gb ? "yes" : "no");
	setup_memory(&boot_info);
	setup_time();
	smp_boot_aps();

	test_hook_pre_selfcheck(boot_info.cmdline);
	failed = selfcheck_run();
	if (failed) {
		pr_err("selfcheck: %u check(s) failed: stopping (status %d)\n", failed,
		       EXIT_SELFCHECK);
		arch_poweroff(EXIT_SELFCHECK);
	}
	test_hook_late(boot_info.cmdline);
	/* XSM: the policy module, xsm=/flask=/dom0_label=, before any domain exists. */
	for (i = 0; i < boot_info.nr_modules; i++) {
		xsm_mods[i].data =
		    (const void *)(DIRECTMAP_VIRT_START + boot_info.modules[i].start);
		xsm_mods[i].size = boot_info.modules[i].end - boot_info.modules[i].start;
	}
	if (xsm_boot(xsm_mods, boot_info.nr_modules, boot_err, sizeof(boot_err))) {
		boot_fail(boot_err);
	}
	finish_boot(&boot_info);
}
