/*
 * policydb_syms.c - reading the eight symbol tables (commons, classes with
 * permissions and constraints, roles, types, users, booleans,
 * sensitivities, categories) and indexing them by value.
 *
 * Order matters: an entry is inserted into its table as soon as its name is
 * known, before its bitmaps are read, so that whatever was allocated is
 * reachable from the tables and freed by pdb_destroy_symtabs on any error.
 * References to tables that come later in the file (a role's types, a
 * user's levels) are checked in pdb_check_symtabs once all are read.
 */
#include "policydb_syms.h"
#include "conditional.h"
#include "policy_file.h"
#include "policydb_decode.h"
#include "policydb_lookup.h"

#define TYPEDATUM_PROPERTY_PRIMARY 0x1
#define TYPEDATUM_PROPERTY_ATTRIBUTE 0x2

static const char *const sym_names[SYM_NUM] = {
    "common", "class", "role", "type", "user", "boolean", "sensitivity", "category",
};

/* Smallest possible encoding of one entry, to bound counts before allocating. */
static const uint8_t sym_min_size[SYM_NUM] = {17, 29, 37, 17, 61, 13, 25, 13};

static int insert_sym(struct policydb *p, struct policy_file *fp, unsigned int sym,
		      const char *name, void *datum, size_t at)
{
	int rc = symtab_insert(&p->symtab[sym], name, datum);

	if (rc == -FLASK_EEXIST) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "duplicate %s name %s", sym_names[sym],
				   name);
	}
	if (rc) {
		return pf_nomem(fp, "symbol table");
	}
	return 0;
}

static int check_value(struct policy_file *fp, unsigned int sym, uint32_t value, uint32_t nprim,
		       size_t at)
{
	if (!value || value > nprim) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "%s value %u out of range 1..%u",
				   sym_names[sym], value, nprim);
	}
	return 0;
}

/*
 * A datum starts with n header words, the first its name length, then the
 * name: read both (the callers check the rest of the header).
 */
static int read_datum_head(struct policydb *p, struct policy_file *fp, uint32_t *buf, size_t n,
			   const char *header, const char *what, const char **name)
{
	int rc = pf_read_u32s(fp, buf, n, header);

	if (rc) {
		return rc;
	}
	return pdb_read_name(p, fp, buf[0], what, name);
}

/* Permissions of a common or class: values must lie in (base, nprim] and be distinct. */
static int read_perms(struct policydb *p, struct policy_file *fp, struct symtab *perms,
		      uint32_t nel, uint32_t base, uint32_t *mask, const char **names,
		      const char *owner)
{
	uint32_t i;
	int rc;

	rc = pf_check_count(fp, nel, 9, "permission");
	if (rc) {
		return rc;
	}
	for (i = 0; i < nel; i++) {
		struct perm_datum *perm;
		uint32_t buf[2];
		size_t at = fp->pos;
		const char *name;

		rc = pf_read_u32s(fp, buf, 2, "permission header");
		if (rc) {
			return rc;
		}
		rc = pdb_read_name(p, fp, buf[0], "permission", &name);
		if (rc) {
			return rc;
		}
		if (buf[1] <= base || buf[1] > perms->nprim) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "%s permission %s value %u out of range %u..%u", owner,
					   name, buf[1], base + 1, perms->nprim);
		}
		if (*mask & (1u << (buf[1] - 1))) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "%s permission %s reuses value %u", owner, name, buf[1]);
		}
		*mask |= 1u << (buf[1] - 1);
		names[buf[1] - 1] = name;
		perm = pdb_alloc(p, sizeof(*perm));
		if (!perm) {
			return pf_nomem(fp, "permission");
		}
		perm->value = buf[1];
		rc = symtab_insert(perms, name, perm);
		if (rc == -FLASK_EEXIST) {
			return pf_error_at(fp, -FLASK_EINVAL, at, "%s permission %s defined twice",
					   owner, name);
		}
		if (rc) {
			return pf_nomem(fp, "permission table");
		}
	}
	return 0;
}

static int read_common(struct policydb *p, struct policy_file *fp)
{
	const char *perm_names[POLICYDB_PERMS_MAX];
	struct common_datum *c;
	uint32_t buf[4], mask = 0;
	size_t at = fp->pos;
	const char *name;
	int rc;

	rc = read_datum_head(p, fp, buf, 4, "common header", "common", &name);
	if (rc) {
		return rc;
	}
	rc = check_value(fp, SYM_COMMONS, buf[1], p->symtab[SYM_COMMONS].nprim, at);
	if (rc) {
		return rc;
	}
	if (buf[2] > POLICYDB_PERMS_MAX) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "common %s permission count %u exceeds %u", name, buf[2],
				   POLICYDB_PERMS_MAX);
	}
	if (buf[3] != buf[2]) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "common %s lists %u permissions but numbers %u", name, buf[3],
				   buf[2]);
	}
	c = pdb_alloc(p, sizeof(*c));
	if (!c) {
		return pf_nomem(fp, "common");
	}
	c->value = buf[1];
	rc = insert_sym(p, fp, SYM_COMMONS, name, c, at);
	if (rc) {
		return rc;
	}
	if (symtab_init(&c->permissions, buf[3])) {
		return pf_nomem(fp, "permission table");
	}
	c->permissions.nprim = buf[2];
	return read_perms(p, fp, &c->permissions, buf[3], 0, &mask, perm_names, name);
}

static int check_cexpr(struct policy_file *fp, const struct constraint_expr *e, bool validatetrans,
		       const char *cls, size_t at)
{
	uint32_t base = e->attr & ~(uint32_t)(CEXPR_TARGET | CEXPR_XTARGET);

	switch (e->expr_type) {
	case CEXPR_NOT:
	case CEXPR_AND:
	case CEXPR_OR:
		return 0;
	case CEXPR_ATTR:
		switch (e->attr) {
		case CEXPR_USER:
		case CEXPR_TYPE:
			if (e->op == CEXPR_EQ || e->op == CEXPR_NEQ) {
				return 0;
			}
			break;
		case CEXPR_ROLE:
		case CEXPR_L1L2:
		case CEXPR_L1H2:
		case CEXPR_H1L2:
		case CEXPR_H1H2:
		case CEXPR_L1H1:
		case CEXPR_L2H2:
			if (e->op >= CEXPR_EQ && e->op <= CEXPR_INCOMP) {
				return 0;
			}
			break;
		default:
			break;
		}
		break;
	case CEXPR_NAMES:
		if ((e->attr & CEXPR_XTARGET) && (!validatetrans || (e->attr & CEXPR_TARGET))) {
			break;
		}
		if ((base == CEXPR_USER || base == CEXPR_ROLE || base == CEXPR_TYPE) &&
		    (e->op == CEXPR_EQ || e->op == CEXPR_NEQ)) {
			return 0;
		}
		break;
	default:
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "class %s constraint expression type %u unknown", cls,
				   e->expr_type);
	}
	return pf_error_at(fp, -FLASK_EINVAL, at,
			   "class %s constraint expression attr 0x%x op %u invalid", cls, e->attr,
			   e->op);
}

static int read_constraints(struct policydb *p, struct policy_file *fp, struct constraint **out,
			    uint32_t *nout, uint32_t ncons, bool validatetrans, uint32_t permmask,
			    const char *cls)
{
	struct constraint *cons;
	uint32_t i, j;
	int rc;

	rc = pf_check_count(fp, ncons, 8, validatetrans ? "validatetrans" : "constraint");
	if (rc) {
		return rc;
	}
	rc = pdb_zalloc_array(fp, ncons, sizeof(*cons), (void **)&cons, "constraints");
	if (rc) {
		return rc;
	}
	*out = cons;
	*nout = ncons;
	for (i = 0; i < ncons; i++) {
		struct constraint *c = &cons[i];
		uint32_t buf[2];
		size_t at = fp->pos;
		int depth = 0;

		rc = pf_read_u32s(fp, buf, 2, "constraint header");
		if (rc) {
			return rc;
		}
		/* validatetrans rules name no permissions; whatever the word holds is unused. */
		c->permissions = validatetrans ? 0 : buf[0];
		if (!validatetrans && (!buf[0] || (buf[0] & ~permmask))) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "class %s constraint permissions 0x%x not within 0x%x",
					   cls, buf[0], permmask);
		}
		if (!buf[1]) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "class %s has an empty constraint", cls);
		}
		rc = pf_check_count(fp, buf[1], 12, "constraint expression node");
		if (rc) {
			return rc;
		}
		rc = pdb_zalloc_array(fp, buf[1], sizeof(*c->expr), (void **)&c->expr,
				      "constraint expression");
		if (rc) {
			return rc;
		}
		c->nexpr = buf[1];
		for (j = 0; j < c->nexpr; j++) {
			struct constraint_expr *e = &c->expr[j];
			uint32_t ex[3];
			size_t eat = fp->pos;

			rc = pf_read_u32s(fp, ex, 3, "constraint expression node");
			if (rc) {
				return rc;
			}
			e->expr_type = ex[0];
			e->attr = ex[1];
			e->op = ex[2];
			rc = check_cexpr(fp, e, validatetrans, cls, eat);
			if (rc) {
				return rc;
			}
			switch (e->expr_type) {
			case CEXPR_NOT:
				if (depth < 1) {
					return pf_error_at(
					    fp, -FLASK_EINVAL, eat,
					    "class %s constraint: 'not' on an empty stack", cls);
				}
				break;
			case CEXPR_AND:
			case CEXPR_OR:
				if (depth < 2) {
					return pf_error_at(
					    fp, -FLASK_EINVAL, eat,
					    "class %s constraint: operator needs 2 operands", cls);
				}
				depth--;
				break;
			default:
				if (depth == CEXPR_MAXDEPTH) {
					return pf_error_at(fp, -FLASK_EINVAL, eat,
							   "class %s constraint deeper than %d",
							   cls, CEXPR_MAXDEPTH);
				}
				depth++;
				break;
			}
			if (e->expr_type != CEXPR_NAMES) {
				continue;
			}
			rc = ebitmap_read(&e->names, fp);
			if (rc) {
				return rc;
			}
			if (p->policyvers >= POLICYDB_VERSION_CONSTRAINT_NAMES) {
				/* The source-level type set: kept by libsepol for display only. */
				struct ebitmap types, neg;
				uint32_t flags;

				rc = ebitmap_read(&types, fp);
				if (rc) {
					return rc;
				}
				ebitmap_destroy(&types);
				rc = ebitmap_read(&neg, fp);
				if (rc) {
					return rc;
				}
				ebitmap_destroy(&neg);
				rc = pf_read_u32(fp, &flags, "constraint type set flags");
				if (rc) {
					return rc;
				}
			}
		}
		if (depth != 1) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "class %s constraint leaves %d values on the stack", cls,
					   depth);
		}
	}
	return 0;
}

static int read_class(struct policydb *p, struct policy_file *fp)
{
	struct class_datum *c;
	uint32_t buf[6], mask = 0, base = 0, full;
	size_t at = fp->pos;
	const char *name, *comkey = NULL;
	int rc;

	rc = read_datum_head(p, fp, buf, 6, "class header", "class", &name);
	if (rc) {
		return rc;
	}
	if (buf[1]) {
		rc = pdb_read_name(p, fp, buf[1], "class common", &comkey);
		if (rc) {
			return rc;
		}
	}
	rc = check_value(fp, SYM_CLASSES, buf[2], p->symtab[SYM_CLASSES].nprim, at);
	if (rc) {
		return rc;
	}
	if (buf[3] > POLICYDB_PERMS_MAX) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "class %u permission count %u exceeds %u",
				   buf[2], buf[3], POLICYDB_PERMS_MAX);
	}
	if (buf[4] > buf[3]) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "class %u lists %u permissions, more than %u", buf[2], buf[4],
				   buf[3]);
	}
	c = pdb_alloc(p, sizeof(*c));
	if (!c) {
		return pf_nomem(fp, "class");
	}
	c->value = buf[2];
	rc = insert_sym(p, fp, SYM_CLASSES, name, c, at);
	if (rc) {
		return rc;
	}
	if (symtab_init(&c->permissions, buf[4])) {
		return pf_nomem(fp, "permission table");
	}
	c->permissions.nprim = buf[3];
	if (comkey) {
		uint32_t i;

		c->comkey = comkey;
		c->comdatum = symtab_search(&p->symtab[SYM_COMMONS], comkey);
		if (!c->comdatum) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "class %s inherits unknown common %s", name, comkey);
		}
		base = c->comdatum->permissions.nprim;
		if (base > buf[3]) {
			return pf_error_at(
			    fp, -FLASK_EINVAL, at,
			    "class %s has %u permissions, fewer than its common's %u", name, buf[3],
			    base);
		}
		/* The common's permission names take the low values. */
		for (i = 0; i < c->comdatum->permissions.table.size; i++) {
			const struct hashtab_slot *s = &c->comdatum->permissions.table.slots[i];

			if (s->key) {
				c->perm_names[((struct perm_datum *)s->datum)->value - 1] = s->key;
			}
		}
		mask = base == 32 ? 0xffffffffu : (1u << base) - 1;
	}
	rc = read_perms(p, fp, &c->permissions, buf[4], base, &mask, c->perm_names, name);
	if (rc) {
		return rc;
	}
	full = buf[3] == 32 ? 0xffffffffu : (1u << buf[3]) - 1;
	if (mask != full) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "class %s permission values leave gaps (0x%x of 0x%x)", name,
				   mask, full);
	}
	rc = read_constraints(p, fp, &c->constraints, &c->nconstraints, buf[5], false, full, name);
	if (rc) {
		return rc;
	}
	rc = pf_read_u32(fp, &buf[0], "validatetrans count");
	if (rc) {
		return rc;
	}
	rc = read_constraints(p, fp, &c->validatetrans, &c->nvalidatetrans, buf[0], true, full,
			      name);
	if (rc) {
		return rc;
	}
	if (p->policyvers >= POLICYDB_VERSION_NEW_OBJECT_DEFAULTS) {
		at = fp->pos;
		rc = pf_read_u32s(fp, buf, 3, "class defaults");
		if (rc) {
			return rc;
		}
		if (buf[0] > DEFAULT_TARGET || buf[1] > DEFAULT_TARGET || buf[2] > DEFAULT_GLBLUB) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "class %s defaults user %u role %u range %u invalid",
					   name, buf[0], buf[1], buf[2]);
		}
		c->default_user = buf[0];
		c->default_role = buf[1];
		c->default_range = buf[2];
	}
	if (p->policyvers >= POLICYDB_VERSION_DEFAULT_TYPE) {
		at = fp->pos;
		rc = pf_read_u32(fp, &buf[0], "class default type");
		if (rc) {
			return rc;
		}
		if (buf[0] > DEFAULT_TARGET) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "class %s default type %u invalid", name, buf[0]);
		}
		c->default_type = buf[0];
	}
	return 0;
}

static int read_role(struct policydb *p, struct policy_file *fp)
{
	struct role_datum *r;
	uint32_t buf[3];
	size_t at = fp->pos;
	const char *name;
	int rc;

	rc = read_datum_head(p, fp, buf, 3, "role header", "role", &name);
	if (rc) {
		return rc;
	}
	rc = check_value(fp, SYM_ROLES, buf[1], p->symtab[SYM_ROLES].nprim, at);
	if (rc) {
		return rc;
	}
	if (!strcmp(name, OBJECT_R) && buf[1] != OBJECT_R_VAL) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "role object_r has value %u, not %u",
				   buf[1], OBJECT_R_VAL);
	}
	if (buf[2] > p->symtab[SYM_ROLES].nprim) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "role %s bounds %u out of range", name,
				   buf[2]);
	}
	r = pdb_alloc(p, sizeof(*r));
	if (!r) {
		return pf_nomem(fp, "role");
	}
	r->value = buf[1];
	r->bounds = buf[2];
	rc = insert_sym(p, fp, SYM_ROLES, name, r, at);
	if (rc) {
		return rc;
	}
	rc = ebitmap_read(&r->dominates, fp);
	if (rc) {
		return rc;
	}
	return ebitmap_read(&r->types, fp);
}

static int read_type(struct policydb *p, struct policy_file *fp)
{
	struct type_datum *t;
	uint32_t buf[4];
	size_t at = fp->pos;
	const char *name;
	int rc;

	rc = read_datum_head(p, fp, buf, 4, "type header", "type", &name);
	if (rc) {
		return rc;
	}
	rc = check_value(fp, SYM_TYPES, buf[1], p->symtab[SYM_TYPES].nprim, at);
	if (rc) {
		return rc;
	}
	if (buf[2] & ~(uint32_t)(TYPEDATUM_PROPERTY_PRIMARY | TYPEDATUM_PROPERTY_ATTRIBUTE)) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "type %s properties 0x%x unknown", name,
				   buf[2]);
	}
	if ((buf[2] & TYPEDATUM_PROPERTY_ATTRIBUTE) && !(buf[2] & TYPEDATUM_PROPERTY_PRIMARY)) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "attribute %s is marked as an alias",
				   name);
	}
	if (buf[3] > p->symtab[SYM_TYPES].nprim) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "type %s bounds %u out of range", name,
				   buf[3]);
	}
	t = pdb_alloc(p, sizeof(*t));
	if (!t) {
		return pf_nomem(fp, "type");
	}
	t->value = buf[1];
	t->primary = buf[2] & TYPEDATUM_PROPERTY_PRIMARY;
	t->attribute = buf[2] & TYPEDATUM_PROPERTY_ATTRIBUTE;
	t->bounds = buf[3];
	return insert_sym(p, fp, SYM_TYPES, name, t, at);
}

static int read_user(struct policydb *p, struct policy_file *fp)
{
	struct user_datum *u;
	uint32_t buf[3];
	size_t at = fp->pos;
	const char *name;
	int rc;

	rc = read_datum_head(p, fp, buf, 3, "user header", "user", &name);
	if (rc) {
		return rc;
	}
	rc = check_value(fp, SYM_USERS, buf[1], p->symtab[SYM_USERS].nprim, at);
	if (rc) {
		return rc;
	}
	if (buf[2] > p->symtab[SYM_USERS].nprim) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "user %s bounds %u out of range", name,
				   buf[2]);
	}
	u = pdb_alloc(p, sizeof(*u));
	if (!u) {
		return pf_nomem(fp, "user");
	}
	u->value = buf[1];
	u->bounds = buf[2];
	rc = insert_sym(p, fp, SYM_USERS, name, u, at);
	if (rc) {
		return rc;
	}
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

static int read_bool(struct policydb *p, struct policy_file *fp)
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

static int read_sens(struct policydb *p, struct policy_file *fp)
{
	struct level_datum *l;
	uint32_t buf[2];
	size_t at = fp->pos;
	const char *name;
	int rc;

	rc = read_datum_head(p, fp, buf, 2, "sensitivity header", "sensitivity", &name);
	if (rc) {
		return rc;
	}
	if (buf[1] > 1) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "sensitivity %s alias flag %u invalid",
				   name, buf[1]);
	}
	l = pdb_alloc(p, sizeof(*l));
	if (!l) {
		return pf_nomem(fp, "sensitivity");
	}
	l->isalias = buf[1];
	rc = insert_sym(p, fp, SYM_LEVELS, name, l, at);
	if (rc) {
		return rc;
	}
	at = fp->pos;
	rc = pdb_read_level(fp, &l->level);
	if (rc) {
		return rc;
	}
	return check_value(fp, SYM_LEVELS, l->level.sens, p->symtab[SYM_LEVELS].nprim, at);
}

static int read_cat(struct policydb *p, struct policy_file *fp)
{
	struct cat_datum *c;
	uint32_t buf[3];
	size_t at = fp->pos;
	const char *name;
	int rc;

	rc = read_datum_head(p, fp, buf, 3, "category header", "category", &name);
	if (rc) {
		return rc;
	}
	rc = check_value(fp, SYM_CATS, buf[1], p->symtab[SYM_CATS].nprim, at);
	if (rc) {
		return rc;
	}
	if (buf[2] > 1) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "category %s alias flag %u invalid", name,
				   buf[2]);
	}
	c = pdb_alloc(p, sizeof(*c));
	if (!c) {
		return pf_nomem(fp, "category");
	}
	c->value = buf[1];
	c->isalias = buf[2];
	return insert_sym(p, fp, SYM_CATS, name, c, at);
}

static int (*const read_sym[SYM_NUM])(struct policydb *p, struct policy_file *fp) = {
    read_common, read_class, read_role, read_type, read_user, read_bool, read_sens, read_cat,
};

/* Value and primary-ness of a datum of table sym. */
static uint32_t datum_value(unsigned int sym, const void *d, bool *primary)
{
	*primary = true;
	switch (sym) {
	case SYM_COMMONS:
		return ((const struct common_datum *)d)->value;
	case SYM_CLASSES:
		return ((const struct class_datum *)d)->value;
	case SYM_ROLES:
		return ((const struct role_datum *)d)->value;
	case SYM_TYPES:
		*primary = ((const struct type_datum *)d)->primary;
		return ((const struct type_datum *)d)->value;
	case SYM_USERS:
		return ((const struct user_datum *)d)->value;
	case SYM_BOOLS:
		return ((const struct cond_bool_datum *)d)->value;
	case SYM_LEVELS:
		*primary = !((const struct level_datum *)d)->isalias;
		return ((const struct level_datum *)d)->level.sens;
	default:
		*primary = !((const struct cat_datum *)d)->isalias;
		return ((const struct cat_datum *)d)->value;
	}
}

static void **val_to_struct(struct policydb *p, unsigned int sym)
{
	switch (sym) {
	case SYM_COMMONS:
		return (void **)p->common_val_to_struct;
	case SYM_CLASSES:
		return (void **)p->class_val_to_struct;
	case SYM_ROLES:
		return (void **)p->role_val_to_struct;
	case SYM_TYPES:
		return (void **)p->type_val_to_struct;
	case SYM_USERS:
		return (void **)p->user_val_to_struct;
	case SYM_BOOLS:
		return (void **)p->bool_val_to_struct;
	case SYM_LEVELS:
		return (void **)p->sens_val_to_struct;
	default:
		return (void **)p->cat_val_to_struct;
	}
}

static int alloc_index(struct policydb *p, struct policy_file *fp, unsigned int sym)
{
	uint32_t n = p->symtab[sym].nprim;
	void **arr = NULL;
	int rc;

	rc = pdb_zalloc_array(fp, n, sizeof(char *), (void **)&p->sym_val_to_name[sym], "index");
	if (rc) {
		return rc;
	}
	rc = pdb_zalloc_array(fp, n, sizeof(void *), (void **)&arr, "index");
	if (rc) {
		return rc;
	}
	switch (sym) {
	case SYM_COMMONS:
		p->common_val_to_struct = (struct common_datum **)arr;
		break;
	case SYM_CLASSES:
		p->class_val_to_struct = (struct class_datum **)arr;
		break;
	case SYM_ROLES:
		p->role_val_to_struct = (struct role_datum **)arr;
		break;
	case SYM_TYPES:
		p->type_val_to_struct = (struct type_datum **)arr;
		break;
	case SYM_USERS:
		p->user_val_to_struct = (struct user_datum **)arr;
		break;
	case SYM_BOOLS:
		p->bool_val_to_struct = (struct cond_bool_datum **)arr;
		break;
	case SYM_LEVELS:
		p->sens_val_to_struct = (struct level_datum **)arr;
		break;
	default:
		p->cat_val_to_struct = (struct cat_datum **)arr;
		break;
	}
	return 0;
}

/* Fill the value -> name/datum arrays: exactly one primary per value, aliases point at one. */
static int index_symtab(struct policydb *p, struct policy_file *fp, unsigned int sym, size_t at)
{
	const struct hashtab *h = &p->symtab[sym].table;
	uint32_t nprim = p->symtab[sym].nprim, i;
	void **arr;
	int rc;

	rc = alloc_index(p, fp, sym);
	if (rc) {
		return rc;
	}
	arr = val_to_struct(p, sym);
	for (i = 0; i < h->size; i++) {
		const struct hashtab_slot *s = &h->slots[i];
		bool primary;
		uint32_t v;

		if (!s->key) {
			continue;
		}
		v = datum_value(sym, s->datum, &primary);
		if (!primary) {
			continue;
		}
		if (arr[v - 1]) {
			return pf_error_at(fp, -FLASK_EINVAL, at, "%s value %u used by %s and %s",
					   sym_names[sym], v, p->sym_val_to_name[sym][v - 1],
					   s->key);
		}
		arr[v - 1] = s->datum;
		p->sym_val_to_name[sym][v - 1] = s->key;
	}
	for (i = 0; i < nprim; i++) {
		/* checkpolicy numbers sensitivity and category aliases too, leaving gaps. */
		if (!arr[i] && sym != SYM_LEVELS && sym != SYM_CATS) {
			return pf_error_at(fp, -FLASK_EINVAL, at, "%s value %u has no definition",
					   sym_names[sym], i + 1);
		}
	}
	for (i = 0; i < h->size; i++) {
		const struct hashtab_slot *s = &h->slots[i];
		bool primary;
		uint32_t v;

		if (!s->key) {
			continue;
		}
		v = datum_value(sym, s->datum, &primary);
		if (primary) {
			continue;
		}
		if (!arr[v - 1]) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "%s alias %s names undefined value %u", sym_names[sym],
					   s->key, v);
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
		uint32_t buf[2], j;
		size_t at = fp->pos;

		rc = pf_read_u32s(fp, buf, 2, "symbol table header");
		if (rc) {
			return rc;
		}
		if (buf[0] > buf[1]) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "%s table numbers %u values but holds %u names",
					   sym_names[sym], buf[0], buf[1]);
		}
		if ((sym == SYM_TYPES || sym == SYM_CLASSES) && buf[0] > POLICYDB_VALUE_MAX) {
			return pf_error_at(fp, -FLASK_EINVAL, at, "%s count %u exceeds %u",
					   sym_names[sym], buf[0], POLICYDB_VALUE_MAX);
		}
		rc = pf_check_count(fp, buf[1], sym_min_size[sym], sym_names[sym]);
		if (rc) {
			return rc;
		}
		if (symtab_init(&p->symtab[sym], buf[1])) {
			return pf_nomem(fp, "symbol table");
		}
		p->symtab[sym].nprim = buf[0];
		for (j = 0; j < buf[1]; j++) {
			rc = read_sym[sym](p, fp);
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

static void destroy_constraints(struct constraint *c, uint32_t n)
{
	uint32_t i, j;

	for (i = 0; c && i < n; i++) {
		for (j = 0; c[i].expr && j < c[i].nexpr; j++) {
			ebitmap_destroy(&c[i].expr[j].names);
		}
		flask_free(c[i].expr);
	}
	flask_free(c);
}

void pdb_destroy_symtabs(struct policydb *p)
{
	unsigned int sym;
	uint32_t i;

	for (sym = 0; sym < SYM_NUM; sym++) {
		const struct hashtab *h = &p->symtab[sym].table;

		for (i = 0; i < h->size; i++) {
			void *d = h->slots[i].datum;

			if (!h->slots[i].key) {
				continue;
			}
			switch (sym) {
			case SYM_COMMONS:
				symtab_destroy(&((struct common_datum *)d)->permissions);
				break;
			case SYM_CLASSES: {
				struct class_datum *c = d;

				symtab_destroy(&c->permissions);
				destroy_constraints(c->constraints, c->nconstraints);
				destroy_constraints(c->validatetrans, c->nvalidatetrans);
				break;
			}
			case SYM_ROLES:
				ebitmap_destroy(&((struct role_datum *)d)->dominates);
				ebitmap_destroy(&((struct role_datum *)d)->types);
				break;
			case SYM_USERS:
				ebitmap_destroy(&((struct user_datum *)d)->roles);
				mls_range_destroy(&((struct user_datum *)d)->range);
				mls_level_destroy(&((struct user_datum *)d)->dfltlevel);
				break;
			case SYM_LEVELS:
				mls_level_destroy(&((struct level_datum *)d)->level);
				break;
			default:
				break;
			}
		}
		symtab_destroy(&p->symtab[sym]);
		flask_free(p->sym_val_to_name[sym]);
		p->sym_val_to_name[sym] = NULL;
	}
	flask_free(p->common_val_to_struct);
	flask_free(p->class_val_to_struct);
	flask_free(p->role_val_to_struct);
	flask_free(p->type_val_to_struct);
	flask_free(p->user_val_to_struct);
	flask_free(p->bool_val_to_struct);
	flask_free(p->sens_val_to_struct);
	flask_free(p->cat_val_to_struct);
	p->common_val_to_struct = NULL;
	p->class_val_to_struct = NULL;
	p->role_val_to_struct = NULL;
	p->type_val_to_struct = NULL;
	p->user_val_to_struct = NULL;
	p->bool_val_to_struct = NULL;
	p->sens_val_to_struct = NULL;
	p->cat_val_to_struct = NULL;
}
