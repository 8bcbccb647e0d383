/*
 * policydb_syms.c - reading the eight symbol tables (commons, classes,
 * roles, types, users, booleans, sensitivities, categories), indexing them
 * by value, and checking the references between them.
 *
 * Every kind is read by one loop (read_entry) driven by its row in
 * sym_kinds[]: header words and name, the kind's checks, a zeroed datum
 * inserted into the table, then the kind's fill, which sets the datum from
 * the header and reads whatever follows (bitmaps, levels, permissions).
 * Because the datum is in the table before fill allocates anything, the
 * kind's destroy frees it on any later error. References to tables that
 * come later in the file (a role's types, a user's levels) are checked in
 * check_symtabs once all are read. Commons and classes are in
 * policydb_class.c.
 */
#include "policydb_syms.h"
#include "conditional.h"
#include "policy_file.h"
#include "policydb_class.h"
#include "policydb_decode.h"
#include "policydb_lookup.h"

#define TYPEDATUM_PROPERTY_PRIMARY 0x1
#define TYPEDATUM_PROPERTY_ATTRIBUTE 0x2

/* Roles, types and users may name another of their kind as their bound (0: none). */
static int check_bounds(struct policydb *p, struct policy_file *fp, unsigned int sym,
			const char *kind, const struct pdb_datum_head *h, uint32_t bounds)
{
	if (bounds > p->symtab[sym].nprim) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at, "%s %s bounds %u out of range", kind,
				   h->name, bounds);
	}
	return 0;
}

/* Header words: name length, value, bounding role. */
static int role_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h)
{
	int rc = pdb_check_value(fp, p, SYM_ROLES, h->w[1], "role value", h->at);

	if (rc) {
		return rc;
	}
	if (!strcmp(h->name, OBJECT_R) && h->w[1] != OBJECT_R_VAL) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at, "role object_r has value %u, not %u",
				   h->w[1], OBJECT_R_VAL);
	}
	return check_bounds(p, fp, SYM_ROLES, "role", h, h->w[2]);
}

static int role_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		     void *datum)
{
	struct role_datum *r = datum;
	int rc;

	r->value = h->w[1];
	r->bounds = h->w[2];
	rc = ebitmap_read(&r->dominates, fp);
	if (rc) {
		return rc;
	}
	return ebitmap_read(&r->types, fp);
}

static void role_destroy(void *datum)
{
	struct role_datum *r = datum;

	ebitmap_destroy(&r->dominates);
	ebitmap_destroy(&r->types);
}

/* Header words: name length, value, properties, bounding type. */
static int type_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h)
{
	int rc = pdb_check_value(fp, p, SYM_TYPES, h->w[1], "type value", h->at);

	if (rc) {
		return rc;
	}
	if (h->w[2] & ~(uint32_t)(TYPEDATUM_PROPERTY_PRIMARY | TYPEDATUM_PROPERTY_ATTRIBUTE)) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at, "type %s properties 0x%x unknown",
				   h->name, h->w[2]);
	}
	if ((h->w[2] & TYPEDATUM_PROPERTY_ATTRIBUTE) && !(h->w[2] & TYPEDATUM_PROPERTY_PRIMARY)) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at, "attribute %s is marked as an alias",
				   h->name);
	}
	return check_bounds(p, fp, SYM_TYPES, "type", h, h->w[3]);
}

static int type_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		     void *datum)
{
	struct type_datum *t = datum;

	t->value = h->w[1];
	t->primary = h->w[2] & TYPEDATUM_PROPERTY_PRIMARY;
	t->attribute = h->w[2] & TYPEDATUM_PROPERTY_ATTRIBUTE;
	t->bounds = h->w[3];
	return 0;
}

static bool type_is_alias(const void *datum)
{
	return !((const struct type_datum *)datum)->primary;
}

/* Header words: name length, value, bounding user. */
static int user_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h)
{
	int rc = pdb_check_value(fp, p, SYM_USERS, h->w[1], "user value", h->at);

	return rc ? rc : check_bounds(p, fp, SYM_USERS, "user", h, h->w[2]);
}

static int user_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		     void *datum)
{
	struct user_datum *u = datum;
	int rc;

	u->value = h->w[1];
	u->bounds = h->w[2];
	rc = ebitmap_read(&u->roles, fp);
	if (rc) {
		return rc;
	}
	rc = pdb_read_range(fp, &u->range);
	if (!rc) {
		rc = pdb_read_level(fp, &u->dfltlevel);
	}
	if (!rc && !p->mls) {
		/* Without MLS the file's range and level are placeholders: keep them empty. */
		mls_range_destroy(&u->range);
		mls_level_destroy(&u->dfltlevel);
	}
	return rc;
}

static void user_destroy(void *datum)
{
	struct user_datum *u = datum;

	ebitmap_destroy(&u->roles);
	mls_range_destroy(&u->range);
	mls_level_destroy(&u->dfltlevel);
}

/* Header words: value, state, name length (the name is read after these checks). */
static int bool_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h)
{
	int rc = pdb_check_value(fp, p, SYM_BOOLS, h->w[0], "boolean value", h->at);

	if (rc) {
		return rc;
	}
	if (h->w[1] > 1) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at, "boolean %u state %u is not 0 or 1",
				   h->w[0], h->w[1]);
	}
	return 0;
}

static int bool_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		     void *datum)
{
	struct cond_bool_datum *b = datum;

	b->value = h->w[0];
	b->state = (int)h->w[1];
	return 0;
}

/* Header words: name length, alias flag. The value is the level's sensitivity. */
static int sens_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h)
{
	if (h->w[1] > 1) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at, "sensitivity %s alias flag %u invalid",
				   h->name, h->w[1]);
	}
	return 0;
}

static int sens_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		     void *datum)
{
	struct level_datum *l = datum;
	size_t at = fp->pos;
	int rc;

	l->isalias = h->w[1];
	rc = pdb_read_level(fp, &l->level);
	if (rc) {
		return rc;
	}
	return pdb_check_value(fp, p, SYM_LEVELS, l->level.sens, "sensitivity value", at);
}

static void sens_destroy(void *datum)
{
	mls_level_destroy(&((struct level_datum *)datum)->level);
}

static bool sens_is_alias(const void *datum)
{
	return ((const struct level_datum *)datum)->isalias;
}

/* Header words: name length, value, alias flag. */
static int cat_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h)
{
	int rc = pdb_check_value(fp, p, SYM_CATS, h->w[1], "category value", h->at);

	if (rc) {
		return rc;
	}
	if (h->w[2] > 1) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at, "category %s alias flag %u invalid",
				   h->name, h->w[2]);
	}
	return 0;
}

static int cat_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		    void *datum)
{
	struct cat_datum *c = datum;

	c->value = h->w[1];
	c->isalias = h->w[2];
	return 0;
}

static bool cat_is_alias(const void *datum)
{
	return ((const struct cat_datum *)datum)->isalias;
}

/* What differs between the symbol kinds; everything else is read_entry and index_symtab. */
struct sym_kind {
	const char *name;   /* the kind in messages */
	const char *header; /* the header words in messages */
	uint8_t nwords;	    /* header words; the first is the name length ... */
	bool name_last;	    /* ... unless it is the last, read after check (booleans) */
	uint8_t min_size;   /* smallest encoding of one entry, to bound counts before allocating */
	bool value16;	    /* values must fit avtab's 16-bit key fields */
	bool gaps;	    /* checkpolicy numbers aliases too, so values may lack a datum */
	size_t datum_size;
	size_t value_off; /* of the datum's uint32_t value */
	size_t index_off; /* of the policydb's <kind>_val_to_struct array */
	/* The header's checks, before the datum exists (may read more names into h). */
	int (*check)(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h);
	/* Set the datum from the header and read the rest of the entry. */
	int (*fill)(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		    void *datum);
	void (*destroy)(void *datum);	     /* NULL: nothing outside the arena */
	bool (*is_alias)(const void *datum); /* NULL: the kind has no aliases */
};

/* The datum type of a kind and where its value lives. */
#define KIND_DATUM(type, member) .datum_size = sizeof(type), .value_off = offsetof(type, member)
/* Where the policydb keeps the kind's value -> datum array. */
#define KIND_INDEX(field) .index_off = offsetof(struct policydb, field)

/* Indexed by SYM_*, which is also the order of the tables in the file. */
static const struct sym_kind sym_kinds[SYM_NUM] = {
    [SYM_COMMONS] = {.name = "common",
		     .header = "common header",
		     .nwords = 4,
		     .min_size = 17,
		     KIND_DATUM(struct common_datum, value),
		     KIND_INDEX(common_val_to_struct),
		     .check = pdb_common_check,
		     .fill = pdb_common_fill,
		     .destroy = pdb_common_destroy},
    [SYM_CLASSES] = {.name = "class",
		     .header = "class header",
		     .nwords = 6,
		     .min_size = 29,
		     .value16 = true,
		     KIND_DATUM(struct class_datum, value),
		     KIND_INDEX(class_val_to_struct),
		     .check = pdb_class_check,
		     .fill = pdb_class_fill,
		     .destroy = pdb_class_destroy},
    [SYM_ROLES] = {.name = "role",
		   .header = "role header",
		   .nwords = 3,
		   .min_size = 37,
		   KIND_DATUM(struct role_datum, value),
		   KIND_INDEX(role_val_to_struct),
		   .check = role_check,
		   .fill = role_fill,
		   .destroy = role_destroy},
    [SYM_TYPES] = {.name = "type",
		   .header = "type header",
		   .nwords = 4,
		   .min_size = 17,
		   .value16 = true,
		   KIND_DATUM(struct type_datum, value),
		   KIND_INDEX(type_val_to_struct),
		   .check = type_check,
		   .fill = type_fill,
		   .is_alias = type_is_alias},
    [SYM_USERS] = {.name = "user",
		   .header = "user header",
		   .nwords = 3,
		   .min_size = 61,
		   KIND_DATUM(struct user_datum, value),
		   KIND_INDEX(user_val_to_struct),
		   .check = user_check,
		   .fill = user_fill,
		   .destroy = user_destroy},
    [SYM_BOOLS] = {.name = "boolean",
		   .header = "boolean header",
		   .nwords = 3,
		   .name_last = true,
		   .min_size = 13,
		   KIND_DATUM(struct cond_bool_datum, value),
		   KIND_INDEX(bool_val_to_struct),
		   .check = bool_check,
		   .fill = bool_fill},
    [SYM_LEVELS] = {.name = "sensitivity",
		    .header = "sensitivity header",
		    .nwords = 2,
		    .min_size = 25,
		    .gaps = true,
		    KIND_DATUM(struct level_datum, level.sens),
		    KIND_INDEX(sens_val_to_struct),
		    .check = sens_check,
		    .fill = sens_fill,
		    .destroy = sens_destroy,
		    .is_alias = sens_is_alias},
    [SYM_CATS] = {.name = "category",
		  .header = "category header",
		  .nwords = 3,
		  .min_size = 13,
		  .gaps = true,
		  KIND_DATUM(struct cat_datum, value),
		  KIND_INDEX(cat_val_to_struct),
		  .check = cat_check,
		  .fill = cat_fill,
		  .is_alias = cat_is_alias},
};

/* One entry of table sym: header and name, checks, datum, then the rest. */
static int read_entry(struct policydb *p, struct policy_file *fp, unsigned int sym)
{
	const struct sym_kind *k = &sym_kinds[sym];
	struct pdb_datum_head h;
	void *datum;
	int rc;

	if (k->name_last) {
		h.at = fp->pos;
		h.name2 = NULL;
		rc = pf_read_u32s(fp, h.w, k->nwords, k->header);
		if (!rc) {
			rc = k->check(p, fp, &h);
		}
		if (!rc) {
			rc = pdb_read_name(p, fp, h.w[k->nwords - 1], k->name, &h.name);
		}
	} else {
		rc = pdb_read_datum_head(p, fp, &h, k->nwords, k->header, k->name);
		if (!rc) {
			rc = k->check(p, fp, &h);
		}
	}
	if (rc) {
		return rc;
	}
	datum = pdb_alloc(p, k->datum_size);
	if (!datum) {
		return pf_nomem(fp, k->name);
	}
	rc = symtab_insert(&p->symtab[sym], h.name, datum);
	if (rc == -FLASK_EEXIST) {
		return pf_error_at(fp, -FLASK_EINVAL, h.at, "duplicate %s name %s", k->name,
				   h.name);
	}
	if (rc) {
		return pf_nomem(fp, "symbol table");
	}
	return k->fill(p, fp, &h, datum);
}

static uint32_t datum_value(const struct sym_kind *k, const void *datum)
{
	return *(const uint32_t *)((const char *)datum + k->value_off);
}

/*
 * The kind's value -> datum array in the policydb. The fields have
 * distinct pointer types; memcpy moves the pointer without accessing one
 * type through another.
 */
static void **index_get(const struct policydb *p, const struct sym_kind *k)
{
	void **arr;

	memcpy(&arr, (const char *)p + k->index_off, sizeof(arr));
	return arr;
}

static void index_set(struct policydb *p, const struct sym_kind *k, void **arr)
{
	memcpy((char *)p + k->index_off, &arr, sizeof(arr));
}

/* Fill the value -> name/datum arrays: exactly one primary per value, aliases point at one. */
static int index_symtab(struct policydb *p, struct policy_file *fp, unsigned int sym, size_t at)
{
	const struct sym_kind *k = &sym_kinds[sym];
	const struct hashtab *h = &p->symtab[sym].table;
	uint32_t nprim = p->symtab[sym].nprim, i;
	void **arr = NULL;
	int rc;

	rc =
	    pdb_zalloc_array(fp, nprim, sizeof(char *), (void **)&p->sym_val_to_name[sym], "index");
	if (rc) {
		return rc;
	}
	rc = pdb_zalloc_array(fp, nprim, sizeof(void *), (void **)&arr, "index");
	if (rc) {
		return rc;
	}
	index_set(p, k, arr);
	for (i = 0; i < h->size; i++) {
		const struct hashtab_slot *s = &h->slots[i];
		uint32_t v;

		if (!s->key || (k->is_alias && k->is_alias(s->datum))) {
			continue;
		}
		v = datum_value(k, s->datum);
		if (arr[v - 1]) {
			return pf_error_at(fp, -FLASK_EINVAL, at, "%s value %u used by %s and %s",
					   k->name, v, p->sym_val_to_name[sym][v - 1], s->key);
		}
		arr[v - 1] = s->datum;
		p->sym_val_to_name[sym][v - 1] = s->key;
	}
	for (i = 0; i < nprim; i++) {
		if (!arr[i] && !k->gaps) {
			return pf_error_at(fp, -FLASK_EINVAL, at, "%s value %u has no definition",
					   k->name, i + 1);
		}
	}
	for (i = 0; i < h->size; i++) {
		const struct hashtab_slot *s = &h->slots[i];
		uint32_t v;

		if (!s->key || !k->is_alias || !k->is_alias(s->datum)) {
			continue;
		}
		v = datum_value(k, s->datum);
		if (!arr[v - 1]) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "%s alias %s names undefined value %u", k->name, s->key,
					   v);
		}
		if (sym == SYM_TYPES && ((struct type_datum *)arr[v - 1])->attribute) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "type alias %s names attribute %s", s->key,
					   p->sym_val_to_name[sym][v - 1]);
		}
	}
	return 0;
}

static const char *sym_name(const struct policydb *p, unsigned int sym, uint32_t v)
{
	return p->sym_val_to_name[sym][v - 1];
}

/* Checks of references to tables that come later in the file than the referrer. */
static int check_symtabs(struct policydb *p, struct policy_file *fp, size_t at)
{
	uint32_t nroles = p->symtab[SYM_ROLES].nprim, ntypes = p->symtab[SYM_TYPES].nprim;
	uint32_t nusers = p->symtab[SYM_USERS].nprim, ncats = p->symtab[SYM_CATS].nprim;
	uint32_t i, j, k;

	/* Contexts treat role 1 as object_r; make sure it is. */
	if (nroles && strcmp(sym_name(p, SYM_ROLES, OBJECT_R_VAL), OBJECT_R)) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "role %u is %s, not %s", OBJECT_R_VAL,
				   sym_name(p, SYM_ROLES, OBJECT_R_VAL), OBJECT_R);
	}
	for (i = 0; i < nroles; i++) {
		const struct role_datum *r = p->role_val_to_struct[i];

		if (ebitmap_last_bit_plus_one(&r->dominates) > nroles ||
		    ebitmap_last_bit_plus_one(&r->types) > ntypes) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "role %s names roles or types that do not exist",
					   sym_name(p, SYM_ROLES, i + 1));
		}
	}
	for (i = 0; i < nusers; i++) {
		const struct user_datum *u = p->user_val_to_struct[i];

		if (ebitmap_last_bit_plus_one(&u->roles) > nroles) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "user %s names roles that do not exist",
					   sym_name(p, SYM_USERS, i + 1));
		}
		if (!p->mls) {
			continue;
		}
		if (!policydb_range_isvalid(p, &u->range) ||
		    !policydb_level_isvalid(p, &u->dfltlevel) ||
		    !mls_level_dom(&u->range.level[1], &u->dfltlevel) ||
		    !mls_level_dom(&u->dfltlevel, &u->range.level[0])) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "user %s has an invalid MLS range or default level",
					   sym_name(p, SYM_USERS, i + 1));
		}
	}
	for (i = 0; i < p->symtab[SYM_LEVELS].table.size; i++) {
		const struct hashtab_slot *s = &p->symtab[SYM_LEVELS].table.slots[i];

		uint32_t bit;

		if (!s->key) {
			continue;
		}
		ebitmap_for_each_bit(&((struct level_datum *)s->datum)->level.cat, bit)
		{
			if (bit >= ncats || !p->cat_val_to_struct[bit]) {
				return pf_error_at(fp, -FLASK_EINVAL, at,
						   "sensitivity %s allows category %u, not defined",
						   s->key, bit + 1);
			}
		}
	}
	for (i = 0; i < p->symtab[SYM_CLASSES].nprim; i++) {
		const struct class_datum *c = p->class_val_to_struct[i];

		for (j = 0; j < c->nconstraints + c->nvalidatetrans; j++) {
			const struct constraint *con = j < c->nconstraints
							   ? &c->constraints[j]
							   : &c->validatetrans[j - c->nconstraints];

			for (k = 0; k < con->nexpr; k++) {
				const struct constraint_expr *e = &con->expr[k];
				uint32_t base = e->attr & (CEXPR_USER | CEXPR_ROLE | CEXPR_TYPE);
				uint32_t limit = base == CEXPR_USER   ? nusers
						 : base == CEXPR_ROLE ? nroles
								      : ntypes;

				if (e->expr_type == CEXPR_NAMES &&
				    ebitmap_last_bit_plus_one(&e->names) > limit) {
					return pf_error_at(
					    fp, -FLASK_EINVAL, at,
					    "class %s constraint names undefined symbols",
					    sym_name(p, SYM_CLASSES, i + 1));
				}
			}
		}
	}
	if (ebitmap_get_bit(&p->permissive_map, 0) ||
	    ebitmap_last_bit_plus_one(&p->permissive_map) > ntypes + 1) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "permissive map names undefined types");
	}
	return 0;
}

int pdb_read_symtabs(struct policydb *p, struct policy_file *fp)
{
	size_t start = fp->pos;
	unsigned int sym;
	int rc;

	for (sym = 0; sym < SYM_NUM; sym++) {
		const struct sym_kind *k = &sym_kinds[sym];
		uint32_t buf[2], j;
		size_t at = fp->pos;

		rc = pf_read_u32s(fp, buf, 2, "symbol table header");
		if (rc) {
			return rc;
		}
		if (buf[0] > buf[1]) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "%s table numbers %u values but holds %u names", k->name,
					   buf[0], buf[1]);
		}
		if (k->value16 && buf[0] > POLICYDB_VALUE_MAX) {
			return pf_error_at(fp, -FLASK_EINVAL, at, "%s count %u exceeds %u", k->name,
					   buf[0], POLICYDB_VALUE_MAX);
		}
		rc = pf_check_count(fp, buf[1], k->min_size, k->name);
		if (rc) {
			return rc;
		}
		if (symtab_init(&p->symtab[sym], buf[1])) {
			return pf_nomem(fp, "symbol table");
		}
		p->symtab[sym].nprim = buf[0];
		for (j = 0; j < buf[1]; j++) {
			rc = read_entry(p, fp, sym);
			if (rc) {
				return rc;
			}
		}
		rc = index_symtab(p, fp, sym, at);
		if (rc) {
			return rc;
		}
	}
	return check_symtabs(p, fp, start);
}

void pdb_destroy_symtabs(struct policydb *p)
{
	unsigned int sym;
	uint32_t i;

	for (sym = 0; sym < SYM_NUM; sym++) {
		const struct sym_kind *k = &sym_kinds[sym];
		const struct hashtab *h = &p->symtab[sym].table;

		for (i = 0; k->destroy && i < h->size; i++) {
			if (h->slots[i].key) {
				k->destroy(h->slots[i].datum);
			}
		}
		symtab_destroy(&p->symtab[sym]);
		flask_free(p->sym_val_to_name[sym]);
		p->sym_val_to_name[sym] = NULL;
		flask_free(index_get(p, k));
		index_set(p, k, NULL);
	}
}
