/*
 * conditional.c - evaluating boolean expressions and switching the
 * conditional rule lists on and off (policydb_cond.c reads them).
 */
#include "conditional.h"
#include "policydb_types.h"

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
