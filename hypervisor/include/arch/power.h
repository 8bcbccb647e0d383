/*
 * Arch contract, power: stop or reset the machine with an exit status.
 *
 * Status codes are the EXIT_* values of the arch (asm/layout.h on x86_64);
 * under QEMU the status becomes QEMU's exit status (see
 * arch/x86_64/power.c for the isa-debug-exit convention).
 */
#ifndef PALISADE_ARCH_POWER_H
#define PALISADE_ARCH_POWER_H

/*
 * Stop the machine with the given status. Without isa-debug-exit: status 0
 * tries ACPI power off (QEMU/Bochs PM ports), anything else behaves like
 * arch_crash_stop. Never returns.
 */
void __attribute__((noreturn)) arch_poweroff(int status);

/* Reset through the keyboard controller, then a triple fault. */
void __attribute__((noreturn)) arch_reboot(void);

/*
 * After a fatal error: isa-debug-exit with status (non-zero), then halt
 * forever if the command line said "noreboot", else reboot.
 */
void __attribute__((noreturn)) arch_crash_stop(int status);

#endif /* PALISADE_ARCH_POWER_H */
