/*
 * Test runner and console capture for the hypervisor unit tests.
 */
#include "hvtest.h"

#include <console.h>
#include <heap.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *current_group, *current_case;
static char first_failure[512];
static bool failed;

void hvt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (failed) {
		return; /* report the first failure, the rest usually follow from it */
	}
	failed = true;
	n = snprintf(first_failure, sizeof(first_failure), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(first_failure + n, sizeof(first_failure) - (size_t)n, fmt, ap);
	va_end(ap);
	/* Keep the report on one line. */
	for (char *p = first_failure; *p; p++) {
		if (*p == '\n') {
			*p = '|';
		}
	}
}

uint64_t hvt_xorshift(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* The same cases run in both heap builds; keep their names apart. */
static const char *variant(void)
{
	return heap_debug ? "" : " (heap_ndebug)";
}

int hvt_run_group(const struct hvt_group *g)
{
	int bad = 0;

	current_group = g->name;
	for (size_t i = 0; i < g->nr; i++) {
		current_case = g->cases[i].name;
		failed = false;
		first_failure[0] = '\0';
		g->cases[i].fn();
		if (failed) {
			printf("FAIL: hv-unit %s%s: %s (%s)\n", current_group, variant(),
			       current_case, first_failure);
			bad++;
		} else {
			printf("PASS: hv-unit %s%s: %s\n", current_group, variant(), current_case);
		}
		fflush(stdout);
	}
	return bad;
}

#define CAPTURE_MAX (256 * 1024)
static char capture_buf[CAPTURE_MAX + 1];
static size_t capture_len;

static void capture_sink(const char *s, size_t n)
{
	size_t room = CAPTURE_MAX - capture_len;

	if (n > room) {
		n = room;
	}
	memcpy(capture_buf + capture_len, s, n);
	capture_len += n;
	capture_buf[capture_len] = '\0';
}

void capture_install(void)
{
	console_register_sink(capture_sink);
}

void capture_with_ring(void)
{
	static char ring[1 << 16];
	static bool done;

	if (!done) {
		console_ring_init(ring, sizeof(ring));
		capture_install();
		done = true;
	}
	capture_reset();
}

void capture_reset(void)
{
	capture_len = 0;
	capture_buf[0] = '\0';
}

const char *capture_text(void)
{
	return capture_buf;
}

const char *ring_since(uint64_t pos)
{
	static char buf[CAPTURE_MAX + 1];
	uint64_t cur = pos;
	size_t n = 0, got;

	while (n < CAPTURE_MAX && (got = console_ring_read(buf + n, CAPTURE_MAX - n, &cur)) > 0) {
		n += got;
	}
	buf[n] = '\0';
	return buf;
}
