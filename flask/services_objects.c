/*
 * services_objects.c - booleans (pending values, commit) and the object
 * context lookups (pirq, ioport, iomem, PCI device, device tree path).
 */
#include "conditional.h"
#include "flask_env.h"
#include "policydb.h"
#include "security.h"
#include "services_int.h"
#include "sidtab.h"

/* ---- booleans ---------------------------------------------------------- */

int security_get_bool_count(void)
{
	int n = 0;

	if (ss_lock_acquire()) {
		return 0;
	}
	if (ss.cur) {
		n = (int)ss.cur->db.symtab[SYM_BOOLS].nprim;
	}
	ss_lock_release();
	return n;
}

static bool bool_id_ok(int id)
{
	return ss.cur && id >= 0 && (uint32_t)id < ss.cur->db.symtab[SYM_BOOLS].nprim;
}

int security_get_bool_name(int id, char *buf, size_t size)
{
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	if (!bool_id_ok(id)) {
		rc = -FLASK_ENOENT;
	} else {
		const char *n = policydb_name(&ss.cur->db, SYM_BOOLS, (uint32_t)id + 1);

		rc = snprintf(buf, size, "%s", n ? n : "") < (int)size ? 0 : -FLASK_ERANGE;
	}
	ss_lock_release();
	return rc;
}

int security_get_bool_value(int id, int *current, int *pending)
{
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	if (!bool_id_ok(id)) {
		rc = -FLASK_ENOENT;
	} else {
		if (current) {
			*current = policydb_bool(&ss.cur->db, (uint32_t)id + 1)->state;
		}
		if (pending) {
			*pending = ss.cur->pending[id];
		}
	}
	ss_lock_release();
	return rc;
}

int security_find_bool(const char *name)
{
	int id = -FLASK_ENOENT;

	if (ss_lock_acquire()) {
		return -FLASK_ENOMEM;
	}
	if (ss.cur) {
		uint32_t v = policydb_bool_value(&ss.cur->db, name);

		if (v) {
			id = (int)v - 1;
		}
	}
	ss_lock_release();
	return id;
}

int security_set_bool(int id, int value)
{
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	if (!bool_id_ok(id)) {
		rc = -FLASK_ENOENT;
	} else {
		ss.cur->pending[id] = value ? 1 : 0;
	}
	ss_lock_release();
	return rc;
}

int security_commit_bools(void)
{
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	if (!ss.cur) {
		rc = -FLASK_EINVAL;
		goto out;
	}
	for (uint32_t i = 0; i < ss.cur->db.symtab[SYM_BOOLS].nprim; i++) {
		policydb_set_bool(&ss.cur->db, i + 1, ss.cur->pending[i] != 0);
	}
	cond_evaluate_all(&ss.cur->db);
	ss_bump_seqno();
out:
	ss_lock_release();
	return rc;
}

/* ---- object contexts --------------------------------------------------- */

enum ocon_kind { OK_PIRQ, OK_IOPORT, OK_IOMEM, OK_DEVICE, OK_DT };

static bool ocon_match(enum ocon_kind kind, const struct ocontext *o, uint64_t key,
		       const char *path)
{
	switch (kind) {
	case OK_PIRQ:
		return o->u.pirq == key;
	case OK_IOPORT:
		return o->u.ioport.low <= key && key <= o->u.ioport.high;
	case OK_IOMEM:
		return o->u.iomem.low <= key && key <= o->u.iomem.high;
	case OK_DEVICE:
		return o->u.device == key;
	case OK_DT:
		return o->u.name && strcmp(o->u.name, path) == 0;
	}
	return false;
}

static int ocon_sid(enum ocon_kind kind, unsigned int ocon, uint64_t key, const char *path,
		    const char *fallback, uint32_t *sid)
{
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	*sid = security_initial_sid(fallback);
	if (ss.cur) {
		const struct policydb *p = &ss.cur->db;

		for (uint32_t i = 0; i < p->nocontexts[ocon]; i++) {
			const struct ocontext *o = &p->ocontexts[ocon][i];

			if (ocon_match(kind, o, key, path)) {
				rc = sidtab_context_to_sid(&ss.cur->sidtab, &o->context, sid);
				break;
			}
		}
		if (!rc && !sidtab_search(&ss.cur->sidtab, *sid)) {
			/* The policy gave the fallback initial SID no context. */
			*sid = security_initial_sid("unlabeled");
		}
	}
	ss_lock_release();
	return rc;
}

int security_pirq_sid(uint32_t pirq, uint32_t *sid)
{
	return ocon_sid(OK_PIRQ, OCON_XEN_PIRQ, pirq, NULL, "irq", sid);
}

int security_ioport_sid(uint32_t port, uint32_t *sid)
{
	return ocon_sid(OK_IOPORT, OCON_XEN_IOPORT, port, NULL, "ioport", sid);
}

int security_iomem_sid(uint64_t frame, uint32_t *sid)
{
	return ocon_sid(OK_IOMEM, OCON_XEN_IOMEM, frame, NULL, "iomem", sid);
}

int security_device_sid(uint32_t sbdf, uint32_t *sid)
{
	return ocon_sid(OK_DEVICE, OCON_XEN_PCIDEVICE, sbdf, NULL, "device", sid);
}

int security_devicetree_sid(const char *path, uint32_t *sid)
{
	return ocon_sid(OK_DT, OCON_XEN_DEVICETREE, 0, path, "device", sid);
}
