/*
 * COM1 16550 UART, polled. Output only: the console input path comes with
 * the control domain.
 */
#include <asm/cpu.h>
#include <asm/serial.h>
#include <console.h>

#define UART_THR 0
#define UART_IER 1
#define UART_DLL 0
#define UART_DLM 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THRE 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

/* 115200 = 1.8432 MHz / 16 / 1 */
#define UART_DIVISOR 1

/*
 * Give up on a byte after this many polls: a missing or wedged UART must
 * slow the console down, never hang the hypervisor.
 */
#define THRE_SPINS 100000

static bool serial_present;

static void serial_putc(char c)
{
	unsigned int i;

	for (i = 0; i < THRE_SPINS; i++) {
		if (inb(COM1_BASE + UART_LSR) & LSR_THRE) {
			break;
		}
		cpu_relax();
	}
	outb(COM1_BASE + UART_THR, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	size_t i;

	if (!serial_present) {
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			serial_putc('\r');
		}
		serial_putc(s[i]);
	}
}

void serial_puts(const char *s)
{
	serial_write(s, strlen(s));
}

void serial_init(void)
{
	outb(COM1_BASE + UART_IER, 0);
	outb(COM1_BASE + UART_LCR, LCR_DLAB);
	outb(COM1_BASE + UART_DLL, UART_DIVISOR & 0xff);
	outb(COM1_BASE + UART_DLM, UART_DIVISOR >> 8);
	outb(COM1_BASE + UART_LCR, LCR_8N1);
	/* FIFOs on and cleared, trigger level 14. */
	outb(COM1_BASE + UART_FCR, 0xc7);
	/* DTR and RTS; OUT2 stays off so the UART raises no interrupt. */
	outb(COM1_BASE + UART_MCR, 0x03);
	/* A floating bus reads 0xff: there is no UART to talk to. */
	serial_present = inb(COM1_BASE + UART_LSR) != 0xff;
	console_register_sink(serial_write);
}
