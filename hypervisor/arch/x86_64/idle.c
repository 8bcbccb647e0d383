/*
 * x86_64 side of arch/idle.h.
 */
#include <arch/idle.h>
#include <asm/cpu.h>
#include <asm/serial.h>

#define UART_RBR 0
#define UART_LSR 5
#define UART_LSR_DR 0x01

void arch_idle_wait(void)
{
	/* sti's one-instruction shadow: no interrupt slips in between sti and hlt. */
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

int arch_serial_getc(void)
{
	if (!(inb(COM1_BASE + UART_LSR) & UART_LSR_DR)) {
		return -1;
	}
	return inb(COM1_BASE + UART_RBR);
}

uint64_t arch_tsc_now(void)
{
	return rdtsc();
}

void arch_irq_disable(void)
{
	local_irq_disable();
}

void arch_irq_enable(void)
{
	local_irq_enable();
}

bool arch_irq_save(void)
{
	bool was_on = read_flags() & X86_EFLAGS_IF;

	local_irq_disable();
	return was_on;
}

void arch_irq_restore(bool was_on)
{
	if (was_on) {
		local_irq_enable();
	}
}

void arch_cpu_relax(void)
{
	cpu_relax();
}
