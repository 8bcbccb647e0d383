/*
 * XSAVE and AVX for a PV kernel (exec-xsave, exec-xsave-smp2):
 *  - the forced-emulation CPUID shows XSAVE, AVX and (from guest kernel
 *    mode) OSXSAVE in leaf 1, and leaf 0xD only x87|SSE|AVX with their
 *    sizes; every other component's sub-leaf is empty;
 *  - xgetbv is unprivileged and gives the vcpu's XCR0, x87|SSE at start;
 *  - xsetbv (emulated: ring 3 raises #GP) is #UD before the guest sets
 *    CR4.OSXSAVE, then #GP for ECX != 0, x87 clear, AVX without SSE,
 *    a component the hypervisor does not switch, a high bit, and from
 *    guest user mode (#GP whatever the value); a refusal leaves XCR0 as
 *    it was;
 *  - x87|SSE|AVX is taken: xgetbv and leaf 0xD's size follow, a VEX
 *    instruction runs; back to x87|SSE it is #UD again (the CPU's XCR0
 *    is really the vcpu's).
 */
#include "guest.h"

#define CR4_OSFXSR (1ULL << 9)
#define CR4_OSXSAVE (1ULL << 18)
#define X_FP 1ULL
#define X_SSE 2ULL
#define X_AVX 4ULL

/* Guest user mode: xsetbv of a valid value, then ud2 (never reached if refused). */
void user_xsetbv(void);
asm(".pushsection .text\n"
    ".globl user_xsetbv\n"
    "user_xsetbv:\n"
    "	xor %ecx, %ecx\n"
    "	mov $7, %eax\n"
    "	xor %edx, %edx\n"
    "	xsetbv\n"
    "	ud2\n"
    ".popsection");

static uint64_t user_stack[256] __attribute__((aligned(16)));

static void enter_user(void *arg)
{
	user_enter(gva(user_xsetbv), FLAT_USER_CS, gva(&user_stack[256]), 0x2);
}

struct xsetbv_arg {
	uint32_t ecx;
	uint64_t val;
};

static void xcpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	asm volatile(XEN_CPUID
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "0"(leaf), "2"(sub));
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void do_xsetbv(void *p)
{
	const struct xsetbv_arg *x = p;

	asm volatile("xsetbv"
		     :
		     : "c"(x->ecx), "a"((uint32_t)x->val), "d"((uint32_t)(x->val >> 32))
		     : "memory");
}

static void do_vex(void *p)
{
	/* vpxor on the YMM registers: #UD unless XCR0 enables AVX. */
	asm volatile("vpxor %%ymm0, %%ymm0, %%ymm0" ::: "memory");
}

/* xsetbv(ecx, val) must be refused with the given vector; XCR0 stays. */
static void expect_refused(uint32_t ecx, uint64_t val, unsigned int vector, const char *what)
{
	struct xsetbv_arg x = {ecx, val};
	struct trap_record rec;
	uint64_t before = xgetbv0();

	if (test_check(trap_catch(vector, do_xsetbv, &x, &rec), "xsetbv %s raises %s", what,
		       trap_name(vector)) &&
	    vector == TRAP_GP) {
		test_check(rec.error_code == 0, "xsetbv %s: #GP(0) (0x%llx)", what,
			   (unsigned long long)rec.error_code);
	}
	test_check(xgetbv0() == before, "xsetbv %s left XCR0 %#llx (now %#llx)", what,
		   (unsigned long long)before, (unsigned long long)xgetbv0());
}

static void set_xcr0(uint64_t val)
{
	struct xsetbv_arg x = {0, val};
	struct trap_record rec;

	test_check(!trap_catch(TRAP_GP, do_xsetbv, &x, &rec), "xsetbv %#llx accepted",
		   (unsigned long long)val);
	test_check(xgetbv0() == val, "XCR0 %#llx after xsetbv %#llx", (unsigned long long)xgetbv0(),
		   (unsigned long long)val);
}

static void test_cpuid(uint32_t *avx_size)
{
	uint32_t r[4], sub;

	xcpuid(1, 0, r);
	gprintf("exec_xsave: cpuid 1 ecx 0x%08x\n", r[2]);
	test_check(r[2] & (1U << 26), "leaf 1: XSAVE offered");
	test_check(r[2] & (1U << 27), "leaf 1: OSXSAVE shown to the kernel");
	test_check(r[2] & (1U << 28), "leaf 1: AVX offered");
	xcpuid(0xd, 2, r);
	*avx_size = r[1] + r[0];
	test_check(r[0] == 256 && r[1] >= 576, "leaf 0xD.2: AVX 256 bytes at %u (size %u)", r[1],
		   r[0]);
	xcpuid(0xd, 0, r);
	gprintf("exec_xsave: cpuid 0xd.0 eax %#x ebx %u ecx %u edx %#x\n", r[0], r[1], r[2], r[3]);
	test_check(r[0] == (X_FP | X_SSE | X_AVX) && r[3] == 0,
		   "leaf 0xD.0: components x87|SSE|AVX only (eax %#x edx %#x)", r[0], r[3]);
	test_check(r[1] == 576, "leaf 0xD.0: %u bytes for XCR0 x87|SSE (want 576)", r[1]);
	test_check(r[2] == *avx_size, "leaf 0xD.0: %u bytes at most (want %u)", r[2], *avx_size);
	xcpuid(0xd, 1, r);
	test_check(!(r[0] & (1U << 3)) && r[2] == 0 && r[3] == 0,
		   "leaf 0xD.1: no XSAVES, no XSS components (eax %#x ecx %#x edx %#x)", r[0], r[2],
		   r[3]);
	for (sub = 3; sub < 64; sub++) {
		xcpuid(0xd, sub, r);
		if (r[0] | r[1] | r[2] | r[3]) {
			test_check(false, "leaf 0xD.%u empty (%#x %#x %#x %#x)", sub, r[0], r[1],
				   r[2], r[3]);
		}
	}
}

void guest_main(struct start_info *si)
{
	struct trap_record rec;
	uint32_t r[4], avx_size;
	uint64_t cr4;

	test_cpuid(&avx_size);
	test_check(xgetbv0() == (X_FP | X_SSE), "XCR0 at start %#llx (want 0x3)",
		   (unsigned long long)xgetbv0());
	expect_refused(0, X_FP | X_SSE | X_AVX, TRAP_UD, "before CR4.OSXSAVE");

	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXSAVE;
	asm volatile("mov %0, %%cr4" : : "r"(cr4));
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	test_check(cr4 & CR4_OSXSAVE, "CR4.OSXSAVE sticks (cr4 %#llx)", (unsigned long long)cr4);

	expect_refused(1, X_FP | X_SSE, TRAP_GP, "ECX=1");
	expect_refused(0, X_SSE | X_AVX, TRAP_GP, "x87 clear");
	expect_refused(0, 0, TRAP_GP, "zero");
	expect_refused(0, X_FP | X_AVX, TRAP_GP, "AVX without SSE");
	expect_refused(0, X_FP | X_SSE | X_AVX | (1ULL << 5), TRAP_GP, "opmask (not switched)");
	expect_refused(0, X_FP | X_SSE | (1ULL << 9), TRAP_GP, "PKRU (not switched)");
	expect_refused(0, X_FP | X_SSE | (1ULL << 62), TRAP_GP, "bit 62");

	user_mode_init();
	if (test_check(trap_catch(TRAP_GP, enter_user, NULL, &rec),
		       "xsetbv 0x7 from guest user mode raises #GP")) {
		test_check(rec.rip == gva(user_xsetbv) + 9 && (rec.cs & 3) == 3,
			   "the #GP is at the user xsetbv (rip %#llx cs %#llx)",
			   (unsigned long long)rec.rip, (unsigned long long)rec.cs);
	}
	test_check(xgetbv0() == (X_FP | X_SSE), "user xsetbv left XCR0 0x3 (%#llx)",
		   (unsigned long long)xgetbv0());
	test_check(trap_catch(TRAP_UD, do_vex, NULL, &rec), "VEX instruction #UD under XCR0 0x3");
	set_xcr0(X_FP | X_SSE | X_AVX);
	xcpuid(0xd, 0, r);
	test_check(r[1] == avx_size, "leaf 0xD.0: %u bytes for XCR0 0x7 (want %u)", r[1], avx_size);
	test_check(!trap_catch(TRAP_UD, do_vex, NULL, &rec), "VEX instruction runs under XCR0 0x7");
	set_xcr0(X_FP | X_SSE);
	test_check(trap_catch(TRAP_UD, do_vex, NULL, &rec), "VEX instruction #UD again under 0x3");
	set_xcr0(X_FP | X_SSE | X_AVX);
	hypercall_sched_op(SCHEDOP_yield, NULL);
	test_check(xgetbv0() == (X_FP | X_SSE | X_AVX), "XCR0 0x7 kept across a yield (%#llx)",
		   (unsigned long long)xgetbv0());
	test_finish();
}
