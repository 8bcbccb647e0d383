/*
 * conditional.h - booleans and conditional rule lists.
 *
 * A conditional node holds a boolean expression in postfix (reverse Polish)
 * form and two lists of rules in the conditional avtab (policydb
 * te_cond_avtab): the true list applies while the expression is true, the
 * false list while it is false. cond_evaluate_all() recomputes every node
 * from the current boolean states and sets/clears AVTAB_ENABLED on the
 * listed avtab nodes accordingly.
 */
#ifndef FLASK_CONDITIONAL_H
#define FLASK_CONDITIONAL_H

#include "avtab.h"

/* Expression node kinds (cond_expr_node.expr_type), the policy file's numbers. */
#define COND_BOOL 1 /* push the value of boolean "boolean" */
#define COND_NOT 2  /* !a */
#define COND_OR 3   /* a || b */
#define COND_AND 4  /* a && b */
#define COND_XOR 5  /* a ^ b */
#define COND_EQ 6   /* a == b */
#define COND_NEQ 7  /* a != b */
#define COND_LAST COND_NEQ

/* Max evaluation stack depth; deeper expressions are rejected on read. */
#define COND_EXPR_MAXDEPTH 10

struct cond_expr_node {
	uint32_t expr_type; /* COND_* */
	uint32_t boolean;   /* 1-based boolean value for COND_BOOL, else 0 */
};

/* Validated on read: evaluates with stack depth <= COND_EXPR_MAXDEPTH to exactly one value. */
struct cond_expr {
	struct cond_expr_node *nodes; /* postfix order */
	uint32_t len;
};

struct cond_av_list {
	uint32_t *nodes; /* indices into policydb.te_cond_avtab.nodes */
	uint32_t len;
};

struct cond_node {
	int cur_state; /* last evaluation: 1 true, 0 false, -1 not yet evaluated */
	struct cond_expr expr;
	struct cond_av_list true_list;
	struct cond_av_list false_list;
};

struct cond_bool_datum {
	uint32_t value; /* 1-based */
	int state;	/* current value: 0 or 1 (the policy default after load) */
};

struct policydb;

/*
 * Evaluate expr against p's current boolean states: 1 true, 0 false, or
 * -FLASK_EINVAL if the expression is malformed (cannot happen for one that
 * passed policydb_read).
 */
int cond_evaluate_expr(const struct policydb *p, const struct cond_expr *expr);

/* Re-evaluate one node and enable/disable its rules. */
void cond_evaluate_node(struct policydb *p, struct cond_node *node);

/* Re-evaluate every conditional after boolean states changed. */
void cond_evaluate_all(struct policydb *p);

/*
 * Conditional share of compute_av: merge the enabled conditional AV rules
 * for (source, target, class) into the three masks, same conventions as
 * avtab_compute_av (allow/auditallow OR-ed, auditdeny AND-ed).
 */
void cond_compute_av(const struct policydb *p, uint16_t source, uint16_t target, uint16_t tclass,
		     uint32_t *allowed, uint32_t *auditallow, uint32_t *auditdeny);

/* Free p's conditional list (policydb_destroy). */
void cond_list_destroy(struct policydb *p);

#endif
