/*
 * Arch contract, the scheduler: what schedule() (common/sched.c) asks of
 * the arch to move a CPU from one vcpu to another.
 */
#ifndef PALISADE_ARCH_SCHED_H
#define PALISADE_ARCH_SCHED_H

#include <types.h>

struct vcpu;

/*
 * Saves everything prev owns on the CPU and loads next's; current must
 * already be next. prev NULL: the boot context, which is never resumed.
 * Returns (on prev's stack) when some later switch comes back to prev.
 * Interrupts off.
 */
void arch_context_switch(struct vcpu *prev, struct vcpu *next);

/* Makes v's first switch-in run sched_idle_loop on its own stack. */
void arch_idle_vcpu_init(struct vcpu *v);

#endif /* PALISADE_ARCH_SCHED_H */
