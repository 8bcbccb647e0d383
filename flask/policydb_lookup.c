/*
 * policydb_lookup.c - lookups and validity checks on a loaded policydb (see
 * policydb_lookup.h). Nothing here reads the policy file.
 */
#include "policydb_lookup.h"
#include "conditional.h"

const char *policydb_name(const struct policydb *p, unsigned int sym, uint32_t value)
{
	if (sym >= SYM_NUM || !value || value > p->symtab[sym].nprim) {
		return NULL;
	}
	return p->sym_val_to_name[sym][value - 1];
}

uint32_t policydb_class_value(const struct policydb *p, const char *name)
{
	const struct class_datum *d = symtab_search(&p->symtab[SYM_CLASSES], name);

	return d ? d->value : 0;
}

uint32_t policydb_role_value(const struct policydb *p, const char *name)
{
	const struct role_datum *d = symtab_search(&p->symtab[SYM_ROLES], name);

	return d ? d->value : 0;
}

uint32_t policydb_type_value(const struct policydb *p, const char *name)
{
	const struct type_datum *d = symtab_search(&p->symtab[SYM_TYPES], name);

	return d ? d->value : 0;
}

uint32_t policydb_user_value(const struct policydb *p, const char *name)
{
	const struct user_datum *d = symtab_search(&p->symtab[SYM_USERS], name);

	return d ? d->value : 0;
}

uint32_t policydb_bool_value(const struct policydb *p, const char *name)
{
	const struct cond_bool_datum *d = symtab_search(&p->symtab[SYM_BOOLS], name);

	return d ? d->value : 0;
}

uint32_t policydb_sens_value(const struct policydb *p, const char *name)
{
	const struct level_datum *d = symtab_search(&p->symtab[SYM_LEVELS], name);

	return d ? d->level.sens : 0;
}

uint32_t policydb_cat_value(const struct policydb *p, const char *name)
{
	const struct cat_datum *d = symtab_search(&p->symtab[SYM_CATS], name);

	return d ? d->value : 0;
}

struct class_datum *policydb_class(const struct policydb *p, uint32_t tclass)
{
	if (!tclass || tclass > p->symtab[SYM_CLASSES].nprim) {
		return NULL;
	}
	return p->class_val_to_struct[tclass - 1];
}

struct type_datum *policydb_type(const struct policydb *p, uint32_t type)
{
	if (!type || type > p->symtab[SYM_TYPES].nprim) {
		return NULL;
	}
	return p->type_val_to_struct[type - 1];
}

struct role_datum *policydb_role(const struct policydb *p, uint32_t role)
{
	if (!role || role > p->symtab[SYM_ROLES].nprim) {
		return NULL;
	}
	return p->role_val_to_struct[role - 1];
}

struct user_datum *policydb_user(const struct policydb *p, uint32_t user)
{
	if (!user || user > p->symtab[SYM_USERS].nprim) {
		return NULL;
	}
	return p->user_val_to_struct[user - 1];
}

struct cond_bool_datum *policydb_bool(const struct policydb *p, uint32_t boolean)
{
	if (!boolean || boolean > p->symtab[SYM_BOOLS].nprim) {
		return NULL;
	}
	return p->bool_val_to_struct[boolean - 1];
}

uint32_t policydb_perm_value(const struct policydb *p, uint32_t tclass, const char *perm)
{
	const struct class_datum *c = policydb_class(p, tclass);
	const struct perm_datum *d;

	if (!c) {
		return 0;
	}
	d = symtab_search(&c->permissions, perm);
	if (!d && c->comdatum) {
		d = symtab_search(&c->comdatum->permissions, perm);
	}
	return d ? d->value : 0;
}

const char *policydb_perm_name(const struct policydb *p, uint32_t tclass, uint32_t perm)
{
	const struct class_datum *c = policydb_class(p, tclass);

	if (!c || !perm || perm > c->permissions.nprim) {
		return NULL;
	}
	return c->perm_names[perm - 1];
}

uint32_t policydb_class_perms_mask(const struct policydb *p, uint32_t tclass)
{
	const struct class_datum *c = policydb_class(p, tclass);

	if (!c) {
		return 0;
	}
	return c->permissions.nprim >= 32 ? 0xffffffffu : (1u << c->permissions.nprim) - 1;
}

uint32_t policydb_role_trans(const struct policydb *p, uint32_t role, uint32_t type,
			     uint32_t tclass)
{
	struct role_trans key = {.role = role, .type = type, .tclass = tclass};
	size_t lo = 0, hi = p->nrole_tr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct role_trans *rt = &p->role_tr[mid];
		int c = rt->role != key.role	   ? (rt->role < key.role ? -1 : 1)
			: rt->type != key.type	   ? (rt->type < key.type ? -1 : 1)
			: rt->tclass != key.tclass ? (rt->tclass < key.tclass ? -1 : 1)
						   : 0;

		if (!c) {
			return rt->new_role;
		}
		if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return 0;
}

bool policydb_role_allowed(const struct policydb *p, uint32_t role, uint32_t new_role)
{
	size_t lo = 0, hi = p->nrole_allow;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct role_allow *ra = &p->role_allow[mid];

		if (ra->role == role && ra->new_role == new_role) {
			return true;
		}
		if (ra->role < role || (ra->role == role && ra->new_role < new_role)) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return false;
}

const struct mls_range *policydb_range_trans(const struct policydb *p, uint32_t source_type,
					     uint32_t target_type, uint32_t target_class)
{
	size_t lo = 0, hi = p->nrange_tr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct range_trans *rt = &p->range_tr[mid];
		int c = rt->source_type != source_type	 ? (rt->source_type < source_type ? -1 : 1)
			: rt->target_type != target_type ? (rt->target_type < target_type ? -1 : 1)
			: rt->target_class != target_class
			    ? (rt->target_class < target_class ? -1 : 1)
			    : 0;

		if (!c) {
			return &rt->range;
		}
		if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return NULL;
}

bool policydb_type_permissive(const struct policydb *p, uint32_t type)
{
	return ebitmap_get_bit(&p->permissive_map, type);
}

int policydb_set_bool(struct policydb *p, uint32_t boolean, bool state)
{
	struct cond_bool_datum *b = policydb_bool(p, boolean);

	if (!b) {
		return -FLASK_EINVAL;
	}
	b->state = state ? 1 : 0;
	return 0;
}

bool policydb_level_isvalid(const struct policydb *p, const struct mls_level *l)
{
	const struct level_datum *ld;

	if (!l->sens || l->sens > p->symtab[SYM_LEVELS].nprim) {
		return false;
	}
	ld = p->sens_val_to_struct[l->sens - 1];
	if (!ld) {
		return false;
	}
	/* The level's categories are those allowed with this sensitivity (so all defined). */
	return ebitmap_contains(&ld->level.cat, &l->cat);
}

bool policydb_range_isvalid(const struct policydb *p, const struct mls_range *r)
{
	return policydb_level_isvalid(p, &r->level[0]) && policydb_level_isvalid(p, &r->level[1]) &&
	       mls_level_dom(&r->level[1], &r->level[0]);
}

bool policydb_context_isvalid(const struct policydb *p, const struct context *c)
{
	const struct user_datum *u;

	if (!c->role || c->role > p->symtab[SYM_ROLES].nprim || !c->user ||
	    c->user > p->symtab[SYM_USERS].nprim || !c->type ||
	    c->type > p->symtab[SYM_TYPES].nprim) {
		return false;
	}
	if (p->type_val_to_struct[c->type - 1]->attribute) {
		return false;
	}
	u = p->user_val_to_struct[c->user - 1];
	if (c->role != OBJECT_R_VAL) {
		if (!ebitmap_get_bit(&p->role_val_to_struct[c->role - 1]->types, c->type - 1)) {
			return false;
		}
		if (!ebitmap_get_bit(&u->roles, c->role - 1)) {
			return false;
		}
	}
	if (!p->mls) {
		return true;
	}
	if (!policydb_range_isvalid(p, &c->range)) {
		return false;
	}
	/* Objects (object_r) may carry any valid range; subjects stay within the user's. */
	return c->role == OBJECT_R_VAL || mls_range_contains(&u->range, &c->range);
}
