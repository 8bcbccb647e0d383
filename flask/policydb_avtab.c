/*
 * policydb_avtab.c - the section reader of the TE rules: the unconditional
 * avtab, and the one-rule reader the conditional lists share
 * (policydb_cond.c). The table itself is avtab.c.
 */
#include "policydb_avtab.h"
#include "avtab.h"
#include "policy_file.h"
#include "policydb_types.h"

static const char *avtab_kind_name(uint16_t kind)
{
	switch (kind) {
	case AVTAB_ALLOWED:
		return "allow";
	case AVTAB_AUDITALLOW:
		return "auditallow";
	case AVTAB_AUDITDENY:
		return "dontaudit";
	case AVTAB_TRANSITION:
		return "type_transition";
	case AVTAB_MEMBER:
		return "type_member";
	case AVTAB_CHANGE:
		return "type_change";
	default:
		return "?";
	}
}

int pdb_read_avtab_rule(struct policy_file *fp, const struct policydb *p,
			int (*insert)(const struct avtab_key *key, const struct avtab_datum *datum,
				      void *arg),
			void *arg)
{
	uint16_t buf[4];
	uint32_t data, ntypes = p->symtab[SYM_TYPES].nprim;
	size_t at = fp->pos;
	struct avtab_key key;
	struct avtab_datum datum;
	uint16_t kind;
	int rc;

	rc = pf_read_u16(fp, &buf[0], "avtab key");
	if (!rc) {
		rc = pf_read_u16(fp, &buf[1], "avtab key");
	}
	if (!rc) {
		rc = pf_read_u16(fp, &buf[2], "avtab key");
	}
	if (!rc) {
		rc = pf_read_u16(fp, &buf[3], "avtab key");
	}
	if (rc) {
		return rc;
	}
	key.source_type = buf[0];
	key.target_type = buf[1];
	key.target_class = buf[2];
	key.specified = buf[3];
	kind = key.specified & (uint16_t)~AVTAB_ENABLED;
	if (kind & AVTAB_XPERMS) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "avtab rule with extended permissions (0x%x) in a Xen policy",
				   kind);
	}
	if (kind != AVTAB_ALLOWED && kind != AVTAB_AUDITALLOW && kind != AVTAB_AUDITDENY &&
	    kind != AVTAB_TRANSITION && kind != AVTAB_MEMBER && kind != AVTAB_CHANGE) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "avtab rule kind 0x%x is not exactly one known kind", kind);
	}
	if (!key.source_type || key.source_type > ntypes) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "avtab %s source type %u out of range 1..%u",
				   avtab_kind_name(kind), key.source_type, ntypes);
	}
	if (!key.target_type || key.target_type > ntypes) {
		return pf_error_at(fp, -FLASK_EINVAL, at,
				   "avtab %s target type %u out of range 1..%u",
				   avtab_kind_name(kind), key.target_type, ntypes);
	}
	if (!key.target_class || key.target_class > p->symtab[SYM_CLASSES].nprim) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "avtab %s class %u out of range 1..%u",
				   avtab_kind_name(kind), key.target_class,
				   p->symtab[SYM_CLASSES].nprim);
	}
	rc = pf_read_u32(fp, &data, "avtab datum");
	if (rc) {
		return rc;
	}
	if (kind & AVTAB_TYPE) {
		if (!data || data > ntypes || p->type_val_to_struct[data - 1]->attribute) {
			return pf_error_at(fp, -FLASK_EINVAL, at,
					   "avtab %s %u %u class %u names new type %u, not a type",
					   avtab_kind_name(kind), key.source_type, key.target_type,
					   key.target_class, data);
		}
	}
	key.specified = kind;
	datum.data = data;
	rc = insert(&key, &datum, arg);
	if (rc == -FLASK_EEXIST) {
		return pf_error_at(fp, -FLASK_EINVAL, at, "duplicate avtab %s rule %u %u class %u",
				   avtab_kind_name(kind), key.source_type, key.target_type,
				   key.target_class);
	}
	if (rc == -FLASK_ENOMEM) {
		return pf_nomem(fp, "avtab");
	}
	if (rc) {
		return pf_error_at(fp, rc, at, "avtab %s rule %u %u class %u rejected",
				   avtab_kind_name(kind), key.source_type, key.target_type,
				   key.target_class);
	}
	return 0;
}

static int avtab_insert_unique(const struct avtab_key *key, const struct avtab_datum *datum,
			       void *arg)
{
	return avtab_insert(arg, key, datum, true, NULL);
}

int pdb_read_avtab(struct avtab *h, struct policy_file *fp, const struct policydb *p)
{
	uint32_t nel, i;
	int rc;

	rc = pf_read_u32(fp, &nel, "avtab count");
	if (rc) {
		return rc;
	}
	rc = pf_check_count(fp, nel, 12, "avtab rule");
	if (rc) {
		return rc;
	}
	rc = avtab_alloc(h, nel);
	if (rc) {
		return pf_nomem(fp, "avtab");
	}
	for (i = 0; i < nel; i++) {
		rc = pdb_read_avtab_rule(fp, p, avtab_insert_unique, h);
		if (rc) {
			return rc;
		}
	}
	return 0;
}
