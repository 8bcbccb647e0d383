/*
 * constraint.h - evaluation of constraint expressions (constrain,
 * mlsconstrain, validatetrans) against a pair (or triple) of contexts.
 */
#ifndef FLASK_CONSTRAINT_H
#define FLASK_CONSTRAINT_H

#include "context.h"
#include "flask_env.h"

struct policydb;
struct constraint;

/*
 * true if the expression holds. x is the third context of validatetrans
 * (NULL otherwise). A malformed expression (stack under/overflow past
 * CEXPR_MAXDEPTH, unknown node) evaluates to false: deny.
 */
bool constraint_eval(const struct policydb *p, const struct context *s, const struct context *t,
		     const struct context *x, const struct constraint *c);

#endif
