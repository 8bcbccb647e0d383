/*
 * malformed.h - shared pieces of the policy-malformed suite.
 */
#ifndef POLICY_MALFORMED_H
#define POLICY_MALFORMED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One PASS/FAIL line. */
void report(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Load an exact-size heap copy of data; destroys on success. *leaked: live flask blocks changed. */
int load_case(const uint8_t *data, size_t len, char *err, size_t errlen, bool *leaked);

/* Crafted absurd values on unit.30 / unit-mls.30 (tests/policy/unit/policies). */
void crafted_cases(const char *name, const uint8_t *data, size_t len);

#endif
