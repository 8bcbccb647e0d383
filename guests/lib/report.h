/*
 * The end of every test guest: exactly one line
 *   Test result: SUCCESS|FAILURE|ERROR|SKIP
 * on the console (optionally preceded by one "Test reason: ..." line),
 * then a shutdown: SHUTDOWN_poweroff for SUCCESS and SKIP, SHUTDOWN_crash
 * for FAILURE and ERROR. FAILURE means the hypervisor behaved wrongly;
 * ERROR means the test could not run to a verdict (unexpected exception,
 * broken start of day).
 */
#ifndef GUEST_REPORT_H
#define GUEST_REPORT_H

#include <stdbool.h>

enum test_result {
	TEST_SUCCESS,
	TEST_FAILURE,
	TEST_ERROR,
	TEST_SKIP,
};

/* Prints the result (and the reason, if fmt is not NULL) and shuts down. */
__attribute__((noreturn, format(printf, 2, 3))) void test_report(enum test_result result,
								 const char *fmt, ...);

/* Records one expectation; a false one prints "check failed: ..." and is counted. */
__attribute__((format(printf, 2, 3))) bool test_check(bool ok, const char *fmt, ...);
unsigned int test_failures(void);

/* SUCCESS if every test_check held, else FAILURE with the count. */
__attribute__((noreturn)) void test_finish(void);

/* SCHEDOP_shutdown; if the hypervisor refuses, yields forever (the harness times out). */
__attribute__((noreturn)) void guest_shutdown(unsigned int reason);

#endif /* GUEST_REPORT_H */
