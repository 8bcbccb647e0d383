/*
 * unit-main.c - runs the reader unit tests; one PASS/FAIL line per case.
 * usage: policy-unit POLICY_DIR
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

int unit_case_failed;
char unit_case_why[512];
const char *unit_policy_dir;
static int failures, passes;

void unit_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!unit_case_failed) {
		snprintf(unit_case_why, sizeof(unit_case_why), "%s:%d: %s", file, line, msg);
	}
	unit_case_failed++;
}

void *unit_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f) {
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

void unit_run(const char *name, void (*fn)(void))
{
	unit_case_failed = 0;
	unit_case_why[0] = '\0';
	fn();
	if (unit_case_failed) {
		printf("FAIL: %s (%s; %d failed checks)\n", name, unit_case_why, unit_case_failed);
		failures++;
	} else {
		printf("PASS: %s\n", name);
		passes++;
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s POLICY_DIR\n", argv[0]);
		return 2;
	}
	unit_policy_dir = argv[1];
	unit_ds_tests();
	unit_policydb_tests();
	fprintf(stderr, "policy-unit: %d cases passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
