/*
 * Power off and reboot (x86_64).
 *
 * Exit status convention under QEMU: the hypervisor writes a value V to
 * the isa-debug-exit device (port 0xf4) and QEMU exits with (V << 1) | 1.
 * A clean power off (status 0) writes 0x10, so QEMU exits with 33, which
 * scripts/qemu-boot maps to 0; a failure with status S (1..127, S != 0x10)
 * writes S, QEMU exits with 2S+1 and qemu-boot exits with S. Status codes
 * are the EXIT_* values in arch/layout.h.
 */
#ifndef PALISADE_ARCH_POWER_H
#define PALISADE_ARCH_POWER_H

#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_SUCCESS 0x10

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
