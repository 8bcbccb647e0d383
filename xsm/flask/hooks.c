/*
 * The FLASK XSM module: every hook becomes one or more access checks, with
 * Xen's classes and permissions (xsm/flask/classes.h). The source of a
 * check is the calling domain unless the hook names another one; "xen" as
 * a target is the hypervisor's initial SID (xen_t).
 */
#include <xsm/flask/flask.h>

#include <flask/security.h>
#include <xsm/xsm.h>

#include <domain.h>
#include <event.h>
#include <heap.h>
#include <public/arch_x86_64.h>
#include <public/errno.h>
#include <public/grant_table.h>
#include <public/version.h>
#include <public/xen.h>

static uint16_t domid_of(const struct domain *d)
{
	return d ? d->domain_id : FLASK_NO_DOMID;
}

static const struct domain *cur_dom(void)
{
	return current ? current->domain : NULL;
}

/*
 * The per-domain decision of class cls covers perms under the current
 * policy: the word's low half is the sequence number, its high half the
 * permissions that do NOT pass quietly (a compare and a test, no shifts
 * or complements on the hit path).
 */
static inline __attribute__((always_inline)) bool dsec_ok(const uint64_t *dec, uint16_t cls,
							  uint32_t perms)
{
	uint64_t d = __atomic_load_n(&dec[cls], __ATOMIC_ACQUIRE);

	return (uint32_t)d == __atomic_load_n(&security_seqno_value, __ATOMIC_ACQUIRE) &&
	       !(perms & (uint32_t)(d >> 32));
}

/*
 * After a clean allow, copy the decision for (ssid, tsid, cls) from this
 * CPU's front cache into a domain's per-class word: number and decision
 * in one store, so another CPU reads both or neither.
 */
static void dsec_remember(uint64_t *dec, uint32_t ssid, uint32_t tsid, uint16_t cls)
{
	const struct avc_front_entry *e =
	    avc_front_slot(&avc_cpus[flask_hook_cpu()], ssid, tsid, cls);

	if (e->ssid != ssid || e->tsid != tsid || e->tclass != cls ||
	    e->seqno != security_seqno()) {
		return;
	}
	__atomic_store_n(&dec[cls], ((uint64_t)~e->quiet << 32) | e->seqno, __ATOMIC_RELEASE);
}

/* Domain s on domain t (on itself: its _self label). */
static __attribute__((noinline)) int dom_has_slow(const struct domain *s, const struct domain *t,
						  uint16_t cls, uint32_t perms)
{
	uint32_t ssid = flask_domain_sid(s), tsid = flask_target_sid(s, t);
	int rc = flask_has_perm(ssid, tsid, cls, perms, domid_of(s), domid_of(t));
	struct domain_security *dsec = s ? s->ssid : NULL;

	if (!rc && dsec && s == t) {
		dsec_remember(dsec->self_dec, ssid, tsid, cls);
	}
	return rc;
}

static inline __attribute__((always_inline)) int
dom_has(const struct domain *s, const struct domain *t, uint16_t cls, uint32_t perms)
{
	const struct domain_security *dsec = s ? s->ssid : NULL;

	if (__builtin_expect(s == t && dsec && dsec_ok(dsec->self_dec, cls, perms), 1)) {
		/* Not an AVC lookup: FLASK_AVC_CACHESTATS does not count it (xsm/README.md). */
		return 0;
	}
	return dom_has_slow(s, t, cls, perms);
}

/* The calling domain on d (on itself: its _self label). */
static int cur_has(const struct domain *d, uint16_t cls, uint32_t perms)
{
	if (current && d == current->domain && flask_boot_is_done) {
		return dom_has(d, d, cls, perms);
	}
	return flask_has_perm(flask_current_sid(), flask_target_sid(cur_dom(), d), cls, perms,
			      flask_current_domid(), domid_of(d));
}

/* The calling domain on the hypervisor. */
static __attribute__((noinline)) int cur_has_xen_slow(uint16_t cls, uint32_t perms)
{
	uint32_t ssid = flask_current_sid();
	int rc =
	    flask_has_perm(ssid, FLASK_ISID_XEN, cls, perms, flask_current_domid(), FLASK_NO_DOMID);
	struct domain_security *dsec = current ? current->domain->ssid : NULL;

	if (!rc && dsec && flask_boot_is_done) {
		dsec_remember(dsec->xen_dec, ssid, FLASK_ISID_XEN, cls);
	}
	return rc;
}

static inline __attribute__((always_inline)) int cur_has_xen(uint16_t cls, uint32_t perms)
{
	const struct domain_security *dsec = current ? current->domain->ssid : NULL;

	if (__builtin_expect(dsec && dsec_ok(dsec->xen_dec, cls, perms), 1)) {
		/* Not an AVC lookup: FLASK_AVC_CACHESTATS does not count it (xsm/README.md). */
		return 0;
	}
	return cur_has_xen_slow(cls, perms);
}

/* The calling domain on an object with SID tsid. */
static int cur_has_sid(uint32_t tsid, uint16_t cls, uint32_t perms)
{
	return flask_has_perm(flask_current_sid(), tsid, cls, perms, flask_current_domid(),
			      FLASK_NO_DOMID);
}

static int flask_alloc_security_domain(struct domain *d)
{
	struct domain_security *dsec;

	if (d->ssid) {
		return 0;
	}
	dsec = flask_dsec_alloc(d);
	if (!dsec) {
		return -ENOMEM;
	}
	d->ssid = dsec;
	return 0;
}

static int flask_free_security_domain(struct domain *d)
{
	if (d->ssid) {
		flask_dsec_free(d->ssid);
	}
	d->ssid = NULL;
	return 0;
}

static int flask_security_context_to_sid(const char *ctx, uint32_t *sid)
{
	return security_context_to_sid(ctx, strlen(ctx), sid) ? -EINVAL : 0;
}

static int flask_alloc_security_evtchn(struct domain *d, struct evtchn *chn)
{
	return 0;
}

static int flask_free_security_evtchn(struct evtchn *chn)
{
	return 0;
}

/*
 * dom0's label belongs to one domain: the policy language cannot say
 * "singleton", so the module does, as Xen 4.17's FLASK does for dom0_t.
 * Taken by the first domain created under it, or by the boot before the
 * boot-time domUs when a dom0 will follow them.
 */
static bool dom0_label_taken;

static bool is_dom0_label(uint32_t sid)
{
	return sid == FLASK_ISID_DOM0 || sid == flask_dom0_sid();
}

static int flask_dom0_label_reserve(void)
{
	dom0_label_taken = true;
	return 0;
}

static int flask_domain_create(struct domain *d, uint32_t ssidref)
{
	struct domain_security *dsec = d->ssid;
	uint32_t sid = ssidref ? ssidref : flask_domain_sid(d);
	int rc = cur_has_sid(sid, SECCLASS_domain, FP(domain, create));

	if (rc || !dsec) {
		return rc;
	}
	/* After the creator's right, as Xen: a second dom0 label is -EINVAL. */
	if (is_dom0_label(sid)) {
		if (dom0_label_taken) {
			return -EINVAL;
		}
		dom0_label_taken = true;
	}
	dsec->sid = sid;
	dsec->self_sid = SECSID_NULL; /* recomputed on first use */
	flask_dsec_forget(dsec);
	return 0;
}

static int flask_domain_relabel(struct domain *d, uint32_t ssidref)
{
	uint32_t old = flask_domain_sid(d), cur = flask_current_sid();
	uint16_t src = flask_current_domid();
	struct domain_security *dsec;
	int rc;

	if (!flask_active() || !flask_sid_valid(ssidref)) {
		return -EINVAL;
	}
	rc =
	    flask_has_perm(cur, old, SECCLASS_domain2, FP(domain2, relabelfrom), src, d->domain_id);
	if (!rc) {
		rc = flask_has_perm(cur, ssidref, SECCLASS_domain2, FP(domain2, relabelto), src,
				    d->domain_id);
	}
	if (!rc) {
		/* Audited as Xen does: one record, the relabelling caller as source. */
		rc = flask_has_perm(old, ssidref, SECCLASS_domain, FP(domain, transition), src,
				    d->domain_id);
	}
	if (!rc && is_dom0_label(ssidref) && dom0_label_taken) {
		rc = -EINVAL;
	}
	if (rc) {
		return rc;
	}
	dsec = flask_dsec(d);
	if (!dsec) {
		return -ENOMEM;
	}
	if (is_dom0_label(ssidref)) {
		dom0_label_taken = true;
	}
	dsec->sid = ssidref;
	dsec->self_sid = SECSID_NULL; /* recomputed on first use */
	flask_dsec_forget(dsec);
	return 0;
}

static int flask_domain_destroy(struct domain *d)
{
	return cur_has(d, SECCLASS_domain, FP(domain, destroy));
}

static int flask_domain_pause(struct domain *d)
{
	return cur_has(d, SECCLASS_domain, FP(domain, pause));
}

static int flask_domain_unpause(struct domain *d)
{
	return cur_has(d, SECCLASS_domain, FP(domain, unpause));
}

static int flask_getdomaininfo(struct domain *d)
{
	return cur_has(d, SECCLASS_domain, FP(domain, getdomaininfo));
}

static int flask_set_target(struct domain *d, struct domain *e)
{
	struct domain_security *dsec = d->ssid;
	int rc = cur_has(d, SECCLASS_domain2, FP(domain2, make_priv_for));

	if (!rc) {
		rc = cur_has(e, SECCLASS_domain2, FP(domain2, set_as_target));
	}
	if (!rc) {
		rc = dom_has(d, e, SECCLASS_domain, FP(domain, set_target));
	}
	/* What d sees of e from now on: type_transition e d:domain (e.g. domU_t_target). */
	if (!rc && dsec) {
		uint32_t tsid;

		rc = security_transition_sid(flask_domain_sid(e), flask_domain_sid(d),
					     SECCLASS_domain, &tsid);
		if (!rc) {
			dsec->target = e;
			dsec->target_sid = tsid;
		}
	}
	return rc;
}

static int flask_domctl(struct domain *d, uint32_t cmd)
{
	switch (cmd) {
#define XSM_DOMCTL(name, nr, action, cls, perm, status)                                            \
	case nr:                                                                                   \
		return cur_has(d, SECCLASS_##cls, FP(cls, perm));
#define XSM_DOMCTL_BY(name, nr, action, hook, status)                                              \
	case nr:                                                                                   \
		return 0;
#include <xsm/domctl.def>
#undef XSM_DOMCTL
#undef XSM_DOMCTL_BY
	default:
		/* A sub-op missing from the list is refused, never guessed. */
		return -EPERM;
	}
}

static int flask_sysctl(uint32_t cmd)
{
	switch (cmd) {
#define XSM_SYSCTL(name, nr, cls, perm, status)                                                    \
	case nr:                                                                                   \
		return cur_has_xen(SECCLASS_##cls, FP(cls, perm));
#define XSM_SYSCTL_BY(name, nr, hook, status)                                                      \
	case nr:                                                                                   \
		return 0;
#include <xsm/sysctl.def>
#undef XSM_SYSCTL
#undef XSM_SYSCTL_BY
	default:
		return -EPERM;
	}
}

static int flask_readconsole(uint32_t clear)
{
	uint32_t perms = FP(xen, readconsole);

	if (clear) {
		perms |= FP(xen, clearconsole);
	}
	return cur_has_xen(SECCLASS_xen, perms);
}

static int flask_console_io(struct domain *d, int cmd)
{
	uint32_t perm;

	switch (cmd) {
	case CONSOLEIO_write:
		perm = FP(xen, writeconsole);
		break;
	case CONSOLEIO_read:
		perm = FP(xen, readconsole);
		break;
	default:
		return -EPERM;
	}
	return flask_has_perm(flask_domain_sid(d), FLASK_ISID_XEN, SECCLASS_xen, perm, domid_of(d),
			      FLASK_NO_DOMID);
}

/*
 * version permission of each XENVER_ sub-op; 0 for the ones every guest
 * needs (version, platform_parameters, get_features), which are not
 * checked. A table rather than a switch: this is the hottest hook.
 */
static const uint32_t xen_version_perm[] = {
    [XENVER_version] = 0,
    [XENVER_extraversion] = FP(version, xen_extraversion),
    [XENVER_compile_info] = FP(version, xen_compile_info),
    [XENVER_capabilities] = FP(version, xen_capabilities),
    [XENVER_changeset] = FP(version, xen_changeset),
    [XENVER_platform_parameters] = 0,
    [XENVER_get_features] = 0,
    [XENVER_pagesize] = FP(version, xen_pagesize),
    [XENVER_guest_handle] = FP(version, xen_guest_handle),
    [XENVER_commandline] = FP(version, xen_commandline),
    [XENVER_build_id] = FP(version, xen_build_id),
    [XENVER_extraversion2] = FP(version, xen_extraversion),
    [XENVER_capabilities2] = FP(version, xen_capabilities),
    [XENVER_changeset2] = FP(version, xen_changeset),
    [XENVER_commandline2] = FP(version, xen_commandline),
};

static int flask_xen_version(uint32_t cmd)
{
	uint32_t perm;

	if (cmd >= sizeof(xen_version_perm) / sizeof(xen_version_perm[0])) {
		return -EPERM;
	}
	perm = xen_version_perm[cmd];
	return perm ? cur_has_xen(SECCLASS_version, perm) : 0;
}

static int flask_memory_exchange(struct domain *d)
{
	return cur_has(d, SECCLASS_mmu, FP(mmu, exchange));
}

static int flask_memory_adjust_reservation(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_mmu, FP(mmu, adjust));
}

static int flask_memory_stat_reservation(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_mmu, FP(mmu, stat));
}

static int flask_memory_pin_page(struct domain *d1, struct domain *d2, uint64_t mfn)
{
	return dom_has(d1, d2, SECCLASS_mmu, FP(mmu, pinpage));
}

static int flask_add_to_physmap(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_mmu, FP(mmu, physmap));
}

static int flask_remove_from_physmap(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_mmu, FP(mmu, physmap));
}

static int flask_map_gmfn_foreign(struct domain *d, struct domain *t)
{
	return dom_has(d, t, SECCLASS_mmu, FP(mmu, map_read) | FP(mmu, map_write));
}

static int flask_claim_pages(struct domain *d)
{
	return cur_has(d, SECCLASS_domain2, FP(domain2, setclaim));
}

static int flask_domain_memory_map(struct domain *d)
{
	return cur_has(d, SECCLASS_mmu, FP(mmu, memorymap));
}

static int flask_machine_memory_map(void)
{
	return cur_has_xen(SECCLASS_mmu, FP(mmu, memorymap));
}

/* d updates a table of t (NULL: its own) so that it maps a page of f. */
static int flask_mmu_update(struct domain *d, struct domain *t, struct domain *f, uint32_t flags)
{
	uint32_t map_perms = 0;
	int rc = 0;

	if (t && d != t) {
		rc = dom_has(d, t, SECCLASS_mmu, FP(mmu, remote_remap));
		if (rc) {
			return rc;
		}
	}
	if (flags & XSM_MMU_UPDATE_READ) {
		map_perms |= FP(mmu, map_read);
	}
	if (flags & XSM_MMU_UPDATE_WRITE) {
		map_perms |= FP(mmu, map_write);
	}
	if (flags & XSM_MMU_MACHPHYS_UPDATE) {
		map_perms |= FP(mmu, updatemp);
	}
	if (map_perms && f) {
		rc = dom_has(d, f, SECCLASS_mmu, map_perms);
	}
	return rc;
}

static int flask_mmuext_op(struct domain *d, struct domain *f)
{
	return dom_has(d, f, SECCLASS_mmu, FP(mmu, mmuext_op));
}

static int flask_update_va_mapping(struct domain *d, struct domain *f, uint64_t pte)
{
	uint32_t perms = FP(mmu, map_read);

	if (!(pte & _PAGE_PRESENT)) {
		return 0;
	}
	if (pte & _PAGE_RW) {
		perms |= FP(mmu, map_write);
	}
	return dom_has(d, f, SECCLASS_mmu, perms);
}

static int flask_priv_mapping(struct domain *d, struct domain *t)
{
	return dom_has(d, t, SECCLASS_mmu, FP(mmu, target_hack));
}

/*
 * An event channel of a towards b is labelled by type_transition(a, the
 * label a sees b by, event), as Xen's domain_target_sid (a loopback sees
 * a's _self label): the caller must be allowed to create it, and it must
 * be allowed to bind to that label.
 */
static int evtchn_new(const struct domain *a, const struct domain *b, uint32_t *sid)
{
	uint32_t newsid, bsid;
	int rc;

	*sid = 0;
	if (!flask_active()) {
		return 0;
	}
	bsid = flask_target_sid(a, b);
	rc = security_transition_sid(flask_domain_sid(a), bsid, SECCLASS_event, &newsid);
	if (rc) {
		return rc;
	}
	rc = cur_has_sid(newsid, SECCLASS_event, FP(event, create));
	if (!rc) {
		rc = flask_has_perm(newsid, bsid, SECCLASS_event, FP(event, bind), domid_of(a),
				    domid_of(b));
	}
	if (!rc) {
		*sid = newsid;
	}
	return rc;
}

static int channel_sid(const struct domain *d, const struct evtchn *chn, uint32_t *sid);

static int flask_evtchn_unbound(struct domain *d, struct evtchn *chn, uint16_t id2)
{
	struct domain *d2 = domain_lookup(id2);

	uint32_t sid;
	int rc;

	/* As Xen: a remote domain that does not exist is -EPERM, not -ESRCH. */
	if (!d2) {
		return -EPERM;
	}
	rc = evtchn_new(d, d2, &sid);
	/* chn is NULL only when hook-report asks which checks the hook makes. */
	if (chn) {
		chn->ssid = sid;
	}
	return rc;
}

static int flask_evtchn_interdomain(struct domain *d1, struct evtchn *chn1, struct domain *d2,
				    struct evtchn *chn2)
{
	uint32_t sid1, sid2;
	int rc = evtchn_new(d1, d2, &sid1);

	if (chn1) {
		chn1->ssid = sid1;
	}
	if (!rc && flask_active()) {
		/*
		 * The remote end, by the label it got when it was offered, must be
		 * allowed to bind to us (as Xen: d2 may have been relabelled since).
		 */
		rc = channel_sid(d2, chn2, &sid2);
		if (!rc) {
			rc = flask_has_perm(sid2, flask_target_sid(d2, d1), SECCLASS_event,
					    FP(event, bind), domid_of(d2), domid_of(d1));
		}
	}
	return rc;
}

/*
 * A VIRQ or IPI channel links the domain to itself (Xen raises a VIRQ on
 * the domain's behalf): labelled like a loopback channel, by the
 * transition from the domain to its own _self label.
 */
static int self_channel_sid(const struct domain *d, uint32_t *sid)
{
	return security_transition_sid(flask_domain_sid(d), flask_domain_self_sid(d),
				       SECCLASS_event, sid);
}

static int flask_evtchn_virq(struct domain *d, uint32_t virq)
{
	uint32_t newsid;
	int rc;

	if (!flask_active()) {
		return 0;
	}
	rc = self_channel_sid(d, &newsid);
	if (rc) {
		return rc;
	}
	return cur_has_sid(newsid, SECCLASS_event, FP(event, create));
}

/* The label stored at creation; channels made without a hook get the self-channel label. */
static int channel_sid(const struct domain *d, const struct evtchn *chn, uint32_t *sid)
{
	if (chn && chn->ssid) {
		*sid = chn->ssid;
		return 0;
	}
	return self_channel_sid(d, sid);
}

/*
 * The full check of a send on a connected interdomain channel (or, with no
 * channel, on the self-channel label). A clean allow (no audit, as the
 * front cache holds it) is memoised in the channel under the policy
 * sequence number it was decided under.
 */
static int __attribute__((noinline)) evtchn_send_check(struct domain *d, struct evtchn *chn)
{
	uint32_t ssid = flask_domain_sid(d), sid, seqno;
	int rc;

	if (!flask_active()) {
		return 0;
	}
	rc = channel_sid(d, chn, &sid);
	if (rc) {
		return rc;
	}
	seqno = security_seqno();
	rc = flask_has_perm(ssid, sid, SECCLASS_event, FP(event, send), domid_of(d), domid_of(d));
	if (!rc && chn && chn->ssid == sid && ssid &&
	    avc_front_quiet(&avc_cpus[flask_hook_cpu()], ssid, sid, SECCLASS_event,
			    FP(event, send)) &&
	    security_seqno() == seqno) {
		chn->send_ok_ssid = ssid;
		chn->send_ok_tsid = sid;
		chn->send_ok_seqno = seqno;
	}
	return rc;
}

/*
 * As in Xen: only a connected interdomain channel needs send; IPIs and
 * unbound ports do not. The hot path of every event: a send the channel's
 * memo still answers (same sender label, same channel label, no policy
 * load, boolean commit or enforcing change since) costs three compares.
 */
static int flask_evtchn_send(struct domain *d, struct evtchn *chn)
{
	if (chn && chn->state != ECS_INTERDOMAIN) {
		return 0;
	}
	if (chn && chn->send_ok_ssid && chn->send_ok_ssid == flask_domain_sid(d) &&
	    chn->send_ok_tsid == chn->ssid &&
	    chn->send_ok_seqno == __atomic_load_n(&security_seqno_value, __ATOMIC_ACQUIRE)) {
		avc_count_fast_hit(flask_hook_cpu());
		return 0;
	}
	return evtchn_send_check(d, chn);
}

static int flask_evtchn_status(struct domain *d, struct evtchn *chn)
{
	uint32_t sid;
	int rc;

	if (!flask_active()) {
		return 0;
	}
	rc = channel_sid(d, chn, &sid);
	if (rc) {
		return rc;
	}
	return flask_has_perm(flask_current_sid(), sid, SECCLASS_event, FP(event, status),
			      flask_current_domid(), domid_of(d));
}

static int flask_evtchn_close(struct domain *d, struct evtchn *chn)
{
	return 0;
}

static int flask_evtchn_reset(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_event, FP(event, reset));
}

static int flask_grant_setup(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_grant, FP(grant, setup));
}

static int flask_grant_mapref(struct domain *d1, struct domain *d2, uint32_t flags)
{
	uint32_t perms = FP(grant, map_read);

	if (!(flags & GNTMAP_readonly)) {
		perms |= FP(grant, map_write);
	}
	return dom_has(d1, d2, SECCLASS_grant, perms);
}

static int flask_grant_unmapref(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_grant, FP(grant, unmap));
}

static int flask_grant_copy(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_grant, FP(grant, copy));
}

static int flask_grant_transfer(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_grant, FP(grant, transfer));
}

static int flask_grant_query_size(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_grant, FP(grant, query));
}

static int flask_schedop_shutdown(struct domain *d1, struct domain *d2)
{
	return dom_has(d1, d2, SECCLASS_domain, FP(domain, shutdown));
}

/*
 * Giving d a range of resources: the caller needs resource:add (or remove)
 * on d, and add_X (remove_X) on every label inside the range; d needs
 * resource:use on each. Labels come from the policy's object contexts;
 * consecutive units with the same label are checked once.
 */
#define RANGE_MAX_UNITS 0x10000ULL

static int resource_range(struct domain *d, uint64_t s, uint64_t e, bool allow,
			  int (*sid_of)(uint64_t unit, uint32_t *sid), uint32_t add,
			  uint32_t remove)
{
	uint32_t last = SECSID_NULL, sid;
	uint64_t u;
	int rc;

	if (e < s) {
		return -EINVAL;
	}
	rc = cur_has(d, SECCLASS_resource, allow ? FP(resource, add) : FP(resource, remove));
	if (rc || !flask_active()) {
		return rc;
	}
	/* Bounded work per call: a bigger range is split by the caller. */
	if (e - s >= RANGE_MAX_UNITS) {
		return -E2BIG;
	}
	for (u = s; u <= e; u++) {
		rc = sid_of(u, &sid);
		if (rc) {
			return rc;
		}
		if (sid == last) {
			continue;
		}
		last = sid;
		rc = cur_has_sid(sid, SECCLASS_resource, allow ? add : remove);
		if (!rc && allow) {
			rc = flask_has_perm(flask_domain_sid(d), sid, SECCLASS_resource,
					    FP(resource, use), domid_of(d), FLASK_NO_DOMID);
		}
		if (rc) {
			return rc;
		}
	}
	return 0;
}

static int ioport_sid(uint64_t port, uint32_t *sid)
{
	return flask_ocon_sid(FLASK_OCON_IOPORT, port, sid);
}

static int iomem_sid(uint64_t frame, uint32_t *sid)
{
	return flask_ocon_sid(FLASK_OCON_IOMEM, frame, sid);
}

static int pirq_sid(uint64_t pirq, uint32_t *sid)
{
	return flask_ocon_sid(FLASK_OCON_PIRQ, pirq, sid);
}

static int flask_ioport_permission(struct domain *d, uint32_t s, uint32_t e, uint8_t allow)
{
	return resource_range(d, s, e, allow, ioport_sid, FP(resource, add_ioport),
			      FP(resource, remove_ioport));
}

static int flask_ioport_mapping(struct domain *d, uint32_t s, uint32_t e, uint8_t allow)
{
	return flask_ioport_permission(d, s, e, allow);
}

static int flask_ioport_use(struct domain *d, uint32_t port)
{
	uint32_t sid;
	int rc;

	if (!flask_active()) {
		return 0;
	}
	rc = ioport_sid(port, &sid);
	if (rc) {
		return rc;
	}
	return flask_has_perm(flask_domain_sid(d), sid, SECCLASS_resource, FP(resource, use),
			      domid_of(d), FLASK_NO_DOMID);
}

static int flask_iomem_permission(struct domain *d, uint64_t s, uint64_t e, uint8_t allow)
{
	return resource_range(d, s, e, allow, iomem_sid, FP(resource, add_iomem),
			      FP(resource, remove_iomem));
}

static int flask_iomem_mapping(struct domain *d, uint64_t s, uint64_t e, uint8_t allow)
{
	return flask_iomem_permission(d, s, e, allow);
}

static int flask_irq_permission(struct domain *d, uint32_t pirq, uint8_t allow)
{
	return resource_range(d, pirq, pirq, allow, pirq_sid, FP(resource, add_irq),
			      FP(resource, remove_irq));
}

static int flask_irq_use(struct domain *d, uint32_t irq)
{
	uint32_t sid;
	int rc;

	if (!flask_active()) {
		return 0;
	}
	rc = pirq_sid(irq, &sid);
	if (rc) {
		return rc;
	}
	return flask_has_perm(flask_domain_sid(d), sid, SECCLASS_resource, FP(resource, use),
			      domid_of(d), FLASK_NO_DOMID);
}

/* The xsm_op hypercall: flask_op, where each sub-op checks its own security permission. */
static long flask_do_xsm_op(uint64_t op)
{
	return flask_do_op(op);
}

const struct xsm_ops xsm_flask_ops = {
#define XSM_HOOK(name, action, src, tgt, params, args) .name = flask_##name,
#define XSM_HOOK_OTHER(name, params, args) .name = flask_##name,
#include <xsm/hooks.def>
#undef XSM_HOOK
#undef XSM_HOOK_OTHER
};
