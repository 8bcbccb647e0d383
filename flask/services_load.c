/*
 * services_load.c - atomic policy load, the class map, and reset.
 *
 * A load builds a complete new ss_policy (policydb, class map, booleans,
 * SID table) beside the one in force and switches the pointer under the
 * lock only when nothing can fail any more. SIDs keep their numbers: each
 * live context is converted by name; one the new policy cannot express
 * becomes the new policy's "unlabeled" initial SID context (Linux does the
 * same for contexts that became invalid; Xen has no relabel step, and a
 * domain losing its label must fall into the most restricted one rather
 * than block the load).
 */
#include "classmap.h"
#include "context_str.h"
#include "flask_env.h"
#include "policydb.h"
#include "security.h"
#include "services_int.h"
#include "sidtab.h"

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
}

void ss_policy_free(struct ss_policy *sp)
{
	if (!sp) {
		return;
	}
	sidtab_destroy(&sp->sidtab);
	classmap_destroy(&sp->map);
	flask_free(sp->pending);
	policydb_destroy(&sp->db);
	flask_free(sp);
}

static const struct context *isid_context(const struct policydb *p, uint32_t sid)
{
	for (uint32_t i = 0; i < p->nocontexts[OCON_XEN_ISID]; i++) {
		if (p->ocontexts[OCON_XEN_ISID][i].u.sid == sid) {
			return &p->ocontexts[OCON_XEN_ISID][i].context;
		}
	}
	return NULL;
}

/*
 * Checks the reader leaves to the services: initial SIDs usable as SIDs.
 * The hypervisor asks for them by number, so a policy written for another
 * numbering (Xen before 4.17 had no xenboot and 12 SIDs) would load and
 * then give every boot object the label of its neighbour: dom0 would run
 * as xen_t. The count is the one thing the file says about its
 * numbering, so another count is refused outright. libsepol has no such
 * rule; it does not know which SIDs a hypervisor asks for.
 */
static int validate_isids(struct ss_policy *np, char *err, size_t errlen)
{
	const struct policydb *p = &np->db;
	uint32_t want = security_initial_sid_count();
	int rc;

	if (p->nocontexts[OCON_XEN_ISID] != want) {
		set_err(err, errlen, "policy declares %u initial SIDs, Xen 4.17 has %u",
			p->nocontexts[OCON_XEN_ISID], want);
		return -FLASK_EINVAL;
	}
	for (uint32_t i = 0; i < p->nocontexts[OCON_XEN_ISID]; i++) {
		const struct ocontext *o = &p->ocontexts[OCON_XEN_ISID][i];

		if (o->u.sid == 0 || o->u.sid > want) {
			set_err(err, errlen, "initial SID %u out of range (Xen 4.17 has 1..%u)",
				o->u.sid, want);
			return -FLASK_EINVAL;
		}
		if (!context_is_valid(p, &o->context)) {
			set_err(err, errlen, "initial SID %u has an invalid context", o->u.sid);
			return -FLASK_EINVAL;
		}
		rc = sidtab_set(&np->sidtab, o->u.sid, &o->context);
		if (rc == -FLASK_EEXIST) {
			set_err(err, errlen, "initial SID %u given twice", o->u.sid);
			return -FLASK_EINVAL;
		}
		if (rc) {
			set_err(err, errlen, "out of memory (initial SID %u)", o->u.sid);
			return rc;
		}
	}
	return 0;
}

/* Booleans keep their values where the names match; then the conditionals follow. */
static int carry_booleans(struct ss_policy *np, const struct ss_policy *old)
{
	struct policydb *p = &np->db;
	uint32_t n = p->symtab[SYM_BOOLS].nprim;

	np->pending = flask_zalloc(sizeof(int) * (n ? n : 1));
	if (!np->pending) {
		return -FLASK_ENOMEM;
	}
	for (uint32_t v = 1; v <= n; v++) {
		const struct cond_bool_datum *b = policydb_bool(p, v);

		if (old) {
			const char *name = policydb_name(p, SYM_BOOLS, v);
			uint32_t ov = name ? policydb_bool_value(&old->db, name) : 0;

			if (ov) {
				policydb_set_bool(p, v, policydb_bool(&old->db, ov)->state != 0);
			}
		}
		np->pending[v - 1] = b ? b->state : 0;
	}
	cond_evaluate_all(p);
	return 0;
}

struct convert_args {
	struct ss_policy *np;
	const struct ss_policy *old;
	const struct context *unlabeled;
	uint32_t remapped;
	int rc;
};

static int convert_sid(uint32_t sid, const struct context *ctx, void *arg)
{
	struct convert_args *a = arg;
	struct context nc;
	int rc;

	if (sidtab_search(&a->np->sidtab, sid)) {
		return 0; /* an initial SID of the new policy: its own context wins */
	}
	rc = context_convert(&a->old->db, &a->np->db, ctx, &nc);
	if (rc == -FLASK_ENOMEM) {
		return rc;
	}
	if (rc) {
		if (!a->unlabeled) {
			return -FLASK_EINVAL;
		}
		a->remapped++;
		return sidtab_set(&a->np->sidtab, sid, a->unlabeled);
	}
	rc = sidtab_set(&a->np->sidtab, sid, &nc);
	context_destroy(&nc);
	return rc;
}

int security_load_policy(const void *data, size_t len, char *err, size_t errlen)
{
	struct ss_policy *np, *old;
	struct convert_args args;
	int rc;

	rc = security_init();
	if (rc) {
		return rc;
	}
	if (err && errlen) {
		err[0] = '\0';
	}
	np = flask_zalloc(sizeof(*np));
	if (!np) {
		set_err(err, errlen, "out of memory");
		return -FLASK_ENOMEM;
	}
	rc = policydb_read(&np->db, data, len, err, errlen);
	if (rc) {
		flask_free(np);
		return rc;
	}
	rc = sidtab_init(&np->sidtab);
	if (rc) {
		set_err(err, errlen, "out of memory");
		goto fail;
	}
	rc = validate_isids(np, err, errlen);
	if (rc) {
		goto fail;
	}
	np->process_class = policydb_class_value(&np->db, "domain");
	if (np->process_class) {
		uint32_t t = policydb_perm_value(&np->db, np->process_class, "transition");
		uint32_t d = policydb_perm_value(&np->db, np->process_class, "dyntransition");

		np->process_trans = (t ? 1u << (t - 1) : 0) | (d ? 1u << (d - 1) : 0);
	}

	rc = ss_lock_acquire();
	if (rc) {
		goto fail;
	}
	/* From here the old policy cannot change under us. */
	old = ss.cur;
	if (ss.map_set) {
		rc = classmap_build(&np->map, &np->db, ss.map, ss.map_len,
				    np->db.handle_unknown == HANDLE_UNKNOWN_REJECT, err, errlen);
		if (rc) {
			goto fail_locked;
		}
	}
	rc = carry_booleans(np, old);
	if (rc) {
		set_err(err, errlen, "out of memory");
		goto fail_locked;
	}
	if (old) {
		args.np = np;
		args.old = old;
		args.unlabeled = isid_context(&np->db, security_initial_sid("unlabeled"));
		args.remapped = 0;
		rc = sidtab_map(&old->sidtab, convert_sid, &args);
		if (rc) {
			set_err(err, errlen, "%s",
				rc == -FLASK_ENOMEM
				    ? "out of memory converting SIDs"
				    : "a live context is invalid in the new policy and "
				      "it has no unlabeled initial SID");
			goto fail_locked;
		}
		np->sidtab.next_sid = old->sidtab.next_sid > np->sidtab.next_sid
					  ? old->sidtab.next_sid
					  : np->sidtab.next_sid;
	}
	__atomic_store_n(&ss.cur, np, __ATOMIC_RELEASE);
	ss_bump_seqno();
	ss_lock_release();
	ss_policy_free(old);
	return 0;

fail_locked:
	ss_lock_release();
fail:
	ss_policy_free(np);
	return rc;
}

int security_set_classmap(const struct flask_class_map *map, size_t nclasses)
{
	struct classmap cm = {0};
	char why[160];
	int rc;

	rc = ss_lock_acquire();
	if (rc) {
		return rc;
	}
	if (ss.cur) {
		rc = classmap_build(&cm, &ss.cur->db, map, nclasses,
				    ss.cur->db.handle_unknown == HANDLE_UNKNOWN_REJECT, why,
				    sizeof(why));
		if (rc) {
			flask_log(why);
			goto out;
		}
		classmap_destroy(&ss.cur->map);
		ss.cur->map = cm;
	} else {
		/* Checked for shape now, against the policy at load. */
		rc = classmap_build(&cm, NULL, map, nclasses, false, why, sizeof(why));
		if (rc) {
			goto out;
		}
		classmap_destroy(&cm);
	}
	ss.map = map;
	ss.map_len = nclasses;
	ss.map_set = true;
	ss_bump_seqno();
out:
	ss_lock_release();
	return rc;
}

void security_reset(void)
{
	struct ss_policy *old;

	if (ss_lock_acquire()) {
		return;
	}
	old = ss.cur;
	__atomic_store_n(&ss.cur, NULL, __ATOMIC_RELEASE);
	ss.map_set = false;
	ss.map = NULL;
	ss.map_len = 0;
	ss.enforcing = true;
	ss_bump_seqno();
	ss_lock_release();
	ss_policy_free(old);
}
