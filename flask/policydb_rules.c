/*
 * policydb_rules.c - the policy sections after the avtab and conditionals:
 * role transitions and allows, filename transitions, Xen object contexts,
 * genfs, range transitions and the type -> attribute map.
 */
#include "policydb_rules.h"
#include "policy_file.h"
#include "policydb_decode.h"
#include "policydb_lookup.h"

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

/*
 * In place, without recursion or allocation: the rule arrays are sorted so
 * that policydb_lookup.c can binary-search them.
 */
static void heap_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
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

static int cmp_role_trans(const void *a, const void *b)
{
	const struct role_trans *x = a, *y = b;

	if (x->role != y->role) {
		return x->role < y->role ? -1 : 1;
	}
	if (x->type != y->type) {
		return x->type < y->type ? -1 : 1;
	}
	if (x->tclass != y->tclass) {
		return x->tclass < y->tclass ? -1 : 1;
	}
	return 0;
}

int pdb_read_role_trans(struct policydb *p, struct policy_file *fp)
{
	bool new_format = p->policyvers >= POLICYDB_VERSION_ROLETRANS;
	uint32_t n, i, domain_class = 0;
	size_t at;
	int rc;

	rc = pf_read_u32(fp, &n, "role transition count");
	if (rc) {
		return rc;
	}
	at = fp->item;
	rc = pf_check_count(fp, n, new_format ? 16 : 12, "role transition");
	if (rc) {
		return rc;
	}
	if (!new_format && n) {
		/* Older files imply the process class, which Xen calls "domain". */
		domain_class = policydb_class_value(p, "domain");
		if (!domain_class) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "role transitions without class need class domain");
		}
	}
	rc = pdb_zalloc_array(fp, n, sizeof(*p->role_tr), (void **)&p->role_tr, "role transitions");
	if (rc) {
		return rc;
	}
	p->nrole_tr = n;
	for (i = 0; i < n; i++) {
		struct role_trans *rt = &p->role_tr[i];
		uint32_t buf[4];

		at = fp->pos;
		rc = pf_read_u32s(fp, buf, new_format ? 4 : 3, "role transition");
		if (rc) {
			return rc;
		}
		rt->role = buf[0];
		rt->type = buf[1];
		rt->new_role = buf[2];
		rt->tclass = new_format ? buf[3] : domain_class;
		rc = pdb_check_value(fp, p, SYM_ROLES, rt->role, "role transition role", at);
		if (!rc) {
			rc =
			    pdb_check_value(fp, p, SYM_TYPES, rt->type, "role transition type", at);
		}
		if (!rc) {
			rc = pdb_check_value(fp, p, SYM_ROLES, rt->new_role,
					     "role transition new role", at);
		}
		if (!rc) {
			rc = pdb_check_value(fp, p, SYM_CLASSES, rt->tclass,
					     "role transition class", at);
		}
		if (rc) {
			return rc;
		}
	}
	heap_sort(p->role_tr, n, sizeof(*p->role_tr), cmp_role_trans);
	for (i = 1; i < n; i++) {
		if (!cmp_role_trans(&p->role_tr[i - 1], &p->role_tr[i])) {
			return pf_error_at(fp, -FLASK_EINVAL, fp->pos,
					   "duplicate role transition role %u type %u class %u",
					   p->role_tr[i].role, p->role_tr[i].type,
					   p->role_tr[i].tclass);
		}
	}
	return 0;
}

static int cmp_role_allow(const void *a, const void *b)
{
	const struct role_allow *x = a, *y = b;

	if (x->role != y->role) {
		return x->role < y->role ? -1 : 1;
	}
	if (x->new_role != y->new_role) {
		return x->new_role < y->new_role ? -1 : 1;
	}
	return 0;
}

int pdb_read_role_allow(struct policydb *p, struct policy_file *fp)
{
	uint32_t n, i;
	int rc;

	rc = pf_read_u32(fp, &n, "role allow count");
	if (rc) {
		return rc;
	}
	rc = pf_check_count(fp, n, 8, "role allow");
	if (rc) {
		return rc;
	}
	rc =
	    pdb_zalloc_array(fp, n, sizeof(*p->role_allow), (void **)&p->role_allow, "role allows");
	if (rc) {
		return rc;
	}
	p->nrole_allow = n;
	for (i = 0; i < n; i++) {
		uint32_t buf[2];
		size_t at = fp->pos;

		rc = pf_read_u32s(fp, buf, 2, "role allow");
		if (rc) {
			return rc;
		}
		rc = pdb_check_value(fp, p, SYM_ROLES, buf[0], "role allow role", at);
		if (!rc) {
			rc = pdb_check_value(fp, p, SYM_ROLES, buf[1], "role allow new role", at);
		}
		if (rc) {
			return rc;
		}
		p->role_allow[i].role = buf[0];
		p->role_allow[i].new_role = buf[1];
	}
	/* Duplicates are harmless here; sorting makes lookups a binary search. */
	heap_sort(p->role_allow, n, sizeof(*p->role_allow), cmp_role_allow);
	return 0;
}

int pdb_read_filename_trans(struct policydb *p, struct policy_file *fp)
{
	uint32_t n, i;
	int rc;

	rc = pf_read_u32(fp, &n, "filename transition count");
	if (rc) {
		return rc;
	}
	rc = pf_check_count(fp, n, 21, "filename transition");
	if (rc) {
		return rc;
	}
	rc = pdb_zalloc_array(fp, n, sizeof(*p->filename_trans), (void **)&p->filename_trans,
			      "filename transitions");
	if (rc) {
		return rc;
	}
	p->nfilename_trans = n;
	for (i = 0; i < n; i++) {
		struct filename_trans *ft = &p->filename_trans[i];
		uint32_t len, buf[4];
		size_t at = fp->pos;

		rc = pf_read_u32(fp, &len, "filename transition name length");
		if (!rc) {
			rc = pdb_read_name(p, fp, len, "filename transition", &ft->name);
		}
		if (!rc) {
			rc = pf_read_u32s(fp, buf, 4, "filename transition");
		}
		if (rc) {
			return rc;
		}
		ft->stype = buf[0];
		ft->ttype = buf[1];
		ft->tclass = buf[2];
		ft->otype = buf[3];
		rc = pdb_check_value(fp, p, SYM_TYPES, ft->stype, "filename transition source", at);
		if (!rc) {
			rc = pdb_check_value(fp, p, SYM_TYPES, ft->ttype,
					     "filename transition target", at);
		}
		if (!rc) {
			rc = pdb_check_value(fp, p, SYM_CLASSES, ft->tclass,
					     "filename transition class", at);
		}
		if (!rc) {
			rc = pdb_check_value(fp, p, SYM_TYPES, ft->otype,
					     "filename transition new type", at);
		}
		if (rc) {
			return rc;
		}
	}
	return 0;
}

static const char *const ocon_names[OCON_XEN_NUM] = {
    "initial SID", "pirqcon", "ioportcon", "iomemcon", "pcidevicecon", "devicetreecon",
};

static int read_ocontext(struct policydb *p, struct policy_file *fp, unsigned int kind,
			 struct ocontext *c)
{
	size_t at = fp->pos;
	uint32_t buf[2];
	int rc;

	switch (kind) {
	case OCON_XEN_ISID:
		rc = pf_read_u32(fp, &c->u.sid, "initial SID");
		if (!rc && !c->u.sid) {
			rc = pf_error_at(fp, -FLASK_EINVAL, at, "initial SID 0 is reserved");
		}
		break;
	case OCON_XEN_PIRQ:
		rc = pf_read_u32(fp, &c->u.pirq, "pirqcon");
		break;
	case OCON_XEN_IOPORT:
		rc = pf_read_u32s(fp, buf, 2, "ioportcon");
		if (rc) {
			break;
		}
		c->u.ioport.low = buf[0];
		c->u.ioport.high = buf[1];
		if (buf[0] > buf[1]) {
			rc = pf_error_at(fp, -FLASK_EINVAL, at,
					 "ioportcon range 0x%x-0x%x reversed", buf[0], buf[1]);
		}
		break;
	case OCON_XEN_IOMEM:
		if (p->policyvers >= POLICYDB_VERSION_XEN_DEVICETREE) {
			rc = pf_read_u64(fp, &c->u.iomem.low, "iomemcon");
			if (!rc) {
				rc = pf_read_u64(fp, &c->u.iomem.high, "iomemcon");
			}
		} else {
			rc = pf_read_u32s(fp, buf, 2, "iomemcon");
			if (!rc) {
				c->u.iomem.low = buf[0];
				c->u.iomem.high = buf[1];
			}
		}
		if (!rc && c->u.iomem.low > c->u.iomem.high) {
			rc = pf_error_at(fp, -FLASK_EINVAL, at,
					 "iomemcon range 0x%llx-0x%llx reversed",
					 (unsigned long long)c->u.iomem.low,
					 (unsigned long long)c->u.iomem.high);
		}
		break;
	case OCON_XEN_PCIDEVICE:
		rc = pf_read_u32(fp, &c->u.device, "pcidevicecon");
		break;
	default:
		rc = pf_read_u32(fp, &buf[0], "devicetreecon name length");
		if (!rc) {
			rc = pdb_read_name(p, fp, buf[0], "devicetreecon", &c->u.name);
		}
		break;
	}
	if (rc) {
		return rc;
	}
	return pdb_read_context(p, fp, &c->context, ocon_names[kind]);
}

int pdb_read_ocontexts(struct policydb *p, struct policy_file *fp, uint32_t ocon_num)
{
	/* Smallest entry: key + context (3 u32, range count, sens, empty ebitmap). */
	static const uint8_t min_size[OCON_XEN_NUM] = {36, 36, 40, 40, 36, 37};
	unsigned int kind;
	uint32_t i, j;
	int rc;

	for (kind = 0; kind < ocon_num; kind++) {
		uint32_t n;

		rc = pf_read_u32(fp, &n, "object context count");
		if (rc) {
			return rc;
		}
		rc = pf_check_count(fp, n, min_size[kind], ocon_names[kind]);
		if (rc) {
			return rc;
		}
		rc = pdb_zalloc_array(fp, n, sizeof(struct ocontext), (void **)&p->ocontexts[kind],
				      ocon_names[kind]);
		if (rc) {
			return rc;
		}
		for (i = 0; i < n; i++) {
			p->nocontexts[kind] = i + 1;
			rc = read_ocontext(p, fp, kind, &p->ocontexts[kind][i]);
			if (rc) {
				return rc;
			}
		}
		if (kind != OCON_XEN_ISID) {
			continue;
		}
		/* Initial SIDs are few (Xen has about a dozen): a quadratic check is fine. */
		for (i = 0; i < n; i++) {
			for (j = 0; j < i; j++) {
				if (p->ocontexts[kind][i].u.sid == p->ocontexts[kind][j].u.sid) {
					return pf_error_at(fp, -FLASK_EINVAL, fp->pos,
							   "initial SID %u defined twice",
							   p->ocontexts[kind][i].u.sid);
				}
			}
			if (i > 4096) {
				return pf_error_at(fp, -FLASK_EINVAL, fp->pos,
						   "too many initial SIDs (%u)", n);
			}
		}
	}
	return 0;
}

int pdb_read_genfs(struct policydb *p, struct policy_file *fp)
{
	uint32_t n, i, j;
	int rc;

	rc = pf_read_u32(fp, &n, "genfs count");
	if (rc) {
		return rc;
	}
	rc = pf_check_count(fp, n, 9, "genfs");
	if (rc) {
		return rc;
	}
	for (i = 0; i < n; i++) {
		const char *fstype;
		uint32_t len, m;

		rc = pf_read_u32(fp, &len, "genfs type length");
		if (!rc) {
			rc = pdb_read_name(p, fp, len, "genfs type", &fstype);
		}
		if (!rc) {
			rc = pf_read_u32(fp, &m, "genfs entry count");
		}
		if (!rc) {
			rc = pf_check_count(fp, m, 41, "genfs entry");
		}
		if (rc) {
			return rc;
		}
		for (j = 0; j < m; j++) {
			struct context c;
			const char *path;
			uint32_t sclass;
			size_t at = fp->pos;

			rc = pf_read_u32(fp, &len, "genfs path length");
			if (!rc) {
				rc = pdb_read_name(p, fp, len, "genfs path", &path);
			}
			if (!rc) {
				rc = pf_read_u32(fp, &sclass, "genfs class");
			}
			if (!rc && sclass > p->symtab[SYM_CLASSES].nprim) {
				rc = pf_error_at(fp, -FLASK_EINVAL, at,
						 "genfs class %u out of range", sclass);
			}
			if (rc) {
				return rc;
			}
			context_init(&c);
			rc = pdb_read_context(p, fp, &c, "genfs");
			context_destroy(&c);
			if (rc) {
				return rc;
			}
		}
		p->ngenfs++;
	}
	return 0;
}

static int cmp_range_trans(const void *a, const void *b)
{
	const struct range_trans *x = a, *y = b;

	if (x->source_type != y->source_type) {
		return x->source_type < y->source_type ? -1 : 1;
	}
	if (x->target_type != y->target_type) {
		return x->target_type < y->target_type ? -1 : 1;
	}
	if (x->target_class != y->target_class) {
		return x->target_class < y->target_class ? -1 : 1;
	}
	return 0;
}

int pdb_read_range_trans(struct policydb *p, struct policy_file *fp)
{
	uint32_t n, i;
	int rc;

	rc = pf_read_u32(fp, &n, "range transition count");
	if (rc) {
		return rc;
	}
	if (n && !p->mls) {
		return pf_error(fp, "range transitions (%u) in a non-MLS policy", n);
	}
	rc = pf_check_count(fp, n, 32, "range transition");
	if (rc) {
		return rc;
	}
	rc = pdb_zalloc_array(fp, n, sizeof(*p->range_tr), (void **)&p->range_tr,
			      "range transitions");
	if (rc) {
		return rc;
	}
	p->nrange_tr = n;
	for (i = 0; i < n; i++) {
		struct range_trans *rt = &p->range_tr[i];
		uint32_t buf[3];
		size_t at = fp->pos;

		rc = pf_read_u32s(fp, buf, 3, "range transition");
		if (rc) {
			return rc;
		}
		rt->source_type = buf[0];
		rt->target_type = buf[1];
		rt->target_class = buf[2];
		rc = pdb_check_value(fp, p, SYM_TYPES, buf[0], "range transition source", at);
		if (!rc) {
			rc = pdb_check_value(fp, p, SYM_TYPES, buf[1], "range transition target",
					     at);
		}
		if (!rc) {
			rc = pdb_check_value(fp, p, SYM_CLASSES, buf[2], "range transition class",
					     at);
		}
		if (!rc) {
			rc = pdb_read_range(fp, &rt->range);
		}
		if (rc) {
			return rc;
		}
		if (!policydb_range_isvalid(p, &rt->range)) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "range transition %u %u class %u has an invalid range",
					   buf[0], buf[1], buf[2]);
		}
	}
	heap_sort(p->range_tr, n, sizeof(*p->range_tr), cmp_range_trans);
	for (i = 1; i < n; i++) {
		if (!cmp_range_trans(&p->range_tr[i - 1], &p->range_tr[i])) {
			return pf_error_at(fp, -FLASK_EINVAL, fp->pos,
					   "duplicate range transition %u %u class %u",
					   p->range_tr[i].source_type, p->range_tr[i].target_type,
					   p->range_tr[i].target_class);
		}
	}
	return 0;
}

int pdb_read_type_attr_map(struct policydb *p, struct policy_file *fp)
{
	uint32_t ntypes = p->symtab[SYM_TYPES].nprim, i, bit;
	int rc;

	rc = pf_check_count(fp, ntypes, 12, "type attribute map");
	if (rc) {
		return rc;
	}
	rc = pdb_zalloc_array(fp, ntypes, sizeof(struct ebitmap), (void **)&p->type_attr_map,
			      "type attribute map");
	if (!rc) {
		rc = pdb_zalloc_array(fp, ntypes, sizeof(struct ebitmap),
				      (void **)&p->attr_type_map, "attribute type map");
	}
	if (rc) {
		return rc;
	}
	for (i = 0; i < ntypes; i++) {
		struct ebitmap *e = &p->type_attr_map[i];
		size_t at = fp->pos;

		rc = ebitmap_read(e, fp);
		if (rc) {
			return rc;
		}
		if (ebitmap_last_bit_plus_one(e) > ntypes) {
			return pf_error_at(
			    fp, -FLASK_EINVAL, at, "type %s attribute map names type %u, beyond %u",
			    p->sym_val_to_name[SYM_TYPES][i], ebitmap_last_bit_plus_one(e), ntypes);
		}
		ebitmap_for_each_bit(e, bit)
		{
			if (bit != i && !p->type_val_to_struct[bit]->attribute) {
				return pf_error_at(
				    fp, -FLASK_EINVAL, at,
				    "type %s attribute map names %s, not an attribute",
				    p->sym_val_to_name[SYM_TYPES][i],
				    p->sym_val_to_name[SYM_TYPES][bit]);
			}
		}
		if (p->type_val_to_struct[i]->attribute &&
		    ebitmap_cardinality(e) > (ebitmap_get_bit(e, i) ? 1u : 0u)) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "attribute %s has attributes of its own",
					   p->sym_val_to_name[SYM_TYPES][i]);
		}
		if (ebitmap_set_bit(e, i, true)) {
			return pf_nomem(fp, "type attribute map");
		}
		if (p->type_val_to_struct[i]->attribute) {
			continue;
		}
		ebitmap_for_each_bit(e, bit)
		{
			if (ebitmap_set_bit(&p->attr_type_map[bit], i, true)) {
				return pf_nomem(fp, "attribute type map");
			}
		}
	}
	return 0;
}

void pdb_destroy_rules(struct policydb *p)
{
	unsigned int kind;
	uint32_t i;

	flask_free(p->role_tr);
	p->role_tr = NULL;
	p->nrole_tr = 0;
	flask_free(p->role_allow);
	p->role_allow = NULL;
	p->nrole_allow = 0;
	flask_free(p->filename_trans);
	p->filename_trans = NULL;
	p->nfilename_trans = 0;
	for (kind = 0; kind < OCON_XEN_NUM; kind++) {
		for (i = 0; i < p->nocontexts[kind]; i++) {
			context_destroy(&p->ocontexts[kind][i].context);
		}
		flask_free(p->ocontexts[kind]);
		p->ocontexts[kind] = NULL;
		p->nocontexts[kind] = 0;
	}
	for (i = 0; i < p->nrange_tr; i++) {
		mls_range_destroy(&p->range_tr[i].range);
	}
	flask_free(p->range_tr);
	p->range_tr = NULL;
	p->nrange_tr = 0;
	for (i = 0; p->type_attr_map && i < p->symtab[SYM_TYPES].nprim; i++) {
		ebitmap_destroy(&p->type_attr_map[i]);
	}
	for (i = 0; p->attr_type_map && i < p->symtab[SYM_TYPES].nprim; i++) {
		ebitmap_destroy(&p->attr_type_map[i]);
	}
	flask_free(p->type_attr_map);
	flask_free(p->attr_type_map);
	p->type_attr_map = NULL;
	p->attr_type_map = NULL;
}
