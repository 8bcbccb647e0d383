/*
 * XSAVE-managed register state (xstate.c): which components the
 * hypervisor enables in XCR0 and switches per vcpu, and the save area
 * that holds them. The area's first 512 bytes are the FXSAVE image Xen's
 * vcpu_guest_context.fpu_ctxt carries; the XSAVE header and the AVX
 * upper halves follow.
 */
#ifndef PALISADE_ASM_XSTATE_H
#define PALISADE_ASM_XSTATE_H

#include <types.h>

#define XSTATE_X87 (1ULL << 0)
#define XSTATE_SSE (1ULL << 1)
#define XSTATE_YMM (1ULL << 2)
#define XSTATE_FP_SSE (XSTATE_X87 | XSTATE_SSE)

#define X86_CR4_OSXSAVE (1UL << 18)

/* The legacy (FXSAVE) region, then the header: XSTATE_BV, XCOMP_BV, reserved. */
#define XSAVE_LEGACY_SIZE 512
#define XSAVE_HDR_SIZE 64
#define XSAVE_XSTATE_BV XSAVE_LEGACY_SIZE
/* Room in struct arch_vcpu: the standard form of x87|SSE|AVX needs 832. */
#define XSAVE_AREA_MAX 1024
#define XSAVE_ALIGN 64

/* Components enabled in XCR0 at boot and offered to guests; 0 without XSAVE. */
extern uint64_t xstate_mask;
/* Bytes of the save area for xstate_mask (CPUID 0xD), or 512 without XSAVE. */
extern unsigned int xstate_size;

/*
 * Boot CPU: find what the CPU saves and decide the mask (one boot log
 * line); every CPU (boot CPU after this, each AP): set CR4.OSXSAVE and
 * XCR0.
 */
void xstate_init_boot(void);
void xstate_init_cpu(void);

static inline uint64_t xgetbv(uint32_t idx)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(idx));
	return ((uint64_t)hi << 32) | lo;
}

static inline void xsetbv(uint32_t idx, uint64_t val)
{
	__asm__ volatile("xsetbv" : : "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(idx));
}

/*
 * Whether val is an XCR0 a guest may set: Xen's rules (x87 always on, AVX
 * only with SSE) and nothing the hypervisor does not switch.
 */
bool xstate_xcr0_valid(uint64_t val);

#endif /* PALISADE_ASM_XSTATE_H */
