/* Test verdicts and shutdown. */
#include <lib.h>

#include "console.h"
#include "hypercall.h"
#include "report.h"

static const char *const result_names[] = {
    [TEST_SUCCESS] = "SUCCESS",
    [TEST_FAILURE] = "FAILURE",
    [TEST_ERROR] = "ERROR",
    [TEST_SKIP] = "SKIP",
};

static unsigned int failures;
static bool reported;

void guest_shutdown(unsigned int reason)
{
	struct sched_shutdown s = {.reason = reason};

	hypercall_sched_op(SCHEDOP_shutdown, &s);
	for (;;) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
}

void test_report(enum test_result result, const char *fmt, ...)
{
	va_list ap;

	/*
	 * A second verdict (say, a fault while printing the first) must not
	 * print a second result line: the harness reads exactly one.
	 */
	if (reported) {
		guest_shutdown(SHUTDOWN_crash);
	}
	reported = true;
	if (result > TEST_SKIP) {
		result = TEST_ERROR;
	}
	if (fmt && fmt[0]) {
		gprintf("Test reason: ");
		va_start(ap, fmt);
		gvprintf(fmt, ap);
		va_end(ap);
		gprintf("\n");
	}
	gprintf("Test result: %s\n", result_names[result]);
	guest_shutdown(result == TEST_SUCCESS || result == TEST_SKIP ? SHUTDOWN_poweroff
								     : SHUTDOWN_crash);
}

bool test_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		return true;
	}
	failures++;
	gprintf("check failed: ");
	va_start(ap, fmt);
	gvprintf(fmt, ap);
	va_end(ap);
	gprintf("\n");
	return false;
}

unsigned int test_failures(void)
{
	return failures;
}

void test_finish(void)
{
	if (failures) {
		test_report(TEST_FAILURE, "%u check%s failed", failures, failures == 1 ? "" : "s");
	}
	test_report(TEST_SUCCESS, NULL);
}
