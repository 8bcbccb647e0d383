/*
 * The running vcpu of this CPU ("current", domain.h), found from the stack.
 *
 * Every vcpu has its own hypervisor stack in a 64 KiB slot of the vcpu
 * stack area (asm/layout.h), and the hypervisor runs on it exactly while
 * that vcpu is the one running on the CPU: hypercalls, traps from the
 * guest, the timer, the scheduler. So the owner of the stack the CPU runs
 * on is current: its pointer sits in the slot's top 16 bytes
 * (struct vcpu_stack_info, written by arch_vcpu_init), above the guest
 * frame, and reading it is three instructions with no per-CPU lookup.
 * On any other stack (the boot stacks before the scheduler starts, the
 * IST stacks of #DB/NMI/#DF/#MC) current is what the scheduler recorded
 * for this CPU (arch_current_slow).
 *
 * Inside a context switch, until the stack changes, current is still the
 * outgoing vcpu: code there names the incoming one explicitly.
 */
#ifndef PALISADE_ASM_CURRENT_H
#define PALISADE_ASM_CURRENT_H

#include <asm/layout.h>
#include <types.h>

struct vcpu;

/* The top of every vcpu stack slot; the stack proper (TSS.RSP0) starts below it. */
struct vcpu_stack_info {
	struct vcpu *vcpu;
	uint64_t reserved;
};

/* Off the vcpu stacks: this CPU's running vcpu as the scheduler recorded it. */
struct vcpu *arch_current_slow(void);

static inline struct vcpu *arch_current(void)
{
	uint64_t sp;

	__asm__("mov %%rsp, %0" : "=r"(sp));
	if (__builtin_expect(
		sp - VCPU_STACK_VIRT_START < VCPU_STACK_VIRT_END - VCPU_STACK_VIRT_START, 1)) {
		return ((struct vcpu_stack_info *)((sp | (VCPU_STACK_SLOT_SIZE - 1)) + 1) - 1)
		    ->vcpu;
	}
	return arch_current_slow();
}

#endif /* PALISADE_ASM_CURRENT_H */
