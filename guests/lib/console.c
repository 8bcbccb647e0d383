/*
 * gprintf: format with the hypervisor's own vsnprintf (hypervisor/lib is
 * compiled into the guest) and write through console_io.
 */
#include <lib.h>

#include "console.h"
#include "hypercall.h"

/* Long writes go out in pieces so no single hypercall carries a huge count. */
#define CONSOLE_CHUNK 1024

void console_write(const char *s, size_t len)
{
	while (len) {
		unsigned int n = len > CONSOLE_CHUNK ? CONSOLE_CHUNK : (unsigned int)len;

		hypercall_console_io(CONSOLEIO_write, n, s);
		s += n;
		len -= n;
	}
}

int gvprintf(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0) {
		return n;
	}
	if ((size_t)n < sizeof(buf)) {
		console_write(buf, (size_t)n);
	} else {
		static const char cut[] = "[...]\n";

		console_write(buf, sizeof(buf) - 1);
		console_write(cut, sizeof(cut) - 1);
	}
	return n;
}

int gprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = gvprintf(fmt, ap);
	va_end(ap);
	return n;
}
