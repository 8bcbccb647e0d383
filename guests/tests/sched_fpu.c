/*
 * FPU/SSE state and segment bases across vcpu switches (sched-fpu-2):
 * two boot-time domUs, each with its own pattern (seeded by the first
 * letter of its command line) in xmm0-xmm7, the x87 control word and
 * MXCSR, and FS and kernel GS bases pointing at words of its own
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
#define ROUNDS 100

struct fpu_regs {
	uint64_t xmm[16]; /* xmm0-xmm7, two quadwords each */
	uint32_t mxcsr;
	uint16_t fcw;
};

static void load(const struct fpu_regs *r)
{
	asm volatile("movdqu 0(%0), %%xmm0\n\tmovdqu 16(%0), %%xmm1\n\t"
		     "movdqu 32(%0), %%xmm2\n\tmovdqu 48(%0), %%xmm3\n\t"
		     "movdqu 64(%0), %%xmm4\n\tmovdqu 80(%0), %%xmm5\n\t"
		     "movdqu 96(%0), %%xmm6\n\tmovdqu 112(%0), %%xmm7\n\t"
		     "ldmxcsr %1\n\tfldcw %2"
		     :
		     : "r"(r->xmm), "m"(r->mxcsr), "m"(r->fcw)
		     : "memory");
}

static void store(struct fpu_regs *r)
{
	asm volatile("movdqu %%xmm0, 0(%0)\n\tmovdqu %%xmm1, 16(%0)\n\t"
		     "movdqu %%xmm2, 32(%0)\n\tmovdqu %%xmm3, 48(%0)\n\t"
		     "movdqu %%xmm4, 64(%0)\n\tmovdqu %%xmm5, 80(%0)\n\t"
		     "movdqu %%xmm6, 96(%0)\n\tmovdqu %%xmm7, 112(%0)\n\t"
		     "stmxcsr %1\n\tfnstcw %2"
		     :
		     : "r"(r->xmm), "m"(r->mxcsr), "m"(r->fcw)
		     : "memory");
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
	unsigned int i, round, bad = 0, bad_bases = 0;

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	asm volatile("mov %0, %%cr4" : : "r"(cr4));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	if (!(cr4 & CR4_OSFXSR)) {
		test_report(TEST_ERROR, "CR4.OSFXSR did not stick");
	}
	for (i = 0; i < 16; i++) {
		want.xmm[i] = (seed << 56) | ((uint64_t)i << 48) | (0x0123456789abULL * (seed + i));
	}
	/* Rounding mode and precision control differ between the two seeds. */
	want.mxcsr = 0x1f80 | (uint32_t)(seed & 3) << 13;
	want.fcw = 0x037f & ~(uint16_t)((seed & 1) << 8);
	gprintf("sched_fpu: pattern %c, mxcsr %#x, fcw %#x\n", (int)seed, want.mxcsr, want.fcw);
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
		if (memcmp(got.xmm, want.xmm, sizeof(want.xmm)) || got.mxcsr != want.mxcsr ||
		    got.fcw != want.fcw) {
			bad++;
			load(&want);
		}
		bad_bases += !bases_ok();
	}
	test_check(runtime_runnable_ns() > r0, "the yields switched to the other domain");
	test_check(bad == 0, "own FPU/SSE state after every yield (%u of %u rounds wrong)", bad,
		   ROUNDS);
	test_check(bad_bases == 0, "own FS and GS bases after every yield (%u of %u rounds wrong)",
		   bad_bases, ROUNDS);
	test_finish();
}
