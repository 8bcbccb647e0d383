/*
 * policydb.c - reading a binary Xen-target policy: header, section order,
 * shared helpers (arena, names, MLS levels and contexts), validity checks,
 * lookups and teardown. Symbol tables are in policydb_syms.c, the later
 * rule sections in policydb_rules.c, conditionals in conditional.c.
 */
#include "policydb_internal.h"

#define POLICYDB_STRING_MAX 32
#define ARENA_CHUNK (64 * 1024)

struct policydb_arena {
	struct policydb_arena *next;
	size_t used;
	size_t size;
	uint64_t data[]; /* uint64_t for alignment */
};

void *pdb_alloc(struct policydb *p, size_t size)
{
	struct policydb_arena *a = p->arena;
	void *ptr;

	size = (size + 7) & ~(size_t)7;
	if (!a || a->size - a->used < size) {
		size_t chunk = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		a = flask_zalloc(sizeof(*a) + chunk);
		if (!a) {
			return NULL;
		}
		a->size = chunk;
		a->next = p->arena;
		p->arena = a;
	}
	ptr = (char *)a->data + a->used;
	a->used += size;
	return ptr;
}

int pdb_read_name(struct policydb *p, struct policy_file *fp, uint32_t len, const char *what,
		  const char **name)
{
	size_t at = fp->item;
	char *s;
	int rc;

	if (!len || len > POLICYDB_NAME_MAX) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "%s name length %u not in 1..%u", what,
				   len, POLICYDB_NAME_MAX);
	}
	if (len > pf_left(fp)) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->pos,
				   "truncated %s name (need %u bytes, %zu left)", what, len,
				   pf_left(fp));
	}
	s = pdb_alloc(p, (size_t)len + 1);
	if (!s) {
		return pf_nomem(fp, "name");
	}
	rc = pf_read_bytes(fp, s, len, what);
	if (rc) {
		return rc;
	}
	if (strlen(s) != len) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->item, "%s name contains a NUL byte",
				   what);
	}
	*name = s;
	return 0;
}

int pdb_zalloc_array(struct policy_file *fp, size_t n, size_t size, void **out, const char *what)
{
	*out = NULL;
	if (!n) {
		return 0;
	}
	if (n > SIZE_MAX / size) {
		return pf_nomem(fp, what);
	}
	*out = flask_zalloc(n * size);
	if (!*out) {
		return pf_nomem(fp, what);
	}
	return 0;
}

int pdb_read_level(struct policy_file *fp, struct mls_level *l)
{
	int rc = pf_read_u32(fp, &l->sens, "MLS level sensitivity");

	if (rc) {
		return rc;
	}
	return ebitmap_read(&l->cat, fp);
}

int pdb_read_range(struct policy_file *fp, struct mls_range *r)
{
	uint32_t items, sens[2];
	size_t at = fp->pos;
	int rc;

	rc = pf_read_u32(fp, &items, "MLS range count");
	if (rc) {
		return rc;
	}
	if (items != 1 && items != 2) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "MLS range has %u levels, not 1 or 2",
				   items);
	}
	rc = pf_read_u32s(fp, sens, items, "MLS range sensitivities");
	if (rc) {
		return rc;
	}
	r->level[0].sens = sens[0];
	r->level[1].sens = sens[items - 1];
	rc = ebitmap_read(&r->level[0].cat, fp);
	if (rc) {
		return rc;
	}
	if (items == 2) {
		return ebitmap_read(&r->level[1].cat, fp);
	}
	if (ebitmap_copy(&r->level[1].cat, &r->level[0].cat)) {
		return pf_nomem(fp, "MLS range");
	}
	return 0;
}

int pdb_read_context(struct policydb *p, struct policy_file *fp, struct context *c,
		     const char *what)
{
	uint32_t buf[3];
	size_t at = fp->pos;
	int rc;

	rc = pf_read_u32s(fp, buf, 3, "context");
	if (rc) {
		return rc;
	}
	c->user = buf[0];
	c->role = buf[1];
	c->type = buf[2];
	rc = pdb_read_range(fp, &c->range);
	if (rc) {
		return rc;
	}
	if (!p->mls) {
		/* Files carry a range even without MLS; its content means nothing then. */
		mls_range_destroy(&c->range);
	}
	if (!policydb_context_isvalid(p, c)) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "%s context user %u role %u type %u is not valid", what, c->user,
				   c->role, c->type);
	}
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

static int read_header(struct policydb *p, struct policy_file *fp, uint32_t *ocon_num)
{
	char str[POLICYDB_STRING_MAX + 1];
	uint32_t buf[4], len, expect_ocon;
	int rc;

	rc = pf_read_u32s(fp, buf, 2, "header");
	if (rc) {
		return rc;
	}
	if (buf[0] != POLICYDB_MAGIC) {
		return pf_error_at(fp,
				   buf[0] == POLICYDB_MAGIC + 1 ? -FLASK_EOPNOTSUPP : -FLASK_EINVAL,
				   0, "magic 0x%08x is not 0x%08x%s", buf[0], POLICYDB_MAGIC,
				   buf[0] == POLICYDB_MAGIC + 1 ? " (a policy module)" : "");
	}
	len = buf[1];
	if (!len || len > POLICYDB_STRING_MAX) {
		return pf_error_at(fp, -FLASK_EINVAL, 4, "identifier length %u not in 1..%u", len,
				   POLICYDB_STRING_MAX);
	}
	memset(str, 0, sizeof(str));
	rc = pf_read_bytes(fp, str, len, "identifier");
	if (rc) {
		return rc;
	}
	if (strlen(str) != len || strcmp(str, POLICYDB_STRING_XEN)) {
		bool selinux = strlen(str) == len && !strcmp(str, POLICYDB_STRING_SELINUX);

		return pf_error_at(fp, selinux ? -FLASK_EOPNOTSUPP : -FLASK_EINVAL, 8,
				   "identifier is not \"%s\"%s", POLICYDB_STRING_XEN,
				   selinux ? " (an SELinux policy)" : "");
	}
	rc = pf_read_u32s(fp, buf, 4, "version header");
	if (rc) {
		return rc;
	}
	if (buf[0] < POLICYDB_VERSION_MIN_SUPPORTED || buf[0] > POLICYDB_VERSION_MAX_SUPPORTED) {
		return pf_error_at(fp, -FLASK_EOPNOTSUPP, fp->item, "version %u not in %u..%u",
				   buf[0], POLICYDB_VERSION_MIN_SUPPORTED,
				   POLICYDB_VERSION_MAX_SUPPORTED);
	}
	p->policyvers = buf[0];
	p->config = buf[1];
	if (buf[1] & ~(POLICYDB_CONFIG_MLS | POLICYDB_CONFIG_REJECT_UNKNOWN |
		       POLICYDB_CONFIG_ALLOW_UNKNOWN)) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->item + 4, "config flags 0x%x unknown",
				   buf[1]);
	}
	if ((buf[1] & POLICYDB_CONFIG_REJECT_UNKNOWN) && (buf[1] & POLICYDB_CONFIG_ALLOW_UNKNOWN)) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->item + 4,
				   "config asks both to reject and to allow unknown permissions");
	}
	p->mls = buf[1] & POLICYDB_CONFIG_MLS;
	p->handle_unknown = (buf[1] & POLICYDB_CONFIG_REJECT_UNKNOWN)  ? HANDLE_UNKNOWN_REJECT
			    : (buf[1] & POLICYDB_CONFIG_ALLOW_UNKNOWN) ? HANDLE_UNKNOWN_ALLOW
								       : HANDLE_UNKNOWN_DENY;
	if (buf[2] != SYM_NUM) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->item + 8,
				   "symbol table count %u is not %u", buf[2], SYM_NUM);
	}
	expect_ocon = p->policyvers >= POLICYDB_VERSION_XEN_DEVICETREE ? OCON_XEN_DEVICETREE + 1
								       : OCON_XEN_PCIDEVICE + 1;
	if (buf[3] != expect_ocon) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->item + 12,
				   "object context count %u is not %u for version %u", buf[3],
				   expect_ocon, p->policyvers);
	}
	*ocon_num = buf[3];
	return 0;
}

static int read_all(struct policydb *p, struct policy_file *fp)
{
	uint32_t ocon_num = 0;
	size_t at;
	int rc;

	rc = read_header(p, fp, &ocon_num);
	if (rc) {
		return rc;
	}
	rc = ebitmap_read(&p->policycaps, fp);
	if (rc) {
		return rc;
	}
	rc = ebitmap_read(&p->permissive_map, fp);
	if (rc) {
		return rc;
	}
	at = fp->pos;
	rc = pdb_read_symtabs(p, fp);
	if (rc) {
		return rc;
	}
	rc = check_symtabs(p, fp, at);
	if (rc) {
		return rc;
	}
	rc = avtab_read(&p->te_avtab, fp, p);
	if (rc) {
		return rc;
	}
	rc = cond_read_list(p, fp);
	if (rc) {
		return rc;
	}
	rc = pdb_read_role_trans(p, fp);
	if (rc) {
		return rc;
	}
	rc = pdb_read_role_allow(p, fp);
	if (rc) {
		return rc;
	}
	if (p->policyvers >= POLICYDB_VERSION_FILENAME_TRANS) {
		rc = pdb_read_filename_trans(p, fp);
		if (rc) {
			return rc;
		}
	}
	rc = pdb_read_ocontexts(p, fp, ocon_num);
	if (rc) {
		return rc;
	}
	rc = pdb_read_genfs(p, fp);
	if (rc) {
		return rc;
	}
	rc = pdb_read_range_trans(p, fp);
	if (rc) {
		return rc;
	}
	rc = pdb_read_type_attr_map(p, fp);
	if (rc) {
		return rc;
	}
	if (pf_left(fp)) {
		return pf_error_at(fp, -FLASK_EINVAL, fp->pos,
				   "%zu unexpected bytes after the policy", pf_left(fp));
	}
	return 0;
}

int policydb_read(struct policydb *p, const void *data, size_t len, char *err, size_t errlen)
{
	char local[256];
	struct policy_file fp;
	int rc;

	memset(p, 0, sizeof(*p));
	if (!err || !errlen) {
		err = local;
		errlen = sizeof(local);
	}
	pf_init(&fp, data, len, err, errlen);
	rc = data ? read_all(p, &fp) : pf_error_at(&fp, -FLASK_EINVAL, 0, "no policy data");
	if (!rc) {
		return 0;
	}
	if (!fp.failed) {
		/* Every failing path records a reason; this is a safety net. */
		pf_error_at(&fp, rc, fp.pos, "policy rejected (error %d)", rc);
	}
	policydb_destroy(p);
	if (err == local) {
		flask_log(local);
	}
	return rc;
}

void policydb_destroy(struct policydb *p)
{
	struct policydb_arena *a = p->arena;

	avtab_destroy(&p->te_avtab);
	avtab_destroy(&p->te_cond_avtab);
	cond_list_destroy(p);
	pdb_destroy_rules(p); /* before the symbol tables: it needs the type count */
	pdb_destroy_symtabs(p);
	ebitmap_destroy(&p->policycaps);
	ebitmap_destroy(&p->permissive_map);
	while (a) {
		struct policydb_arena *next = a->next;

		flask_free(a);
		a = next;
	}
	memset(p, 0, sizeof(*p));
}

/* ---- lookups ---- */

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

/* ---- sorting ---- */

static void swap_bytes(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

static void sift_down(char *base, size_t root, size_t n, size_t size,
		      int (*cmp)(const void *, const void *))
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n) {
			return;
		}
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0) {
			child++;
		}
		if (cmp(base + root * size, base + child * size) >= 0) {
			return;
		}
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void pdb_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *b = base;
	size_t i;

	if (n < 2) {
		return;
	}
	for (i = n / 2; i-- > 0;) {
		sift_down(b, i, n, size, cmp);
	}
	for (i = n - 1; i > 0; i--) {
		swap_bytes(b, b + i * size, size);
		sift_down(b, 0, i, size, cmp);
	}
}
