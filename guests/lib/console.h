/* Console output of a PV guest: console_io(CONSOLEIO_write). */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

void console_write(const char *s, size_t len);
int gvprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
int gprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* GUEST_CONSOLE_H */
