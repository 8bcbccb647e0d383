/*
 * unit.h - a very small test harness for the flask reader unit tests.
 * Each test case is a function; it reports one PASS/FAIL line.
 */
#ifndef POLICY_UNIT_H
#define POLICY_UNIT_H

#include <stdbool.h>
#include <stddef.h>

extern int unit_case_failed;
extern char unit_case_why[512];

void unit_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			unit_fail(__FILE__, __LINE__, "%s", #cond);                                \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b);     \
		if (_a != _b) {                                                                    \
			unit_fail(__FILE__, __LINE__, "%s == %s (%llu != %llu)", #a, #b, _a, _b);  \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *_a = (a), *_b = (b);                                                   \
		if (!_a || !_b || strcmp(_a, _b)) {                                                \
			unit_fail(__FILE__, __LINE__, "%s is \"%s\", expected \"%s\"", #a,         \
				  _a ? _a : "(null)", _b ? _b : "(null)");                         \
		}                                                                                  \
	} while (0)

/* Read a whole file into an exact-size heap buffer; NULL on error. */
void *unit_slurp(const char *path, size_t *len);

/* Directory holding the compiled unit policies (unit.24, unit.30, unit-mls.24, unit-mls.30). */
extern const char *unit_policy_dir;

void unit_run(const char *name, void (*fn)(void));

void unit_ds_tests(void);
void unit_policydb_tests(void);

#endif
