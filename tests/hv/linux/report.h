/*
 * The result line of one check in the hv-linux dom0, shared by /init and
 * our static programs: "dom0test: NAME: ok: DETAIL" or
 * "dom0test: NAME: FAIL: WHY". run-linux-dom0 reads these lines from the
 * kernel log, which is where /init sends standard output.
 */
#ifndef HV_LINUX_REPORT_H
#define HV_LINUX_REPORT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * One write(2) per line: on /dev/kmsg each write is one log record, so a
 * line split over two writes would become two records.
 */
static inline bool report(const char *name, bool ok, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "dom0test: %s: %s: ", name, ok ? "ok" : "FAIL");
	if (n < 0 || (size_t)n >= sizeof(line) - 2) {
		n = 0;
	}
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	(void)!write(STDOUT_FILENO, line, strlen(line));
	return ok;
}

#endif
