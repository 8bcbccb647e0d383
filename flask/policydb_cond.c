/*
 * policydb_cond.c - the section reader of the conditionals: each one's
 * boolean expression (checked for shape, not evaluated) and its true and
 * false rule lists, which go into the conditional avtab. Evaluation is
 * conditional.c's.
 */
#include "policydb_cond.h"
#include "conditional.h"
#include "policydb_avtab.h"
#include "policydb_decode.h"

/* Validate a postfix expression's shape without evaluating it. */
static int cond_check_expr(struct policydb *p, struct policy_file *fp, const struct cond_expr *e,
			   size_t at)
{
	int depth = 0;
	uint32_t i;

	for (i = 0; i < e->len; i++) {
		const struct cond_expr_node *n = &e->nodes[i];

		switch (n->expr_type) {
		case COND_BOOL:
			if (!n->boolean || n->boolean > p->symtab[SYM_BOOLS].nprim) {
				return pf_error_at(
				    fp, -FLASK_EINVAL, at,
				    "conditional names boolean %u, out of range 1..%u", n->boolean,
				    p->symtab[SYM_BOOLS].nprim);
			}
			if (depth == COND_EXPR_MAXDEPTH) {
				return pf_error_at(fp, -FLASK_EINVAL, at,
						   "conditional expression deeper than %d",
						   COND_EXPR_MAXDEPTH);
			}
			depth++;
			break;
		case COND_NOT:
			if (depth < 1) {
				return pf_error_at(fp, -FLASK_EINVAL, at,
						   "conditional expression: '!' on an empty stack");
			}
			break;
		case COND_OR:
		case COND_AND:
		case COND_XOR:
		case COND_EQ:
		case COND_NEQ:
			if (depth < 2) {
				return pf_error_at(
				    fp, -FLASK_EINVAL, at,
				    "conditional expression: operator %u needs 2 operands",
				    n->expr_type);
			}
			depth--;
			break;
		default:
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "conditional expression node type %u unknown",
					   n->expr_type);
		}
	}
	if (depth != 1) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "conditional expression leaves %d values on the stack", depth);
	}
	return 0;
}

struct cond_insert_ctx {
	struct policydb *p;
	struct cond_av_list *list;
	const struct cond_av_list *other; /* reading a false list: its node's true list */
};

/*
 * Type rules decide a single new type, so as in Linux at most one rule per
 * key may apply at a time: none unconditional, none in another conditional,
 * and the only companion allowed is the same key in the other branch of the
 * same conditional. That also keeps same-key runs in the table short.
 */
static int cond_check_type_rule(struct cond_insert_ctx *ctx, const struct avtab_key *key)
{
	struct policydb *p = ctx->p;
	const struct avtab_node *n;
	uint32_t idx, i;

	if (avtab_search(&p->te_avtab, key)) {
		return -FLASK_EEXIST;
	}
	n = avtab_search_node(&p->te_cond_avtab, key);
	if (!n) {
		return 0;
	}
	if (!ctx->other || avtab_search_node_next(&p->te_cond_avtab, n, key->specified)) {
		return -FLASK_EEXIST;
	}
	idx = (uint32_t)(n - p->te_cond_avtab.nodes);
	for (i = 0; i < ctx->other->len; i++) {
		if (ctx->other->nodes[i] == idx) {
			return 0;
		}
	}
	return -FLASK_EEXIST;
}

static int cond_insert(const struct avtab_key *key, const struct avtab_datum *datum, void *arg)
{
	struct cond_insert_ctx *ctx = arg;
	uint32_t idx;
	int rc;

	if (key->specified & AVTAB_TYPE) {
		rc = cond_check_type_rule(ctx, key);
		if (rc) {
			return rc;
		}
	}
	rc = avtab_insert(&ctx->p->te_cond_avtab, key, datum, false, &idx);
	if (rc) {
		return rc;
	}
	ctx->list->nodes[ctx->list->len++] = idx;
	return 0;
}

static int cond_read_av_list(struct policydb *p, struct policy_file *fp, struct cond_av_list *list,
			     const struct cond_av_list *other)
{
	struct cond_insert_ctx ctx;
	uint32_t n, i;
	int rc;

	rc = pf_read_u32(fp, &n, "conditional rule count");
	if (rc) {
		return rc;
	}
	rc = pf_check_count(fp, n, 12, "conditional rule");
	if (rc) {
		return rc;
	}
	rc = pdb_zalloc_array(fp, n, sizeof(uint32_t), (void **)&list->nodes, "conditional rules");
	if (rc) {
		return rc;
	}
	ctx.p = p;
	ctx.list = list;
	ctx.other = other;
	for (i = 0; i < n; i++) {
		rc = pdb_read_avtab_rule(fp, p, cond_insert, &ctx);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

int pdb_read_cond_list(struct policydb *p, struct policy_file *fp)
{
	uint32_t n, i, j;
	int rc;

	rc = pf_read_u32(fp, &n, "conditional count");
	if (rc) {
		return rc;
	}
	rc = pf_check_count(fp, n, 24, "conditional");
	if (rc) {
		return rc;
	}
	rc = pdb_zalloc_array(fp, n, sizeof(struct cond_node), (void **)&p->cond_list,
			      "conditionals");
	if (rc) {
		return rc;
	}
	p->cond_list_len = n;
	for (i = 0; i < n; i++) {
		struct cond_node *node = &p->cond_list[i];
		uint32_t hdr[2];
		size_t at = fp->pos;

		node->cur_state = -1;
		rc = pf_read_u32s(fp, hdr, 2, "conditional header");
		if (rc) {
			return rc;
		}
		/* hdr[0] is the writer's last evaluation; ignored, as the state is recomputed. */
		if (!hdr[1]) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "conditional %u has an empty expression", i);
		}
		rc = pf_check_count(fp, hdr[1], 8, "conditional expression node");
		if (rc) {
			return rc;
		}
		rc = pdb_zalloc_array(fp, hdr[1], sizeof(struct cond_expr_node),
				      (void **)&node->expr.nodes, "conditional expression");
		if (rc) {
			return rc;
		}
		node->expr.len = hdr[1];
		for (j = 0; j < hdr[1]; j++) {
			uint32_t e[2];

			rc = pf_read_u32s(fp, e, 2, "conditional expression node");
			if (rc) {
				return rc;
			}
			node->expr.nodes[j].expr_type = e[0];
			node->expr.nodes[j].boolean = e[0] == COND_BOOL ? e[1] : 0;
		}
		rc = cond_check_expr(p, fp, &node->expr, at);
		if (rc) {
			return rc;
		}
		rc = cond_read_av_list(p, fp, &node->true_list, NULL);
		if (rc) {
			return rc;
		}
		rc = cond_read_av_list(p, fp, &node->false_list, &node->true_list);
		if (rc) {
			return rc;
		}
	}
	cond_evaluate_all(p);
	return 0;
}
