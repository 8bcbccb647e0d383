/*
 * hook-report: the table of every hypercall and sub-op, its status, the XSM
 * hook(s) its handler calls and the FLASK class:permissions those hooks
 * check.
 *
 * Rows come from the hypercall list, hypervisor/include/hypercalls.def
 * (with xsm/domctl.def and sysctl.def); each is implemented and checked,
 * implemented self-only, or declared not implemented (with the errno the
 * guest gets). The class:permissions are not written down anywhere: this
 * program links the real FLASK hooks (xsm/flask/hooks.c) and flask_op
 * dispatcher (xsm/flask/flask_op.c) against a recording flask_has_perm,
 * calls each hook as its row says, and prints what was asked. For a row
 * not implemented it shows what the hooks would ask, and counts nothing as
 * checked. Whether the rows are true to the handlers is the xsm-hooks
 * suite's business (tests/hv/xsm/hook-coverage).
 *
 * Exit status 1 when a hook of an implemented row asks nothing and is not
 * known to allow unconditionally (a hook that silently stopped checking).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Before domain.h: flask/security.h names a parameter "current", which is a macro there. */
#include <flask/avc.h>
#include <flask/security.h>
#include <xsm/flask/flask.h>

#include <domain.h>
#include <fake/guest.h>
#include <fake/smp.h>
#include <public/callback.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/flask_op.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

#include <xsm/xsm.h>

/* ---- recording FLASK core ------------------------------------------------ */

static char rec[1024];
static int nrec;

#define FP_NAMES_CLASS(c, perms) static const char *const pn_##c[] = {perms NULL};
#define FP_NAMES_PERM(c, p) #p,
FLASK_XEN_CLASSES(FP_NAMES_CLASS, FP_NAMES_PERM)
#define FP_CLASS_ENTRY(c, perms) {#c, pn_##c},
#define FP_NOPERM(c, p)
static const struct {
	const char *name;
	const char *const *perms;
} classes[] = {{"", NULL}, FLASK_XEN_CLASSES(FP_CLASS_ENTRY, FP_NOPERM)};

/*
 * The inline lookups always miss here (no front entry carries sequence
 * number 1): every check reaches the recorder.
 */
struct avc_node *avc_slots[AVC_CACHE_SLOTS];
uint32_t avc_cache_seqno = 1;
uint32_t security_seqno_value = 1;
struct avc_cpu avc_cpus[FLASK_MAX_CPUS];
struct avc_cpu_stats avc_cpu_stats[FLASK_MAX_CPUS];

int flask_has_perm_slow(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t perms,
			uint16_t src_domid, uint16_t tgt_domid)
{
	size_t len = strlen(rec);
	int i, first = 1;

	snprintf(rec + len, sizeof(rec) - len, "%s%s:", nrec ? " " : "", classes[tclass].name);
	for (i = 0; classes[tclass].perms[i]; i++) {
		if (perms & (1u << i)) {
			len = strlen(rec);
			snprintf(rec + len, sizeof(rec) - len, "%s%s", first ? "" : ",",
				 classes[tclass].perms[i]);
			first = 0;
		}
	}
	nrec++;
	return 0;
}

bool flask_active(void)
{
	return true;
}

bool flask_boot_is_done = true;

uint32_t flask_dom0_sid(void)
{
	return FLASK_ISID_DOM0;
}

uint32_t flask_domain_sid_slow(const struct domain *d)
{
	return d ? 100u + d->domain_id : 1;
}

uint32_t flask_domain_self_sid(const struct domain *d)
{
	return flask_domain_sid_slow(d);
}

uint32_t flask_target_sid_slow(const struct domain *src, const struct domain *dst)
{
	return flask_domain_sid_slow(dst);
}

uint32_t flask_current_sid_slow(void)
{
	return 1;
}

int flask_avc_cpu_stats(unsigned int cpu, struct avc_cache_stats *st)
{
	memset(st, 0, sizeof(*st));
	return cpu ? -ENOENT : 0;
}

struct domain_security *flask_dsec(const struct domain *d)
{
	return d->ssid;
}

struct domain_security *flask_dsec_alloc(const struct domain *d)
{
	return NULL;
}

void flask_dsec_free(struct domain_security *dsec)
{
}

void flask_dsec_forget(struct domain_security *dsec)
{
}

uint32_t flask_security_sid(void)
{
	return 6;
}

int flask_load_policy(const void *data, size_t size, char *why, size_t whylen)
{
	return -EINVAL;
}

int flask_ocon_add(uint32_t kind, uint32_t sid, uint64_t low, uint64_t high, const char *path)
{
	return 0;
}

int flask_ocon_del(uint32_t kind, uint64_t low, uint64_t high, const char *path)
{
	return 0;
}

int flask_ocon_sid(uint32_t kind, uint64_t key, uint32_t *sid)
{
	*sid = 9;
	return 0;
}

bool flask_sid_valid(uint32_t sid)
{
	return true;
}

/* The security server is not consulted: every query answers "nothing". */
uint32_t security_initial_sid(const char *name)
{
	return 1;
}
int security_transition_sid(uint32_t s, uint32_t t, uint16_t c, uint32_t *out)
{
	*out = 1000;
	return 0;
}
int security_transition_sid_raw(uint32_t s, uint32_t t, uint16_t c, uint32_t *out)
{
	return -EINVAL;
}
int security_change_sid_raw(uint32_t s, uint32_t t, uint16_t c, uint32_t *out)
{
	return -EINVAL;
}
int security_member_sid_raw(uint32_t s, uint32_t t, uint16_t c, uint32_t *out)
{
	return -EINVAL;
}
int security_compute_av_raw(uint32_t s, uint32_t t, uint16_t c, struct av_decision *avd)
{
	return -EINVAL;
}
bool security_get_enforcing(void)
{
	return true;
}
void security_set_enforcing(bool e)
{
}
int security_context_to_sid(const char *c, size_t len, uint32_t *sid)
{
	return -EINVAL;
}
int security_sid_to_context(uint32_t sid, char *buf, size_t size, size_t *len)
{
	return -EINVAL;
}
int security_find_bool(const char *name)
{
	return -ENOENT;
}
int security_get_bool_value(int id, int *cur, int *pending)
{
	return -ENOENT;
}
int security_get_bool_name(int id, char *buf, size_t size)
{
	return -ENOENT;
}
int security_get_bool_count(void)
{
	return 0;
}
int security_set_bool(int id, int value)
{
	return -ENOENT;
}
int security_commit_bools(void)
{
	return 0;
}
bool security_mls_enabled(void)
{
	return false;
}
uint32_t security_policyvers(void)
{
	return 30;
}
uint32_t security_seqno(void)
{
	return 1;
}
uint32_t avc_get_threshold(void)
{
	return 512;
}
int avc_set_threshold(uint32_t t)
{
	return 0;
}
void avc_get_hash_stats(uint32_t *e, uint32_t *s, uint32_t *m)
{
	*e = *s = *m = 0;
}

/* ---- the environment -------------------------------------------------------- */

/* current_vcpu: the fake arch's (fake/smp.h). */
struct domain *dom_xen, *dom_io;
static struct domain_security me_sec = {.sid = 101, .self_sid = 101};
static struct domain_security other_sec = {.sid = 102, .self_sid = 102};
static struct domain d_me = {.domain_id = 1, .ssid = &me_sec};
static struct domain d_other = {.domain_id = 2, .ssid = &other_sec};
static struct vcpu v_me = {.domain = &d_me};

struct domain *domain_lookup(domid_t id)
{
	return id == 1 || id == DOMID_SELF ? &d_me : id == 2 ? &d_other : NULL;
}

void *xmalloc(size_t n)
{
	return malloc(n ? n : 1);
}
void *xzalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}
void *xzalloc_array(size_t n, size_t s)
{
	return calloc(n ? n : 1, s ? s : 1);
}
void xfree(void *p)
{
	free(p);
}
void printk(const char *fmt, ...)
{
}

struct xsm_ops xsm_ops;

/* ---- running the hooks ------------------------------------------------------- */

#define GVA 0x100000ULL
static unsigned char guest[65536];

static void flaskop(uint32_t cmd)
{
	struct xen_flask_op op = {0};

	op.cmd = cmd;
	op.interface_version = XEN_FLASK_INTERFACE_VERSION;
	/* Strings point at a valid empty-ish buffer so decoding reaches the check. */
	op.u.sid_context.context = GVA + 4096;
	op.u.sid_context.size = 2;
	if (cmd == FLASK_DEVICETREE_LABEL) {
		op.u.devicetree_label.sid = 5;
		op.u.devicetree_label.length = 2;
		op.u.devicetree_label.path = GVA + 4096;
	}
	if (cmd == FLASK_RELABEL_DOMAIN) {
		op.u.relabel.domid = 2;
		op.u.relabel.sid = 5;
	}
	if (cmd == FLASK_LOAD) {
		op.u.load.buffer = GVA + 4096;
		op.u.load.size = 16;
	}
	memcpy(guest, &op, sizeof(op));
	flask_do_op(GVA);
}

/* Set while a domctl/sysctl row names the hook that decides instead. */
static bool delegating;

/* Hooks that decide without asking the policy, and why. */
static const char *allowed_without_check(const char *hook, long cmd)
{
	if (delegating && (!strcmp(hook, "domctl") || !strcmp(hook, "sysctl"))) {
		return "(by the next hook)";
	}
	if (!strcmp(hook, "evtchn_close")) {
		return "(allowed: closing one's own port)";
	}
	if (!strcmp(hook, "xen_version") &&
	    (cmd == XENVER_version || cmd == XENVER_platform_parameters ||
	     cmd == XENVER_get_features)) {
		return "(allowed: every guest needs it)";
	}
	if (!strcmp(hook, "flask_op") &&
	    (cmd == FLASK_GETENFORCE || cmd == FLASK_POLICYVERS || cmd == FLASK_MLS ||
	     cmd == FLASK_GETBOOL || cmd == FLASK_GETAVC_THRESHOLD || cmd == FLASK_AVC_HASHSTATS ||
	     cmd == FLASK_AVC_CACHESTATS || cmd == FLASK_GET_PEER_SID)) {
		return "(no permission: Xen's rule)";
	}
	return NULL;
}

static int rows, checked_rows, self_rows, none_rows, bad;
/* The row being built is not implemented: its hooks only show what they would ask. */
static bool row_is_none;
static char hooks_col[256], perms_col[1024];

/* Hooks the implemented rows call. */
static const char *used_hooks[64];
static int nused;

static void mark_used(const char *name)
{
	int i;

	if (row_is_none) {
		return;
	}
	for (i = 0; i < nused; i++) {
		if (!strcmp(used_hooks[i], name)) {
			return;
		}
	}
	if (nused < 64) {
		used_hooks[nused++] = name;
	}
}

/* none_err: NULL for an implemented row, else the errno the guest gets. */
static void row_begin(const char *none_err)
{
	hooks_col[0] = perms_col[0] = '\0';
	row_is_none = none_err != NULL;
}

static void add_hook(const char *name, long cmd, void (*call)(void))
{
	const char *why;
	size_t l = strlen(hooks_col);

	snprintf(hooks_col + l, sizeof(hooks_col) - l, "%s%s", l ? " " : "", name);
	rec[0] = '\0';
	nrec = 0;
	call();
	why = allowed_without_check(name, cmd);
	l = strlen(perms_col);
	if (nrec) {
		snprintf(perms_col + l, sizeof(perms_col) - l, "%s%s", l ? " " : "", rec);
	} else if (why) {
		snprintf(perms_col + l, sizeof(perms_col) - l, "%s%s", l ? " " : "", why);
	} else if (row_is_none) {
		snprintf(perms_col + l, sizeof(perms_col) - l, "%snothing", l ? " " : "");
	} else {
		snprintf(perms_col + l, sizeof(perms_col) - l, "%sNO CHECK", l ? " " : "");
		bad++;
	}
}

static void print_row(const char *hc, int nr, const char *sub, const char *status,
		      const char *hooks, const char *perms)
{
	printf("%-17s %3d  %-28s %-20s %-26s %s\n", hc, nr, sub, status, hooks, perms);
	rows++;
}

static void row_end(const char *hc, int nr, const char *sub, const char *none_err, const char *why)
{
	char status[32], perms[1200];

	if (!none_err) {
		print_row(hc, nr, sub, "checked", hooks_col, perms_col);
		checked_rows++;
		return;
	}
	snprintf(status, sizeof(status), "not impl %s", none_err);
	if (perms_col[0]) {
		snprintf(perms, sizeof(perms), "(not implemented: %s; would ask: %s)", why,
			 perms_col);
	} else {
		snprintf(perms, sizeof(perms), "(not implemented: %s)", why);
	}
	print_row(hc, nr, sub, status, hooks_col[0] ? hooks_col : "-", perms);
	none_rows++;
	row_is_none = false;
}

static void row_self(const char *hc, int nr, const char *sub, const char *why)
{
	char perms[512];

	snprintf(perms, sizeof(perms), "(self only: %s)", why);
	print_row(hc, nr, sub, "self-only", "-", perms);
	self_rows++;
}

/* Every parameter name hooks.def uses, with the values a row calls with. */
static struct domain *d, *d1, *d2, *t, *f, *tgt;
static struct evtchn *chn, *chn1, *chn2;
static uint16_t id2 = 2;
static uint32_t cmd, op, clear = 1, ssidref = 5, virq = 1, port = 0x3f8, pirq = 5, irq = 5;
static uint32_t flags = XSM_MMU_UPDATE_READ | XSM_MMU_UPDATE_WRITE | XSM_MMU_MACHPHYS_UPDATE;
static uint64_t pte = 3, mfn = 1, s = 0x3f8, e = 0x3ff;
static uint8_t allow = 1;
static const char *ctx = "system_u:system_r:domU_t";
static uint32_t sid_out, *sid = &sid_out;

static void set_args(void)
{
	d = d1 = &d_me;
	d2 = t = f = tgt = &d_other;
	chn = chn1 = chn2 = NULL;
}

#define XSM_HOOK(name, action, src, tgt_, params, args)                                            \
	static __attribute__((unused)) void call_##name(void)                                      \
	{                                                                                          \
		set_args();                                                                        \
		mark_used(#name);                                                                  \
		xsm_flask_ops.name args;                                                           \
	}
#define XSM_HOOK_OTHER(name, params, args) XSM_HOOK(name, 0, 0, 0, params, args)
#include <xsm/hooks.def>
#undef XSM_HOOK
#undef XSM_HOOK_OTHER

static long flask_cmd;
static void call_flaskop(void)
{
	mark_used("do_xsm_op");
	flaskop((uint32_t)flask_cmd);
}

#define XSM_H(hook) add_hook(#hook, -1, call_##hook);
#define XSM_HCMD(hook, c) cmd = op = (c), add_hook(#hook, (c), call_##hook);
#define XSM_FLASKOP(c)                                                                             \
	flask_cmd = (c);                                                                           \
	add_hook("flask_op", (c), call_flaskop);

static int nunused;

static void report_unused(const char *name)
{
	int i;

	for (i = 0; i < nused; i++) {
		if (!strcmp(used_hooks[i], name)) {
			return;
		}
	}
	printf(" %s", name);
	nunused++;
}

static const char *hc_name;
static int hc_nr;

/* The status column of xsm/domctl.def and sysctl.def: NULL or the errno. */
#define IMPLEMENTED NULL
#define NOT_IMPLEMENTED(err) #err

static void domctl_rows(void)
{
#define XSM_DOMCTL(sname, nr_, action, cls, perm, status)                                          \
	row_begin(status);                                                                         \
	cmd = nr_;                                                                                 \
	add_hook("domctl", nr_, call_domctl);                                                      \
	row_end(hc_name, hc_nr, "XEN_DOMCTL_" #sname, status, "no domctl handler yet");
#define XSM_DOMCTL_BY(sname, nr_, action, hook, status)                                            \
	row_begin(status);                                                                         \
	cmd = nr_;                                                                                 \
	delegating = true;                                                                         \
	add_hook("domctl", nr_, call_domctl);                                                      \
	delegating = false;                                                                        \
	XSM_H(hook) row_end(hc_name, hc_nr, "XEN_DOMCTL_" #sname, status, "no domctl handler yet");
#include <xsm/domctl.def>
#undef XSM_DOMCTL
#undef XSM_DOMCTL_BY
}

static void sysctl_rows(void)
{
#define XSM_SYSCTL(sname, nr_, cls, perm, status)                                                  \
	row_begin(status);                                                                         \
	cmd = nr_;                                                                                 \
	add_hook("sysctl", nr_, call_sysctl);                                                      \
	row_end(hc_name, hc_nr, "XEN_SYSCTL_" #sname, status, "no case in do_sysctl");
#define XSM_SYSCTL_BY(sname, nr_, hook, status)                                                    \
	row_begin(status);                                                                         \
	cmd = nr_;                                                                                 \
	delegating = true;                                                                         \
	add_hook("sysctl", nr_, call_sysctl);                                                      \
	delegating = false;                                                                        \
	XSM_H(hook) row_end(hc_name, hc_nr, "XEN_SYSCTL_" #sname, status, "no case in do_sysctl");
#include <xsm/sysctl.def>
#undef XSM_SYSCTL
#undef XSM_SYSCTL_BY
}

int main(void)
{
	fake_guest_map(guest, GVA, sizeof(guest), true);
	memcpy(guest + 4096, "x", 2);
	xsm_ops = xsm_flask_ops;
	current_vcpu = &v_me;
	printf("%-17s %3s  %-28s %-20s %-26s %s\n", "hypercall", "nr", "sub-op", "status",
	       "XSM hook(s)", "FLASK class:permissions");

	/* clang-format off */
#define HYPERCALL(name, nr, args, rows_)                                                           \
	hc_name = #name;                                                                           \
	hc_nr = nr;                                                                                \
	ROWS_##rows_
#define HYPERCALL_NONE(name, nr, rows_) HYPERCALL(name, nr, -, rows_)
#define ROWS_CHECKED(hooks) row_begin(NULL); hooks row_end(hc_name, hc_nr, "-", NULL, NULL);
#define ROWS_SELF(why) row_self(hc_name, hc_nr, "-", why);
#define ROWS_SUBOPS(prefix)
#define ROWS_SYSCTL_SUBOPS sysctl_rows();
#define ROWS_DOMCTL_SUBOPS domctl_rows();
#define SUBOP(name, sub, hooks) row_begin(NULL); hooks row_end(hc_name, hc_nr, #sub, NULL, NULL);
#define SUBOP_SELF(name, sub, why) row_self(hc_name, hc_nr, #sub, why);
#define SUBOP_NONE(name, sub, err, why, ...)                                                       \
	row_begin(#err);                                                                           \
	__VA_ARGS__ row_end(hc_name, hc_nr, #sub, #err, why);
	/* clang-format on */
#include <hypercalls.def>
	printf("\n%d rows: %d implemented and checked, %d implemented self-only, %d declared not "
	       "implemented (no handler); %d hook(s) asking nothing\n",
	       rows, checked_rows, self_rows, none_rows, bad);
	printf("Hooks of xsm/hooks.def no implemented row calls:");
#define XSM_HOOK(name, action, src, tgt_, params, args) report_unused(#name);
#define XSM_HOOK_OTHER(name, params, args) report_unused(#name);
#include <xsm/hooks.def>
#undef XSM_HOOK
#undef XSM_HOOK_OTHER
	/* Some are called outside the rows (life cycle, I/O paths): the sources tell which. */
	printf(" (%d; tests/hv/xsm/hook-coverage --unused-hooks names those nothing calls)\n",
	       nunused);
	return bad ? 1 : 0;
}
