/*
 * unit-policydb.c - policydb_read on the small checkpolicy-built unit
 * policies (policies/unit.conf, policies/unit-mls.conf at versions 24 and
 * 30): assert facts from the sources, and the reader's error reporting.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flask_env_host.h"
#include "policydb.h"
#include "unit.h"

static int load(struct policydb *p, const char *name)
{
	char path[512], err[256];
	size_t len = 0;
	void *data;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", unit_policy_dir, name);
	data = unit_slurp(path, &len);
	if (!data) {
		unit_fail(__FILE__, __LINE__, "cannot read %s", path);
		return -1;
	}
	rc = policydb_read(p, data, len, err, sizeof(err));
	free(data); /* the policydb must not keep pointers into the image */
	if (rc) {
		unit_fail(__FILE__, __LINE__, "%s: %s", name, err);
	}
	return rc;
}

/* compute_av the way the services do it: every attribute pair, plus enabled conditionals. */
static void av(const struct policydb *p, const char *s, const char *t, const char *c,
	       uint32_t *allowed, uint32_t *auditallow, uint32_t *auditdeny)
{
	uint32_t sv = policydb_type_value(p, s), tv = policydb_type_value(p, t);
	uint32_t cv = policydb_class_value(p, c), i, j;

	*allowed = *auditallow = 0;
	*auditdeny = 0xffffffffu;
	if (!sv || !tv || !cv) {
		unit_fail(__FILE__, __LINE__, "unknown name in %s %s %s", s, t, c);
		return;
	}
	ebitmap_for_each_bit(&p->type_attr_map[sv - 1], i)
	{
		ebitmap_for_each_bit(&p->type_attr_map[tv - 1], j)
		{
			avtab_compute_av(&p->te_avtab, (uint16_t)(i + 1), (uint16_t)(j + 1),
					 (uint16_t)cv, false, allowed, auditallow, auditdeny);
			cond_compute_av(p, (uint16_t)(i + 1), (uint16_t)(j + 1), (uint16_t)cv,
					allowed, auditallow, auditdeny);
		}
	}
}

static uint32_t allowed(const struct policydb *p, const char *s, const char *t, const char *c)
{
	uint32_t a, aa, ad;

	av(p, s, t, c, &a, &aa, &ad);
	return a;
}

static uint32_t type_rule(const struct policydb *p, const char *s, const char *t, const char *c,
			  uint16_t kind)
{
	struct avtab_key k = {(uint16_t)policydb_type_value(p, s),
			      (uint16_t)policydb_type_value(p, t),
			      (uint16_t)policydb_class_value(p, c), kind};
	const struct avtab_node *n;

	n = avtab_search_node(&p->te_avtab, &k);
	if (n) {
		return n->datum.data;
	}
	for (n = avtab_search_node(&p->te_cond_avtab, &k); n;
	     n = avtab_search_node_next(&p->te_cond_avtab, n, kind)) {
		if (n->key.specified & AVTAB_ENABLED) {
			return n->datum.data;
		}
	}
	return 0;
}

static uint32_t perm(const struct policydb *p, const char *cls, const char *name)
{
	uint32_t v = policydb_perm_value(p, policydb_class_value(p, cls), name);

	return v ? 1u << (v - 1) : 0;
}

static void check_unit(int version)
{
	struct policydb p;
	char name[32];
	uint32_t dom0, domU, xen, newdom, child, dtype, etype, evchn, v, i;
	uint32_t a, aa, ad, system_r, vm_r, system_u, domain;
	const struct class_datum *cls;
	const struct ocontext *oc;

	snprintf(name, sizeof(name), "unit.%d", version);
	if (load(&p, name)) {
		return;
	}
	CHECK_EQ(p.policyvers, version);
	CHECK(!p.mls);
	CHECK_EQ(p.handle_unknown, HANDLE_UNKNOWN_DENY);

	/* Classes in declaration order; the common's permissions come first. */
	CHECK_EQ(p.symtab[SYM_CLASSES].nprim, 5);
	CHECK_EQ(policydb_class_value(&p, "xen"), 1);
	CHECK_EQ(policydb_class_value(&p, "domain"), 2);
	CHECK_EQ(policydb_class_value(&p, "plugh"), 5);
	CHECK_STR(policydb_name(&p, SYM_CLASSES, 4), "xyzzy");
	CHECK(policydb_name(&p, SYM_CLASSES, 6) == NULL);
	CHECK_EQ(p.symtab[SYM_COMMONS].nprim, 1);
	CHECK_EQ(policydb_perm_value(&p, 4, "read"), 1);
	CHECK_EQ(policydb_perm_value(&p, 4, "write"), 2);
	CHECK_EQ(policydb_perm_value(&p, 4, "frob"), 3);
	CHECK_EQ(policydb_perm_value(&p, 4, "twiddle"), 4);
	CHECK_EQ(policydb_perm_value(&p, 4, "settime"), 0);
	CHECK_STR(policydb_perm_name(&p, 4, 2), "write");
	CHECK_STR(policydb_perm_name(&p, 4, 4), "twiddle");
	CHECK_EQ(policydb_class_perms_mask(&p, 4), 0xf);
	CHECK_EQ(policydb_class_perms_mask(&p, 5), 0x3);
	CHECK_STR(policydb_class(&p, 5)->comkey, "basic");
	CHECK_EQ(policydb_perm_value(&p, 2, "getdomaininfo"), 3);

	/* Types, attributes, alias, bounds, permissive. */
	xen = policydb_type_value(&p, "xen_t");
	dom0 = policydb_type_value(&p, "dom0_t");
	domU = policydb_type_value(&p, "domU_t");
	newdom = policydb_type_value(&p, "newdom_t");
	child = policydb_type_value(&p, "child_t");
	evchn = policydb_type_value(&p, "evchn_t");
	dtype = policydb_type_value(&p, "domain_type");
	etype = policydb_type_value(&p, "event_type");
	CHECK(xen && dom0 && domU && newdom && child && evchn && dtype && etype);
	CHECK_EQ(p.symtab[SYM_TYPES].nprim, 9);
	CHECK_EQ(symtab_nel(&p.symtab[SYM_TYPES]), 10);
	CHECK_EQ(policydb_type_value(&p, "fresh_t"), newdom);
	CHECK(policydb_type(&p, dtype)->attribute);
	CHECK(!policydb_type(&p, domU)->attribute);
	CHECK(policydb_type(&p, domU)->primary);
	CHECK(!((struct type_datum *)symtab_search(&p.symtab[SYM_TYPES], "fresh_t"))->primary);
	CHECK_STR(policydb_name(&p, SYM_TYPES, newdom), "newdom_t");
	CHECK_EQ(policydb_type(&p, child)->bounds, domU);
	CHECK(policydb_type_permissive(&p, child));
	CHECK(!policydb_type_permissive(&p, domU));
	CHECK(ebitmap_get_bit(&p.type_attr_map[domU - 1], dtype - 1));
	CHECK(ebitmap_get_bit(&p.type_attr_map[domU - 1], etype - 1));
	CHECK(ebitmap_get_bit(&p.type_attr_map[domU - 1], domU - 1));
	CHECK_EQ(ebitmap_cardinality(&p.type_attr_map[domU - 1]), 3);
	CHECK_EQ(ebitmap_cardinality(&p.type_attr_map[xen - 1]), 1);
	CHECK_EQ(ebitmap_cardinality(&p.attr_type_map[dtype - 1]), 2);
	CHECK(ebitmap_get_bit(&p.attr_type_map[dtype - 1], dom0 - 1));
	CHECK(ebitmap_get_bit(&p.attr_type_map[etype - 1], evchn - 1));
	CHECK(ebitmap_get_bit(&p.attr_type_map[xen - 1], xen - 1));

	/* Access vectors (rules on attributes are found through the maps). */
	CHECK_EQ(allowed(&p, "dom0_t", "domU_t", "domain"), 0x7);
	CHECK_EQ(allowed(&p, "domU_t", "domU_t", "domain"), perm(&p, "domain", "getdomaininfo"));
	CHECK_EQ(allowed(&p, "domU_t", "dom0_t", "domain"), 0);
	CHECK_EQ(allowed(&p, "dom0_t", "evchn_t", "event"), perm(&p, "event", "send"));
	av(&p, "dom0_t", "xen_t", "xen", &a, &aa, &ad);
	CHECK_EQ(a, 0x3);
	CHECK_EQ(aa, perm(&p, "xen", "settime"));
	CHECK_EQ(ad, 0xffffffffu);
	av(&p, "domU_t", "xen_t", "xen", &a, &aa, &ad);
	CHECK_EQ(a, 0);
	CHECK_EQ(ad, ~perm(&p, "xen", "readconsole"));
	CHECK_EQ(allowed(&p, "dom0_t", "domU_t", "xyzzy"),
		 perm(&p, "xyzzy", "read") | perm(&p, "xyzzy", "frob"));
	CHECK_EQ(type_rule(&p, "dom0_t", "domU_t", "domain", AVTAB_TRANSITION), newdom);
	CHECK_EQ(type_rule(&p, "dom0_t", "domU_t", "event", AVTAB_MEMBER), evchn);
	CHECK_EQ(type_rule(&p, "dom0_t", "domU_t", "event", AVTAB_CHANGE), evchn);
	CHECK_EQ(type_rule(&p, "dom0_t", "domU_t", "xen", AVTAB_TRANSITION), 0);

	/* Booleans and conditionals: defaults, then flipped. */
	CHECK_EQ(p.symtab[SYM_BOOLS].nprim, 2);
	CHECK_EQ(policydb_bool(&p, policydb_bool_value(&p, "allow_frob"))->state, 1);
	CHECK_EQ(policydb_bool(&p, policydb_bool_value(&p, "allow_bind"))->state, 0);
	CHECK_EQ(p.cond_list_len, 2);
	CHECK_EQ(allowed(&p, "domU_t", "dom0_t", "xyzzy"),
		 perm(&p, "xyzzy", "frob") | perm(&p, "xyzzy", "twiddle"));
	CHECK_EQ(allowed(&p, "domU_t", "dom0_t", "event"), perm(&p, "event", "bind"));
	CHECK_EQ(type_rule(&p, "domU_t", "dom0_t", "event", AVTAB_TRANSITION), evchn);
	CHECK(policydb_set_bool(&p, policydb_bool_value(&p, "allow_frob"), false) == 0);
	cond_evaluate_all(&p);
	CHECK_EQ(allowed(&p, "domU_t", "dom0_t", "xyzzy"), perm(&p, "xyzzy", "read"));
	CHECK_EQ(allowed(&p, "domU_t", "dom0_t", "event"), 0);
	CHECK_EQ(type_rule(&p, "domU_t", "dom0_t", "event", AVTAB_TRANSITION), 0);
	CHECK(policydb_set_bool(&p, policydb_bool_value(&p, "allow_frob"), true) == 0);
	CHECK(policydb_set_bool(&p, policydb_bool_value(&p, "allow_bind"), true) == 0);
	cond_evaluate_all(&p);
	CHECK_EQ(allowed(&p, "domU_t", "dom0_t", "event"), 0);
	CHECK_EQ(allowed(&p, "domU_t", "dom0_t", "xyzzy"),
		 perm(&p, "xyzzy", "frob") | perm(&p, "xyzzy", "twiddle"));
	CHECK(policydb_set_bool(&p, 3, true) == -FLASK_EINVAL);

	/* Roles, users, role transitions and allows. */
	system_r = policydb_role_value(&p, "system_r");
	vm_r = policydb_role_value(&p, "vm_r");
	system_u = policydb_user_value(&p, "system_u");
	domain = policydb_class_value(&p, "domain");
	CHECK_EQ(policydb_role_value(&p, "object_r"), OBJECT_R_VAL);
	CHECK_EQ(p.symtab[SYM_ROLES].nprim, 3);
	CHECK_EQ(p.symtab[SYM_USERS].nprim, 2);
	CHECK(ebitmap_get_bit(&policydb_role(&p, vm_r)->types, domU - 1));
	CHECK(!ebitmap_get_bit(&policydb_role(&p, vm_r)->types, dom0 - 1));
	CHECK(ebitmap_get_bit(&policydb_user(&p, system_u)->roles, vm_r - 1));
	CHECK(!ebitmap_get_bit(&policydb_user(&p, policydb_user_value(&p, "vm_u"))->roles,
			       system_r - 1));
	CHECK(policydb_role_allowed(&p, system_r, vm_r));
	CHECK(!policydb_role_allowed(&p, vm_r, system_r));
	/* Below version 26 role transitions carry no class and checkpolicy drops them. */
	CHECK_EQ(p.nrole_tr, version >= 26 ? 1 : 0);
	CHECK_EQ(policydb_role_trans(&p, system_r, newdom, domain), version >= 26 ? vm_r : 0);
	CHECK_EQ(policydb_role_trans(&p, system_r, domU, domain), 0);

	/* Constraints and validatetrans. */
	cls = policydb_class(&p, domain);
	CHECK_EQ(cls->nconstraints, 1);
	CHECK_EQ(cls->constraints[0].permissions, 0x3);
	CHECK_EQ(cls->constraints[0].nexpr, 5);
	CHECK_EQ(cls->constraints[0].expr[0].expr_type, CEXPR_ATTR);
	CHECK_EQ(cls->constraints[0].expr[0].attr, CEXPR_USER);
	CHECK_EQ(cls->constraints[0].expr[4].expr_type, CEXPR_OR);
	cls = policydb_class(&p, 4);
	CHECK_EQ(cls->nconstraints, 1);
	CHECK_EQ(cls->constraints[0].permissions, perm(&p, "xyzzy", "frob"));
	CHECK_EQ(cls->constraints[0].expr[0].expr_type, CEXPR_NAMES);
	CHECK_EQ(cls->constraints[0].expr[0].attr, CEXPR_TYPE | CEXPR_TARGET);
	CHECK(ebitmap_get_bit(&cls->constraints[0].expr[0].names, newdom - 1));
	CHECK_EQ(ebitmap_cardinality(&cls->constraints[0].expr[0].names), 2);
	cls = policydb_class(&p, 3);
	CHECK_EQ(cls->nvalidatetrans, 1);
	CHECK_EQ(cls->validatetrans[0].nexpr, 3);
	CHECK_EQ(cls->validatetrans[0].expr[1].expr_type, CEXPR_NAMES);
	CHECK(cls->validatetrans[0].expr[1].attr & CEXPR_XTARGET);
	/* Class defaults exist from version 27 (the v30 build declares them). */
	CHECK_EQ(cls->default_user, version >= 27 ? DEFAULT_TARGET : 0);
	CHECK_EQ(cls->default_role, version >= 27 ? DEFAULT_SOURCE : 0);
	CHECK_EQ(cls->default_type, version >= 28 ? DEFAULT_TARGET : 0);

	/* Object contexts. */
	CHECK_EQ(p.nocontexts[OCON_XEN_ISID], 5);
	for (i = 0; i < p.nocontexts[OCON_XEN_ISID]; i++) {
		oc = &p.ocontexts[OCON_XEN_ISID][i];
		CHECK(oc->u.sid >= 1 && oc->u.sid <= 5);
		if (oc->u.sid == 1) {
			CHECK_EQ(oc->context.type, xen);
			CHECK_EQ(oc->context.role, system_r);
			CHECK_EQ(oc->context.user, system_u);
		} else if (oc->u.sid == 3) {
			CHECK_EQ(oc->context.role, vm_r);
			CHECK_EQ(oc->context.type, domU);
		}
	}
	CHECK_EQ(p.nocontexts[OCON_XEN_PIRQ], 2);
	for (i = 0; i < 2; i++) {
		oc = &p.ocontexts[OCON_XEN_PIRQ][i];
		CHECK(oc->u.pirq == 33 || oc->u.pirq == 34);
		CHECK_EQ(oc->context.type, oc->u.pirq == 33 ? dom0 : domU);
		CHECK_EQ(oc->context.role, OBJECT_R_VAL);
	}
	CHECK_EQ(p.nocontexts[OCON_XEN_IOPORT], 2);
	v = 0;
	for (i = 0; i < p.nocontexts[OCON_XEN_IOPORT]; i++) {
		oc = &p.ocontexts[OCON_XEN_IOPORT][i];
		if (oc->u.ioport.low == 0x3f8) {
			CHECK_EQ(oc->u.ioport.high, 0x3ff);
			CHECK_EQ(oc->context.type, dom0);
			v |= 1;
		} else if (oc->u.ioport.low == 0x60) {
			CHECK_EQ(oc->u.ioport.high, 0x60);
			v |= 2;
		}
	}
	CHECK_EQ(v, 3);
	CHECK_EQ(p.nocontexts[OCON_XEN_IOMEM], version >= 30 ? 2 : 1);
	v = 0;
	for (i = 0; i < p.nocontexts[OCON_XEN_IOMEM]; i++) {
		oc = &p.ocontexts[OCON_XEN_IOMEM][i];
		if (oc->u.iomem.low == 0xfeb00) {
			CHECK_EQ(oc->u.iomem.high, 0xfeb0f);
			v |= 1;
		} else if (oc->u.iomem.low == 0x100000000ull) {
			/* Beyond 32 bits: only representable from version 30. */
			CHECK_EQ(oc->u.iomem.high, 0x1000000ffull);
			CHECK_EQ(oc->context.type, dom0);
			v |= 2;
		}
	}
	CHECK_EQ(v, version >= 30 ? 3 : 1);
	CHECK_EQ(p.nocontexts[OCON_XEN_PCIDEVICE], 1);
	CHECK_EQ(p.ocontexts[OCON_XEN_PCIDEVICE][0].u.device, 0xc800);
	CHECK_EQ(p.nocontexts[OCON_XEN_DEVICETREE], version >= 30 ? 1 : 0);
	if (version >= 30 && p.nocontexts[OCON_XEN_DEVICETREE]) {
		CHECK_STR(p.ocontexts[OCON_XEN_DEVICETREE][0].u.name, "/soc/serial@1c28000");
	}
	CHECK_EQ(p.ngenfs, 0);
	CHECK_EQ(p.nrange_tr, 0);
	policydb_destroy(&p);
	CHECK_EQ(p.symtab[SYM_TYPES].nprim, 0);
	policydb_destroy(&p); /* twice is harmless */
}

static void test_unit24(void)
{
	check_unit(24);
}

static void test_unit30(void)
{
	check_unit(30);
}

static void set_level(struct policydb *p, struct mls_level *l, const char *sens,
		      const char *const *cats)
{
	mls_level_init(l);
	l->sens = policydb_sens_value(p, sens);
	for (; cats && *cats; cats++) {
		uint32_t c = policydb_cat_value(p, *cats);

		if (!c || ebitmap_set_bit(&l->cat, c - 1, true)) {
			unit_fail(__FILE__, __LINE__, "bad category %s", *cats);
		}
	}
}

static void check_mls(int version)
{
	static const char *const c1[] = {"c1", NULL};
	static const char *const c12[] = {"c1", "c2", NULL};
	static const char *const c3[] = {"c3", NULL};
	static const char *const c01[] = {"c0", "c1", NULL};
	struct policydb p;
	struct mls_level l;
	struct mls_range r;
	struct context ctx;
	const struct mls_range *rt;
	const struct user_datum *u;
	const struct ocontext *oc;
	uint32_t s0, s1, s2, dom0, domU, newdom, domain, i;
	char name[32];

	snprintf(name, sizeof(name), "unit-mls.%d", version);
	if (load(&p, name)) {
		return;
	}
	CHECK(p.mls);
	s0 = policydb_sens_value(&p, "s0");
	s1 = policydb_sens_value(&p, "s1");
	s2 = policydb_sens_value(&p, "s2");
	CHECK(s0 && s0 < s1 && s1 < s2);
	CHECK_EQ(policydb_sens_value(&p, "confidential"), s1);
	CHECK_STR(policydb_name(&p, SYM_LEVELS, s1), "s1");
	CHECK_EQ(policydb_cat_value(&p, "one"), policydb_cat_value(&p, "c1"));
	CHECK(policydb_cat_value(&p, "c3") != 0);
	CHECK_STR(policydb_name(&p, SYM_CATS, policydb_cat_value(&p, "c1")), "c1");
	/* s2 allows c0.c2 only. */
	set_level(&p, &l, "s2", c12);
	CHECK(policydb_level_isvalid(&p, &l));
	mls_level_destroy(&l);
	set_level(&p, &l, "s2", c3);
	CHECK(!policydb_level_isvalid(&p, &l));
	mls_level_destroy(&l);
	set_level(&p, &l, "s1", c3);
	CHECK(policydb_level_isvalid(&p, &l));
	mls_level_destroy(&l);
	l.sens = 77;
	CHECK(!policydb_level_isvalid(&p, &l));

	/* Users' ranges and default levels. */
	u = policydb_user(&p, policydb_user_value(&p, "low_u"));
	CHECK_EQ(u->dfltlevel.sens, s0);
	CHECK(ebitmap_get_bit(&u->dfltlevel.cat, policydb_cat_value(&p, "c1") - 1));
	CHECK_EQ(ebitmap_cardinality(&u->dfltlevel.cat), 1);
	CHECK_EQ(u->range.level[0].sens, s0);
	CHECK_EQ(u->range.level[1].sens, s1);
	set_level(&p, &l, "s1", c01);
	CHECK(ebitmap_equal(&u->range.level[1].cat, &l.cat));
	mls_level_destroy(&l);

	/* Range transitions. */
	dom0 = policydb_type_value(&p, "dom0_t");
	domU = policydb_type_value(&p, "domU_t");
	newdom = policydb_type_value(&p, "newdom_t");
	domain = policydb_class_value(&p, "domain");
	CHECK_EQ(p.nrange_tr, 2);
	rt = policydb_range_trans(&p, dom0, domU, domain);
	CHECK(rt != NULL);
	if (rt) {
		mls_range_init(&r);
		set_level(&p, &r.level[0], "s1", c1);
		set_level(&p, &r.level[1], "s2", c12);
		CHECK(mls_range_eq(rt, &r));
		mls_range_destroy(&r);
	}
	rt = policydb_range_trans(&p, dom0, newdom, domain);
	CHECK(rt && rt->level[0].sens == s0 && ebitmap_is_empty(&rt->level[0].cat));
	CHECK(policydb_range_trans(&p, domU, dom0, domain) == NULL);

	/* Contexts: a subject must stay within its user's range, objects need not. */
	context_init(&ctx);
	ctx.user = policydb_user_value(&p, "low_u");
	ctx.role = policydb_role_value(&p, "system_r");
	ctx.type = domU;
	set_level(&p, &ctx.range.level[0], "s0", NULL);
	set_level(&p, &ctx.range.level[1], "s1", c1);
	CHECK(policydb_context_isvalid(&p, &ctx));
	mls_level_destroy(&ctx.range.level[1]);
	set_level(&p, &ctx.range.level[1], "s2", c1);
	CHECK(!policydb_context_isvalid(&p, &ctx));
	ctx.role = OBJECT_R_VAL;
	CHECK(policydb_context_isvalid(&p, &ctx));
	mls_level_destroy(&ctx.range.level[0]);
	set_level(&p, &ctx.range.level[0], "s2", c12); /* low above high */
	CHECK(!policydb_context_isvalid(&p, &ctx));
	context_destroy(&ctx);

	/* Object contexts carry levels. */
	CHECK_EQ(p.nocontexts[OCON_XEN_PIRQ], 1);
	oc = &p.ocontexts[OCON_XEN_PIRQ][0];
	CHECK_EQ(oc->u.pirq, 9);
	CHECK_EQ(oc->context.range.level[0].sens, s1);
	CHECK(ebitmap_get_bit(&oc->context.range.level[0].cat, policydb_cat_value(&p, "c0") - 1));
	CHECK_EQ(p.nocontexts[OCON_XEN_IOMEM], 1);
	CHECK_EQ(p.ocontexts[OCON_XEN_IOMEM][0].u.iomem.low, 0x1000);
	CHECK_EQ(p.ocontexts[OCON_XEN_IOMEM][0].u.iomem.high, 0x1fff);
	CHECK_EQ(p.ocontexts[OCON_XEN_IOMEM][0].context.range.level[1].sens, s2);
	for (i = 0; i < p.nocontexts[OCON_XEN_ISID]; i++) {
		CHECK(policydb_context_isvalid(&p, &p.ocontexts[OCON_XEN_ISID][i].context));
	}
	/* MLS constraints. */
	CHECK_EQ(policydb_class(&p, domain)->nconstraints, 1);
	CHECK_EQ(policydb_class(&p, domain)->constraints[0].expr[0].attr, CEXPR_L1L2);
	CHECK_EQ(policydb_class(&p, domain)->constraints[0].expr[0].op, CEXPR_DOM);
	CHECK_EQ(policydb_class(&p, policydb_class_value(&p, "event"))->nvalidatetrans, 1);
	policydb_destroy(&p);
}

static void test_mls24(void)
{
	check_mls(24);
}

static void test_mls30(void)
{
	check_mls(30);
}

static char logged[512];

static void capture(const char *line, void *arg)
{
	(void)arg;
	snprintf(logged, sizeof(logged), "%s", line);
}

static void test_errors(void)
{
	static const unsigned char junk[] = {0x8c, 0xff, 0x7c, 0xf9, 8,	  0,   0,   0,
					     'S',  'E',	 ' ',  'L',  'i', 'n', 'u', 'x'};
	static const unsigned char wrongmagic[] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct policydb p;
	char err[256];
	char small[24];

	CHECK(policydb_read(&p, junk, sizeof(junk), err, sizeof(err)) == -FLASK_EOPNOTSUPP);
	CHECK(strstr(err, "SELinux") != NULL);
	CHECK(policydb_read(&p, wrongmagic, sizeof(wrongmagic), err, sizeof(err)) == -FLASK_EINVAL);
	CHECK(strstr(err, "magic 0x04030201") != NULL && strstr(err, "offset 0") != NULL);
	CHECK(policydb_read(&p, junk, 3, err, sizeof(err)) == -FLASK_EINVAL);
	CHECK(strstr(err, "truncated") != NULL);
	/* A short error buffer gets a truncated but terminated message. */
	CHECK(policydb_read(&p, junk, 3, small, sizeof(small)) == -FLASK_EINVAL);
	CHECK(strlen(small) == sizeof(small) - 1);
	/* Without a buffer the reason goes to flask_log. */
	flask_set_log_hook(capture, NULL);
	CHECK(policydb_read(&p, wrongmagic, sizeof(wrongmagic), NULL, 0) == -FLASK_EINVAL);
	flask_set_log_hook(NULL, NULL);
	CHECK(strncmp(logged, "policydb: magic", 15) == 0);
	CHECK(policydb_read(&p, NULL, 0, err, sizeof(err)) == -FLASK_EINVAL);
	CHECK_EQ(p.symtab[SYM_TYPES].nprim, 0);
}

void unit_policydb_tests(void)
{
	unit_run("policydb_read unit.24 (non-MLS v24): symbols, rules, conditionals, ocontexts",
		 test_unit24);
	unit_run("policydb_read unit.30 (non-MLS v30): + class defaults, 64-bit iomem, devicetree",
		 test_unit30);
	unit_run("policydb_read unit-mls.24: levels, aliases, user ranges, range transitions",
		 test_mls24);
	unit_run("policydb_read unit-mls.30: levels, aliases, user ranges, range transitions",
		 test_mls30);
	unit_run("policydb_read error reporting (target, magic, truncation, log hook)",
		 test_errors);
}
