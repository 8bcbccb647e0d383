/*
 * Issue 4's PV benchmark, the guest half (make bench; tests/hv/bench/bench-pv
 * boots it under -icount shift=0 and adds the hypervisor's own bare
 * syscall/sysret figure). Measured with rdtsc around loops of ITERS:
 *   - the null hypercall: xen_version(XENVER_version) through the hypercall
 *     page (call, stub, syscall, dispatch, return);
 *   - mmu_update of one L1 entry (alternating between two of our frames);
 *   - a multicall of 32 xen_version entries.
 * Every call's result is checked; a failing call makes the run FAILURE.
 */
#include "guest.h"
#include "layout.h"

#define ITERS 1000
#define MULTI 32
#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_A 0x20ULL
#define PTE_D 0x40ULL
#define ADDR_MASK 0x000ffffffffff000ULL

static const uint64_t *const m2p = (const uint64_t *)MACH2PHYS_VIRT_START;

static uint8_t target[4096] __attribute__((aligned(4096), section(".bss.page_aligned")));
static struct multicall_entry calls[MULTI];

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* Machine address of the L1 entry mapping va, walking the tables via the M2P. */
static uint64_t l1_entry_maddr(const struct start_info *si, uint64_t va)
{
	const uint64_t *t = (const uint64_t *)si->pt_base;
	unsigned int level;
	uint64_t e, pfn;

	for (level = 4; level > 1; level--) {
		e = t[(va >> (12 + 9 * (level - 1))) & 511];
		if (!(e & PTE_P)) {
			return 0;
		}
		pfn = m2p[(e & ADDR_MASK) >> 12];
		if (pfn >= si->nr_pages) {
			return 0;
		}
		t = (const uint64_t *)(GUEST_VIRT_BASE + pfn * 4096);
	}
	/* t is the L1 as we see it; its machine address through the p2m. */
	pfn = ((uint64_t)(uintptr_t)t - GUEST_VIRT_BASE) / 4096;
	return (((const uint64_t *)si->mfn_list)[pfn] << 12) + ((va >> 12) & 511) * 8;
}

/* a / b with two decimals, as "x.yy" (no floating point in a PV kernel). */
static void print_ratio(const char *what, uint64_t a, uint64_t b)
{
	uint64_t r = b ? a * 100 / b : 0;

	gprintf("bench: ratio %s: %llu.%02llu\n", what, (unsigned long long)(r / 100),
		(unsigned long long)(r % 100));
}

void guest_main(struct start_info *si)
{
	const uint64_t *p2m = (const uint64_t *)si->mfn_list;
	uint64_t t0, hc, mmu, multi, ptr, frames[2];
	struct mmu_update req;
	unsigned int i, j, done, bad = 0;
	long rc;

	/* Warm up every path once. */
	rc = hypercall_xen_version(XENVER_version, NULL);
	test_check(rc > 0, "xen_version(0) answers (%ld)", rc);

	t0 = tsc();
	for (i = 0; i < ITERS; i++) {
		bad += hypercall_xen_version(XENVER_version, NULL) != rc;
	}
	hc = tsc() - t0;
	test_check(bad == 0, "every xen_version(0) answered the same");

	ptr = l1_entry_maddr(si, (uint64_t)(uintptr_t)target);
	if (!test_check(ptr != 0, "found the L1 entry of the target page")) {
		test_finish();
	}
	/* Two frames of ours beyond the bootstrap region, mapped nowhere else. */
	frames[0] = p2m[si->nr_pages - 1];
	frames[1] = p2m[si->nr_pages - 2];
	req.ptr = ptr | MMU_NORMAL_PT_UPDATE;
	req.val = frames[1] << 12 | PTE_P | PTE_RW | PTE_A | PTE_D;
	rc = hypercall_mmu_update(&req, 1, &done, DOMID_SELF);
	test_check(rc == 0 && done == 1, "mmu_update warm-up (%ld, done %u)", rc, done);
	bad = 0;
	t0 = tsc();
	for (i = 0; i < ITERS; i++) {
		req.val = frames[i & 1] << 12 | PTE_P | PTE_RW | PTE_A | PTE_D;
		bad += hypercall_mmu_update(&req, 1, NULL, DOMID_SELF) != 0;
	}
	mmu = tsc() - t0;
	test_check(bad == 0, "every mmu_update succeeded (%u failed)", bad);
	/* The last update mapped frames[1] (ITERS is even); it must be visible. */
	target[0] = 0xa5;
	test_check(m2p[frames[1]] == si->nr_pages - 2, "M2P of the frame written through target");

	for (j = 0; j < MULTI; j++) {
		calls[j].op = __HYPERVISOR_xen_version;
		calls[j].args[0] = XENVER_version;
		calls[j].args[1] = 0;
	}
	rc = hypercall_multicall(calls, MULTI);
	test_check(rc == 0, "multicall warm-up (%ld)", rc);
	bad = 0;
	t0 = tsc();
	for (i = 0; i < ITERS; i++) {
		bad += hypercall_multicall(calls, MULTI) != 0;
	}
	multi = tsc() - t0;
	for (j = 0; j < MULTI; j++) {
		bad += (long)calls[j].result <= 0;
	}
	test_check(bad == 0, "every multicall and entry succeeded (%u failed)", bad);

	gprintf("bench: %u iterations each, TSC cycles per operation:\n", ITERS);
	gprintf("bench: null hypercall xen_version(0): %llu.%02llu\n",
		(unsigned long long)(hc / ITERS), (unsigned long long)(hc * 100 / ITERS % 100));
	gprintf("bench: mmu_update of 1 entry: %llu.%02llu\n", (unsigned long long)(mmu / ITERS),
		(unsigned long long)(mmu * 100 / ITERS % 100));
	gprintf("bench: multicall of 32 xen_version: %llu.%02llu\n",
		(unsigned long long)(multi / ITERS),
		(unsigned long long)(multi * 100 / ITERS % 100));
	print_ratio("mmu_update / hypercall", mmu, hc);
	print_ratio("multicall32 / (32 x hypercall)", multi, 32 * hc);
	test_finish();
}
