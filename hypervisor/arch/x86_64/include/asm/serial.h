/*
 * The COM1 16550 UART: polled output, 115200 8N1, no interrupts.
 */
#ifndef PALISADE_ARCH_SERIAL_H
#define PALISADE_ARCH_SERIAL_H

#include <types.h>

#define COM1_BASE 0x3f8

/* Programs the UART and registers it as a console sink. */
void serial_init(void);

/* Raw output, usable even when the console itself is broken. */
void serial_write(const char *s, size_t n);
void serial_puts(const char *s);

#endif /* PALISADE_ARCH_SERIAL_H */
