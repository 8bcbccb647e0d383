/*
 * constraint.c - the postfix constraint expression evaluator, with the
 * operand and operator meanings of libsepol's constraint_expr_eval.
 */
#include "constraint.h"
#include "flask_env.h"
#include "policydb.h"

static bool role_dominates(const struct policydb *p, uint32_t r1, uint32_t r2)
{
	const struct role_datum *rd = policydb_role(p, r1);

	return rd && r2 && ebitmap_get_bit(&rd->dominates, r2 - 1);
}

/* -1 for a node that cannot be evaluated. */
static int eval_attr(const struct policydb *p, const struct context *s, const struct context *t,
		     const struct constraint_expr *e)
{
	const struct mls_level *l1, *l2;
	uint32_t v1, v2;

	switch (e->attr) {
	case CEXPR_USER:
		v1 = s->user;
		v2 = t->user;
		break;
	case CEXPR_TYPE:
		v1 = s->type;
		v2 = t->type;
		break;
	case CEXPR_ROLE:
		v1 = s->role;
		v2 = t->role;
		switch (e->op) {
		case CEXPR_DOM:
			return role_dominates(p, v1, v2);
		case CEXPR_DOMBY:
			return role_dominates(p, v2, v1);
		case CEXPR_INCOMP:
			return !role_dominates(p, v1, v2) && !role_dominates(p, v2, v1);
		default:
			break;
		}
		break;
	case CEXPR_L1L2:
		l1 = &s->range.level[0];
		l2 = &t->range.level[0];
		goto mls;
	case CEXPR_L1H2:
		l1 = &s->range.level[0];
		l2 = &t->range.level[1];
		goto mls;
	case CEXPR_H1L2:
		l1 = &s->range.level[1];
		l2 = &t->range.level[0];
		goto mls;
	case CEXPR_H1H2:
		l1 = &s->range.level[1];
		l2 = &t->range.level[1];
		goto mls;
	case CEXPR_L1H1:
		l1 = &s->range.level[0];
		l2 = &s->range.level[1];
		goto mls;
	case CEXPR_L2H2:
		l1 = &t->range.level[0];
		l2 = &t->range.level[1];
		goto mls;
	default:
		return -1;
	}
	switch (e->op) {
	case CEXPR_EQ:
		return v1 == v2;
	case CEXPR_NEQ:
		return v1 != v2;
	default:
		return -1;
	}
mls:
	switch (e->op) {
	case CEXPR_EQ:
		return mls_level_eq(l1, l2);
	case CEXPR_NEQ:
		return !mls_level_eq(l1, l2);
	case CEXPR_DOM:
		return mls_level_dom(l1, l2);
	case CEXPR_DOMBY:
		return mls_level_dom(l2, l1);
	case CEXPR_INCOMP:
		return mls_level_incomp(l2, l1);
	default:
		return -1;
	}
}

static int eval_names(const struct context *s, const struct context *t, const struct context *x,
		      const struct constraint_expr *e)
{
	const struct context *c = s;
	uint32_t v;
	bool in;

	if (e->attr & CEXPR_TARGET) {
		c = t;
	} else if (e->attr & CEXPR_XTARGET) {
		c = x;
	}
	if (!c) {
		return -1;
	}
	if (e->attr & CEXPR_USER) {
		v = c->user;
	} else if (e->attr & CEXPR_ROLE) {
		v = c->role;
	} else if (e->attr & CEXPR_TYPE) {
		v = c->type;
	} else {
		return -1;
	}
	in = v && ebitmap_get_bit(&e->names, v - 1);
	switch (e->op) {
	case CEXPR_EQ:
		return in;
	case CEXPR_NEQ:
		return !in;
	default:
		return -1;
	}
}

bool constraint_eval(const struct policydb *p, const struct context *s, const struct context *t,
		     const struct context *x, const struct constraint *c)
{
	bool stack[CEXPR_MAXDEPTH];
	int sp = -1;

	for (uint32_t i = 0; i < c->nexpr; i++) {
		const struct constraint_expr *e = &c->expr[i];
		int v;

		switch (e->expr_type) {
		case CEXPR_NOT:
			if (sp < 0) {
				return false;
			}
			stack[sp] = !stack[sp];
			break;
		case CEXPR_AND:
			if (sp < 1) {
				return false;
			}
			sp--;
			stack[sp] = stack[sp] && stack[sp + 1];
			break;
		case CEXPR_OR:
			if (sp < 1) {
				return false;
			}
			sp--;
			stack[sp] = stack[sp] || stack[sp + 1];
			break;
		case CEXPR_ATTR:
		case CEXPR_NAMES:
			if (sp >= CEXPR_MAXDEPTH - 1) {
				return false;
			}
			v = e->expr_type == CEXPR_ATTR ? eval_attr(p, s, t, e)
						       : eval_names(s, t, x, e);
			if (v < 0) {
				return false;
			}
			stack[++sp] = v;
			break;
		default:
			return false;
		}
	}
	return sp == 0 && stack[0];
}
