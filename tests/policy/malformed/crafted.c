/*
 * crafted.c - hand-made corruptions of the unit policies: each patches a
 * field located by searching for byte patterns derived from the policy's
 * own contents (names, values read back by the reader), then requires
 * policydb_read to reject the image with a reason naming the problem.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "malformed.h"
#include "policydb.h"

#define NOT_FOUND ((size_t)-1)

struct img {
	uint8_t *d;
	size_t len;
	const struct policydb *p; /* the unmodified policy, for values */
};

static size_t find(const struct img *m, const void *pat, size_t plen, size_t from)
{
	size_t i;

	for (i = from; plen && i + plen <= m->len; i++) {
		if (!memcmp(m->d + i, pat, plen)) {
			return i;
		}
	}
	return NOT_FOUND;
}

/* Offset of the only occurrence, or NOT_FOUND if none or several. */
static size_t find_unique(const struct img *m, const void *pat, size_t plen)
{
	size_t at = find(m, pat, plen, 0);

	if (at == NOT_FOUND || find(m, pat, plen, at + 1) != NOT_FOUND) {
		return NOT_FOUND;
	}
	return at;
}

/* Little-endian u32 pattern from a list. */
static size_t pat32(uint8_t *out, int n, ...)
{
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		uint32_t v = va_arg(ap, uint32_t);

		memcpy(out + 4 * i, &v, 4);
	}
	va_end(ap);
	return (size_t)n * 4;
}

static void put32(struct img *m, size_t at, uint32_t v)
{
	memcpy(m->d + at, &v, 4);
}

static uint32_t get32(const struct img *m, size_t at)
{
	uint32_t v;

	memcpy(&v, m->d + at, 4);
	return v;
}

/* Offset of a symbol name preceded by its length word, where the entry header is hdr bytes. */
static size_t find_name(const struct img *m, const char *name, size_t hdr, uint32_t hdr_word1)
{
	size_t n = strlen(name), at = 0;

	while ((at = find(m, name, n, at)) != NOT_FOUND) {
		if (at >= hdr && get32(m, at - hdr) == n &&
		    (hdr_word1 == UINT32_MAX || get32(m, at - hdr + 4) == hdr_word1)) {
			return at;
		}
		at++;
	}
	return NOT_FOUND;
}

typedef size_t (*patch_fn)(struct img *m); /* returns the new length, 0 if not locatable */

static void run(const char *pname, const uint8_t *data, size_t len, const struct policydb *p,
		const char *what, patch_fn patch, const char *expect)
{
	struct img m;
	char err[256] = "";
	size_t newlen;
	bool leaked;
	int rc;

	m.d = malloc(len + 64);
	memcpy(m.d, data, len);
	m.len = len;
	m.p = p;
	newlen = patch(&m);
	if (!newlen) {
		report(false, "%s: crafted %s (could not locate the field)", pname, what);
		free(m.d);
		return;
	}
	rc = load_case(m.d, newlen, err, sizeof(err), &leaked);
	report(rc < 0 && strstr(err, expect) && strstr(err, " at offset ") && !leaked,
	       "%s: crafted %s is rejected (rc %d: %s)%s", pname, what, rc, err,
	       leaked ? " LEAKED" : "");
	free(m.d);
}

/* ---- header ---- */

static size_t p_magic(struct img *m)
{
	put32(m, 0, 0xdeadbeef);
	return m->len;
}

static size_t p_idlen(struct img *m)
{
	put32(m, 4, 0x80000000u);
	return m->len;
}

static size_t p_selinux(struct img *m)
{
	memcpy(m->d + 8, "SE Linux", 8);
	return m->len;
}

static size_t p_version(struct img *m)
{
	put32(m, 16, 31);
	return m->len;
}

static size_t p_config(struct img *m)
{
	put32(m, 20, get32(m, 20) | 0x100);
	return m->len;
}

static size_t p_symnum(struct img *m)
{
	put32(m, 24, 7);
	return m->len;
}

static size_t p_oconnum(struct img *m)
{
	put32(m, 28, 9);
	return m->len;
}

static size_t p_polcap_mapsize(struct img *m)
{
	put32(m, 32, 32);
	return m->len;
}

static size_t p_trailing(struct img *m)
{
	memset(m->d + m->len, 0, 4);
	return m->len + 4;
}

/* ---- symbols (unit.30) ---- */

/* Class xyzzy: header (6 words), "xyzzy", "basic". */
static size_t xyzzy_hdr(struct img *m)
{
	size_t at = find_unique(m, "xyzzybasic", 10);

	return at == NOT_FOUND ? NOT_FOUND : at - 24;
}

static size_t p_class_namelen(struct img *m)
{
	size_t h = xyzzy_hdr(m);

	if (h == NOT_FOUND) {
		return 0;
	}
	put32(m, h, 0x80000000u);
	return m->len;
}

static size_t p_class_nperms(struct img *m)
{
	size_t h = xyzzy_hdr(m);

	if (h == NOT_FOUND) {
		return 0;
	}
	put32(m, h + 12, 0xffffffffu);
	return m->len;
}

static size_t p_class_value(struct img *m)
{
	size_t h = xyzzy_hdr(m);

	if (h == NOT_FOUND) {
		return 0;
	}
	put32(m, h + 8, 99);
	return m->len;
}

static size_t p_class_unknown_common(struct img *m)
{
	size_t h = xyzzy_hdr(m);

	if (h == NOT_FOUND) {
		return 0;
	}
	memcpy(m->d + h + 24 + 5, "bosic", 5);
	return m->len;
}

static size_t p_class_nul(struct img *m)
{
	size_t h = xyzzy_hdr(m);

	if (h == NOT_FOUND) {
		return 0;
	}
	m->d[h + 24 + 2] = 0;
	return m->len;
}

/* The classes table header sits just before whichever class comes first. */
static size_t p_class_count(struct img *m)
{
	uint32_t n = m->p->symtab[SYM_CLASSES].nprim, v;

	for (v = 1; v <= n; v++) {
		const char *name = policydb_name(m->p, SYM_CLASSES, v);
		size_t at = find_name(m, name, 24, UINT32_MAX);

		if (at != NOT_FOUND && get32(m, at - 32) == n && get32(m, at - 28) == n) {
			put32(m, at - 32, 0xffffffffu);
			put32(m, at - 28, 0xffffffffu);
			return m->len;
		}
	}
	return 0;
}

static size_t p_class_dup(struct img *m)
{
	size_t at = find_unique(m, "plughbasic", 10);

	if (at == NOT_FOUND) {
		return 0;
	}
	memcpy(m->d + at, "event", 5);
	return m->len;
}

static size_t p_perm_dup(struct img *m)
{
	uint8_t pat[12];
	uint32_t bind = policydb_perm_value(m->p, policydb_class_value(m->p, "event"), "bind");
	size_t at;

	pat32(pat, 2, 4u, bind);
	memcpy(pat + 8, "bind", 4);
	at = find_unique(m, pat, 12);
	if (at == NOT_FOUND) {
		return 0;
	}
	memcpy(m->d + at + 8, "send", 4);
	return m->len;
}

/* Class domain: header with no common, value 2; constraints follow its 3 permissions. */
static size_t domain_constraint(struct img *m)
{
	size_t at = find_name(m, "domain", 24, 0);

	/* name (6) + permissions: 3 x 8 header bytes + create/transition/getdomaininfo. */
	return at == NOT_FOUND ? NOT_FOUND : at + 6 + 24 + 6 + 10 + 13;
}

static size_t p_cons_shape(struct img *m)
{
	size_t c = domain_constraint(m);

	if (c == NOT_FOUND || get32(m, c + 4) != 5) {
		return 0;
	}
	put32(m, c + 4, 4); /* drop the final "or": two values stay on the stack */
	return m->len;
}

static size_t p_cons_op(struct img *m)
{
	size_t c = domain_constraint(m);

	if (c == NOT_FOUND || get32(m, c + 8) != CEXPR_ATTR || get32(m, c + 12) != CEXPR_USER) {
		return 0;
	}
	put32(m, c + 16, CEXPR_DOM); /* users cannot dominate */
	return m->len;
}

static size_t p_cons_count(struct img *m)
{
	size_t c = domain_constraint(m);

	if (c == NOT_FOUND) {
		return 0;
	}
	put32(m, c - 24 - 6 - 29 - 4, 0x7fffffff); /* the class header's constraint count */
	return m->len;
}

static size_t p_cons_perms(struct img *m)
{
	size_t c = domain_constraint(m);

	if (c == NOT_FOUND || get32(m, c) != 3) {
		return 0;
	}
	put32(m, c, 0x80); /* a permission the class does not have */
	return m->len;
}

static size_t p_role_bitmap(struct img *m)
{
	size_t at = find_name(m, "vm_r", 12, m->p ? policydb_role_value(m->p, "vm_r") : 0);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 4 + 4, 65); /* dominates: high bit not a multiple of 64 */
	return m->len;
}

static size_t p_role_types(struct img *m)
{
	size_t at = find_name(m, "vm_r", 12, policydb_role_value(m->p, "vm_r"));
	size_t e;

	if (at == NOT_FOUND || get32(m, at + 4 + 8) != 1) {
		return 0;
	}
	e = at + 4 + 24; /* the types bitmap after a one-node dominates bitmap */
	if (get32(m, e + 8) != 1) {
		return 0;
	}
	put32(m, e + 4, 0x1040);
	put32(m, e + 12, 0x1000);
	return m->len;
}

static size_t p_bool_state(struct img *m)
{
	/* Boolean entries: value, state, name length, name. */
	size_t at = find_unique(m, "allow_bind", 10);

	if (at == NOT_FOUND || at < 12 || get32(m, at - 4) != 10) {
		return 0;
	}
	put32(m, at - 8, 2);
	return m->len;
}

static size_t p_type_props(struct img *m)
{
	size_t at = find_name(m, "child_t", 16, policydb_type_value(m->p, "child_t"));

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at - 8, 0x10);
	return m->len;
}

static size_t p_permissive(struct img *m)
{
	/* Empty policy capabilities (12 bytes) then the permissive map with one node. */
	if (get32(m, 32 + 8) != 0 || get32(m, 44 + 8) != 1) {
		return 0;
	}
	put32(m, 44 + 4, 10048);
	put32(m, 44 + 12, 9984);
	return m->len;
}

/* ---- rules ---- */

static size_t avtab_count_at(struct img *m)
{
	const struct avtab *t = &m->p->te_avtab;
	uint32_t i;

	for (i = 0; i < t->nel; i++) {
		const struct avtab_node *n = &t->nodes[i];
		uint8_t pat[16];
		size_t at;

		pat32(pat, 1, t->nel);
		memcpy(pat + 4, &n->key.source_type, 2);
		memcpy(pat + 6, &n->key.target_type, 2);
		memcpy(pat + 8, &n->key.target_class, 2);
		memcpy(pat + 10, &n->key.specified, 2);
		memcpy(pat + 12, &n->datum.data, 4);
		at = find_unique(m, pat, 16);
		if (at != NOT_FOUND) {
			return at;
		}
	}
	return NOT_FOUND;
}

static size_t p_avtab_count(struct img *m)
{
	size_t at = avtab_count_at(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at, 0xffffffffu);
	return m->len;
}

static size_t p_cond_count(struct img *m)
{
	size_t at = avtab_count_at(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 4 + 12 * m->p->te_avtab.nel, 0xfffffff0u);
	return m->len;
}

/* The type_transition dom0_t domU_t:domain newdom_t rule. */
static size_t trans_rule(struct img *m)
{
	uint16_t k[4] = {(uint16_t)policydb_type_value(m->p, "dom0_t"),
			 (uint16_t)policydb_type_value(m->p, "domU_t"),
			 (uint16_t)policydb_class_value(m->p, "domain"), AVTAB_TRANSITION};
	uint32_t d = policydb_type_value(m->p, "newdom_t");
	uint8_t pat[12];

	memcpy(pat, k, 8);
	memcpy(pat + 8, &d, 4);
	return find_unique(m, pat, 12);
}

static size_t p_avtab_kinds(struct img *m)
{
	size_t at = trans_rule(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	m->d[at + 6] = AVTAB_TRANSITION | AVTAB_ALLOWED;
	return m->len;
}

static size_t p_avtab_class(struct img *m)
{
	size_t at = trans_rule(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	m->d[at + 4] = 0;
	m->d[at + 5] = 0;
	return m->len;
}

static size_t p_avtab_source(struct img *m)
{
	size_t at = trans_rule(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	m->d[at] = 0xff;
	m->d[at + 1] = 0x7f;
	return m->len;
}

static size_t p_avtab_newtype(struct img *m)
{
	size_t at = trans_rule(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 8, policydb_type_value(m->p, "domain_type"));
	return m->len;
}

static size_t p_avtab_xperms(struct img *m)
{
	size_t at = trans_rule(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	m->d[at + 6] = 0;
	m->d[at + 7] = AVTAB_XPERMS_ALLOWED >> 8;
	return m->len;
}

static size_t p_cond_type_dup(struct img *m)
{
	uint16_t k[4] = {(uint16_t)policydb_type_value(m->p, "domU_t"),
			 (uint16_t)policydb_type_value(m->p, "dom0_t"),
			 (uint16_t)policydb_class_value(m->p, "event"), AVTAB_TRANSITION};
	uint32_t d = policydb_type_value(m->p, "evchn_t");
	uint8_t pat[12];
	size_t at;

	memcpy(pat, k, 8);
	memcpy(pat + 8, &d, 4);
	at = find_unique(m, pat, 12);
	if (at == NOT_FOUND) {
		/* checkpolicy may write the rule flagged as enabled. */
		k[3] |= AVTAB_ENABLED;
		memcpy(pat, k, 8);
		at = find_unique(m, pat, 12);
	}
	if (at == NOT_FOUND) {
		return 0;
	}
	/* Make it the key of the unconditional type_transition dom0_t domU_t:domain. */
	k[0] = (uint16_t)policydb_type_value(m->p, "dom0_t");
	k[1] = (uint16_t)policydb_type_value(m->p, "domU_t");
	k[2] = (uint16_t)policydb_class_value(m->p, "domain");
	memcpy(m->d + at, k, 8);
	return m->len;
}

/* The expression of "allow_frob && !allow_bind": BOOL f, BOOL b, NOT, AND. */
static size_t cond_expr(struct img *m)
{
	uint8_t pat[40];
	size_t n = pat32(pat, 10, 4u, (uint32_t)COND_BOOL, policydb_bool_value(m->p, "allow_frob"),
			 (uint32_t)COND_BOOL, policydb_bool_value(m->p, "allow_bind"),
			 (uint32_t)COND_NOT, 0u, (uint32_t)COND_AND, 0u, 0u);

	return find_unique(m, pat, n - 4);
}

static size_t p_cond_stack(struct img *m)
{
	size_t at = cond_expr(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 4 + 3 * 8, COND_NOT); /* b, f, !, ! leaves two values */
	return m->len;
}

static size_t p_cond_bool(struct img *m)
{
	size_t at = cond_expr(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 8, 9999);
	return m->len;
}

static size_t p_cond_op(struct img *m)
{
	size_t at = cond_expr(m);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 4 + 3 * 8, 77);
	return m->len;
}

static size_t p_role_trans_type(struct img *m)
{
	uint8_t pat[20];
	size_t n = pat32(pat, 5, 1u, policydb_role_value(m->p, "system_r"),
			 policydb_type_value(m->p, "newdom_t"), policydb_role_value(m->p, "vm_r"),
			 policydb_class_value(m->p, "domain"));
	size_t at = find_unique(m, pat, n);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 8, 9999);
	return m->len;
}

static size_t p_role_allow(struct img *m)
{
	uint8_t pat[20];
	size_t n = pat32(pat, 3, 1u, policydb_role_value(m->p, "system_r"),
			 policydb_role_value(m->p, "vm_r"));
	size_t at = find(m, pat, n, 0);

	/* The role allow section follows the one role transition (16 bytes + count). */
	while (at != NOT_FOUND && get32(m, at - 4) != policydb_class_value(m->p, "domain")) {
		at = find(m, pat, n, at + 1);
	}
	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 8, 0);
	return m->len;
}

/* ---- object contexts ---- */

static size_t p_ioport_reversed(struct img *m)
{
	uint8_t pat[8];
	size_t at = find_unique(m, pat, pat32(pat, 2, 0x3f8u, 0x3ffu));

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at, 0x3ff);
	put32(m, at + 4, 0x3f8);
	return m->len;
}

static size_t p_iomem_reversed(struct img *m)
{
	uint64_t v[2] = {0xfeb00, 0xfeb0f};
	size_t at = find_unique(m, v, 16);

	if (at == NOT_FOUND) {
		return 0;
	}
	v[0] = 0xfeb10;
	memcpy(m->d + at, v, 8);
	return m->len;
}

static size_t p_context_user(struct img *m)
{
	uint8_t pat[8];
	size_t at = find_unique(m, pat, pat32(pat, 2, 33u, policydb_user_value(m->p, "system_u")));

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 4, 77);
	return m->len;
}

static size_t p_context_role_type(struct img *m)
{
	uint8_t pat[16];
	size_t at = find_unique(m, pat,
				pat32(pat, 4, 34u, policydb_user_value(m->p, "system_u"),
				      (uint32_t)OBJECT_R_VAL, policydb_type_value(m->p, "domU_t")));

	if (at == NOT_FOUND) {
		return 0;
	}
	/* vm_r may not have dom0_t... and a role other than object_r is checked. */
	put32(m, at + 8, policydb_role_value(m->p, "vm_r"));
	put32(m, at + 12, policydb_type_value(m->p, "dom0_t"));
	return m->len;
}

static size_t p_context_attr(struct img *m)
{
	uint8_t pat[16];
	size_t at = find_unique(m, pat,
				pat32(pat, 4, 34u, policydb_user_value(m->p, "system_u"),
				      (uint32_t)OBJECT_R_VAL, policydb_type_value(m->p, "domU_t")));

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 12, policydb_type_value(m->p, "domain_type"));
	return m->len;
}

static size_t isid_at(struct img *m, uint32_t sid)
{
	uint32_t i;

	for (i = 0; i < m->p->nocontexts[OCON_XEN_ISID]; i++) {
		const struct ocontext *c = &m->p->ocontexts[OCON_XEN_ISID][i];
		uint8_t pat[16];

		if (c->u.sid == sid) {
			return find_unique(
			    m, pat,
			    pat32(pat, 4, sid, c->context.user, c->context.role, c->context.type));
		}
	}
	return NOT_FOUND;
}

static size_t p_isid_zero(struct img *m)
{
	size_t at = isid_at(m, 1);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at, 0);
	return m->len;
}

static size_t p_isid_dup(struct img *m)
{
	size_t at = isid_at(m, 2);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at, 1);
	return m->len;
}

static size_t p_pcidev_count(struct img *m)
{
	uint8_t pat[8];
	size_t at = find_unique(m, pat, pat32(pat, 2, 1u, 0xc800u));

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at, 0x7fffffff);
	return m->len;
}

static size_t devtree_end(struct img *m)
{
	const char *name = "/soc/serial@1c28000";
	size_t at = find_unique(m, name, strlen(name));

	/* + non-MLS context: user, role, type, range count 1, sensitivity 0, empty bitmap. */
	return at == NOT_FOUND ? NOT_FOUND : at + strlen(name) + 12 + 8 + 12;
}

static size_t p_devtree_namelen(struct img *m)
{
	const char *name = "/soc/serial@1c28000";
	size_t at = find_unique(m, name, strlen(name));

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at - 4, 5000);
	return m->len;
}

static size_t p_genfs_count(struct img *m)
{
	size_t at = devtree_end(m);

	if (at == NOT_FOUND || get32(m, at) != 0) {
		return 0;
	}
	put32(m, at, 0xffffffffu);
	return m->len;
}

static size_t p_rangetr_nonmls(struct img *m)
{
	size_t at = devtree_end(m);

	if (at == NOT_FOUND || get32(m, at + 4) != 0) {
		return 0;
	}
	put32(m, at + 4, 1);
	return m->len;
}

/* The last bytes: the last type's attribute map with one node. */
static size_t p_tam_count(struct img *m)
{
	if (get32(m, m->len - 16) != 1) {
		return 0;
	}
	put32(m, m->len - 16, 0xffffffffu);
	return m->len;
}

static size_t p_tam_beyond(struct img *m)
{
	if (get32(m, m->len - 16) != 1) {
		return 0;
	}
	put32(m, m->len - 20, 0x10040);
	put32(m, m->len - 12, 0x10000);
	return m->len;
}

static size_t p_tam_not_attr(struct img *m)
{
	uint32_t last = m->p->symtab[SYM_TYPES].nprim;
	uint32_t plain = policydb_type_value(m->p, "dom0_t");
	uint64_t map;

	if (plain == last) {
		plain = policydb_type_value(m->p, "domU_t");
	}
	if (get32(m, m->len - 16) != 1 || get32(m, m->len - 12) != 0 || plain > 64) {
		return 0;
	}
	memcpy(&map, m->d + m->len - 8, 8);
	map |= 1ull << (plain - 1);
	memcpy(m->d + m->len - 8, &map, 8);
	return m->len;
}

/* ---- MLS (unit-mls.30) ---- */

static size_t p_rangetr_reversed(struct img *m)
{
	uint8_t pat[24];
	size_t n = pat32(pat, 6, policydb_type_value(m->p, "dom0_t"),
			 policydb_type_value(m->p, "domU_t"), policydb_class_value(m->p, "domain"),
			 2u, policydb_sens_value(m->p, "s1"), policydb_sens_value(m->p, "s2"));
	size_t at = find_unique(m, pat, n);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 16, policydb_sens_value(m->p, "s2"));
	put32(m, at + 20, policydb_sens_value(m->p, "s1"));
	return m->len;
}

static size_t p_user_range(struct img *m)
{
	size_t at = find_name(m, "low_u", 12, policydb_user_value(m->p, "low_u"));

	/* name, one-node roles bitmap (24 bytes), then range: count 2, low, high. */
	if (at == NOT_FOUND || get32(m, at + 5 + 24) != 2) {
		return 0;
	}
	put32(m, at + 5 + 24 + 8, 99);
	return m->len;
}

static size_t p_sens_cats(struct img *m)
{
	size_t at = find_name(m, "s2", 8, 0);

	/* name, then level: sensitivity, bitmap with one node whose map we extend. */
	if (at == NOT_FOUND || get32(m, at + 2 + 4 + 8) != 1) {
		return 0;
	}
	m->d[at + 2 + 4 + 12 + 4 + 7] |= 0x10; /* bit 60 */
	return m->len;
}

static size_t p_range_count(struct img *m)
{
	uint8_t pat[12];
	size_t n = pat32(pat, 3, policydb_type_value(m->p, "dom0_t"),
			 policydb_type_value(m->p, "domU_t"), policydb_class_value(m->p, "domain"));
	size_t at = find_unique(m, pat, n);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 12, 3);
	return m->len;
}

static size_t p_mls_ocontext(struct img *m)
{
	uint8_t pat[20];
	size_t n = pat32(pat, 5, 9u, policydb_user_value(m->p, "system_u"), (uint32_t)OBJECT_R_VAL,
			 policydb_type_value(m->p, "unlabeled_t"), 1u);
	size_t at = find_unique(m, pat, n);

	if (at == NOT_FOUND) {
		return 0;
	}
	put32(m, at + 20, 77); /* sensitivity 77 */
	return m->len;
}

struct crafted {
	const char *what;
	patch_fn patch;
	const char *expect;
	bool mls;
};

static const struct crafted cases[] = {
    {"wrong magic", p_magic, "magic 0xdeadbeef", false},
    {"identifier length 2^31", p_idlen, "identifier length 2147483648", false},
    {"SELinux target identifier", p_selinux, "SELinux", false},
    {"version 31", p_version, "version 31", false},
    {"unknown config bit", p_config, "config flags", false},
    {"symbol table count 7", p_symnum, "symbol table count 7", false},
    {"object context count 9", p_oconnum, "object context count 9", false},
    {"policy capability map size 32", p_polcap_mapsize, "map size 32", false},
    {"4 trailing bytes", p_trailing, "4 unexpected bytes", false},
    {"class name length 2^31", p_class_namelen, "class name length 2147483648", false},
    {"class permission count 0xffffffff", p_class_nperms, "permission count 4294967295 exceeds 32",
     false},
    {"class value 99", p_class_value, "class value 99 out of range", false},
    {"class inheriting an unknown common", p_class_unknown_common, "unknown common bosic", false},
    {"class name with a NUL byte", p_class_nul, "NUL", false},
    {"class count 0xffffffff", p_class_count, "class", false},
    {"duplicate class name", p_class_dup, "duplicate class name event", false},
    {"duplicate permission name", p_perm_dup, "permission send defined twice", false},
    {"constraint leaving 2 values on the stack", p_cons_shape, "leaves 2 values", false},
    {"constraint comparing users with dom", p_cons_op, "op 3 invalid", false},
    {"constraint count 0x7fffffff", p_cons_count, "constraint count 2147483647", false},
    {"constraint on a permission the class lacks", p_cons_perms, "permissions 0x80", false},
    {"role bitmap high bit 65", p_role_bitmap, "high bit 65", false},
    {"role types beyond the type table", p_role_types, "role vm_r names", false},
    {"boolean state 2", p_bool_state, "state 2", false},
    {"type with unknown properties", p_type_props, "properties 0x10", false},
    {"permissive map naming type 9984", p_permissive, "permissive map", false},
    {"avtab count 0xffffffff", p_avtab_count, "avtab rule count 4294967295", false},
    {"avtab rule with two kinds", p_avtab_kinds, "kind 0x11", false},
    {"avtab rule on class 0", p_avtab_class, "class 0 out of range", false},
    {"avtab rule with source type 32767", p_avtab_source, "source type 32767", false},
    {"type_transition to an attribute", p_avtab_newtype, "not a type", false},
    {"avtab rule with extended permissions", p_avtab_xperms, "extended permissions", false},
    {"conditional count 0xfffffff0", p_cond_count, "conditional count 4294967280", false},
    {"conditional type rule duplicating an unconditional one", p_cond_type_dup,
     "duplicate avtab type_transition", false},
    {"conditional leaving 2 values on the stack", p_cond_stack, "leaves 2 values", false},
    {"conditional naming boolean 9999", p_cond_bool, "boolean 9999", false},
    {"conditional operator 77", p_cond_op, "node type 77", false},
    {"role transition naming type 9999", p_role_trans_type, "role transition type 9999", false},
    {"role allow naming role 0", p_role_allow, "role allow new role 0", false},
    {"ioportcon range reversed", p_ioport_reversed, "reversed", false},
    {"iomemcon range reversed", p_iomem_reversed, "reversed", false},
    {"pirqcon context with user 77", p_context_user, "context user 77", false},
    {"pirqcon context with a role lacking its type", p_context_role_type, "is not valid", false},
    {"pirqcon context with an attribute as type", p_context_attr, "is not valid", false},
    {"initial SID 0", p_isid_zero, "initial SID 0", false},
    {"initial SID defined twice", p_isid_dup, "initial SID 1 defined twice", false},
    {"pcidevicecon count 0x7fffffff", p_pcidev_count, "pcidevicecon count 2147483647", false},
    {"devicetreecon name length 5000", p_devtree_namelen, "name length 5000", false},
    {"genfs count 0xffffffff", p_genfs_count, "genfs count 4294967295", false},
    {"range transition in a non-MLS policy", p_rangetr_nonmls, "non-MLS", false},
    {"type attribute map count 0xffffffff", p_tam_count, "node count 4294967295", false},
    {"type attribute map naming type 65537", p_tam_beyond, "beyond", false},
    {"type attribute map naming a plain type", p_tam_not_attr, "not an attribute", false},
    {"range transition with low above high", p_rangetr_reversed, "invalid range", true},
    {"user range with sensitivity 99", p_user_range, "user low_u has an invalid MLS range", true},
    {"sensitivity allowing category 61", p_sens_cats, "allows category 61", true},
    {"MLS range with 3 levels", p_range_count, "3 levels", true},
    {"object context at sensitivity 77", p_mls_ocontext, "is not valid", true},
};

void crafted_cases(const char *name, const uint8_t *data, size_t len)
{
	struct policydb p;
	char err[256];
	size_t i;
	uint8_t *copy = malloc(len);
	bool mls;

	/* Values for the patterns come from the reader itself, on the unmodified image. */
	memcpy(copy, data, len);
	if (policydb_read(&p, copy, len, err, sizeof(err))) {
		report(false, "%s: crafted cases need the policy to load: %s", name, err);
		free(copy);
		return;
	}
	mls = p.mls;
	if (p.policyvers != 30) {
		policydb_destroy(&p);
		free(copy);
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].mls == mls) {
			run(name, data, len, &p, cases[i].what, cases[i].patch, cases[i].expect);
		}
	}
	policydb_destroy(&p);
	free(copy);
}
