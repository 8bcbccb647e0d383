/*
 * Arch contract, the running CPU: idling, its interrupt flag, spinning,
 * the console's input line and the cycle counter.
 */
#ifndef PALISADE_ARCH_IDLE_H
#define PALISADE_ARCH_IDLE_H

#include <types.h>

/* Enables interrupts and waits for the next one; returns with interrupts off. */
void arch_idle_wait(void);

/* Interrupt flag of the running CPU. */
void arch_irq_disable(void);
void arch_irq_enable(void);

/* Turns interrupts off on this CPU; returns whether they were on (for arch_irq_restore). */
bool arch_irq_save(void);

/* Turns them back on if was_on. */
void arch_irq_restore(bool was_on);

/* A pause inside a spin-wait loop (no ordering implied). */
void arch_cpu_relax(void);

/* One byte received on the console's serial line, or -1 when there is none. */
int arch_serial_getc(void);

/* The time-stamp counter, which PV guests read natively too. */
uint64_t arch_tsc_now(void);

#endif /* PALISADE_ARCH_IDLE_H */
