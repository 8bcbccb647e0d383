/*
 * fuzz-policy.c - libFuzzer target: policydb_read on arbitrary bytes. An
 * accepted image is also used (contexts checked, access vectors computed,
 * booleans flipped and conditionals re-evaluated) and destroyed, so that
 * anything the reader let through is exercised under ASan and UBSan.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policydb.h"

static void exercise(struct policydb *p)
{
	uint32_t i, j, bit, a = 0, aa = 0, ad = ~0u;
	struct context c;

	for (i = 0; i < OCON_XEN_NUM; i++) {
		for (j = 0; j < p->nocontexts[i]; j++) {
			(void)policydb_context_isvalid(p, &p->ocontexts[i][j].context);
		}
	}
	for (i = 1; i <= p->symtab[SYM_TYPES].nprim && i < 32; i++) {
		ebitmap_for_each_bit(&p->type_attr_map[i - 1], bit)
		{
			avtab_compute_av(&p->te_avtab, (uint16_t)(bit + 1), (uint16_t)i, 1, false,
					 &a, &aa, &ad);
			cond_compute_av(p, (uint16_t)(bit + 1), (uint16_t)i, 1, &a, &aa, &ad);
		}
		(void)policydb_role_trans(p, 1, i, 1);
		(void)policydb_range_trans(p, i, i, 1);
		(void)policydb_type_permissive(p, i);
	}
	for (i = 1; i <= p->symtab[SYM_BOOLS].nprim; i++) {
		policydb_set_bool(p, i, !policydb_bool(p, i)->state);
	}
	cond_evaluate_all(p);
	for (i = 1; i <= p->symtab[SYM_CLASSES].nprim; i++) {
		for (j = 1; j <= 32; j++) {
			(void)policydb_perm_name(p, i, j);
		}
		(void)policydb_class_perms_mask(p, i);
	}
	for (i = 0; i < SYM_NUM; i++) {
		for (j = 1; j <= p->symtab[i].nprim; j++) {
			(void)policydb_name(p, i, j);
		}
	}
	/* A context built from the first user/role/type, as a services caller would. */
	context_init(&c);
	c.user = 1;
	c.role = 1;
	c.type = 1;
	if (p->symtab[SYM_USERS].nprim && p->user_val_to_struct[0]) {
		(void)mls_range_cpy(&c.range, &p->user_val_to_struct[0]->range);
	}
	(void)policydb_context_isvalid(p, &c);
	context_destroy(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policydb p;
	char err[256];

	if (policydb_read(&p, data, size, err, sizeof(err)) == 0) {
		exercise(&p);
		policydb_destroy(&p);
	} else if (strncmp(err, "policydb: ", 10) != 0) {
		abort(); /* every rejection must say why */
	}
	return 0;
}
