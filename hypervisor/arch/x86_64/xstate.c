/*
 * XSAVE on the host: CR4.OSXSAVE and XCR0 on every CPU, and the set of
 * components (xstate_mask) each vcpu's save area holds and the guests may
 * enable with XSETBV. Palisade switches x87, SSE and AVX; a component it
 * does not save (AVX-512, MPX, PKRU, AMX) is never enabled, so no guest
 * can leave state in it for the next vcpu to see.
 * Sources for the facts: Xen 4.17 xen/arch/x86/xstate.c (xstate_init,
 * valid_xcr0, handle_xsetbv), the SDM's CPUID leaf 0xD.
 */
#include <asm/cpu.h>
#include <asm/traps.h>
#include <asm/xstate.h>
#include <console.h>
#include <lib.h>

#define CPUID1_ECX_XSAVE (1U << 26)
#define CPUID1_ECX_AVX (1U << 28)
#define XSTATE_CPUID 0xd

uint64_t xstate_mask;
unsigned int xstate_size = XSAVE_LEGACY_SIZE;

bool xstate_xcr0_valid(uint64_t val)
{
	if (val & ~xstate_mask) {
		return false;
	}
	if (!(val & XSTATE_X87)) {
		return false;
	}
	/* AVX extends the XMM registers: it cannot be on without SSE. */
	if ((val & XSTATE_YMM) && !(val & XSTATE_SSE)) {
		return false;
	}
	return true;
}

void xstate_init_cpu(void)
{
	if (!xstate_mask) {
		return;
	}
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	xsetbv(0, xstate_mask);
}

void xstate_init_boot(void)
{
	uint32_t max, a, b, c, d, hw_lo, hw_hi;
	uint64_t want = XSTATE_FP_SSE;

	cpuid_count(0, 0, &max, &b, &c, &d);
	cpuid_count(1, 0, &a, &b, &c, &d);
	if (max < XSTATE_CPUID || !(c & CPUID1_ECX_XSAVE)) {
		pr_info("xstate: no XSAVE, FPU/SSE switched with fxsave (512 bytes)\n");
		return;
	}
	if (c & CPUID1_ECX_AVX) {
		want |= XSTATE_YMM;
	}
	cpuid_count(XSTATE_CPUID, 0, &hw_lo, &b, &c, &hw_hi);
	want &= ((uint64_t)hw_hi << 32) | hw_lo;
	if (want & XSTATE_YMM) {
		/* The AVX component where the standard form puts it, inside our area. */
		cpuid_count(XSTATE_CPUID, 2, &a, &b, &c, &d);
		if (b < XSAVE_LEGACY_SIZE + XSAVE_HDR_SIZE || a + b > XSAVE_AREA_MAX) {
			want &= ~XSTATE_YMM;
		}
	}
	if ((want & XSTATE_FP_SSE) != XSTATE_FP_SSE) {
		pr_info("xstate: XSAVE without x87/SSE components, using fxsave\n");
		return;
	}
	xstate_mask = want;
	xstate_init_cpu();
	/* EBX: the size the components enabled in XCR0 now take. */
	cpuid_count(XSTATE_CPUID, 0, &a, &b, &c, &d);
	if (b > XSAVE_AREA_MAX) {
		panic("xstate: save area of %u bytes for XCR0 %#llx exceeds %u", b,
		      (unsigned long long)want, XSAVE_AREA_MAX);
	}
	xstate_size = b;
	pr_info("xstate: XCR0 %#llx (x87 SSE%s), save area %u bytes\n", (unsigned long long)want,
		(want & XSTATE_YMM) ? " AVX" : "", xstate_size);
}
