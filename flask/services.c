/*
 * services.c - the security server: decisions (access vectors, new
 * contexts) and SIDs over the policy in force. Policy loading is in
 * services_load.c, names in services_names.c, booleans and object contexts
 * in services_objects.c; the shared state is in services_int.h.
 *
 * Every entry point takes ss_lock around its use of the policy and the SID
 * table; the policy pointer only changes under the lock, so a caller never
 * sees half of a switch.
 */
#include "avtab.h"
#include "classmap.h"
#include "constraint.h"
#include "context_str.h"
#include "flask_env.h"
#include "mls.h"
#include "policydb.h"
#include "security.h"
#include "services_int.h"
#include "sidtab.h"

/* Enforcing from the start: permissive is an explicit choice of the embedder. */
struct ss_state ss = {.enforcing = true};
uint32_t security_seqno_value;

/*
 * Xen 4.17's initial SID names, in its declaration order (SIDs 1..13):
 * 4.17 put xenboot first, so every later SID moved up by one. A policy
 * must declare exactly these (services_load.c refuses another count).
 */
static const char *const xen_isid_names[] = {
    "xenboot", "xen",	"dom0", "domio",  "domxen", "unlabeled", "security",
    "ioport",  "iomem", "irq",	"device", "domU",   "domDM",
};

int security_init(void)
{
	struct flask_lock *lock;

	if (__atomic_load_n(&ss.lock, __ATOMIC_ACQUIRE)) {
		return 0;
	}
	lock = flask_lock_create();
	if (!lock) {
		return -FLASK_ENOMEM;
	}
	__atomic_store_n(&ss.lock, lock, __ATOMIC_RELEASE);
	return 0;
}

int ss_lock_acquire(void)
{
	int rc = security_init();

	if (rc) {
		return rc;
	}
	flask_lock_acquire(ss.lock);
	return 0;
}

void ss_lock_release(void)
{
	flask_lock_release(ss.lock);
}

void ss_bump_seqno(void)
{
	__atomic_store_n(&security_seqno_value, security_seqno_value + 1, __ATOMIC_RELEASE);
}

uint32_t security_seqno(void)
{
	return __atomic_load_n(&security_seqno_value, __ATOMIC_ACQUIRE);
}

bool security_policy_loaded(void)
{
	return __atomic_load_n(&ss.cur, __ATOMIC_ACQUIRE) != NULL;
}

bool security_mls_enabled(void)
{
	bool mls = false;

	if (ss_lock_acquire()) {
		return false;
	}
	if (ss.cur) {
		mls = ss.cur->db.mls;
	}
	ss_lock_release();
	return mls;
}

uint32_t security_policyvers(void)
{
	uint32_t v = 0;

	if (ss_lock_acquire()) {
		return 0;
	}
	if (ss.cur) {
		v = ss.cur->db.policyvers;
	}
	ss_lock_release();
	return v;
}

enum security_handle_unknown security_get_handle_unknown(void)
{
	enum security_handle_unknown hu = SECURITY_UNKNOWN_DENY;

	if (ss_lock_acquire()) {
		return hu;
	}
	if (ss.cur) {
		switch (ss.cur->db.handle_unknown) {
		case HANDLE_UNKNOWN_ALLOW:
			hu = SECURITY_UNKNOWN_ALLOW;
			break;
		case HANDLE_UNKNOWN_REJECT:
			hu = SECURITY_UNKNOWN_REJECT;
			break;
		default:
			break;
		}
	}
	ss_lock_release();
	return hu;
}

bool security_get_enforcing(void)
{
	return __atomic_load_n(&ss.enforcing, __ATOMIC_ACQUIRE);
}

void security_set_enforcing(bool enforcing)
{
	if (ss_lock_acquire()) {
		return;
	}
	if (ss.enforcing != enforcing) {
		__atomic_store_n(&ss.enforcing, enforcing, __ATOMIC_RELEASE);
		ss_bump_seqno();
	}
	ss_lock_release();
}

uint32_t security_initial_sid(const char *name)
{
	for (uint32_t i = 0; i < security_initial_sid_count(); i++) {
		if (strcmp(xen_isid_names[i], name) == 0) {
			return i + 1;
		}
	}
	return 0;
}

uint32_t security_initial_sid_count(void)
{
	return sizeof(xen_isid_names) / sizeof(xen_isid_names[0]);
}

const char *security_initial_sid_name(uint32_t sid)
{
	return sid >= 1 && sid <= security_initial_sid_count() ? xen_isid_names[sid - 1] : NULL;
}

/* ---- access vectors ---------------------------------------------------- */

static void avtab_collect(const struct avtab *h, const struct avtab_key *key, bool cond,
			  struct av_decision *avd)
{
	const struct avtab_node *node;

	for (node = avtab_search_node(h, key); node;
	     node = avtab_search_node_next(h, node, AVTAB_AV)) {
		uint16_t spec = node->key.specified;

		if (cond) {
			if (!(spec & AVTAB_ENABLED)) {
				continue;
			}
			spec &= (uint16_t)~AVTAB_ENABLED;
		}
		if (spec == AVTAB_ALLOWED) {
			avd->allowed |= node->datum.data;
		} else if (spec == AVTAB_AUDITALLOW) {
			avd->auditallow |= node->datum.data;
		} else if (spec == AVTAB_AUDITDENY) {
			/* The stored datum is the complement of dontaudit: a 0 bit silences. */
			avd->auditdeny &= node->datum.data;
		}
	}
}

/* Bounds chains are acyclic in a valid policy; the bound only guards the stack. */
#define SS_BOUNDS_DEPTH_MAX 32

static void context_av(const struct ss_policy *sp, const struct context *s, const struct context *t,
		       uint16_t tclass, struct av_decision *avd, unsigned int depth)
{
	const struct policydb *p = &sp->db;
	const struct class_datum *cls = policydb_class(p, tclass);
	const struct type_datum *stype, *ttype;
	uint32_t i, j;

	avd->allowed = 0;
	avd->auditallow = 0;
	avd->auditdeny = 0xffffffffu;
	avd->flags = 0;
	if (!cls || !s->type || !t->type) {
		return;
	}

	ebitmap_for_each_bit(&p->type_attr_map[s->type - 1], i)
	{
		ebitmap_for_each_bit(&p->type_attr_map[t->type - 1], j)
		{
			struct avtab_key key = {
			    .source_type = (uint16_t)(i + 1),
			    .target_type = (uint16_t)(j + 1),
			    .target_class = tclass,
			    .specified = AVTAB_AV,
			};

			avtab_collect(&p->te_avtab, &key, false, avd);
			avtab_collect(&p->te_cond_avtab, &key, true, avd);
		}
	}

	for (uint32_t n = 0; n < cls->nconstraints; n++) {
		const struct constraint *c = &cls->constraints[n];

		if ((c->permissions & avd->allowed) && !constraint_eval(p, s, t, NULL, c)) {
			avd->allowed &= ~c->permissions;
		}
	}

	/* A domain transition that changes role needs "allow r1 r2;". */
	if (sp->process_class && tclass == sp->process_class &&
	    (avd->allowed & sp->process_trans) && s->role != t->role &&
	    !policydb_role_allowed(p, s->role, t->role)) {
		avd->allowed &= ~sp->process_trans;
	}

	/* typebounds: a bounded type gets no more than its parent would. */
	stype = policydb_type(p, s->type);
	if (stype && stype->bounds && depth < SS_BOUNDS_DEPTH_MAX) {
		struct context lo_s = *s, lo_t = *t;
		struct av_decision lo;

		lo_s.type = stype->bounds;
		ttype = policydb_type(p, t->type);
		if (ttype && ttype->bounds) {
			lo_t.type = ttype->bounds;
		}
		context_av(sp, &lo_s, &lo_t, tclass, &lo, depth + 1);
		avd->allowed &= lo.allowed;
	}

	if (policydb_type_permissive(p, s->type)) {
		avd->flags |= AVD_FLAGS_PERMISSIVE;
	}
}

static void avd_allow_all(struct av_decision *avd)
{
	avd->allowed = 0xffffffffu;
	avd->auditallow = 0;
	avd->auditdeny = 0xffffffffu;
	avd->flags = 0;
}

int ss_compute_av_locked(uint32_t ssid, uint32_t tsid, uint16_t tclass, struct av_decision *avd)
{
	const struct context *s, *t;

	s = sidtab_search(&ss.cur->sidtab, ssid);
	t = sidtab_search(&ss.cur->sidtab, tsid);
	if (!s || !t || !policydb_class(&ss.cur->db, tclass)) {
		return -FLASK_EINVAL;
	}
	context_av(ss.cur, s, t, tclass, avd, 0);
	return 0;
}

int security_compute_av_raw(uint32_t ssid, uint32_t tsid, uint16_t tclass, struct av_decision *avd)
{
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	avd->seqno = security_seqno_value;
	if (!ss.cur) {
		avd_allow_all(avd);
	} else {
		rc = ss_compute_av_locked(ssid, tsid, tclass, avd);
	}
	ss_lock_release();
	return rc;
}

int security_compute_av(uint32_t ssid, uint32_t tsid, uint16_t tclass, struct av_decision *avd)
{
	const struct classmap_class *cc;
	bool allow_unknown;
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	avd->seqno = security_seqno_value;
	if (!ss.cur) {
		/* Early boot, before any policy: Xen and Linux allow everything. */
		avd_allow_all(avd);
		goto out;
	}
	if (!ss.map_set) {
		rc = ss_compute_av_locked(ssid, tsid, tclass, avd);
		goto out;
	}
	allow_unknown = ss.cur->db.handle_unknown == HANDLE_UNKNOWN_ALLOW;
	if (tclass == 0 || tclass > ss.cur->map.nclasses) {
		rc = -FLASK_EINVAL;
		goto out;
	}
	cc = &ss.cur->map.classes[tclass];
	if (!cc->value) {
		if (!sidtab_search(&ss.cur->sidtab, ssid) ||
		    !sidtab_search(&ss.cur->sidtab, tsid)) {
			rc = -FLASK_EINVAL;
			goto out;
		}
		avd->allowed = allow_unknown ? 0xffffffffu : 0;
		avd->auditallow = 0;
		avd->auditdeny = 0xffffffffu;
		avd->flags = 0;
		goto out;
	}
	rc = ss_compute_av_locked(ssid, tsid, cc->value, avd);
	if (!rc) {
		classmap_decision_to_embedder(cc, avd, allow_unknown);
	}
out:
	ss_lock_release();
	return rc;
}

/* ---- new contexts ------------------------------------------------------ */

static int compute_sid_locked(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t specified,
			      uint32_t *out)
{
	const struct ss_policy *sp = ss.cur;
	const struct policydb *p = &sp->db;
	const struct class_datum *cls = policydb_class(p, tclass);
	const struct context *s, *t;
	const struct avtab_datum *datum = NULL;
	struct context newc;
	struct avtab_key key;
	bool is_process = sp->process_class && tclass == sp->process_class;
	int rc;

	s = sidtab_search(&sp->sidtab, ssid);
	t = sidtab_search(&sp->sidtab, tsid);
	if (!s || !t || !cls) {
		return -FLASK_EINVAL;
	}
	context_init(&newc);

	if (specified == AVTAB_MEMBER) {
		newc.user = t->user;
	} else {
		newc.user = cls->default_user == DEFAULT_TARGET ? t->user : s->user;
	}

	if (cls->default_role == DEFAULT_SOURCE) {
		newc.role = s->role;
	} else if (cls->default_role == DEFAULT_TARGET) {
		newc.role = t->role;
	} else {
		newc.role = is_process ? s->role : OBJECT_R_VAL;
	}

	if (cls->default_type == DEFAULT_SOURCE) {
		newc.type = s->type;
	} else if (cls->default_type == DEFAULT_TARGET) {
		newc.type = t->type;
	} else {
		newc.type = is_process ? s->type : t->type;
	}

	key.source_type = (uint16_t)s->type;
	key.target_type = (uint16_t)t->type;
	key.target_class = tclass;
	key.specified = (uint16_t)specified;
	datum = avtab_search(&p->te_avtab, &key);
	if (!datum) {
		const struct avtab_node *node;

		for (node = avtab_search_node(&p->te_cond_avtab, &key); node;
		     node = avtab_search_node_next(&p->te_cond_avtab, node, (uint16_t)specified)) {
			if (node->key.specified & AVTAB_ENABLED) {
				datum = &node->datum;
				break;
			}
		}
	}
	if (datum) {
		newc.type = datum->data;
	}

	if (specified == AVTAB_TRANSITION) {
		uint32_t role = policydb_role_trans(p, s->role, t->type, tclass);

		if (role) {
			newc.role = role;
		}
	}

	rc = mls_compute_sid(p, s, t, tclass, specified, sp->process_class, &newc);
	if (rc) {
		goto out;
	}
	if (!context_is_valid(p, &newc)) {
		/* libsepol (always enforcing) refuses to label with an invalid context. */
		rc = -FLASK_EACCES;
		goto out;
	}
	rc = sidtab_context_to_sid(&ss.cur->sidtab, &newc, out);
out:
	context_destroy(&newc);
	return rc;
}

static int compute_sid(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t specified,
		       uint32_t *out, bool mapped)
{
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	if (!ss.cur) {
		/* Before any policy, new objects keep the creator's label. */
		*out = ssid;
		goto out;
	}
	if (mapped && ss.map_set) {
		if (tclass == 0 || tclass > ss.cur->map.nclasses ||
		    !ss.cur->map.classes[tclass].value) {
			rc = -FLASK_EINVAL;
			goto out;
		}
		tclass = ss.cur->map.classes[tclass].value;
	}
	rc = compute_sid_locked(ssid, tsid, tclass, specified, out);
out:
	ss_lock_release();
	return rc;
}

int security_transition_sid(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out)
{
	return compute_sid(ssid, tsid, tclass, AVTAB_TRANSITION, out, true);
}

int security_member_sid(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out)
{
	return compute_sid(ssid, tsid, tclass, AVTAB_MEMBER, out, true);
}

int security_change_sid(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out)
{
	return compute_sid(ssid, tsid, tclass, AVTAB_CHANGE, out, true);
}

int security_transition_sid_raw(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out)
{
	return compute_sid(ssid, tsid, tclass, AVTAB_TRANSITION, out, false);
}

int security_member_sid_raw(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out)
{
	return compute_sid(ssid, tsid, tclass, AVTAB_MEMBER, out, false);
}

int security_change_sid_raw(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out)
{
	return compute_sid(ssid, tsid, tclass, AVTAB_CHANGE, out, false);
}

/* ---- SIDs and contexts ------------------------------------------------- */

int security_context_to_sid(const char *scontext, size_t len, uint32_t *sid)
{
	struct context c;
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	if (!ss.cur) {
		rc = -FLASK_EINVAL;
		goto out;
	}
	rc = context_from_string(&ss.cur->db, scontext, len, &c, NULL, 0);
	if (rc) {
		goto out;
	}
	rc = sidtab_context_to_sid(&ss.cur->sidtab, &c, sid);
	context_destroy(&c);
out:
	ss_lock_release();
	return rc;
}

int security_context_check(const char *scontext, size_t len, char *why, size_t whylen)
{
	struct context c;
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	if (!ss.cur) {
		if (why && whylen) {
			snprintf(why, whylen, "no policy loaded");
		}
		rc = -FLASK_EINVAL;
		goto out;
	}
	rc = context_from_string(&ss.cur->db, scontext, len, &c, why, whylen);
	if (!rc) {
		context_destroy(&c);
	}
out:
	ss_lock_release();
	return rc;
}

int security_context_valid(const char *scontext, size_t len)
{
	return security_context_check(scontext, len, NULL, 0);
}

int security_sid_to_context(uint32_t sid, char *buf, size_t size, size_t *len)
{
	const struct context *c;
	struct strbuf sb;
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	if (!ss.cur) {
		rc = -FLASK_EINVAL;
		goto out;
	}
	c = sidtab_search(&ss.cur->sidtab, sid);
	if (!c) {
		rc = -FLASK_EINVAL;
		goto out;
	}
	strbuf_init(&sb, buf, size);
	context_to_strbuf(&ss.cur->db, c, &sb);
	if (len) {
		*len = sb.len;
	}
	if (!strbuf_ok(&sb)) {
		rc = -FLASK_ERANGE;
	}
out:
	ss_lock_release();
	return rc;
}
