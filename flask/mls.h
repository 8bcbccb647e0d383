/*
 * mls.h - MLS ranges in the security server: parsing and printing, range
 * validity, conversion between policies, and the MLS part of computing a
 * new context (range_transition rules and default_range), as libsepol's
 * mls.c defines them.
 */
#ifndef FLASK_MLS_H
#define FLASK_MLS_H

#include "context.h"
#include "flask_env.h"
#include "strbuf.h"

struct policydb;

/* Parse "low[-high]" (NUL-terminated s, modified in place) into r (initialised). */
int mls_range_from_string(const struct policydb *p, char *s, struct mls_range *r);

/* Append ":low[-high]" (nothing without MLS). */
void mls_range_to_strbuf(const struct policydb *p, const struct mls_range *r, struct strbuf *sb);

/* libsepol's mls_context_isvalid(): true without MLS. */
bool mls_context_isvalid(const struct policydb *p, const struct context *c);

/* Convert a range by sensitivity and category names. */
int mls_convert_range(const struct policydb *oldp, const struct policydb *newp,
		      const struct mls_range *in, struct mls_range *out);

/*
 * Set newc's range for a transition (AVTAB_TRANSITION), member or change
 * computation. process_class is the policy's "domain" class value.
 */
int mls_compute_sid(const struct policydb *p, const struct context *scontext,
		    const struct context *tcontext, uint16_t tclass, uint32_t specified,
		    uint32_t process_class, struct context *newc);

#endif
