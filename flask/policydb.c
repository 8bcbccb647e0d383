/*
 * policydb.c - the policy reader's driver: checks the header, calls the
 * section readers in file order, insists nothing follows the last section,
 * and tears everything down again on failure (policydb_destroy). The
 * sections are read by policydb_syms.c (symbol tables), policydb_avtab.c
 * (TE rules), policydb_cond.c (conditionals) and policydb_rules.c (the
 * rest); they share the helpers of policydb_decode.c and never call back
 * into this file (flask/README.md, "The policy reader").
 */
#include "policydb.h"
#include "conditional.h"
#include "policy_file.h"
#include "policydb_avtab.h"
#include "policydb_cond.h"
#include "policydb_decode.h"
#include "policydb_rules.h"
#include "policydb_syms.h"

#define POLICYDB_STRING_MAX 32

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
	rc = pdb_read_symtabs(p, fp);
	if (rc) {
		return rc;
	}
	rc = pdb_read_avtab(&p->te_avtab, fp, p);
	if (rc) {
		return rc;
	}
	rc = pdb_read_cond_list(p, fp);
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
	avtab_destroy(&p->te_avtab);
	avtab_destroy(&p->te_cond_avtab);
	cond_list_destroy(p);
	pdb_destroy_rules(p); /* before the symbol tables: it needs the type count */
	pdb_destroy_symtabs(p);
	ebitmap_destroy(&p->policycaps);
	ebitmap_destroy(&p->permissive_map);
	pdb_arena_free(p);
	memset(p, 0, sizeof(*p));
}
