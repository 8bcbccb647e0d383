/*
 * x86_64 vcpu context (context.c): the per-vcpu state a switch needs
 * beyond struct arch_vcpu's fields, and the first entry of a guest vcpu.
 */
#ifndef PALISADE_ASM_CONTEXT_H
#define PALISADE_ASM_CONTEXT_H

struct vcpu;

/* Puts v's FPU/SSE/AVX image in its reset state, its XCR0 at x87|SSE. */
void ctxt_vcpu_init(struct vcpu *v);

/*
 * After the first 512 bytes of v's image (the FXSAVE part) were written
 * whole: x87 and SSE are taken from them, AVX is in its init state.
 */
void ctxt_fpu_image_set(struct vcpu *v);

/*
 * Makes v's first switch-in leave to the guest through the frame already
 * filled at the top of its stack.
 */
void ctxt_guest_first_entry(struct vcpu *v);

#endif /* PALISADE_ASM_CONTEXT_H */
