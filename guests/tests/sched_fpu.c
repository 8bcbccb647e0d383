/*
 * FPU/SSE/AVX state and segment bases across vcpu switches (sched-fpu-2,
 * sched-fpu-2-smp2): two boot-time domUs, each with its own pattern
 * (seeded by the first letter of its command line) in ymm0-ymm7 (the
 * XMM halves and the upper halves, after CR4.OSXSAVE and an emulated
 * xsetbv enabling AVX), the x87 control word and MXCSR, and FS and
 * kernel GS bases pointing at words of its own
 * (set_segment_base), yield to each other and check after every yield that
 * their registers still hold their own pattern and %fs:0, %gs:0 their own
 * words. SSE needs CR4.OSFXSR, a guest-owned CR4 bit the hypervisor
 * applies per vcpu (emulated mov to %cr4). Guests are built without SSE
 * (-mgeneral-regs-only), so only these asm blocks touch the registers.
 */
#include <public/vcpu.h>

#include "guest.h"

#define CR4_OSFXSR (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)
#define CR4_OSXSAVE (1ULL << 18)
#define XCR0_X87_SSE_AVX 7U
#define ROUNDS 100

struct fpu_regs {
	uint64_t ymm[32]; /* ymm0-ymm7, four quadwords each: the XMM half, then the upper */
	uint32_t mxcsr;
	uint16_t fcw;
};

static void load_ymm(const struct fpu_regs *r)
{
	asm volatile("vmovdqu 0(%0), %%ymm0\n\tvmovdqu 32(%0), %%ymm1\n\t"
		     "vmovdqu 64(%0), %%ymm2\n\tvmovdqu 96(%0), %%ymm3\n\t"
		     "vmovdqu 128(%0), %%ymm4\n\tvmovdqu 160(%0), %%ymm5\n\t"
		     "vmovdqu 192(%0), %%ymm6\n\tvmovdqu 224(%0), %%ymm7\n\t"
		     "ldmxcsr %1\n\tfldcw %2"
		     :
		     : "r"(r->ymm), "m"(r->mxcsr), "m"(r->fcw)
		     : "memory");
}

static void store_ymm(struct fpu_regs *r)
{
	asm volatile("vmovdqu %%ymm0, 0(%0)\n\tvmovdqu %%ymm1, 32(%0)\n\t"
		     "vmovdqu %%ymm2, 64(%0)\n\tvmovdqu %%ymm3, 96(%0)\n\t"
		     "vmovdqu %%ymm4, 128(%0)\n\tvmovdqu %%ymm5, 160(%0)\n\t"
		     "vmovdqu %%ymm6, 192(%0)\n\tvmovdqu %%ymm7, 224(%0)\n\t"
		     "stmxcsr %1\n\tfnstcw %2"
		     :
		     : "r"(r->ymm), "m"(r->mxcsr), "m"(r->fcw)
		     : "memory");
}

/* Without AVX: the XMM halves only, at the same places in ymm[]. */
static void load_xmm(const struct fpu_regs *r)
{
	asm volatile("movdqu 0(%0), %%xmm0\n\tmovdqu 32(%0), %%xmm1\n\t"
		     "movdqu 64(%0), %%xmm2\n\tmovdqu 96(%0), %%xmm3\n\t"
		     "movdqu 128(%0), %%xmm4\n\tmovdqu 160(%0), %%xmm5\n\t"
		     "movdqu 192(%0), %%xmm6\n\tmovdqu 224(%0), %%xmm7\n\t"
		     "ldmxcsr %1\n\tfldcw %2"
		     :
		     : "r"(r->ymm), "m"(r->mxcsr), "m"(r->fcw)
		     : "memory");
}

static void store_xmm(struct fpu_regs *r)
{
	asm volatile("movdqu %%xmm0, 0(%0)\n\tmovdqu %%xmm1, 32(%0)\n\t"
		     "movdqu %%xmm2, 64(%0)\n\tmovdqu %%xmm3, 96(%0)\n\t"
		     "movdqu %%xmm4, 128(%0)\n\tmovdqu %%xmm5, 160(%0)\n\t"
		     "movdqu %%xmm6, 192(%0)\n\tmovdqu %%xmm7, 224(%0)\n\t"
		     "stmxcsr %1\n\tfnstcw %2"
		     :
		     : "r"(r->ymm), "m"(r->mxcsr), "m"(r->fcw)
		     : "memory");
}

static bool have_avx;

static void load(const struct fpu_regs *r)
{
	if (have_avx) {
		load_ymm(r);
	} else {
		load_xmm(r);
	}
}

static void store(struct fpu_regs *r)
{
	memset(r, 0, sizeof(*r));
	if (have_avx) {
		store_ymm(r);
	} else {
		store_xmm(r);
	}
}

/* Which quadwords differ, XMM halves and upper halves counted apart. */
static void count_diff(const struct fpu_regs *a, const struct fpu_regs *b, unsigned int *lo,
		       unsigned int *hi)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		if (a->ymm[i] != b->ymm[i]) {
			if (i % 4 < 2) {
				(*lo)++;
			} else {
				(*hi)++;
			}
		}
	}
}

/*
 * AVX as a PV kernel turns it on: CR4.OSXSAVE (emulated), then xsetbv
 * (emulated). Without XSAVE and AVX offered (a CPU without them,
 * sched-fpu-2-noxsave) the XMM halves only; the cases say in their log
 * regexes which one they expect.
 */
static bool enable_avx(void)
{
	uint32_t r[4], lo, hi;
	uint64_t cr4;

	asm volatile(XEN_CPUID : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "0"(1), "2"(0));
	if (!(r[2] & (1U << 26)) && !(r[2] & (1U << 28))) {
		return false;
	}
	if ((r[2] & (3U << 27)) != (3U << 27)) {
		test_report(TEST_ERROR, "CPUID 1 offers XSAVE but not AVX/OSXSAVE (ecx %#x)", r[2]);
	}
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_OSXSAVE));
	asm volatile("xsetbv" : : "c"(0), "a"(XCR0_X87_SSE_AVX), "d"(0));
	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	if (lo != XCR0_X87_SSE_AVX || hi) {
		test_report(TEST_ERROR, "XCR0 %#x:%#x after xsetbv 7", hi, lo);
	}
	return true;
}

/*
 * Both domains run the same image, so the bases point at different slots
 * (by seed): a base left from the other domain reads another slot's word.
 */
static uint64_t fs_words[8], gs_words[8];
static unsigned int slot;

static bool bases_ok(void)
{
	uint64_t f, g;

	asm volatile("mov %%fs:0, %0\n\tmov %%gs:0, %1" : "=r"(f), "=r"(g));
	return f == fs_words[slot] && g == gs_words[slot];
}

void guest_main(struct start_info *si)
{
	uint64_t seed = ((const char *)si->cmd_line)[0], cr4, r0;
	struct fpu_regs want, got;
	unsigned int i, round, bad = 0, bad_bases = 0, bad_lo = 0, bad_hi = 0;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	asm volatile("mov %0, %%cr4" : : "r"(cr4));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	if (!(cr4 & CR4_OSFXSR)) {
		test_report(TEST_ERROR, "CR4.OSFXSR did not stick");
	}
	have_avx = enable_avx();
	for (i = 0; i < 32; i++) {
		bool upper = i % 4 >= 2;

		want.ymm[i] = have_avx || !upper ? (seed << 56) | ((uint64_t)i << 48) |
						       (0x0123456789abULL * (seed + i))
						 : 0;
	}
	/* Rounding mode and precision control differ between the two seeds. */
	want.mxcsr = 0x1f80 | (uint32_t)(seed & 3) << 13;
	want.fcw = 0x037f & ~(uint16_t)((seed & 1) << 8);
	gprintf("sched_fpu: pattern %c, mxcsr %#x, fcw %#x, %s\n", (int)seed, want.mxcsr, want.fcw,
		have_avx ? "ymm0-7 (AVX)" : "xmm0-7 (no AVX)");
	for (i = 0; i < 8; i++) {
		fs_words[i] = 0xf5f5000000000000ULL | i;
		gs_words[i] = 0x6565000000000000ULL | i;
	}
	slot = seed & 7;
	if (hypercall_set_segment_base(SEGBASE_FS, (uint64_t)&fs_words[slot]) ||
	    hypercall_set_segment_base(SEGBASE_GS_KERNEL, (uint64_t)&gs_words[slot]) ||
	    !bases_ok()) {
		test_report(TEST_ERROR, "set_segment_base FS / GS kernel did not take");
	}
	load(&want);
	r0 = runtime_runnable_ns();
	for (round = 0; round < ROUNDS; round++) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
		store(&got);
		if (memcmp(got.ymm, want.ymm, sizeof(want.ymm)) || got.mxcsr != want.mxcsr ||
		    got.fcw != want.fcw) {
			bad++;
			count_diff(&got, &want, &bad_lo, &bad_hi);
			load(&want);
		}
		bad_bases += !bases_ok();
	}
	test_check(runtime_runnable_ns() > r0, "the yields switched to the other domain");
	test_check(bad == 0,
		   "own FPU/SSE/AVX state after every yield (%u of %u rounds wrong; %u XMM, %u "
		   "YMM-upper quadwords differed)",
		   bad, ROUNDS, bad_lo, bad_hi);
	test_check(bad_bases == 0, "own FS and GS bases after every yield (%u of %u rounds wrong)",
		   bad_bases, ROUNDS);
	test_finish();
}
