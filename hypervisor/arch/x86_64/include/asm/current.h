/*
 * The running vcpu of this CPU ("current", domain.h) lives in r15.
 *
 * The hypervisor is built with -ffixed-r15 (hypervisor/build.mk): no
 * compiled code uses r15 for anything else, so reading current costs
 * nothing, on any CPU, and a context switch carries it along for free
 * (ctxt_switch_stack saves and restores r15 with the other callee-saved
 * registers, so each vcpu's own saved r15 names it). Where r15 may hold a
 * guest's value, the entry code sets it before any C runs:
 *  - syscall and sysenter from the guest (pv/entry.S): from the stack,
 *    whose slot names its owner in its top 16 bytes (struct
 *    vcpu_stack_info, written by arch_vcpu_init);
 *  - every exception and interrupt (entry.S, pv_trap_current): from the
 *    stack when it is a vcpu's, else (the IST stacks of #DB, NMI, #DF,
 *    #MC) this CPU's percpu.curr, which the context switch keeps;
 *  - the boot paths (head.S, trampoline.S) clear it: no vcpu.
 * Inside a context switch, until the stacks change, current is still the
 * outgoing vcpu: code there names the incoming one explicitly.
 * Host tests get arch/fake/include/asm/current.h instead.
 */
#ifndef PALISADE_ASM_CURRENT_H
#define PALISADE_ASM_CURRENT_H

#include <types.h>

struct vcpu;

/* The top of every vcpu stack slot; the stack proper (TSS.RSP0) starts below it. */
struct vcpu_stack_info {
	struct vcpu *vcpu;
	uint64_t reserved;
};

register struct vcpu *current_r15 __asm__("r15");

static inline struct vcpu *arch_current(void)
{
	return current_r15;
}

/*
 * Makes v this CPU's current vcpu until the caller sets it back (NULL: the
 * hypervisor acting for itself, e.g. a domain restart's rebuild). Only
 * r15 changes: the caller stays on its own stack, whose owner the entry
 * code would name again for any interrupt meanwhile.
 */
static inline void arch_set_current(struct vcpu *v)
{
	current_r15 = v;
}

/* This CPU's running vcpu as the context switch recorded it (for the IST stacks). */
struct vcpu *arch_current_slow(void);

#endif /* PALISADE_ASM_CURRENT_H */
