/*
 * Arch contract, console: the lock that serialises the console ring and the
 * sinks. It must be safe against interrupts on this CPU (disable them) and
 * between CPUs. arch/fake makes it a no-op.
 */
#ifndef PALISADE_ARCH_CONSOLE_H
#define PALISADE_ARCH_CONSOLE_H

void arch_console_lock(void);
void arch_console_unlock(void);

#endif /* PALISADE_ARCH_CONSOLE_H */
