/*
 * Power off and reboot.
 *
 * Exit status convention under QEMU: the hypervisor writes a value V to
 * the isa-debug-exit device (port 0xf4) and QEMU exits with (V << 1) | 1.
 * A clean power off (status 0) writes 0x10, so QEMU exits with 33, which
 * scripts/qemu-boot maps to 0; a failure with status S (1..127, S != 0x10)
 * writes S, QEMU exits with 2S+1 and qemu-boot exits with S. Status codes
 * are the EXIT_* values in asm/layout.h.
 */
#include <arch/power.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <cmdline.h>

#define DEBUG_EXIT_PORT 0xf4
#define DEBUG_EXIT_SUCCESS 0x10

static void __attribute__((noreturn)) halt_forever(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

static void debug_exit(int status)
{
	uint32_t v = DEBUG_EXIT_SUCCESS;

	if (status != 0) {
		v = (uint32_t)status & 0x7f;
		/* Never let a failure look like success (or like QEMU's own 0/1). */
		if (v == DEBUG_EXIT_SUCCESS || v == 0) {
			v = 0x7f;
		}
	}
	outl(DEBUG_EXIT_PORT, v);
}

void arch_poweroff(int status)
{
	local_irq_disable();
	debug_exit(status);
	if (status != 0) {
		arch_crash_stop(status);
	}
	/*
	 * Still running: no isa-debug-exit. Try the PM1a control ports of
	 * QEMU's PIIX4/ICH9 and of Bochs (SLP_TYP 0 = S5 there, SLP_EN).
	 * A full FADT parse belongs with the ACPI support that PV dom0 needs.
	 */
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
	halt_forever();
}

void arch_reboot(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) null_idt = {0, 0};
	unsigned int i;

	local_irq_disable();
	/* Keyboard controller: wait (bounded) for its input buffer, pulse reset. */
	for (i = 0; i < 100000 && (inb(0x64) & 0x02); i++) {
		cpu_relax();
	}
	outb(0x64, 0xfe);
	for (i = 0; i < 1000000; i++) {
		cpu_relax();
	}
	/* Triple fault: no IDT, then an exception. */
	__asm__ volatile("lidt %0; int3" : : "m"(null_idt));
	halt_forever();
}

void arch_crash_stop(int status)
{
	local_irq_disable();
	debug_exit(status ? status : EXIT_FAULT);
	if (boot_opts.noreboot) {
		halt_forever();
	}
	arch_reboot();
}
