/*
 * policydb_class.c - the two symbol kinds with permissions: commons and
 * classes. A class's permissions (after those of the common it inherits)
 * must number 1..n without gaps; its constraints and validatetrans rules
 * are postfix expressions checked for shape and depth here, and for the
 * names they use once all symbol tables are read (policydb_syms.c).
 *
 * These are rows of the symbol kind table in policydb_syms.c: each kind's
 * check runs before its datum exists, its fill after the datum is in the
 * table (so whatever fill allocates is freed by the kind's destroy on any
 * later error).
 */
#include "policydb_class.h"
#include "policy_file.h"
#include "policydb_decode.h"

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
		struct pdb_datum_head h;
		struct perm_datum *perm;
		uint32_t v;

		rc = pdb_read_datum_head(p, fp, &h, 2, "permission header", "permission");
		if (rc) {
			return rc;
		}
		v = h.w[1];
		if (v <= base || v > perms->nprim) {
			return pf_error_at(fp, -FLASK_EINVAL, h.at,
					   "%s permission %s value %u out of range %u..%u", owner,
					   h.name, v, base + 1, perms->nprim);
		}
		if (*mask & (1u << (v - 1))) {
			return pf_error_at(fp, -FLASK_EINVAL, h.at,
					   "%s permission %s reuses value %u", owner, h.name, v);
		}
		*mask |= 1u << (v - 1);
		names[v - 1] = h.name;
		perm = pdb_alloc(p, sizeof(*perm));
		if (!perm) {
			return pf_nomem(fp, "permission");
		}
		perm->value = v;
		rc = symtab_insert(perms, h.name, perm);
		if (rc == -FLASK_EEXIST) {
			return pf_error_at(fp, -FLASK_EINVAL, h.at,
					   "%s permission %s defined twice", owner, h.name);
		}
		if (rc) {
			return pf_nomem(fp, "permission table");
		}
	}
	return 0;
}

/* Header words: name length, value, permission count, permissions listed. */
int pdb_common_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h)
{
	int rc = pdb_check_value(fp, p, SYM_COMMONS, h->w[1], "common value", h->at);

	if (rc) {
		return rc;
	}
	if (h->w[2] > POLICYDB_PERMS_MAX) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at,
				   "common %s permission count %u exceeds %u", h->name, h->w[2],
				   POLICYDB_PERMS_MAX);
	}
	if (h->w[3] != h->w[2]) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at,
				   "common %s lists %u permissions but numbers %u", h->name,
				   h->w[3], h->w[2]);
	}
	return 0;
}

int pdb_common_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		    void *datum)
{
	const char *perm_names[POLICYDB_PERMS_MAX];
	struct common_datum *c = datum;
	uint32_t mask = 0;

	c->value = h->w[1];
	if (symtab_init(&c->permissions, h->w[3])) {
		return pf_nomem(fp, "permission table");
	}
	c->permissions.nprim = h->w[2];
	return read_perms(p, fp, &c->permissions, h->w[3], 0, &mask, perm_names, h->name);
}

void pdb_common_destroy(void *datum)
{
	symtab_destroy(&((struct common_datum *)datum)->permissions);
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

/*
 * Header words: name length, common name length (0: none), value,
 * permission count (the common's included), own permissions listed,
 * constraint count. The common's name follows the class's.
 */
int pdb_class_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h)
{
	int rc;

	if (h->w[1]) {
		rc = pdb_read_name(p, fp, h->w[1], "class common", &h->name2);
		if (rc) {
			return rc;
		}
	}
	rc = pdb_check_value(fp, p, SYM_CLASSES, h->w[2], "class value", h->at);
	if (rc) {
		return rc;
	}
	if (h->w[3] > POLICYDB_PERMS_MAX) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at,
				   "class %u permission count %u exceeds %u", h->w[2], h->w[3],
				   POLICYDB_PERMS_MAX);
	}
	if (h->w[4] > h->w[3]) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at,
				   "class %u lists %u permissions, more than %u", h->w[2], h->w[4],
				   h->w[3]);
	}
	return 0;
}

/*
 * Link class c to its common: the common's permissions take the low values
 * (*base of them, already in *mask and c->perm_names).
 */
static int inherit_common(struct policydb *p, struct policy_file *fp,
			  const struct pdb_datum_head *h, struct class_datum *c, uint32_t *base,
			  uint32_t *mask)
{
	uint32_t i;

	c->comkey = h->name2;
	c->comdatum = symtab_search(&p->symtab[SYM_COMMONS], h->name2);
	if (!c->comdatum) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at, "class %s inherits unknown common %s",
				   h->name, h->name2);
	}
	*base = c->comdatum->permissions.nprim;
	if (*base > h->w[3]) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at,
				   "class %s has %u permissions, fewer than its common's %u",
				   h->name, h->w[3], *base);
	}
	for (i = 0; i < c->comdatum->permissions.table.size; i++) {
		const struct hashtab_slot *s = &c->comdatum->permissions.table.slots[i];

		if (s->key) {
			c->perm_names[((struct perm_datum *)s->datum)->value - 1] = s->key;
		}
	}
	*mask = *base == 32 ? 0xffffffffu : (1u << *base) - 1;
	return 0;
}

/* The defaults for new objects' user, role, range (v27+) and type (v28+). */
static int read_class_defaults(struct policydb *p, struct policy_file *fp, struct class_datum *c,
			       const char *name)
{
	uint32_t buf[3];
	size_t at;
	int rc;

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

int pdb_class_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		   void *datum)
{
	struct class_datum *c = datum;
	uint32_t mask = 0, base = 0, full, nvalidatetrans;
	int rc;

	c->value = h->w[2];
	if (symtab_init(&c->permissions, h->w[4])) {
		return pf_nomem(fp, "permission table");
	}
	c->permissions.nprim = h->w[3];
	if (h->name2) {
		rc = inherit_common(p, fp, h, c, &base, &mask);
		if (rc) {
			return rc;
		}
	}
	rc = read_perms(p, fp, &c->permissions, h->w[4], base, &mask, c->perm_names, h->name);
	if (rc) {
		return rc;
	}
	full = h->w[3] == 32 ? 0xffffffffu : (1u << h->w[3]) - 1;
	if (mask != full) {
		return pf_error_at(fp, -FLASK_EINVAL, h->at,
				   "class %s permission values leave gaps (0x%x of 0x%x)", h->name,
				   mask, full);
	}
	rc = read_constraints(p, fp, &c->constraints, &c->nconstraints, h->w[5], false, full,
			      h->name);
	if (rc) {
		return rc;
	}
	rc = pf_read_u32(fp, &nvalidatetrans, "validatetrans count");
	if (rc) {
		return rc;
	}
	rc = read_constraints(p, fp, &c->validatetrans, &c->nvalidatetrans, nvalidatetrans, true,
			      full, h->name);
	if (rc) {
		return rc;
	}
	return read_class_defaults(p, fp, c, h->name);
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

void pdb_class_destroy(void *datum)
{
	struct class_datum *c = datum;

	symtab_destroy(&c->permissions);
	destroy_constraints(c->constraints, c->nconstraints);
	destroy_constraints(c->validatetrans, c->nvalidatetrans);
}
