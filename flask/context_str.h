/*
 * context_str.h - security context strings <-> struct context, and context
 * validity, with libsepol's syntax and rules:
 *
 *   user:role:type               (policy without MLS)
 *   user:role:type:low[-high]    (MLS; level = sens[:cat[,cat...]], a cat
 *                                 item may be a range cA.cB with cA < cB)
 *
 * Printing compresses category runs like the kernel and libsepol do: three
 * or more consecutive categories as "cA.cB", two as "cA,cB"; the high
 * level is printed only when it differs from the low one.
 */
#ifndef FLASK_CONTEXT_STR_H
#define FLASK_CONTEXT_STR_H

#include "context.h"
#include "flask_env.h"
#include "strbuf.h"

struct policydb;

/* Longest context string accepted. */
#define CONTEXT_STR_MAX 4096

/*
 * Parse str (len bytes, need not be NUL-terminated) into c (initialised
 * here). The context must also be valid. 0, -FLASK_EINVAL (with a short
 * reason in why, if non-NULL) or -FLASK_ENOMEM.
 */
int context_from_string(const struct policydb *p, const char *str, size_t len, struct context *c,
			char *why, size_t whylen);

/* Append the string form of c. */
void context_to_strbuf(const struct policydb *p, const struct context *c, struct strbuf *sb);

/* libsepol's context_is_valid(). */
bool context_is_valid(const struct policydb *p, const struct context *c);

/*
 * Map c (values of oldp) to the same names in newp into out (initialised
 * here). -FLASK_EINVAL if a name is missing or the result is invalid.
 */
int context_convert(const struct policydb *oldp, const struct policydb *newp,
		    const struct context *c, struct context *out);

#endif
