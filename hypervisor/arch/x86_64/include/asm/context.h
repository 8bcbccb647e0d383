/*
 * x86_64 vcpu context (context.c): the per-vcpu state a switch needs
 * beyond struct arch_vcpu's fields, and the first entry of a guest vcpu.
 */
#ifndef PALISADE_ASM_CONTEXT_H
#define PALISADE_ASM_CONTEXT_H

struct vcpu;

/* Puts v's FPU/SSE image in its reset state. */
void ctxt_vcpu_init(struct vcpu *v);

/*
 * Makes v's first switch-in leave to the guest through the frame already
 * filled at the top of its stack.
 */
void ctxt_guest_first_entry(struct vcpu *v);

#endif /* PALISADE_ASM_CONTEXT_H */
