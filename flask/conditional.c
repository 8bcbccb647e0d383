/*
 * conditional.c - boolean expressions and conditional rule lists.
 */
#include "conditional.h"
#include "policydb_internal.h"

int cond_evaluate_expr(const struct policydb *p, const struct cond_expr *expr)
{
	int stack[COND_EXPR_MAXDEPTH];
	int sp = -1;
	uint32_t i;

	for (i = 0; i < expr->len; i++) {
		const struct cond_expr_node *e = &expr->nodes[i];

		switch (e->expr_type) {
		case COND_BOOL:
			if (sp == COND_EXPR_MAXDEPTH - 1 || !e->boolean ||
			    e->boolean > p->symtab[SYM_BOOLS].nprim) {
				return -FLASK_EINVAL;
			}
			stack[++sp] = p->bool_val_to_struct[e->boolean - 1]->state ? 1 : 0;
			break;
		case COND_NOT:
			if (sp < 0) {
				return -FLASK_EINVAL;
			}
			stack[sp] = !stack[sp];
			break;
		case COND_OR:
		case COND_AND:
		case COND_XOR:
		case COND_EQ:
		case COND_NEQ:
			if (sp < 1) {
				return -FLASK_EINVAL;
			}
			sp--;
			switch (e->expr_type) {
			case COND_OR:
				stack[sp] |= stack[sp + 1];
				break;
			case COND_AND:
				stack[sp] &= stack[sp + 1];
				break;
			case COND_XOR:
				stack[sp] ^= stack[sp + 1];
				break;
			case COND_EQ:
				stack[sp] = stack[sp] == stack[sp + 1];
				break;
			default:
				stack[sp] = stack[sp] != stack[sp + 1];
				break;
			}
			break;
		default:
			return -FLASK_EINVAL;
		}
	}
	if (sp != 0) {
		return -FLASK_EINVAL;
	}
	return stack[0];
}

static void cond_set_list(struct policydb *p, const struct cond_av_list *list, bool enable)
{
	uint32_t i;

	for (i = 0; i < list->len; i++) {
		struct avtab_node *n = &p->te_cond_avtab.nodes[list->nodes[i]];

		if (enable) {
			n->key.specified |= AVTAB_ENABLED;
		} else {
			n->key.specified &= (uint16_t)~AVTAB_ENABLED;
		}
	}
}

void cond_evaluate_node(struct policydb *p, struct cond_node *node)
{
	int state = cond_evaluate_expr(p, &node->expr);

	if (state < 0) {
		/* A broken expression enables neither branch. */
		node->cur_state = -1;
		cond_set_list(p, &node->true_list, false);
		cond_set_list(p, &node->false_list, false);
		return;
	}
	node->cur_state = state;
	cond_set_list(p, &node->true_list, state == 1);
	cond_set_list(p, &node->false_list, state == 0);
}

void cond_evaluate_all(struct policydb *p)
{
	uint32_t i;

	for (i = 0; i < p->cond_list_len; i++) {
		cond_evaluate_node(p, &p->cond_list[i]);
	}
}

void cond_compute_av(const struct policydb *p, uint16_t source, uint16_t target, uint16_t tclass,
		     uint32_t *allowed, uint32_t *auditallow, uint32_t *auditdeny)
{
	avtab_compute_av(&p->te_cond_avtab, source, target, tclass, true, allowed, auditallow,
			 auditdeny);
}

int cond_read_bool(struct policydb *p, struct policy_file *fp)
{
	struct cond_bool_datum *b;
	uint32_t buf[3];
	size_t at = fp->pos;
	const char *name;
	int rc;

	rc = pf_read_u32s(fp, buf, 3, "boolean header");
	if (rc) {
		return rc;
	}
	if (!buf[0] || buf[0] > p->symtab[SYM_BOOLS].nprim) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "boolean value %u out of range 1..%u",
				   buf[0], p->symtab[SYM_BOOLS].nprim);
	}
	if (buf[1] > 1) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "boolean %u state %u is not 0 or 1",
				   buf[0], buf[1]);
	}
	rc = pdb_read_name(p, fp, buf[2], "boolean", &name);
	if (rc) {
		return rc;
	}
	b = pdb_alloc(p, sizeof(*b));
	if (!b) {
		return pf_nomem(fp, "boolean");
	}
	b->value = buf[0];
	b->state = (int)buf[1];
	rc = symtab_insert(&p->symtab[SYM_BOOLS], name, b);
	if (rc == -FLASK_EEXIST) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "duplicate boolean name %s", name);
	}
	if (rc) {
		return pf_nomem(fp, "boolean table");
	}
	return 0;
}

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
		rc = avtab_read_item(fp, p, cond_insert, &ctx);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

int cond_read_list(struct policydb *p, struct policy_file *fp)
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

void cond_list_destroy(struct policydb *p)
{
	uint32_t i;

	for (i = 0; i < p->cond_list_len; i++) {
		flask_free(p->cond_list[i].expr.nodes);
		flask_free(p->cond_list[i].true_list.nodes);
		flask_free(p->cond_list[i].false_list.nodes);
	}
	flask_free(p->cond_list);
	p->cond_list = NULL;
	p->cond_list_len = 0;
}
