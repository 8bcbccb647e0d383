/*
 * The xsm_op hypercall with Xen's flask_op interface (version 1). Each
 * sub-op decodes its part of the struct, checks its security-class
 * permission (the caller on security_t), then acts. Strings travel as
 * (guest address, size) with size counting the NUL; a result that does not
 * fit the caller's buffer answers -ERANGE with the size it needs.
 */
#include <xsm/flask/flask.h>

#include <flask/avc.h>
#include <flask/security.h>
#include <xsm/xsm.h>

#include <console.h>
#include <domain.h>
#include <event.h>
#include <guest_access.h>
#include <heap.h>
#include <lib.h>
#include <public/errno.h>
#include <public/flask_op.h>
#include <public/xen.h>

/* Largest policy FLASK_LOAD accepts, and longest context or name string. */
#define FLASK_LOAD_MAX (16UL << 20)
#define FLASK_STRING_MAX PAGE_SIZE

static int has_security(uint32_t perm)
{
	return flask_has_perm(flask_current_sid(), flask_security_sid(), SECCLASS_security, perm,
			      flask_current_domid(), FLASK_NO_DOMID);
}

/* Copies a NUL-terminated string of size bytes (NUL included) into *out. */
static int copyin_string(uint64_t gva, uint32_t size, char **out)
{
	char *buf;
	int rc;

	if (size == 0 || size > FLASK_STRING_MAX) {
		return size == 0 ? -EMSGSIZE : -ENOENT;
	}
	buf = xmalloc(size);
	if (!buf) {
		return -ENOMEM;
	}
	rc = copy_from_guest(buf, gva, size);
	if (rc) {
		goto fail;
	}
	if (buf[size - 1] != '\0' || strnlen(buf, size) != size - 1) {
		rc = -EMSGSIZE;
		goto fail;
	}
	*out = buf;
	return 0;
fail:
	xfree(buf);
	return rc;
}

/* Copies str out if it fits size; *size gets the size it needs (NUL included). */
static int copyout_string(uint64_t gva, uint32_t *size, const char *str)
{
	size_t need = strlen(str) + 1;
	uint32_t have = *size;

	*size = (uint32_t)need;
	if (need > have) {
		return -ERANGE;
	}
	return copy_to_guest(gva, str, need);
}

/*
 * The host builds of this file (xsm-unit, hook-report) have no event
 * channels: there every port is invalid. The hypervisor links the real one.
 */
__attribute__((weak)) int evtchn_with_peer(struct domain *d, uint32_t port,
					   void (*fn)(struct domain *peer, void *arg), void *arg)
{
	return -EINVAL;
}

static void peer_sid(struct domain *peer, void *arg)
{
	*(uint32_t *)arg = flask_domain_sid(peer);
}

/*
 * The label of the domain at the other end of one of the caller's
 * interdomain ports (Xen's flask_get_peer_sid), read under the caller's
 * channel lock: -EINVAL for any other port.
 */
static long op_get_peer_sid(struct xen_flask_peersid *p)
{
	if (!current) {
		return -EINVAL;
	}
	return evtchn_with_peer(current->domain, p->evtchn, peer_sid, &p->sid);
}
static long op_load(struct xen_flask_load *arg)
{
	char why[160];
	void *buf;
	long rc;

	rc = has_security(FP(security, load_policy));
	if (rc) {
		return rc;
	}
	if (arg->size == 0 || arg->size > FLASK_LOAD_MAX) {
		return -EINVAL;
	}
	buf = xmalloc(arg->size);
	if (!buf) {
		return -ENOMEM;
	}
	rc = copy_from_guest(buf, arg->buffer, arg->size);
	if (!rc) {
		rc = flask_load_policy(buf, arg->size, why, sizeof(why));
		if (rc) {
			printk("FLASK: policy load refused (%s); the old policy stays\n", why);
		} else {
			printk("FLASK: policy loaded (%u bytes, version %u)\n", arg->size,
			       security_policyvers());
		}
	}
	xfree(buf);
	return rc;
}

static long op_setenforce(struct xen_flask_setenforce *arg)
{
	long rc = has_security(FP(security, setenforce));

	if (rc) {
		return rc;
	}
	if (!flask_active()) {
		return -EINVAL;
	}
	security_set_enforcing(arg->enforcing != 0);
	return 0;
}

static long op_context_to_sid(struct xen_flask_sid_context *arg)
{
	char *ctx;
	long rc = has_security(FP(security, check_context));

	if (rc) {
		return rc;
	}
	rc = copyin_string(arg->context, arg->size, &ctx);
	if (rc) {
		return rc;
	}
	rc = security_context_to_sid(ctx, arg->size - 1, &arg->sid);
	xfree(ctx);
	return rc;
}

static long op_sid_to_context(struct xen_flask_sid_context *arg)
{
	char small[256], *ctx = small;
	size_t len;
	long rc = has_security(FP(security, check_context));

	if (rc) {
		return rc;
	}
	rc = security_sid_to_context(arg->sid, ctx, sizeof(small), &len);
	if (rc == -ERANGE) {
		ctx = xmalloc(len + 1);
		if (!ctx) {
			return -ENOMEM;
		}
		rc = security_sid_to_context(arg->sid, ctx, len + 1, &len);
	}
	if (!rc) {
		rc = copyout_string(arg->context, &arg->size, ctx);
	}
	if (ctx != small) {
		xfree(ctx);
	}
	return rc;
}

static long op_access(struct xen_flask_access *arg)
{
	struct av_decision avd;
	long rc = has_security(FP(security, compute_av));

	if (rc) {
		return rc;
	}
	if (arg->tclass == 0 || arg->tclass > 0xffff) {
		return -EINVAL;
	}
	/* The policy's own class numbering: the caller asks about the policy. */
	rc = security_compute_av_raw(arg->ssid, arg->tsid, (uint16_t)arg->tclass, &avd);
	if (rc) {
		return rc;
	}
	arg->allowed = avd.allowed;
	arg->audit_allow = avd.auditallow;
	arg->audit_deny = avd.auditdeny;
	arg->seqno = avd.seqno;
	return 0;
}

static long op_transition(uint32_t cmd, struct xen_flask_transition *arg)
{
	uint32_t perm;
	long rc;

	switch (cmd) {
	case FLASK_CREATE:
		perm = FP(security, compute_create);
		break;
	case FLASK_RELABEL:
		perm = FP(security, compute_relabel);
		break;
	default:
		perm = FP(security, compute_member);
		break;
	}
	rc = has_security(perm);
	if (rc) {
		return rc;
	}
	if (arg->tclass == 0 || arg->tclass > 0xffff) {
		return -EINVAL;
	}
	switch (cmd) {
	case FLASK_CREATE:
		return security_transition_sid_raw(arg->ssid, arg->tsid, (uint16_t)arg->tclass,
						   &arg->newsid);
	case FLASK_RELABEL:
		return security_change_sid_raw(arg->ssid, arg->tsid, (uint16_t)arg->tclass,
					       &arg->newsid);
	default:
		return security_member_sid_raw(arg->ssid, arg->tsid, (uint16_t)arg->tclass,
					       &arg->newsid);
	}
}

/* bool_id ~0: look the boolean up by its name. */
static long bool_resolve(struct xen_flask_boolean *arg)
{
	char *name;
	long rc;

	if (arg->bool_id != ~0u) {
		return 0;
	}
	rc = copyin_string(arg->name, arg->size, &name);
	if (rc) {
		return rc;
	}
	rc = security_find_bool(name);
	xfree(name);
	if (rc < 0) {
		return rc;
	}
	arg->bool_id = (uint32_t)rc;
	return 0;
}

static long op_getbool(struct xen_flask_boolean *arg)
{
	int cur, pending;
	char name[128];
	long rc = bool_resolve(arg);

	if (rc) {
		return rc;
	}
	rc = security_get_bool_value((int)arg->bool_id, &cur, &pending);
	if (rc) {
		return rc;
	}
	arg->enforcing = (uint8_t)cur;
	arg->pending = (uint8_t)pending;
	if (arg->name && arg->size) {
		rc = security_get_bool_name((int)arg->bool_id, name, sizeof(name));
		if (rc) {
			return rc;
		}
		return copyout_string(arg->name, &arg->size, name);
	}
	return 0;
}

/*
 * Sets and commits one boolean; the pending values of the others survive
 * (the server only commits all pending values at once, so the others are
 * parked at their current values around the commit).
 */
static int commit_one_bool(int id, int value)
{
	int n = security_get_bool_count(), i, cur, rc;
	int *saved = xzalloc_array(n > 0 ? (size_t)n : 1, sizeof(int));

	if (!saved) {
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		security_get_bool_value(i, &cur, &saved[i]);
		if (i != id) {
			security_set_bool(i, cur);
		}
	}
	rc = security_set_bool(id, value);
	if (!rc) {
		rc = security_commit_bools();
	}
	for (i = 0; i < n; i++) {
		if (i != id) {
			security_set_bool(i, saved[i]);
		}
	}
	xfree(saved);
	return rc;
}

static long op_setbool(struct xen_flask_boolean *arg)
{
	int cur, pending;
	long rc = has_security(FP(security, setbool));

	if (rc) {
		return rc;
	}
	rc = bool_resolve(arg);
	if (rc) {
		return rc;
	}
	rc = security_get_bool_value((int)arg->bool_id, &cur, &pending);
	if (rc) {
		return rc;
	}
	if (arg->commit) {
		rc = commit_one_bool((int)arg->bool_id, arg->new_value != 0);
		if (!rc) {
			arg->enforcing = arg->pending = arg->new_value ? 1 : 0;
		}
		return rc;
	}
	rc = security_set_bool((int)arg->bool_id, arg->new_value);
	arg->enforcing = (uint8_t)cur;
	arg->pending = arg->new_value ? 1 : 0;
	return rc;
}

static long op_commitbools(void)
{
	long rc = has_security(FP(security, setbool));

	return rc ? rc : security_commit_bools();
}

static long op_setavc_threshold(struct xen_flask_setavc_threshold *arg)
{
	long rc = has_security(FP(security, setsecparam));

	return rc ? rc : avc_set_threshold(arg->threshold);
}

static long op_hash_stats(struct xen_flask_hash_stats *arg)
{
	avc_get_hash_stats(&arg->entries, &arg->buckets_used, &arg->max_chain_len);
	arg->buckets_total = AVC_CACHE_SLOTS;
	return 0;
}

static long op_cache_stats(struct xen_flask_cache_stats *arg)
{
	struct avc_cache_stats st;
	long rc;

	/* As Xen: one CPU's counters; a CPU that is not online is -ENOENT. */
	rc = flask_avc_cpu_stats(arg->cpu, &st);
	if (rc) {
		return rc;
	}
	arg->lookups = (uint32_t)st.lookups;
	arg->hits = (uint32_t)st.hits;
	arg->misses = (uint32_t)st.misses;
	arg->allocations = (uint32_t)st.allocations;
	arg->reclaims = (uint32_t)st.reclaims;
	arg->frees = (uint32_t)st.frees;
	return 0;
}

static long op_ocontext(uint32_t cmd, struct xen_flask_ocontext *arg)
{
	long rc;

	if (cmd == FLASK_ADD_OCONTEXT) {
		rc = has_security(FP(security, add_ocontext));
		if (!rc && !flask_sid_valid(arg->sid)) {
			rc = -EINVAL;
		}
		return rc ? rc : flask_ocon_add(arg->ocon, arg->sid, arg->low, arg->high, NULL);
	}
	rc = has_security(FP(security, del_ocontext));
	return rc ? rc : flask_ocon_del(arg->ocon, arg->low, arg->high, NULL);
}

static long op_devicetree_label(struct xen_flask_devicetree_label *arg)
{
	char *path;
	long rc;

	rc = has_security(arg->sid ? FP(security, add_ocontext) : FP(security, del_ocontext));
	if (rc) {
		return rc;
	}
	if (arg->sid && !flask_sid_valid(arg->sid)) {
		return -EINVAL;
	}
	rc = copyin_string(arg->path, arg->length, &path);
	if (rc) {
		return rc;
	}
	if (arg->sid) {
		rc = flask_ocon_add(FLASK_OCON_DTREE, arg->sid, 0, 0, path);
	} else {
		rc = flask_ocon_del(FLASK_OCON_DTREE, 0, 0, path);
	}
	xfree(path);
	return rc;
}

/*
 * Relabelling a domain: itself (domain2:relabelself), or another one
 * (relabelfrom its old label, relabelto the new one); the old label must
 * be allowed to become the new one (domain:transition).
 */
static long op_relabel_domain(struct xen_flask_relabel *arg)
{
	struct domain *d;
	struct domain_security *dsec;
	uint32_t old;
	long rc;

	if (!flask_active()) {
		return -EINVAL;
	}
	d = domain_lookup((domid_t)arg->domid);
	if (!d) {
		return -ESRCH;
	}
	if (!flask_sid_valid(arg->sid)) {
		return -EINVAL;
	}
	old = flask_domain_sid(d);
	if (current && d == current->domain) {
		rc = flask_has_perm(old, arg->sid, SECCLASS_domain2, FP(domain2, relabelself),
				    d->domain_id, d->domain_id);
	} else {
		rc = flask_has_perm(flask_current_sid(), old, SECCLASS_domain2,
				    FP(domain2, relabelfrom), flask_current_domid(), d->domain_id);
		if (!rc) {
			rc = flask_has_perm(flask_current_sid(), arg->sid, SECCLASS_domain2,
					    FP(domain2, relabelto), flask_current_domid(),
					    d->domain_id);
		}
	}
	if (!rc) {
		rc = flask_has_perm(old, arg->sid, SECCLASS_domain, FP(domain, transition),
				    d->domain_id, d->domain_id);
	}
	if (rc) {
		return rc;
	}
	/* A domain built before its blob existed gets it now. */
	dsec = flask_dsec(d);
	if (!dsec) {
		return -ENOMEM;
	}
	dsec->sid = arg->sid;
	dsec->self_sid = SECSID_NULL; /* recomputed on first use */
	flask_dsec_forget(dsec);
	return 0;
}

/* Answer -ENOSYS for a sub-op Xen removed or never had. */
long flask_do_op(uint64_t uop)
{
	struct xen_flask_op op;
	long rc;
	bool copy_back = false;

	if (copy_from_guest(&op, uop, sizeof(op))) {
		return -EFAULT;
	}
	if (op.interface_version != XEN_FLASK_INTERFACE_VERSION) {
		return -ENOSYS;
	}
	switch (op.cmd) {
	case FLASK_LOAD:
		rc = op_load(&op.u.load);
		break;
	case FLASK_GETENFORCE:
		rc = security_get_enforcing() ? 1 : 0;
		break;
	case FLASK_SETENFORCE:
		rc = op_setenforce(&op.u.enforce);
		break;
	case FLASK_CONTEXT_TO_SID:
		rc = op_context_to_sid(&op.u.sid_context);
		copy_back = true;
		break;
	case FLASK_SID_TO_CONTEXT:
		rc = op_sid_to_context(&op.u.sid_context);
		copy_back = rc == 0 || rc == -ERANGE;
		break;
	case FLASK_ACCESS:
		rc = op_access(&op.u.access);
		copy_back = true;
		break;
	case FLASK_CREATE:
	case FLASK_RELABEL:
	case FLASK_MEMBER:
		rc = op_transition(op.cmd, &op.u.transition);
		copy_back = true;
		break;
	case FLASK_POLICYVERS:
		rc = 30; /* the newest policy format this server reads */
		break;
	case FLASK_GETBOOL:
		rc = op_getbool(&op.u.boolean);
		copy_back = rc == 0 || rc == -ERANGE;
		break;
	case FLASK_SETBOOL:
		rc = op_setbool(&op.u.boolean);
		copy_back = true;
		break;
	case FLASK_COMMITBOOLS:
		rc = op_commitbools();
		break;
	case FLASK_MLS:
		rc = security_mls_enabled() ? 1 : 0;
		break;
	case FLASK_GETAVC_THRESHOLD:
		rc = avc_get_threshold();
		break;
	case FLASK_SETAVC_THRESHOLD:
		rc = op_setavc_threshold(&op.u.setavc_threshold);
		break;
	case FLASK_AVC_HASHSTATS:
		rc = op_hash_stats(&op.u.hash_stats);
		copy_back = true;
		break;
	case FLASK_AVC_CACHESTATS:
		rc = op_cache_stats(&op.u.cache_stats);
		copy_back = true;
		break;
	case FLASK_ADD_OCONTEXT:
	case FLASK_DEL_OCONTEXT:
		rc = op_ocontext(op.cmd, &op.u.ocontext);
		break;
	case FLASK_GET_PEER_SID:
		rc = op_get_peer_sid(&op.u.peersid);
		copy_back = true;
		break;
	case FLASK_RELABEL_DOMAIN:
		rc = op_relabel_domain(&op.u.relabel);
		break;
	case FLASK_DEVICETREE_LABEL:
		rc = op_devicetree_label(&op.u.devicetree_label);
		break;
	case FLASK_USER:
	case FLASK_DISABLE:
	default:
		return -ENOSYS;
	}
	if (copy_back && copy_to_guest(uop, &op, sizeof(op))) {
		return -EFAULT;
	}
	return rc;
}
