/*
 * FLASK module core: boot policy and mode, the hypervisor's and the
 * domains' labels, and the access check with its rate-limited audit.
 */
#include <xsm/flask/flask.h>

#include <flask/avc.h>
#include <flask/security.h>
#include <xsm/xsm.h>

#include <arch/idle.h>
#include <arch/time.h>
#include <console.h>
#include <domain.h>
#include <heap.h>
#include <lib.h>
#include <public/errno.h>
#include <public/xen.h>
#include <ratelimit.h>

enum flask_boot_mode flask_boot_mode = FLASK_MODE_ENFORCING;

static bool policy_loaded;
static uint32_t xen_sid; /* the xenboot initial SID while booting, xen after */
static uint32_t dom0_sid;
bool flask_boot_is_done;
#define boot_done flask_boot_is_done
/* dom0_label= waits for a policy in late mode. */
static char dom0_label_pending[128];
/* Why the policy refused dom0_label= ("" if it did not), and what was asked. */
static char dom0_label_why[96], dom0_label_asked[128];

#define FP_NAMES_CLASS(c, perms) static const char *const flask_perm_names_##c[] = {perms NULL};
#define FP_NAMES_PERM(c, p) #p,
FLASK_XEN_CLASSES(FP_NAMES_CLASS, FP_NAMES_PERM)
#define FP_MAP_ENTRY(c, perms) {#c, flask_perm_names_##c},
#define FP_MAP_NOPERM(c, p)
static const struct flask_class_map flask_xen_classmap[] = {
    FLASK_XEN_CLASSES(FP_MAP_ENTRY, FP_MAP_NOPERM)};

bool flask_active(void)
{
	return __atomic_load_n(&policy_loaded, __ATOMIC_ACQUIRE);
}

uint32_t flask_xen_sid(void)
{
	return xen_sid;
}

uint32_t flask_security_sid(void)
{
	return FLASK_ISID_SECURITY;
}

uint32_t flask_dom0_sid(void)
{
	return dom0_sid;
}

/* The label a domain has before it has a blob: by its id. */
static uint32_t initial_domain_sid(const struct domain *d)
{
	if (!d) {
		return FLASK_ISID_UNLABELED;
	}
	if (d == dom_xen) {
		return FLASK_ISID_DOMXEN;
	}
	if (d == dom_io) {
		return FLASK_ISID_DOMIO;
	}
	if (d->domain_id == 0) {
		return dom0_sid;
	}
	return FLASK_ISID_DOMU;
}

/*
 * Blobs are made by domain_create (xsm_alloc_security_domain) before the
 * domain is visible, so no hook has to make one mid-decision; only
 * dom_xen and dom_io get theirs on first use. Every live blob is on this
 * list, for the relabelling at the first policy load (flask=late).
 */
static struct domain_security *dsec_live;

/*
 * The module's shared lists and counters that hooks on any CPU may reach:
 * the live-blob list and the audit rate limiter. A plain spin lock, never
 * held across an AVC lookup or a policy load; the console lock nests
 * inside it (audit_admit prints).
 */
static int core_lock;

static void core_lock_take(void)
{
	while (__atomic_exchange_n(&core_lock, 1, __ATOMIC_ACQUIRE)) {
		arch_cpu_relax();
	}
}

static void core_lock_drop(void)
{
	__atomic_store_n(&core_lock, 0, __ATOMIC_RELEASE);
}

struct domain_security *flask_dsec_alloc(const struct domain *d)
{
	struct domain_security *dsec = xzalloc(sizeof(*dsec));

	if (!dsec) {
		return NULL;
	}
	*dsec = (struct domain_security){.sid = initial_domain_sid(d), .dom = d};
	flask_dsec_forget(dsec);
	core_lock_take();
	dsec->next_live = dsec_live;
	dsec_live = dsec;
	core_lock_drop();
	return dsec;
}

/* A per-domain decision word that grants nothing (every permission needs the full path). */
#define DSEC_NOTHING (~0ULL << 32)

void flask_dsec_forget(struct domain_security *dsec)
{
	/* Word by word: vcpus of the domain may be reading them on other CPUs. */
	for (unsigned int i = 0; i < SECCLASS__COUNT; i++) {
		__atomic_store_n(&dsec->xen_dec[i], DSEC_NOTHING, __ATOMIC_RELEASE);
		__atomic_store_n(&dsec->self_dec[i], DSEC_NOTHING, __ATOMIC_RELEASE);
	}
}

void flask_dsec_free(struct domain_security *dsec)
{
	struct domain_security **pp;

	core_lock_take();
	for (pp = &dsec_live; *pp; pp = &(*pp)->next_live) {
		if (*pp == dsec) {
			*pp = dsec->next_live;
			break;
		}
	}
	core_lock_drop();
	xfree(dsec);
}

/*
 * d's blob, made on first use for domains created without the hook; two
 * CPUs making it at once keep the first one published.
 */
struct domain_security *flask_dsec(const struct domain *d)
{
	struct domain *dm = (struct domain *)d;
	void *none = NULL;
	struct domain_security *dsec;

	if (__atomic_load_n(&dm->ssid, __ATOMIC_ACQUIRE)) {
		return dm->ssid;
	}
	dsec = flask_dsec_alloc(d);
	if (dsec && !__atomic_compare_exchange_n(&dm->ssid, &none, dsec, false, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE)) {
		flask_dsec_free(dsec);
	}
	return __atomic_load_n(&dm->ssid, __ATOMIC_ACQUIRE);
}

uint32_t flask_domain_sid_slow(const struct domain *d)
{
	const struct domain_security *dsec;

	if (!d) {
		return FLASK_ISID_UNLABELED;
	}
	dsec = d->ssid;
	return dsec ? dsec->sid : initial_domain_sid(d);
}

uint32_t flask_domain_self_sid(const struct domain *d)
{
	struct domain_security *dsec;

	if (!d) {
		return FLASK_ISID_UNLABELED;
	}
	dsec = flask_dsec(d);
	if (!dsec) {
		return flask_domain_sid(d);
	}
	/* Computed on first use: in late mode there is no policy at creation. */
	if (dsec->self_sid == SECSID_NULL && flask_active()) {
		if (security_transition_sid(dsec->sid, dsec->sid, SECCLASS_domain,
					    &dsec->self_sid)) {
			dsec->self_sid = dsec->sid;
		}
	}
	return dsec->self_sid ? dsec->self_sid : dsec->sid;
}

/*
 * The label src sees when it acts on dst (Xen's domain_target_sid): its
 * own _self label when acting on itself, the _target label of the guest
 * it is device model for, else dst's label.
 */
uint32_t flask_target_sid_slow(const struct domain *src, const struct domain *dst)
{
	const struct domain_security *ssec;

	if (src && src == dst) {
		return flask_domain_self_sid(dst);
	}
	ssec = src ? src->ssid : NULL;
	if (ssec && src->target == dst && ssec->target == dst && ssec->target_sid) {
		return ssec->target_sid;
	}
	return flask_domain_sid(dst);
}

uint32_t flask_current_sid_slow(void)
{
	if (current && current->domain) {
		if (!boot_done) {
			/* A guest runs: the hypervisor's boot phase is over. */
			flask_boot_done();
		}
		return flask_domain_sid(current->domain);
	}
	return xen_sid;
}

int flask_avc_cpu_stats(unsigned int cpu, struct avc_cache_stats *st)
{
	return avc_get_cpu_stats(cpu, st) ? -ENOENT : 0;
}

/*
 * Audit rate limit: a domain that keeps being denied gets AUDIT_BURST lines
 * per window; the rest are counted and summarised by one line when its next
 * window opens. The slots are few and indexed by domain id: two domains
 * sharing a slot only share a budget.
 */
#define AUDIT_SLOTS 32
#define AUDIT_BURST 10
#define AUDIT_WINDOW_NS 1000000000ULL

struct audit_slot {
	struct ratelimit limit;
	uint16_t domid;
	bool used;
};

static struct audit_slot audit_slots[AUDIT_SLOTS];
static uint64_t audit_printed, audit_suppressed;

static bool audit_admit(uint16_t domid)
{
	struct audit_slot *s = &audit_slots[domid % AUDIT_SLOTS];
	uint32_t hidden;
	bool ok;

	core_lock_take();
	if (s->used && s->domid != domid) {
		/* Another domain takes the slot: its predecessor's count is said now. */
		hidden = ratelimit_take_hidden(&s->limit);
		if (hidden) {
			pr_warn("avc:  %u denials suppressed for source=d%u\n", hidden, s->domid);
		}
		s->limit = (struct ratelimit){0};
	}
	s->used = true;
	s->domid = domid;
	ok = ratelimit_admit(&s->limit, arch_now_ns(), AUDIT_BURST, AUDIT_WINDOW_NS, &hidden);
	if (hidden) {
		pr_warn("avc:  %u denials suppressed for source=d%u\n", hidden, domid);
	}
	if (ok) {
		audit_printed++;
	} else {
		audit_suppressed++;
	}
	core_lock_drop();
	return ok;
}

void flask_audit_counts(uint64_t *printed, uint64_t *suppressed)
{
	core_lock_take();
	*printed = audit_printed;
	*suppressed = audit_suppressed;
	core_lock_drop();
}

static bool hook_cpu_warned;

int flask_has_perm_slow(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t perms,
			uint16_t src_domid, uint16_t tgt_domid)
{
	struct av_decision avd;
	struct avc_audit_data ad;
	uint32_t denied;
	int rc;

	if (!flask_active()) {
		/* flask=late before the first load: nothing is enforced yet. */
		return 0;
	}
	if (current && current->processor != arch_cpu_id() && !hook_cpu_warned) {
		/* The inline paths index the per-CPU caches by it (flask_hook_cpu): a broken rule.
		 */
		hook_cpu_warned = true;
		pr_err("FLASK: BUG: a hook of d%u vcpu%u (processor %u) runs on CPU%u\n",
		       current->domain->domain_id, current->vcpu_id, current->processor,
		       arch_cpu_id());
	}
	rc = avc_has_perm_noaudit(ssid, tsid, tclass, perms, &avd);
	if (rc) {
		/* Audited here (or dontaudit): the dispatcher must not log it again. */
		xsm_note_denial();
	}
	denied = perms & ~avd.allowed;
	if (__builtin_expect(!denied && !(perms & avd.auditallow), 1)) {
		/* The AVC has put the decision in this CPU's front cache. */
		return rc;
	}
	if (denied && (!(denied & avd.auditdeny) || !audit_admit(src_domid))) {
		return rc;
	}
	ad.has_source = src_domid != FLASK_NO_DOMID;
	ad.has_target = tgt_domid != FLASK_NO_DOMID;
	ad.source_domid = src_domid;
	ad.target_domid = tgt_domid;
	/* The full path audits, and remembers a permissive grant. */
	return avc_has_perm(ssid, tsid, tclass, perms, &ad);
}

static void fix_labels(void)
{
	xen_sid = boot_done ? FLASK_ISID_XEN : FLASK_ISID_XENBOOT;
	if (dom0_label_pending[0]) {
		size_t len = strlen(dom0_label_pending);
		uint32_t sid;

		strlcpy(dom0_label_asked, dom0_label_pending, sizeof(dom0_label_asked));
		if (security_context_to_sid(dom0_label_pending, len, &sid)) {
			/* dom0 keeps the policy's dom0 label; the caller says so. */
			security_context_check(dom0_label_pending, len, dom0_label_why,
					       sizeof(dom0_label_why));
			if (!dom0_label_why[0]) {
				strlcpy(dom0_label_why, "invalid context", sizeof(dom0_label_why));
			}
		} else {
			dom0_sid = sid;
		}
		dom0_label_pending[0] = '\0';
	}
}

const char *flask_dom0_label_refusal(void)
{
	return dom0_label_why;
}

int flask_load_policy(const void *data, size_t size, char *why, size_t whylen)
{
	int rc = security_load_policy(data, size, why, whylen);

	if (rc) {
		return rc;
	}
	if (!flask_active()) {
		struct domain_security *dsec;

		fix_labels();
		if (dom0_label_why[0] && flask_boot_mode == FLASK_MODE_LATE) {
			/* The first load of flask=late comes from a guest: nobody else would say
			 * it. */
			pr_err("FLASK: dom0_label=%s is not a valid context in the loaded policy "
			       "(%s); "
			       "dom0 keeps the policy's dom0 label\n",
			       dom0_label_asked, dom0_label_why);
		}
		/*
		 * Blobs made before the first policy (flask=late) get their _self
		 * labels afresh, and dom0 the label dom0_label= asked for.
		 */
		core_lock_take();
		for (dsec = dsec_live; dsec; dsec = dsec->next_live) {
			if (dsec->dom && dsec->dom->domain_id == 0 && dsec->dom != dom_xen &&
			    dsec->dom != dom_io && dsec->sid == FLASK_ISID_DOM0) {
				dsec->sid = dom0_sid;
			}
			dsec->self_sid = SECSID_NULL;
			flask_dsec_forget(dsec);
		}
		core_lock_drop();
		if (flask_boot_mode == FLASK_MODE_LATE) {
			security_set_enforcing(true);
		}
		__atomic_store_n(&policy_loaded, true, __ATOMIC_RELEASE);
	}
	return 0;
}

int flask_init(const void *policy, size_t size, const char *dom0_label, char *why, size_t whylen)
{
	int rc;

	why[0] = '\0';
	flask_core_reset();
	rc = security_init();
	if (!rc) {
		rc = security_set_classmap(flask_xen_classmap, sizeof(flask_xen_classmap) /
								   sizeof(flask_xen_classmap[0]));
	}
	if (!rc) {
		rc = avc_init();
	}
	if (rc) {
		snprintf(why, whylen, "security server initialisation failed (%d)", rc);
		return rc;
	}
	dom0_sid = FLASK_ISID_DOM0;
	xen_sid = FLASK_ISID_XENBOOT;
	if (dom0_label && dom0_label[0]) {
		strlcpy(dom0_label_pending, dom0_label, sizeof(dom0_label_pending));
	}
	security_set_enforcing(flask_boot_mode != FLASK_MODE_PERMISSIVE);
	if (flask_boot_mode == FLASK_MODE_LATE) {
		/* Decisions wait for the first FLASK_LOAD; it switches to enforcing. */
		return 0;
	}
	if (!policy) {
		snprintf(why, whylen, "no policy");
		return -ENOENT;
	}
	/* A dom0_label= the policy refuses is not the policy's fault: see flask_dom0_label_refusal.
	 */
	return flask_load_policy(policy, size, why, whylen);
}

void flask_core_reset(void)
{
	__atomic_store_n(&policy_loaded, false, __ATOMIC_RELEASE);
	boot_done = false;
	dom0_label_pending[0] = '\0';
	dom0_label_why[0] = '\0';
	dom0_label_asked[0] = '\0';
	memset(audit_slots, 0, sizeof(audit_slots));
	/* Blobs still attached to domains are their owners' to free. */
	dsec_live = NULL;
	avc_reset_cpus();
	hook_cpu_warned = false;
}

void flask_boot_done(void)
{
	boot_done = true;
	xen_sid = FLASK_ISID_XEN;
}
