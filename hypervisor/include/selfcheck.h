/*
 * Boot self-checks: each prints "selfcheck: NAME ok (...)" or
 * "selfcheck: NAME FAILED (...)". A failure stops the boot.
 */
#ifndef PALISADE_SELFCHECK_H
#define PALISADE_SELFCHECK_H

#include <types.h>

struct selfcheck {
	const char *name;
	/* Returns 0 when the check passed; writes a short detail either way. */
	int (*run)(char *detail, size_t len);
};

/* The arch's own checks (page tables, CPU hardening, timer, ...). */
extern const struct selfcheck arch_selfchecks[];
extern const size_t nr_arch_selfchecks;

/* Runs the common checks and then the arch's; returns the number failed. */
unsigned int selfcheck_run(void);

#endif /* PALISADE_SELFCHECK_H */
