/*
 * test-services - unit tests of the FLASK security services, the SID
 * table, context strings, the class map, the AVC and its audit lines.
 *
 *   test-services DIR AUDITFILE [DEFAULT_POLICY DEFAULT_MLS_POLICY]
 *
 * DIR holds the test policies compiled from the .conf files in tests/policy/services
 * (svc-a.30, svc-b.30, svc-mls.30, svc-a-{deny,allow,reject}.30). The
 * denial lines the AVC writes are saved to AUDITFILE for the audit2allow
 * round trip (run-services.sh). Each check prints PASS:/FAIL:.
 */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "avc.h"
#include "classmap.h"
#include "context_str.h"
#include "flask_env_host.h"
#include "security.h"
#include "sidtab.h"

/* Xen 4.17's initial SIDs these tests use as subjects and targets. */
#define SID_DOM0 3
#define SID_DOMU 12

static int failures;
static const char *dir;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf(ok ? "PASS: " : "FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		failures++;
	}
}

/* ---- helpers ------------------------------------------------------------ */

static void *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int load(const char *name, char *err, size_t errlen)
{
	char path[512];
	size_t len;
	void *data;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	data = read_all(path, &len);
	if (!data) {
		snprintf(err, errlen, "cannot read %s", path);
		return -1;
	}
	rc = security_load_policy(data, len, err, errlen);
	free(data);
	return rc;
}

static uint32_t sid_of(const char *ctx)
{
	uint32_t sid = 0;

	if (security_context_to_sid(ctx, strlen(ctx), &sid)) {
		return 0;
	}
	return sid;
}

static const char *ctx_of(uint32_t sid)
{
	static char buf[4][512];
	static int which;
	char *b = buf[which++ & 3];

	if (security_sid_to_context(sid, b, 512, NULL)) {
		snprintf(b, 512, "<error>");
	}
	return b;
}

static uint32_t perms(const char *cls, const char *list)
{
	uint16_t c = security_class_by_name(cls);
	char copy[256], *tok, *save = NULL;
	uint32_t av = 0;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		uint32_t bit = security_perm_by_name(c, tok);

		if (!bit) {
			fprintf(stderr, "no permission %s:%s\n", cls, tok);
			abort();
		}
		av |= bit;
	}
	return av;
}

static struct av_decision av(const char *s, const char *t, const char *cls)
{
	struct av_decision avd;

	memset(&avd, 0xa5, sizeof(avd));
	if (security_compute_av_raw(sid_of(s), sid_of(t), security_class_by_name(cls), &avd)) {
		memset(&avd, 0xee, sizeof(avd));
	}
	return avd;
}

/* allowed & the class's permissions, to compare with perms(). */
static uint32_t allowed(const char *s, const char *t, const char *cls)
{
	return av(s, t, cls).allowed & security_class_perms_raw(security_class_by_name(cls));
}

static const char *compute(int (*fn)(uint32_t, uint32_t, uint16_t, uint32_t *), const char *s,
			   const char *t, const char *cls, int *rcp)
{
	uint32_t out = 0;
	int rc = fn(sid_of(s), sid_of(t), security_class_by_name(cls), &out);

	if (rcp) {
		*rcp = rc;
	}
	return rc ? "<error>" : ctx_of(out);
}

static bool valid(const char *ctx)
{
	return security_context_valid(ctx, strlen(ctx)) == 0;
}

#define DOM0 "system_u:system_r:dom0_t"
#define DOMU "system_u:system_r:domU_t"

/* ---- SID table ---------------------------------------------------------- */

static void test_sidtab(void)
{
	struct sidtab st;
	struct context a, b;
	uint32_t s1 = 0, s2 = 0, s3 = 0;
	int rc;

	rc = sidtab_init(&st);
	check(rc == 0, "sidtab: init");
	context_init(&a);
	context_init(&b);
	a.user = 1;
	a.role = 2;
	a.type = 3;
	ebitmap_set_bit(&a.range.level[0].cat, 5, true);
	b.user = 1;
	b.role = 2;
	b.type = 4;
	check(sidtab_set(&st, 3, &a) == 0 && sidtab_search(&st, 3) &&
		  context_equal(sidtab_search(&st, 3), &a),
	      "sidtab: an initial SID holds a copy of its context");
	check(sidtab_set(&st, 3, &b) == -FLASK_EEXIST,
	      "sidtab: an initial SID cannot be set twice");
	check(sidtab_context_to_sid(&st, &a, &s1) == 0 && s1 == 3,
	      "sidtab: context_to_sid finds the initial SID of an equal context");
	rc = sidtab_context_to_sid(&st, &b, &s2);
	check(rc == 0 && s2 == SIDTAB_ISID_MAX + 1,
	      "sidtab: the first dynamic SID follows the initial SID reserve (%u)", s2);
	check(sidtab_context_to_sid(&st, &b, &s3) == 0 && s3 == s2,
	      "sidtab: an equal context gets the same SID again");
	check(!sidtab_search(&st, 0) && !sidtab_search(&st, 2) && !sidtab_search(&st, 100000),
	      "sidtab: unused SIDs (0, an unset initial SID, past the end) are not found");
	/* Enough contexts to force growth and rehashing. */
	rc = 0;
	for (uint32_t i = 0; i < 2000 && !rc; i++) {
		uint32_t sid;

		b.type = 100 + i;
		rc = sidtab_context_to_sid(&st, &b, &sid);
		if (!rc && sid != SIDTAB_ISID_MAX + 2 + i) {
			rc = -1;
		}
	}
	b.type = 100 + 777;
	check(rc == 0 && sidtab_find(&st, &b) == SIDTAB_ISID_MAX + 2 + 777 && st.count == 2002,
	      "sidtab: 2000 more contexts keep dense SIDs and stay findable after growth");
	context_destroy(&a);
	context_destroy(&b);
	sidtab_destroy(&st);
}

/* ---- policy A: contexts, decisions, transitions -------------------------- */

static void test_contexts_a(void)
{
	check(security_initial_sid("xenboot") == 1 && security_initial_sid("dom0") == 3 &&
		  security_initial_sid("unlabeled") == 6 && security_initial_sid("domDM") == 13 &&
		  security_initial_sid("nope") == 0 && security_initial_sid_count() == 13 &&
		  !strcmp(security_initial_sid_name(2), "xen") && !security_initial_sid_name(14) &&
		  !security_initial_sid_name(0),
	      "initial SIDs are numbered in Xen 4.17's order");
	check(!strcmp(ctx_of(3), DOM0) && !strcmp(ctx_of(6), "system_u:system_r:unlabeled_t"),
	      "initial SIDs carry the policy's sid contexts");
	check(sid_of(DOM0) == 3, "context_to_sid of an initial SID's context gives that SID");
	check(sid_of(DOMU) == 12, "domU's context maps to the domU initial SID");
	check(sid_of("system_u:vm_r:domU_t") > SIDTAB_ISID_MAX &&
		  sid_of("system_u:vm_r:domU_t") == sid_of("system_u:vm_r:domU_t"),
	      "a new context gets one dynamic SID");
	check(sid_of("system_u:system_r:guest_t") == 12 &&
		  !strcmp(ctx_of(sid_of("system_u:system_r:guest_t")), DOMU),
	      "a type alias resolves to its primary type");
	check(!strcmp(ctx_of(sid_of("system_u:vm_r:newdom_t")), "system_u:vm_r:newdom_t"),
	      "context string round trip (non-MLS)");
	check(valid("system_u:vm_r:domU_t"), "valid: user holds role, role holds type");
	check(valid("system_u:object_r:nic_t"), "valid: object_r needs no role authorisation");
	check(!valid("guest_u:system_r:domU_t"), "invalid: user without the role");
	check(!valid("system_u:vm_r:dom0_t"), "invalid: role without the type");
	check(!valid("system_u:system_r:domain_type"), "invalid: an attribute is not a type");
	check(!valid("nobody_u:system_r:domU_t"), "invalid: unknown user");
	check(!valid("system_u:nobody_r:domU_t"), "invalid: unknown role");
	check(!valid("system_u:system_r:nobody_t"), "invalid: unknown type");
	check(!valid("system_u:system_r"), "invalid: missing type");
	check(!valid("system_u:system_r:domU_t:s0"), "invalid: MLS range in a non-MLS policy");
	check(!valid(""), "invalid: empty string");
	check(security_context_valid("system_u:system_r:domU_tXX", 24) == 0,
	      "context_to_sid honours the length argument");
	check(security_sid_to_context(2, (char[8]){0}, 8, NULL) == -FLASK_ERANGE,
	      "sid_to_context reports a short buffer");
	check(security_sid_to_context(99999, (char[64]){0}, 64, NULL) == -FLASK_EINVAL,
	      "sid_to_context rejects an unknown SID");
}

static void test_av_a(void)
{
	struct av_decision d;

	check(allowed(DOM0, DOMU, "domain") == perms("domain", "create getdomaininfo pause"),
	      "av: allow rules through an attribute (dom0 -> domU:domain)");
	d = av(DOM0, DOMU, "domain");
	check((d.auditallow & perms("domain", "pause create")) == perms("domain", "pause"),
	      "av: auditallow dom0 domU:domain pause");
	check(d.auditdeny == 0xffffffffu, "av: auditdeny defaults to all ones");
	d = av(DOMU, DOM0, "domain");
	check((d.allowed & security_class_perms_raw(security_class_by_name("domain"))) == 0 &&
		  !(d.auditdeny & perms("domain", "getdomaininfo")) &&
		  (d.auditdeny & perms("domain", "pause")),
	      "av: dontaudit clears only its bits from auditdeny");
	check(allowed(DOMU, DOMU, "event") == perms("event", "send bind create"),
	      "av: self rules and common permissions (event inherits evbase)");
	check(allowed(DOM0, "system_u:vm_r:newdom_t", "domain") & perms("domain", "transition"),
	      "constraint: transition allowed with u1 == u2");
	check(allowed(DOM0, "guest_u:vm_r:newdom_t", "domain") & perms("domain", "transition"),
	      "constraint: transition allowed with t1 == dom0_t (or branch)");
	check(
	    !(allowed(DOM0, "system_u:other_r:newdom_t", "domain") & perms("domain", "transition")),
	    "role_allow: a domain transition to a role without 'allow' is removed");
	check(allowed("system_u:vm_r:domU_t", "system_u:system_r:xen_t", "xen") &
		  perms("xen", "physinfo"),
	      "constraint: not (u1 == guest_u) holds for system_u");
	check(!(allowed("guest_u:vm_r:domU_t", "system_u:system_r:xen_t", "xen") &
		perms("xen", "physinfo")),
	      "constraint: not (u1 == guest_u) denies guest_u");
	check(allowed(DOMU, DOM0, "event") == perms("event", "status"),
	      "conditional: the false branch is active while gate=0");
	check(allowed("system_u:system_r:parent_t", DOMU, "domain") ==
		  perms("domain", "getdomaininfo"),
	      "constraint with a type name removes pause from parent_t");
	check(allowed("system_u:system_r:child_t", DOMU, "domain") ==
		  perms("domain", "getdomaininfo"),
	      "typebounds: child_t loses what its parent lost");
	check(av("system_u:system_r:perm_t", DOM0, "domain").flags & AVD_FLAGS_PERMISSIVE,
	      "permissive type flagged in the decision");
	check(!(av(DOM0, DOMU, "domain").flags & AVD_FLAGS_PERMISSIVE),
	      "enforcing type not flagged permissive");
	check(security_compute_av_raw(SID_DOM0, SID_DOMU, 999, &d) == -FLASK_EINVAL,
	      "av: an unknown class is an error");
	check(security_compute_av_raw(SID_DOM0, 77777, 2, &d) == -FLASK_EINVAL,
	      "av: an unknown SID is an error");
}

static void test_transitions_a(void)
{
	int rc;

	check(!strcmp(compute(security_transition_sid_raw, DOM0, DOMU, "domain", NULL),
		      "system_u:vm_r:newdom_t"),
	      "create: type_transition and role_transition for the domain class");
	check(!strcmp(compute(security_transition_sid_raw, DOM0, DOMU, "event", NULL),
		      "system_u:object_r:domU_t"),
	      "create: no rule, object class: object_r and the target's type");
	check(!strcmp(compute(security_transition_sid_raw, DOM0, "system_u:system_r:dm_dom_t",
			      "domain", NULL),
		      DOM0),
	      "create: no rule, domain class: the source's role and type");
	check(!strcmp(compute(security_member_sid_raw, DOM0, "guest_u:vm_r:domU_t", "event", NULL),
		      "guest_u:object_r:evchn_t"),
	      "member: type_member, user from the target");
	check(!strcmp(compute(security_change_sid_raw, DOM0, DOMU, "resource", NULL),
		      "system_u:object_r:nic_t"),
	      "relabel: type_change");
	compute(security_transition_sid_raw, "sys2_u:system_r:dom0_t", DOMU, "domain", &rc);
	check(rc == -FLASK_EACCES, "create: an invalid resulting context is refused (-EACCES)");
}

static void test_booleans_a(void)
{
	int id = security_find_bool("gate"), cur = -1, pend = -1;
	uint32_t seq = security_seqno();
	char name[32];

	check(security_get_bool_count() == 3, "booleans: count");
	check(id >= 0 && security_get_bool_name(id, name, sizeof(name)) == 0 &&
		  !strcmp(name, "gate"),
	      "booleans: find by name and name by id");
	check(security_get_bool_value(id, &cur, &pend) == 0 && cur == 0 && pend == 0,
	      "booleans: default value from the policy");
	check(security_find_bool("nope") == -FLASK_ENOENT &&
		  security_set_bool(99, 1) == -FLASK_ENOENT,
	      "booleans: unknown name and id");
	security_set_bool(id, 1);
	security_get_bool_value(id, &cur, &pend);
	check(cur == 0 && pend == 1 && allowed(DOMU, DOM0, "event") == perms("event", "status"),
	      "booleans: a pending value changes nothing before commit");
	check(security_commit_bools() == 0 && security_seqno() != seq,
	      "booleans: commit bumps the sequence number");
	check(allowed(DOMU, DOM0, "event") == perms("event", "send"),
	      "conditional: the true branch after gate=1");
	check(!strcmp(compute(security_transition_sid_raw, DOM0, "system_u:system_r:dm_dom_t",
			      "domain", NULL),
		      DOMU),
	      "conditional type_transition enabled by gate=1");
	security_set_bool(id, 0);
	security_commit_bools();
	check(allowed(DOMU, DOM0, "event") == perms("event", "status"),
	      "conditional: back to the false branch after gate=0");
}

static void test_ocontexts_a(void)
{
	uint32_t sid = 0;

	check(security_pirq_sid(33, &sid) == 0 && !strcmp(ctx_of(sid), "system_u:object_r:nic_t"),
	      "pirqcon 33");
	check(security_pirq_sid(34, &sid) == 0 && sid == 10, "pirq without pirqcon: irq SID");
	check(security_ioport_sid(0x62, &sid) == 0 &&
		  !strcmp(ctx_of(sid), "system_u:object_r:uart_t"),
	      "ioportcon range contains 0x62");
	check(security_ioport_sid(0x65, &sid) == 0 && sid == 8, "ioport outside: ioport SID");
	check(security_iomem_sid(0xfeb7f, &sid) == 0 &&
		  !strcmp(ctx_of(sid), "system_u:object_r:nic_t"),
	      "iomemcon range end is inclusive");
	check(security_iomem_sid(0xfeb80, &sid) == 0 && sid == 9, "iomem outside: iomem SID");
	check(security_device_sid(0xc800, &sid) == 0 &&
		  !strcmp(ctx_of(sid), "system_u:object_r:nic_t"),
	      "pcidevicecon");
	check(security_device_sid(0xc801, &sid) == 0 && sid == 11, "pci device: device SID");
	check(security_devicetree_sid("/soc/uart0", &sid) == 0 &&
		  !strcmp(ctx_of(sid), "system_u:object_r:uart_t"),
	      "devicetreecon");
	check(security_devicetree_sid("/soc/uart1", &sid) == 0 && sid == 11,
	      "device tree path without a rule: device SID");
}

/* ---- MLS ------------------------------------------------------------------ */

static void round_trip(const char *in, const char *want)
{
	const char *got = ctx_of(sid_of(in));

	check(!strcmp(got, want), "mls: \"%s\" prints as \"%s\" (got \"%s\")", in, want, got);
}

static void test_mls(void)
{
	char err[256];
	int rc = load("svc-mls.30", err, sizeof(err));

	check(rc == 0 && security_mls_enabled(), "mls: load svc-mls.30 (%s)", rc ? err : "ok");
	if (rc) {
		return;
	}
	round_trip("system_u:system_r:domU_t:s0-s2:c0.c3,c5",
		   "system_u:system_r:domU_t:s0-s2:c0.c3,c5");
	round_trip("system_u:system_r:domU_t:s0-s2:c0,c1,c2,c3",
		   "system_u:system_r:domU_t:s0-s2:c0.c3");
	round_trip("system_u:system_r:domU_t:s1:c0,c1", "system_u:system_r:domU_t:s1:c0,c1");
	round_trip("system_u:system_r:domU_t:s1:c0.c1,c3,c4.c5",
		   "system_u:system_r:domU_t:s1:c0,c1,c3.c5");
	round_trip("system_u:system_r:domU_t:s0-secret:five", "system_u:system_r:domU_t:s0-s2:c5");
	round_trip("system_u:system_r:domU_t:s1-s1", "system_u:system_r:domU_t:s1");
	round_trip("system_u:system_r:domU_t:s0:c2-s1:c0.c4",
		   "system_u:system_r:domU_t:s0:c2-s1:c0.c4");
	check(!valid("system_u:system_r:domU_t:s2:c6"),
	      "mls invalid: category not allowed with s2");
	check(!valid("system_u:system_r:domU_t:s2-s0"), "mls invalid: high below low");
	check(!valid("low_u:system_r:domU_t:s2"), "mls invalid: outside the user's range");
	check(valid("low_u:object_r:res_t:s2"), "mls valid: object_r skips the user's range");
	check(!valid("system_u:system_r:domU_t:s0:c3.c1"), "mls invalid: reversed category range");
	check(!valid("system_u:system_r:domU_t:s0:c99"), "mls invalid: unknown category");
	check(!valid("system_u:system_r:domU_t"), "mls invalid: no range in an MLS policy");
	check(!valid("system_u:system_r:domU_t:s0:c0-s1:c0:c1"), "mls invalid: junk in the level");

	check(!strcmp(compute(security_transition_sid_raw, "system_u:system_r:dom0_t:s0-s2:c0.c5",
			      "system_u:system_r:domU_t:s0", "domain", NULL),
		      "system_u:system_r:newdom_t:s1:c1-s2:c1.c3"),
	      "mls create: range_transition");
	check(
	    !strcmp(compute(security_transition_sid_raw, "system_u:system_r:dom0_t:s0:c1-s2:c0.c5",
			    "system_u:system_r:domU_t:s0", "event", NULL),
		    "system_u:object_r:evchn_t:s0:c1"),
	    "mls create: object class takes the source's low level");
	check(!strcmp(compute(security_member_sid_raw, "system_u:system_r:dom0_t:s0:c1-s2:c0.c5",
			      "system_u:system_r:domU_t:s0", "event", NULL),
		      "system_u:object_r:evchn_t:s0:c1"),
	      "mls member: the source's low level");
	check(!strcmp(compute(security_change_sid_raw, "system_u:system_r:dom0_t:s0-s2",
			      "system_u:system_r:domU_t:s0-s1:c2", "resource", NULL),
		      "system_u:object_r:res_t:s0"),
	      "mls relabel: the source's low level (default_range is for create)");
	check(!strcmp(compute(security_transition_sid_raw, "system_u:system_r:xen_t:s0-s2",
			      "system_u:system_r:domU_t:s0-s1:c2", "resource", NULL),
		      "system_u:object_r:domU_t:s1:c2"),
	      "mls create: default_range target high");
	check(
	    !strcmp(compute(security_transition_sid_raw, "system_u:system_r:dom0_t:s0-s1",
			    "low_u:system_r:domU_t:s0", "grant", NULL),
		    "low_u:system_r:dom0_t:s0-s1"),
	    "create: default_user/role target, default_type source, default_range source low-high");
	check(allowed("system_u:system_r:dom0_t:s0-s2", "system_u:system_r:domU_t:s0", "domain") &
		  perms("domain", "getdomaininfo"),
	      "mlsconstrain l1 dom l2 holds");
	check(!(allowed("system_u:system_r:dom0_t:s0-s2", "system_u:system_r:domU_t:s1", "domain") &
		perms("domain", "getdomaininfo")),
	      "mlsconstrain l1 dom l2 fails");
	check(!(allowed("system_u:system_r:domU_t:s0", "system_u:system_r:domU_t:s0-s1", "event") &
		perms("event", "send")),
	      "mlsconstrain h1 dom h2 fails");
	check(allowed("system_u:system_r:domU_t:s0-s1", "system_u:system_r:domU_t:s0", "event") &
		  perms("event", "send"),
	      "mlsconstrain h1 dom h2 holds");
	check(allowed("system_u:system_r:domU_t:s0", "system_u:system_r:xen_t:s0", "xen") ==
		  perms("xen", "settime"),
	      "mlsconstrain l1 eq h1 holds");
	check(allowed("system_u:system_r:domU_t:s0-s1", "system_u:system_r:xen_t:s0", "xen") == 0,
	      "mlsconstrain l1 eq h1 fails");
}

/* ---- atomic load ---------------------------------------------------------- */

static void test_reload(void)
{
	char err[256], path[512];
	uint32_t s_u, s_gone, s_vm, seq;
	struct av_decision before, after;
	size_t len;
	unsigned char *blob;
	int rc, id;

	security_reset();
	rc = load("svc-a.30", err, sizeof(err));
	check(rc == 0, "reload: load A");
	s_u = sid_of("system_u:vm_r:domU_t");
	s_gone = sid_of("system_u:system_r:gone_t");
	s_vm = sid_of("system_u:vm_r:newdom_t");
	id = security_find_bool("keepme");
	security_set_bool(id, 0);
	security_set_bool(security_find_bool("onlya"), 1);
	security_commit_bools();
	before = av("system_u:vm_r:domU_t", DOM0, "grant");
	seq = security_seqno();

	snprintf(path, sizeof(path), "%s/svc-a.30", dir);
	blob = read_all(path, &len);
	err[0] = '\0';
	rc = security_load_policy(blob, len / 2, err, sizeof(err));
	check(rc < 0 && err[0], "reload: a truncated blob is refused with a reason (%s)", err);
	blob[0] ^= 0xff;
	err[0] = '\0';
	rc = security_load_policy(blob, len, err, sizeof(err));
	check(rc < 0 && err[0], "reload: a blob with a bad magic is refused (%s)", err);
	free(blob);
	after = av("system_u:vm_r:domU_t", DOM0, "grant");
	check(security_seqno() == seq && !memcmp(&before, &after, sizeof(before)) &&
		  !strcmp(ctx_of(s_gone), "system_u:system_r:gone_t"),
	      "reload: after failed loads policy A still answers the same");

	rc = load("svc-b.30", err, sizeof(err));
	check(rc == 0 && security_seqno() != seq, "reload: load B (%s)", rc ? err : "ok");
	check(!strcmp(ctx_of(s_u), "system_u:vm_r:domU_t") &&
		  !strcmp(ctx_of(s_vm), "system_u:vm_r:newdom_t"),
	      "reload: SIDs keep their contexts by name although type values moved");
	check(sid_of("system_u:vm_r:domU_t") == s_u,
	      "reload: context_to_sid finds the converted SID");
	check(!strcmp(ctx_of(s_gone), "system_u:system_r:unlabeled_t"),
	      "reload: a context B lacks becomes the unlabeled context");
	check(!strcmp(ctx_of(3), DOM0), "reload: initial SIDs take B's contexts");
	{
		int cur = -1;

		security_get_bool_value(security_find_bool("keepme"), &cur, NULL);
		check(cur == 0 && !(allowed("system_u:vm_r:domU_t", DOM0, "grant") &
				    perms("grant", "map_read")),
		      "reload: boolean keepme=0 carried over and its conditional stays off");
		security_get_bool_value(security_find_bool("onlyb"), &cur, NULL);
		check(cur == 1 && security_find_bool("onlya") < 0,
		      "reload: a new boolean takes its default, a dropped one is gone");
	}
	check(allowed(DOMU, "system_u:system_r:xen_t", "xen") & perms("xen", "settime"),
	      "reload: B's rules are in force");
}

/* ---- class map and handle_unknown ---------------------------------------- */

#define TEST_CLASSES(CLASS, PERM)                                                                  \
	CLASS(xen, PERM(settime) PERM(readconsole))                                                \
	CLASS(domain, PERM(create) PERM(pause) PERM(getvcpuinfo) PERM(transition))                 \
	CLASS(hvm, PERM(setparam))

enum { FLASK_CLASSMAP_ENUM_BEGIN, TEST_CLASSES(FLASK_CLASSMAP_ENUM, FLASK_CLASSMAP_NOPERM) };
FLASK_CLASSMAP_DEFINE(test_map, TEST_CLASSES);

static void test_classmap(void)
{
	struct av_decision d;
	char err[256];
	uint32_t pause =
	    flask_classmap_perm_bit(test_map, test_map_count, SECCLASS_domain, "pause");
	uint32_t vcpu =
	    flask_classmap_perm_bit(test_map, test_map_count, SECCLASS_domain, "getvcpuinfo");
	uint32_t out = 0;
	int rc;

	check(SECCLASS_xen == 1 && SECCLASS_hvm == 3 && test_map_count == 3 && pause == 2 &&
		  vcpu == 4,
	      "classmap: X-macro generates classes 1..N and permission bits in list order");

	security_reset();
	rc = load("svc-a-deny.30", err, sizeof(err));
	check(rc == 0 && security_set_classmap(test_map, test_map_count) == 0 &&
		  security_get_handle_unknown() == SECURITY_UNKNOWN_DENY,
	      "classmap: set on a deny_unknown policy");
	rc = security_compute_av(SID_DOM0, SID_DOMU, SECCLASS_domain, &d);
	check(rc == 0 && (d.allowed & (pause | 1)) == (pause | 1) && !(d.allowed & vcpu) &&
		  (d.auditdeny & vcpu),
	      "classmap deny: mapped permissions translated, a missing one denied and audited");
	check(security_compute_av(SID_DOM0, SID_DOMU, SECCLASS_hvm, &d) == 0 && d.allowed == 0,
	      "classmap deny: a missing class is denied");
	check(security_transition_sid(SID_DOM0, SID_DOMU, SECCLASS_domain, &out) == 0 &&
		  !strcmp(ctx_of(out), "system_u:vm_r:newdom_t"),
	      "classmap: transition_sid takes the embedder's class number");
	check(security_class_name(SECCLASS_hvm) &&
		  !strcmp(security_class_name(SECCLASS_hvm), "hvm") &&
		  !strcmp(security_perm_name(SECCLASS_domain, vcpu), "getvcpuinfo"),
	      "classmap: names in embedder numbering come from the map");

	rc = load("svc-a-allow.30", err, sizeof(err));
	check(rc == 0 && security_get_handle_unknown() == SECURITY_UNKNOWN_ALLOW,
	      "classmap: reload with allow_unknown keeps the map");
	rc = security_compute_av(SID_DOM0, SID_DOMU, SECCLASS_domain, &d);
	check(rc == 0 && (d.allowed & vcpu) && (d.allowed & pause) &&
		  !(d.allowed & flask_classmap_perm_bit(test_map, test_map_count, SECCLASS_domain,
							"transition")),
	      "classmap allow: a missing permission is allowed, known ones still decided");
	check(security_compute_av(SID_DOM0, SID_DOMU, SECCLASS_hvm, &d) == 0 &&
		  d.allowed == 0xffffffffu,
	      "classmap allow: a missing class is allowed");

	err[0] = '\0';
	rc = load("svc-a-reject.30", err, sizeof(err));
	check(rc < 0 && strstr(err, "domain:getvcpuinfo") &&
		  security_get_handle_unknown() == SECURITY_UNKNOWN_ALLOW,
	      "classmap reject: the load fails naming what is missing (%s), the old policy stays",
	      err);
	security_reset();
	rc = load("svc-a-reject.30", err, sizeof(err));
	check(rc == 0 && security_set_classmap(test_map, test_map_count) == -FLASK_EINVAL,
	      "classmap reject: setting the map on a reject_unknown policy fails");
	security_reset();
}

/* ---- AVC and audit lines ------------------------------------------------- */

static char last_line[1024];
static int nlines, serial;
static FILE *audit_out;

static void capture(const char *line, void *arg)
{
	snprintf(last_line, sizeof(last_line), "%s", line);
	nlines++;
	if (audit_out && strstr(line, "denied")) {
		serial++;
		fprintf(audit_out, "type=AVC msg=audit(1700000000.%03d:%d): %s\n", serial % 1000,
			serial, line);
	}
}

static void test_avc(void)
{
	struct avc_cache_stats st0, st;
	struct avc_audit_data ad = {
	    .has_source = true, .has_target = true, .source_domid = 0, .target_domid = 1};
	uint16_t domain, event;
	uint32_t vm, perm_sid, seq;
	char err[256];
	int rc, n;

	security_reset();
	rc = load("svc-a.30", err, sizeof(err));
	check(rc == 0, "avc: load A");
	domain = security_class_by_name("domain");
	event = security_class_by_name("event");
	vm = sid_of("system_u:vm_r:domU_t");
	perm_sid = sid_of("system_u:system_r:perm_t");
	avc_flush();
	avc_get_stats(&st0);

	rc = avc_has_perm(SID_DOM0, SID_DOMU, domain, perms("domain", "create pause"), NULL);
	avc_get_stats(&st);
	check(rc == 0 && st.lookups - st0.lookups == 1 && st.misses - st0.misses == 1 &&
		  st.allocations - st0.allocations == 1 && avc_count() == 1,
	      "avc: the first check is a miss that allocates one node");
	rc = avc_has_perm(SID_DOM0, SID_DOMU, domain, perms("domain", "create"), NULL);
	avc_get_stats(&st0);
	check(rc == 0 && st0.hits - st.hits == 1 && st0.misses == st.misses,
	      "avc: the same key again is a hit");
	check(avc_has_perm(SID_DOM0, SID_DOMU, domain, perms("domain", "setvcpucontext"), NULL) ==
		  -FLASK_EACCES,
	      "avc: a denied permission gives -EACCES");

	nlines = 0;
	rc = avc_has_perm(SID_DOM0, 77777, domain, perms("domain", "create"), NULL);
	check(rc == -FLASK_EACCES && nlines == 1 && strstr(last_line, " tcontext=sid77777 "),
	      "avc: an unknown SID fails closed (-EACCES) and is audited [%s]", last_line);
	nlines = 0;
	avc_has_perm(SID_DOM0, SID_DOMU, domain, perms("domain", "setvcpucontext transition"), &ad);
	check(nlines == 1 &&
		  !strcmp(last_line,
			  "avc:  denied  { transition setvcpucontext } for source=d0 target=d1 "
			  "scontext=system_u:system_r:dom0_t tcontext=system_u:system_r:domU_t "
			  "tclass=domain"),
	      "audit: exact denial line, permissions in bit order [%s]", last_line);
	nlines = 0;
	avc_has_perm(SID_DOM0, SID_DOMU, domain, perms("domain", "pause"), NULL);
	check(nlines == 1 && !strcmp(last_line, "avc:  granted  { pause } for "
						"scontext=system_u:system_r:dom0_t "
						"tcontext=system_u:system_r:domU_t tclass=domain"),
	      "audit: auditallow grant line without audit data [%s]", last_line);
	nlines = 0;
	rc = avc_has_perm(SID_DOMU, SID_DOM0, domain, perms("domain", "getdomaininfo"), &ad);
	check(rc == -FLASK_EACCES && nlines == 0, "audit: a dontaudit'ed denial writes no line");
	ad.has_target = false;
	nlines = 0;
	avc_has_perm(vm, SID_DOM0, event, perms("event", "bind"), &ad);
	check(nlines == 1 && !strcmp(last_line, "avc:  denied  { bind } for source=d0 "
						"scontext=system_u:vm_r:domU_t "
						"tcontext=system_u:system_r:dom0_t tclass=event"),
	      "audit: only the source given [%s]", last_line);

	nlines = 0;
	rc = avc_has_perm(perm_sid, SID_DOMU, domain, perms("domain", "create"), NULL);
	check(rc == 0 && nlines == 1 && strstr(last_line, "avc:  denied  { create } for ") &&
		  strstr(last_line, " tclass=domain permissive=1"),
	      "avc: a permissive type is allowed but audited with permissive=1 [%s]", last_line);
	nlines = 0;
	rc = avc_has_perm(perm_sid, SID_DOMU, domain, perms("domain", "create"), NULL);
	check(rc == 0 && nlines == 0, "avc: the permissive grant is remembered (no second line)");

	seq = security_seqno();
	security_set_enforcing(false);
	nlines = 0;
	rc = avc_has_perm(SID_DOM0, SID_DOMU, domain, perms("domain", "setvcpucontext"), NULL);
	check(security_seqno() != seq && rc == 0 && nlines == 1 &&
		  strstr(last_line, "permissive=1"),
	      "avc: global permissive mode allows and audits with permissive=1");
	security_set_enforcing(true);
	check(avc_has_perm(SID_DOM0, SID_DOMU, domain, perms("domain", "setvcpucontext"), NULL) ==
		  -FLASK_EACCES,
	      "avc: enforcing again flushes the remembered permissive grant");

	avc_get_stats(&st0);
	security_set_bool(security_find_bool("gate"), 1);
	security_commit_bools();
	rc = avc_has_perm(SID_DOMU, SID_DOM0, event, perms("event", "send"), NULL);
	avc_get_stats(&st);
	check(rc == 0 && st.misses - st0.misses == 1 && avc_count() == 1,
	      "avc: a boolean commit flushes the cache (miss, new decision)");
	security_set_bool(security_find_bool("gate"), 0);
	security_commit_bools();

	check(avc_set_threshold(0) == -FLASK_EINVAL && avc_get_threshold() == 512,
	      "avc: default threshold 512; 0 refused");
	avc_set_threshold(8);
	avc_get_stats(&st0);
	n = 0;
	for (uint32_t i = 0; i < 40; i++) {
		/* Distinct keys: every class against a few SIDs. */
		avc_has_perm(1 + i % 13, SID_DOM0, (uint16_t)(1 + i / 12 % 5), 0, NULL);
		if (avc_count() > 8 + AVC_CACHE_RECLAIM) {
			n++;
		}
	}
	avc_get_stats(&st);
	check(n == 0 && avc_count() <= 8 && st.reclaims > st0.reclaims && st.frees > st0.frees,
	      "avc: the threshold bounds the cache through reclaims (count %u)", avc_count());
	avc_set_threshold(AVC_DEF_CACHE_THRESHOLD);
	for (uint32_t i = 0; i < 40; i++) {
		avc_has_perm(1 + i % 13, SID_DOM0, (uint16_t)(1 + i / 12 % 5), 0, NULL);
	}
	{
		uint32_t entries, used, longest;

		avc_get_hash_stats(&entries, &used, &longest);
		check(entries == avc_count() && entries >= 36 && used <= entries && used > 0 &&
			  longest >= 1 && longest <= entries,
		      "avc: hash statistics (%u entries, %u slots, longest chain %u)", entries,
		      used, longest);
	}
	avc_flush();
	check(avc_count() == 0, "avc: flush empties the cache");
}

/*
 * The SMP model: readers on other threads while the policy state moves.
 * With sync free off, unlinked nodes wait on the retired list until every
 * reader is known to be out (here: after the join), so ASan would report
 * any node freed under a reader. Every answer must be one of the two
 * decisions the boolean allows.
 */
struct smp_arg {
	unsigned int cpu;
	uint32_t s, t;
	uint16_t cls;
	uint32_t send, status;
	long bad, done;
};

static volatile int smp_stop;

static void *smp_reader(void *p)
{
	struct smp_arg *a = p;
	struct av_decision d;

	flask_host_set_cpu(a->cpu);
	while (!smp_stop) {
		int rc = avc_has_perm_noaudit(a->s, a->t, a->cls, a->send | a->status, &d);
		uint32_t got = d.allowed & (a->send | a->status);

		if (rc != -FLASK_EACCES || (got != a->send && got != a->status)) {
			a->bad++;
		}
		__atomic_fetch_add(&a->done, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_avc_smp(void)
{
	struct smp_arg args[2];
	pthread_t th[2];
	char err[256];
	int gate, rc;

	security_reset();
	rc = load("svc-a.30", err, sizeof(err));
	gate = security_find_bool("gate");
	avc_init();
	avc_set_sync_free(false);
	/* This thread is CPU 0, the readers CPUs 1 and 2. */
	flask_host_set_cpus(3);
	for (int i = 0; i < 2; i++) {
		args[i] = (struct smp_arg){.cpu = 1 + i,
					   .s = SID_DOMU,
					   .t = SID_DOM0,
					   .cls = security_class_by_name("event"),
					   .send = perms("event", "send"),
					   .status = perms("event", "status")};
	}
	smp_stop = 0;
	for (int i = 0; i < 2; i++) {
		pthread_create(&th[i], NULL, smp_reader, &args[i]);
	}
	for (int i = 0; i < 300; i++) {
		long seen0 = __atomic_load_n(&args[0].done, __ATOMIC_RELAXED);
		long seen1 = __atomic_load_n(&args[1].done, __ATOMIC_RELAXED);

		security_set_bool(gate, i & 1);
		security_commit_bools();
		if (i % 100 == 50) {
			avc_flush();
		}
		/* Let both readers work under this state before the next change. */
		while (__atomic_load_n(&args[0].done, __ATOMIC_RELAXED) < seen0 + 20 ||
		       __atomic_load_n(&args[1].done, __ATOMIC_RELAXED) < seen1 + 20) {
			sched_yield();
		}
	}
	smp_stop = 1;
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
	}
	avc_free_retired();
	avc_set_sync_free(true);
	flask_host_set_cpus(1);
	check(rc == 0 && args[0].bad == 0 && args[1].bad == 0 && args[0].done && args[1].done,
	      "avc smp: 2 lock-free readers during 300 boolean commits see only whole decisions "
	      "(%ld + %ld checks)",
	      args[0].done, args[1].done);
	security_set_bool(gate, 0);
	security_commit_bools();
}

/*
 * Hostile input: random context strings made of real names and separators
 * and random bytes, random SIDs and classes. Nothing may crash (ASan and
 * UBSan watch); a string that parses must print back to a valid context
 * that parses to the same SID.
 */
static void test_robustness(void)
{
	static const char *const tok[] = {
	    "system_u", "low_u", "system_r", "object_r", "domU_t", "dom0_t", "res_t", "s0",
	    "s1",	"s2",	 "secret",   "c0",	 "c1",	   "c5",     "five",  "c7",
	    ":",	":",	 ":",	     "-",	 ",",	   ".",	     "",      "#RAND#",
	};
	char err[256], ctx[512], back[512];
	unsigned int seed = 12345, parsed = 0, bad = 0;
	int rc = load("svc-mls.30", err, sizeof(err));

	for (int i = 0; i < 20000 && rc == 0; i++) {
		size_t len = 0;
		int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 8;

		/* Mostly a sound prefix, so that the MLS parser sees the soup. */
		if ((seed >> 8) & 3) {
			len = (size_t)snprintf(ctx, sizeof(ctx), "%s:%s:%s:s%u",
					       (seed >> 10) & 1 ? "system_u" : "low_u",
					       (seed >> 11) & 1 ? "system_r" : "object_r",
					       (seed >> 12) & 1 ? "domU_t" : "res_t",
					       (seed >> 13) % 3);
		}
		uint32_t sid = 0, out = 0;

		for (int k = 0; k < n; k++) {
			const char *t;

			seed = seed * 1103515245u + 12345u;
			t = tok[(seed >> 16) % (sizeof(tok) / sizeof(tok[0]))];
			if (!strcmp(t, "#RAND#")) {
				ctx[len++] = (char)(seed >> 8);
				continue;
			}
			len += (size_t)snprintf(ctx + len, sizeof(ctx) - len, "%s", t);
		}
		if (security_context_to_sid(ctx, len, &sid) == 0) {
			parsed++;
			if (security_sid_to_context(sid, back, sizeof(back), NULL) ||
			    sid_of(back) != sid) {
				bad++;
			}
		}
		security_transition_sid_raw(sid ? sid : (seed >> 20), (seed >> 12) & 0x7f,
					    (uint16_t)((seed >> 4) & 7), &out);
		security_compute_av_raw(sid, (seed >> 12) & 0x7f, (uint16_t)(seed & 7),
					&(struct av_decision){0});
	}
	check(rc == 0 && bad == 0,
	      "robustness: 20000 random context strings (%u parsed) and random SIDs/classes",
	      parsed);
	security_reset();
}

static void test_audit_format(void)
{
	char buf[64];
	int n = audit_format_line(buf, sizeof(buf), false, 1u << 31, 2, 11, 1, NULL, false);

	check(n > (int)sizeof(buf) - 1 && strlen(buf) == sizeof(buf) - 1 &&
		  !strncmp(buf, "avc:  denied  { 0x80000000 } for scontext=", 42),
	      "audit: an unnamed bit prints as hex; a long line is truncated safely");
}

/* ---- the default policies -------------------------------------------------- */

static void test_default(const char *path, bool mls)
{
	size_t len;
	void *blob = read_all(path, &len);
	char err[256];
	int rc;

	security_reset();
	if (!blob) {
		check(false, "default policy %s exists", path);
		return;
	}
	rc = security_load_policy(blob, len, err, sizeof(err));
	free(blob);
	check(rc == 0, "default policy %s loads (%s)", path, rc ? err : "ok");
	if (rc) {
		return;
	}
	check(security_mls_enabled() == mls, "default policy %s: MLS %s", path, mls ? "on" : "off");
	for (uint32_t sid = 1; sid <= 13; sid++) {
		char ctx[256];

		if (security_sid_to_context(sid, ctx, sizeof(ctx), NULL) ||
		    security_context_valid(ctx, strlen(ctx))) {
			check(false, "default policy %s: initial SID %u has a valid context", path,
			      sid);
			return;
		}
	}
	check(true, "default policy %s: the 13 Xen 4.17 initial SIDs have valid contexts", path);
	{
		uint32_t dom0 = security_initial_sid("dom0"), domu = security_initial_sid("domU");
		uint16_t domain = security_class_by_name("domain");
		struct av_decision d;

		check(domain && security_compute_av_raw(dom0, domu, domain, &d) == 0 &&
			  (d.allowed & security_perm_by_name(domain, "getdomaininfo")) &&
			  !(security_compute_av_raw(domu, dom0, domain, &d) == 0 &&
			    (d.allowed & security_perm_by_name(domain, "pause"))),
		      "default policy %s: dom0 may inspect domU, domU may not pause dom0", path);
	}
	{
		uint32_t dom0 = security_initial_sid("dom0"), domu = security_initial_sid("domU");
		uint32_t xen = security_initial_sid("xen"), out = 0;
		uint16_t xencls = security_class_by_name("xen"),
			 ver = security_class_by_name("version");
		uint16_t event = security_class_by_name("event");
		uint32_t wc = security_perm_by_name(xencls, "writeconsole");
		uint32_t cmdline = security_perm_by_name(ver, "xen_commandline");
		int b = security_find_bool("guest_writeconsole");
		struct av_decision d1, d2, d3;
		char ctx[256] = "";

		security_compute_av_raw(domu, xen, xencls, &d1);
		security_set_bool(b, 0);
		security_commit_bools();
		security_compute_av_raw(domu, xen, xencls, &d2);
		check(b >= 0 && wc && (d1.allowed & wc) && !(d2.allowed & wc),
		      "default policy %s: boolean guest_writeconsole gates domU's writeconsole",
		      path);
		check(
		    ver && cmdline && security_compute_av_raw(domu, xen, ver, &d3) == 0 &&
			!(d3.allowed & cmdline) && !(d3.auditdeny & cmdline),
		    "default policy %s: domU's version:xen_commandline denied silently (dontaudit)",
		    path);
		check(event && security_transition_sid_raw(dom0, domu, event, &out) == 0 &&
			  security_sid_to_context(out, ctx, sizeof(ctx), NULL) == 0 &&
			  strstr(ctx, ":dom0_t_channel"),
		      "default policy %s: dom0's event channels to domU get dom0_t_channel (%s)",
		      path, ctx);
	}
	security_reset();
}

int main(int argc, char **argv)
{
	char err[256];
	int rc;

	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: test-services DIR AUDITFILE [POLICY MLS_POLICY]\n");
		return 2;
	}
	dir = argv[1];
	audit_out = fopen(argv[2], "w");
	if (!audit_out) {
		perror(argv[2]);
		return 2;
	}
	flask_set_log_hook(capture, NULL);

	test_sidtab();
	rc = load("svc-a.30", err, sizeof(err));
	check(rc == 0 && security_policy_loaded() && security_policyvers() == 30,
	      "load svc-a.30 (%s)", rc ? err : "ok");
	if (rc == 0) {
		test_contexts_a();
		test_av_a();
		test_transitions_a();
		test_booleans_a();
		test_ocontexts_a();
	}
	test_mls();
	test_reload();
	test_classmap();
	test_avc();
	test_avc_smp();
	test_robustness();
	test_audit_format();
	if (argc == 5) {
		test_default(argv[3], false);
		test_default(argv[4], true);
	}
	security_reset();
	fclose(audit_out);
	return failures ? 1 : 0;
}
