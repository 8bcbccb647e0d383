/*
 * xsm-unit: host tests of xsm/ and xsm/flask/ against the real security
 * server (flask/) and the default policy, on the fake arch.
 *
 *   xsm-unit POLICY TEST_POLICY
 *
 * The oracle for every FLASK decision is the security server queried by
 * name (security_compute_av_raw with the policy's class and permission
 * values), not a table copied from the hooks: a hook that asks the wrong
 * class or permission disagrees with it.
 *
 * Compiled with tests/hv/unit/hostprefix.h like the hypervisor sources, so
 * hypervisor lib calls here are the hypervisor's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <fake/guest.h>
#include <fake/smp.h>
#include <heap.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/flask_op.h>
#include <public/sysctl.h>
#include <public/version.h>
#include <public/xen.h>

#include "xsm_unit.h"
#include <flask/avc.h>
#include <flask/security.h>
#include <xsm/flask/flask.h>
#include <xsm/xsm.h>

/* ---- the fake environment ------------------------------------------------ */

/* current_vcpu: the fake arch's (fake/smp.h). */
struct domain *dom_xen, *dom_io;

struct domain doms[NDOMS];
struct vcpu vcpus[NDOMS];

struct domain *domain_lookup(domid_t id)
{
	int i;

	if (id == DOMID_SELF) {
		return current_vcpu ? current_vcpu->domain : NULL;
	}
	for (i = 0; i < NDOMS; i++) {
		if (doms[i].domain_id == id) {
			return &doms[i];
		}
	}
	return NULL;
}

void run_as(int i)
{
	current_vcpu = i < 0 ? NULL : &vcpus[i];
}

void *xmalloc(size_t size)
{
	return malloc(size ? size : 1);
}

void *xzalloc(size_t size)
{
	return calloc(1, size ? size : 1);
}

void *xzalloc_array(size_t n, size_t size)
{
	return calloc(n ? n : 1, size ? size : 1);
}

void xfree(void *p)
{
	free(p);
}

uint64_t fake_now;

uint64_t arch_now_ns(void)
{
	return fake_now;
}

/*
 * Why the last boot() stopped: xsm_init's errno and reason. Nothing here
 * defines boot_fail, so xsm/ calling it would not link.
 */
static char boot_msg[512];
static int boot_rc;

/* ---- the harness ----------------------------------------------------------- */

int failures, passes;
const char *case_name;
int case_failed;

void run(const char *name, void (*fn)(void))
{
	case_name = name;
	case_failed = 0;
	fn();
	if (case_failed) {
		failures++;
	} else {
		passes++;
		printf("PASS: xsm-unit: %s\n", name);
	}
}

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (!f) {
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* The built-in blob is not linked: tests give the policy explicitly. */
const unsigned char flask_builtin_policy[4] = {0};
const unsigned char flask_builtin_policy_end[1];

unsigned char *policy, *test_policy;
size_t policy_size, test_policy_size;

/* Console ring: lines written since the cursor. */
uint64_t ring_cursor;

void ring_mark(void)
{
	ring_cursor = console_ring_head();
}

int ring_count(const char *needle, char *last, size_t lastlen)
{
	static char buf[1 << 16];
	size_t n = console_ring_read(buf, sizeof(buf) - 1, &ring_cursor);
	int count = 0;
	char *p = buf;

	buf[n] = '\0';
	while ((p = strstr(p, needle))) {
		if (last) {
			char *e = strchr(p, '\n');
			size_t l = e ? (size_t)(e - p) : strlen(p);

			snprintf(last, lastlen, "%.*s", (int)l, p);
		}
		count++;
		p += strlen(needle);
	}
	return count;
}

/* The policy's own decision for (scontext, tcontext, class, perm) by name. */
bool policy_allows(uint32_t ssid, uint32_t tsid, const char *cls, const char *perm)
{
	struct av_decision avd;
	uint16_t c = security_class_by_name(cls);
	uint32_t p = security_perm_by_name(c, perm);

	if (!c || !p || security_compute_av_raw(ssid, tsid, c, &avd)) {
		return false;
	}
	return (avd.allowed & p) == p;
}

uint32_t sid_of(const char *ctx)
{
	uint32_t sid = 0;

	security_context_to_sid(ctx, strlen(ctx), &sid);
	return sid;
}

static void setup_domains(void)
{
	int i;

	for (i = 0; i < NDOMS; i++) {
		memset(&doms[i], 0, sizeof(doms[i]));
		vcpus[i].domain = &doms[i];
	}
	doms[D0].domain_id = 0;
	doms[D0].is_privileged = true;
	doms[DU1].domain_id = 1;
	doms[DU2].domain_id = 2;
	doms[DXEN].domain_id = DOMID_XEN;
	doms[DIO].domain_id = DOMID_IO;
	dom_xen = &doms[DXEN];
	dom_io = &doms[DIO];
}

/* Back to the state before any boot: no blobs, no policy, the dummy module. */
static void boot_reset(void)
{
	int i;

	run_as(-1);
	for (i = 0; i < NDOMS; i++) {
		if (doms[i].ssid) {
			xsm_free_security_domain(&doms[i]);
		}
	}
	security_reset();
	avc_flush();
	xsm_ops = xsm_dummy_ops;
}

/* Boot XSM with the given options; returns 0, or 1 if it stopped the boot. */
int boot(enum xsm_choice xsm, enum flask_mode mode, const void *pol, size_t size,
	 const char *dom0_label)
{
	int i;

	boot_reset();
	boot_opts.xsm = xsm;
	boot_opts.flask = mode;
	snprintf(boot_opts.dom0_label, sizeof(boot_opts.dom0_label), "%s",
		 dom0_label ? dom0_label : "");
	xsm_set_boot_policy(pol, size);
	boot_rc = xsm_init(boot_msg, sizeof(boot_msg));
	if (boot_rc) {
		return 1;
	}
	for (i = 0; i < NDOMS; i++) {
		xsm_alloc_security_domain(&doms[i]);
	}
	return 0;
}

int boot_flask(void)
{
	return boot(XSM_FLASK, FLASK_ENFORCING, policy, policy_size, NULL);
}

/* ---- dummy and silo ------------------------------------------------------- */

static void t_dummy_actions(void)
{
	struct domain *d0 = &doms[D0], *u1 = &doms[DU1], *u2 = &doms[DU2];

	CHECK_EQ(xsm_default_action(XSM_HOOK, u1, u2), 0);
	CHECK_EQ(xsm_default_action(XSM_TARGET, u1, u1), 0);
	CHECK_EQ(xsm_default_action(XSM_TARGET, u1, u2), -EPERM);
	CHECK_EQ(xsm_default_action(XSM_TARGET, d0, u2), 0);
	CHECK_EQ(xsm_default_action(XSM_PRIV, u1, NULL), -EPERM);
	CHECK_EQ(xsm_default_action(XSM_PRIV, u1, u1), -EPERM);
	CHECK_EQ(xsm_default_action(XSM_PRIV, d0, NULL), 0);
	CHECK_EQ(xsm_default_action(XSM_DM_PRIV, u1, u2), -EPERM);
	CHECK_EQ(xsm_default_action(XSM_XS_PRIV, u1, u2), -EPERM);
	CHECK_EQ(xsm_default_action(XSM_OTHER, d0, NULL), -EPERM);
	/* The hypervisor acting for itself (no guest running) is privileged. */
	CHECK_EQ(xsm_default_action(XSM_PRIV, dom_xen, NULL), 0);
}

static void t_dummy_hooks(void)
{
	CHECK_EQ(boot(XSM_DUMMY, FLASK_ENFORCING, NULL, 0, NULL), 0);
	CHECK(strcmp(xsm_module_name(), "dummy") == 0);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EPERM);
	CHECK_EQ(xsm_xen_version(XENVER_extraversion), 0);
	CHECK_EQ(xsm_xen_version(XENVER_commandline), -EPERM);
	CHECK_EQ(xsm_readconsole(0), 0); /* XSM_HOOK: the sysctl hook guards it */
	CHECK_EQ(xsm_sysctl(XEN_SYSCTL_readconsole), -EPERM);
	CHECK_EQ(xsm_getdomaininfo(&doms[DU2]), 0);
	CHECK_EQ(xsm_domctl(&doms[DU2], 5), -EPERM);
	CHECK_EQ(xsm_domctl(&doms[DU1], 3), -EPERM);
	CHECK_EQ(xsm_machine_memory_map(), -EPERM);
	CHECK_EQ(xsm_memory_stat_reservation(&doms[DU1], &doms[DU1]), 0);
	CHECK_EQ(xsm_memory_stat_reservation(&doms[DU1], &doms[DU2]), -EPERM);
	CHECK_EQ(xsm_mmu_update(&doms[DU1], NULL, &doms[DU2], XSM_MMU_UPDATE_READ), -EPERM);
	CHECK_EQ(xsm_mmu_update(&doms[DU1], NULL, &doms[DU1], XSM_MMU_UPDATE_WRITE), 0);
	CHECK_EQ(xsm_mmu_update(&doms[DU1], NULL, dom_io, XSM_MMU_UPDATE_READ), 0);
	CHECK_EQ(xsm_update_va_mapping(&doms[DU1], &doms[DU2], 0x1), -EPERM);
	CHECK_EQ(xsm_schedop_shutdown(&doms[DU1], &doms[DU2]), -EPERM);
	CHECK_EQ(xsm_do_xsm_op(GVA), -ENOSYS);
	CHECK_EQ(do_xsm_op(GVA), -ENOSYS);
	run_as(D0);
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), 0);
	CHECK_EQ(xsm_sysctl(XEN_SYSCTL_readconsole), 0);
	CHECK_EQ(xsm_domctl(&doms[DU1], 3), 0);
	CHECK_EQ(xsm_mmu_update(&doms[D0], NULL, &doms[DU2], XSM_MMU_UPDATE_WRITE), 0);
	CHECK_EQ(xsm_schedop_shutdown(&doms[D0], &doms[DU2]), 0);
	CHECK_EQ(xsm_machine_memory_map(), 0);
}

static void t_silo(void)
{
	CHECK_EQ(boot(XSM_SILO, FLASK_ENFORCING, NULL, 0, NULL), 0);
	CHECK(strcmp(xsm_module_name(), "silo") == 0);
	run_as(DU1);
	CHECK_EQ(xsm_grant_mapref(&doms[DU1], &doms[DU2], 0), -EPERM);
	CHECK_EQ(xsm_grant_copy(&doms[DU1], &doms[DU2]), -EPERM);
	CHECK_EQ(xsm_evtchn_interdomain(&doms[DU1], NULL, &doms[DU2], NULL), -EPERM);
	CHECK_EQ(xsm_evtchn_unbound(&doms[DU1], NULL, 2), -EPERM);
	CHECK_EQ(xsm_grant_mapref(&doms[DU1], &doms[D0], 0), 0);
	CHECK_EQ(xsm_evtchn_interdomain(&doms[DU1], NULL, &doms[D0], NULL), 0);
	CHECK_EQ(xsm_evtchn_unbound(&doms[DU1], NULL, 0), 0);
	/* Everything else as the dummy module, xsm_op included. */
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EPERM);
	CHECK_EQ(do_xsm_op(GVA), -ENOSYS);
}

/* ---- FLASK boot ------------------------------------------------------------ */

static void t_flask_boot(void)
{
	char ctx[128];
	size_t len;

	CHECK_EQ(boot_flask(), 0);
	CHECK(strcmp(xsm_module_name(), "flask") == 0);
	CHECK(flask_active());
	CHECK(security_get_enforcing());
	CHECK_EQ(security_sid_to_context(flask_domain_sid(&doms[D0]), ctx, sizeof(ctx), &len), 0);
	CHECK(strstr(ctx, ":dom0_t") != NULL);
	CHECK_EQ(security_sid_to_context(flask_domain_sid(&doms[DU1]), ctx, sizeof(ctx), &len), 0);
	CHECK(strstr(ctx, ":domU_t") != NULL);
	CHECK_EQ(security_sid_to_context(flask_xen_sid(), ctx, sizeof(ctx), &len), 0);
	CHECK(strstr(ctx, ":xenboot_t") != NULL);
	/* The first guest to run ends the boot phase. */
	run_as(D0);
	(void)flask_current_sid();
	CHECK_EQ(security_sid_to_context(flask_xen_sid(), ctx, sizeof(ctx), &len), 0);
	CHECK(strstr(ctx, ":xen_t") != NULL);
}

static void t_flask_isids(void)
{
	CHECK_EQ(security_initial_sid_count(), FLASK_ISID_DOMDM);
	CHECK_EQ(FLASK_ISID_XENBOOT, security_initial_sid("xenboot"));
	CHECK_EQ(FLASK_ISID_XEN, security_initial_sid("xen"));
	CHECK_EQ(FLASK_ISID_DOM0, security_initial_sid("dom0"));
	CHECK_EQ(FLASK_ISID_DOMIO, security_initial_sid("domio"));
	CHECK_EQ(FLASK_ISID_DOMXEN, security_initial_sid("domxen"));
	CHECK_EQ(FLASK_ISID_UNLABELED, security_initial_sid("unlabeled"));
	CHECK_EQ(FLASK_ISID_SECURITY, security_initial_sid("security"));
	CHECK_EQ(FLASK_ISID_IOPORT, security_initial_sid("ioport"));
	CHECK_EQ(FLASK_ISID_IOMEM, security_initial_sid("iomem"));
	CHECK_EQ(FLASK_ISID_IRQ, security_initial_sid("irq"));
	CHECK_EQ(FLASK_ISID_DEVICE, security_initial_sid("device"));
	CHECK_EQ(FLASK_ISID_DOMU, security_initial_sid("domU"));
	CHECK_EQ(FLASK_ISID_DOMDM, security_initial_sid("domDM"));
}

/* The inline hit path counts lookups and hits like the AVC's own path. */
static void t_flask_hit_stats(void)
{
	struct avc_cache_stats a, b;
	int i;

	CHECK_EQ(boot_flask(), 0);
	run_as(D0);
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), 0);
	CHECK_EQ(flask_avc_cpu_stats(0, &a), 0);
	for (i = 0; i < 10; i++) {
		CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), 0);
	}
	CHECK_EQ(flask_avc_cpu_stats(0, &b), 0);
	CHECK_EQ(b.lookups - a.lookups, 10);
	CHECK_EQ(b.hits - a.hits, 10);
	CHECK_EQ(b.misses, a.misses);
}

/*
 * The inline paths index the per-CPU caches by the current vcpu's
 * processor; a hook on another CPU (here: processor 1, the fake arch's
 * CPU 0) breaks that rule and the slow path says so, once.
 */
static void t_flask_hook_cpu_rule(void)
{
	char line[256];

	CHECK_EQ(boot_flask(), 0);
	run_as(D0);
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), 0);
	ring_mark();
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), 0);
	CHECK_EQ(ring_count("FLASK: BUG", line, sizeof(line)), 0);
	current_vcpu->processor = 1;
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), 0);
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), 0);
	current_vcpu->processor = 0;
	CHECK_EQ(ring_count("FLASK: BUG", line, sizeof(line)), 1);
	CHECK(strstr(line, "FLASK: BUG: a hook of d0 vcpu0 (processor 1) runs on CPU0") != NULL);
}

static void t_flask_dom0_label(void)
{
	char ctx[128];
	size_t len;

	CHECK_EQ(boot(XSM_FLASK, FLASK_ENFORCING, policy, policy_size, "system_u:system_r:domU_t"),
		 0);
	CHECK_EQ(security_sid_to_context(flask_domain_sid(&doms[D0]), ctx, sizeof(ctx), &len), 0);
	CHECK(strcmp(ctx, "system_u:system_r:domU_t") == 0);
	/* dom0 under domU_t cannot read the console. */
	run_as(D0);
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), -EACCES);
	/*
	 * A label the policy does not know stops an enforcing boot, and the
	 * reason blames the label, not the policy.
	 */
	CHECK_EQ(
	    boot(XSM_FLASK, FLASK_ENFORCING, policy, policy_size, "system_u:system_r:nosuch_t"), 1);
	CHECK(strstr(boot_msg, "dom0_label=system_u:system_r:nosuch_t is not a valid context in "
			       "the boot module policy (unknown type nosuch_t)") != NULL);
	CHECK(strstr(boot_msg, "no usable policy") == NULL);
	CHECK_EQ(boot_rc, -EINVAL);
	/* Permissive boots on with the policy in force and dom0 under its dom0 label. */
	CHECK_EQ(
	    boot(XSM_FLASK, FLASK_PERMISSIVE, policy, policy_size, "system_u:system_r:nosuch_t"),
	    0);
	CHECK(flask_active());
	CHECK(strcmp(flask_dom0_label_refusal(), "unknown type nosuch_t") == 0);
	CHECK_EQ(security_sid_to_context(flask_domain_sid(&doms[D0]), ctx, sizeof(ctx), &len), 0);
	CHECK(strcmp(ctx, "system_u:system_r:dom0_t") == 0);
	/* A later boot with a good label forgets the refusal. */
	CHECK_EQ(boot(XSM_FLASK, FLASK_ENFORCING, policy, policy_size, NULL), 0);
	CHECK(flask_dom0_label_refusal()[0] == '\0');
}

static void t_flask_bad_policy_enforcing(void)
{
	unsigned char *bad = malloc(policy_size);

	memcpy(bad, policy, policy_size);
	memset(bad + 64, 0xff, 64);
	boot_msg[0] = '\0';
	CHECK_EQ(boot(XSM_FLASK, FLASK_ENFORCING, bad, policy_size, NULL), 1);
	CHECK(strncmp(boot_msg, "FLASK: flask=enforcing and no usable policy (boot module: ",
		      strlen("FLASK: flask=enforcing and no usable policy (boot module: ")) == 0);
	CHECK(strstr(boot_msg, "): stopping") != NULL);
	CHECK(boot_rc < 0);
	/* A stopped boot leaves the default module deciding. */
	CHECK(strcmp(xsm_module_name(), "dummy") == 0);
	/* Permissive goes on without a policy; nothing is checked. */
	CHECK_EQ(boot(XSM_FLASK, FLASK_PERMISSIVE, bad, policy_size, NULL), 0);
	CHECK(!flask_active());
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), 0);
	free(bad);
}

static void t_flask_late(void)
{
	CHECK_EQ(boot(XSM_FLASK, FLASK_LATE, policy, policy_size, NULL), 0);
	CHECK(strcmp(xsm_module_name(), "flask") == 0);
	CHECK(!flask_active());
	run_as(DU1);
	/* Nothing is enforced before the first load... */
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), 0);
	/* ...then enforcing. */
	CHECK_EQ(flask_load_policy(policy, policy_size, boot_msg, sizeof(boot_msg)), 0);
	CHECK(flask_active());
	CHECK(security_get_enforcing());
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
}

/* dom0_label= in late mode takes effect at the first load, blob or not. */
static void t_flask_late_label(void)
{
	CHECK_EQ(boot(XSM_FLASK, FLASK_LATE, policy, policy_size, "system_u:system_r:domU_t"), 0);
	run_as(D0);
	CHECK(doms[D0].ssid != NULL);
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), 0);
	CHECK_EQ(flask_load_policy(policy, policy_size, boot_msg, sizeof(boot_msg)), 0);
	CHECK_EQ(flask_domain_sid(&doms[D0]), sid_of("system_u:system_r:domU_t"));
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_read), -EACCES);
}

static void t_flask_disabled(void)
{
	CHECK_EQ(boot(XSM_FLASK, FLASK_DISABLED, policy, policy_size, NULL), 0);
	CHECK(strcmp(xsm_module_name(), "dummy") == 0);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EPERM);
	CHECK_EQ(do_xsm_op(GVA), -ENOSYS);
}

static void t_multiboot_policy(void)
{
	static unsigned char kernel[64] = {0x7f, 'E', 'L', 'F'};
	const struct xsm_boot_module mods[] = {
	    {kernel, sizeof(kernel)},
	    {kernel, 3},
	    {policy, policy_size},
	    {test_policy, test_policy_size},
	};

	xsm_multiboot_policy_init(mods, 4);
	CHECK(!xsm_module_is_policy(0));
	CHECK(!xsm_module_is_policy(1));
	CHECK(xsm_module_is_policy(2));
	/* Only the first policy-looking module is the policy; the next may be dom0's initrd. */
	CHECK(!xsm_module_is_policy(3));
	xsm_multiboot_policy_init(mods, 2);
	CHECK(!xsm_module_is_policy(2));
}

/*
 * xsm_boot: the policy module reaches the picked module's boot, and under
 * xsm=dummy it is still not dom0's. A stopped boot is an errno and a reason.
 */
static void t_xsm_boot(void)
{
	static unsigned char kernel[64] = {0x7f, 'E', 'L', 'F'};
	unsigned char *bad = malloc(policy_size);
	struct xsm_boot_module mods[] = {
	    {kernel, sizeof(kernel)},
	    {test_policy, test_policy_size},
	};
	char why[256];

	boot_reset();
	boot_opts.xsm = XSM_FLASK;
	boot_opts.flask = FLASK_ENFORCING;
	boot_opts.dom0_label[0] = '\0';
	CHECK_EQ(xsm_boot(mods, 2, why, sizeof(why)), 0);
	CHECK(strcmp(xsm_module_name(), "flask") == 0);
	CHECK(xsm_module_is_policy(1));
	/* The test policy, not the default one, is loaded: it has norights_t. */
	CHECK(sid_of("system_u:system_r:norights_t") != 0);
	boot_reset();
	boot_opts.xsm = XSM_DUMMY;
	CHECK_EQ(xsm_boot(mods, 2, why, sizeof(why)), 0);
	CHECK(strcmp(xsm_module_name(), "dummy") == 0);
	CHECK(xsm_module_is_policy(1));
	memcpy(bad, policy, policy_size);
	memset(bad + 64, 0xff, 64);
	mods[1].data = bad;
	mods[1].size = policy_size;
	boot_reset();
	boot_opts.xsm = XSM_FLASK;
	CHECK(xsm_boot(mods, 2, why, sizeof(why)) < 0);
	CHECK(strstr(why, "flask=enforcing and no usable policy (boot module: ") != NULL);
	free(bad);
}

/* Every registered module can be picked by its own xsm= value; the default has a table. */
static void t_xsm_modules(void)
{
	const struct xsm_module *const *m, *const *n;
	int count = 0;

	CHECK(xsm_default_module != NULL && xsm_default_module->ops != NULL);
	for (m = xsm_modules; *m; m++) {
		count++;
		CHECK((*m)->name != NULL && (*m)->boot != NULL);
		CHECK(!(*m)->is_policy || (*m)->policy_name != NULL);
		for (n = m + 1; *n; n++) {
			CHECK((*m)->choice != (*n)->choice);
		}
		CHECK_EQ(boot((*m)->choice, FLASK_ENFORCING, policy, policy_size, NULL), 0);
		CHECK(strcmp(xsm_module_name(), (*m)->name) == 0);
	}
	CHECK_EQ(count, 3);
}

/* xsm_boot_done ends FLASK's boot phase before any guest runs. */
static void t_flask_boot_done(void)
{
	char ctx[128];
	size_t len;

	CHECK_EQ(boot_flask(), 0);
	CHECK_EQ(security_sid_to_context(flask_xen_sid(), ctx, sizeof(ctx), &len), 0);
	CHECK(strstr(ctx, ":xenboot_t") != NULL);
	xsm_boot_done();
	CHECK_EQ(security_sid_to_context(flask_xen_sid(), ctx, sizeof(ctx), &len), 0);
	CHECK(strstr(ctx, ":xen_t") != NULL);
	/* Under the dummy module there is no boot phase to end. */
	CHECK_EQ(boot(XSM_DUMMY, FLASK_ENFORCING, NULL, 0, NULL), 0);
	xsm_boot_done();
}

/* ---- FLASK decisions ------------------------------------------------------- */

/* Every domctl/sysctl sub-op asks the policy what domctl.def/sysctl.def say. */
static void t_flask_subop_mapping(void)
{
	int who, i;

	CHECK_EQ(boot_flask(), 0);
	for (who = D0; who <= DU1; who++) {
		run_as(who);
		for (i = 0; i < 2; i++) {
			struct domain *t = i ? &doms[DU2] : &doms[DU1];
			uint32_t s = flask_domain_sid(&doms[who]), ts = flask_domain_sid(t);
			uint32_t xs = security_initial_sid("xen");

#define XSM_DOMCTL(name, nr, action, cls, perm, status)                                            \
	CHECK_EQ(xsm_domctl(t, nr), policy_allows(s, ts, #cls, #perm) ? 0 : -EACCES);
#define XSM_DOMCTL_BY(name, nr, action, hook, status) CHECK_EQ(xsm_domctl(t, nr), 0);
#include <xsm/domctl.def>
#undef XSM_DOMCTL
#undef XSM_DOMCTL_BY
#define XSM_SYSCTL(name, nr, cls, perm, status)                                                    \
	CHECK_EQ(xsm_sysctl(nr), policy_allows(s, xs, #cls, #perm) ? 0 : -EACCES);
#define XSM_SYSCTL_BY(name, nr, hook, status) CHECK_EQ(xsm_sysctl(nr), 0);
#include <xsm/sysctl.def>
#undef XSM_SYSCTL
#undef XSM_SYSCTL_BY
			CHECK_EQ(xsm_domctl(t, 9999), -EPERM);
			CHECK_EQ(xsm_sysctl(9999), -EPERM);
		}
	}
}

/* The hooks the PV handlers call, against the policy's answer by name. */
static void t_flask_hook_mapping(void)
{
	const struct xen_flask_op getenforce = {.cmd = FLASK_GETENFORCE,
						.interface_version = XEN_FLASK_INTERFACE_VERSION};
	int who;

	CHECK_EQ(boot_flask(), 0);
	for (who = D0; who <= DU1; who++) {
		struct domain *me = &doms[who], *o = &doms[who == D0 ? DU1 : DU2];
		uint32_t s = flask_domain_sid(me), os = flask_domain_sid(o);
		uint32_t xs = security_initial_sid("xen");
		/* Acting on itself, a domain meets its _self label (dom0_t is a singleton). */
		uint32_t self = who == D0 ? s : sid_of("system_u:system_r:domU_t_self");

#define EXP(ss, ts, c, p) (policy_allows(ss, ts, c, p) ? 0 : -EACCES)
		run_as(who);
		CHECK_EQ(xsm_console_io(me, CONSOLEIO_read), EXP(s, xs, "xen", "readconsole"));
		CHECK_EQ(xsm_console_io(me, CONSOLEIO_write), EXP(s, xs, "xen", "writeconsole"));
		CHECK_EQ(xsm_readconsole(1), policy_allows(s, xs, "xen", "readconsole") &&
						     policy_allows(s, xs, "xen", "clearconsole")
						 ? 0
						 : -EACCES);
		CHECK_EQ(xsm_xen_version(XENVER_version), 0);
		CHECK_EQ(xsm_xen_version(XENVER_extraversion),
			 EXP(s, xs, "version", "xen_extraversion"));
		CHECK_EQ(xsm_xen_version(XENVER_commandline),
			 EXP(s, xs, "version", "xen_commandline"));
		CHECK_EQ(xsm_xen_version(XENVER_build_id), EXP(s, xs, "version", "xen_build_id"));
		CHECK_EQ(xsm_getdomaininfo(o), EXP(s, os, "domain", "getdomaininfo"));
		CHECK(self != 0);
		CHECK_EQ(xsm_getdomaininfo(me), EXP(s, self, "domain", "getdomaininfo"));
		CHECK_EQ(xsm_domain_pause(o), EXP(s, os, "domain", "pause"));
		CHECK_EQ(xsm_domain_destroy(o), EXP(s, os, "domain", "destroy"));
		CHECK_EQ(xsm_memory_stat_reservation(me, o), EXP(s, os, "mmu", "stat"));
		CHECK_EQ(xsm_memory_adjust_reservation(me, o), EXP(s, os, "mmu", "adjust"));
		CHECK_EQ(xsm_memory_adjust_reservation(me, me), EXP(s, self, "mmu", "adjust"));
		CHECK_EQ(xsm_domain_memory_map(me), EXP(s, self, "mmu", "memorymap"));
		/* Mapping its own pages is allowed through the _self label. */
		CHECK_EQ(xsm_update_va_mapping(me, me, 0x3), 0);
		CHECK_EQ(xsm_mmu_update(me, me, me, XSM_MMU_UPDATE_WRITE), 0);
		CHECK_EQ(xsm_machine_memory_map(), EXP(s, xs, "mmu", "memorymap"));
		CHECK_EQ(xsm_mmu_update(me, NULL, o, XSM_MMU_UPDATE_READ),
			 EXP(s, os, "mmu", "map_read"));
		CHECK_EQ(xsm_mmu_update(me, o, me, 0), EXP(s, os, "mmu", "remote_remap"));
		CHECK_EQ(xsm_mmuext_op(me, o), EXP(s, os, "mmu", "mmuext_op"));
		CHECK_EQ(xsm_update_va_mapping(me, o, 0x3),
			 policy_allows(s, os, "mmu", "map_read") &&
				 policy_allows(s, os, "mmu", "map_write")
			     ? 0
			     : -EACCES);
		CHECK_EQ(xsm_update_va_mapping(me, o, 0x0), 0);
		CHECK_EQ(xsm_schedop_shutdown(me, o), EXP(s, os, "domain", "shutdown"));
		CHECK_EQ(xsm_grant_setup(me, o), EXP(s, os, "grant", "setup"));
		CHECK_EQ(xsm_grant_copy(me, o), EXP(s, os, "grant", "copy"));
		CHECK_EQ(xsm_grant_query_size(me, o), EXP(s, os, "grant", "query"));
		CHECK_EQ(xsm_evtchn_reset(me, o), EXP(s, os, "event", "reset"));
		CHECK_EQ(xsm_map_gmfn_foreign(me, o),
			 policy_allows(s, os, "mmu", "map_read") &&
				 policy_allows(s, os, "mmu", "map_write")
			     ? 0
			     : -EACCES);
		CHECK_EQ(xsm_claim_pages(o), EXP(s, os, "domain2", "setclaim"));
		/* The xsm_op hook is FLASK's flask_op; getenforce needs no permission. */
		memcpy(guest, &getenforce, sizeof(getenforce));
		CHECK_EQ(xsm_do_xsm_op(GVA), 1);
#undef EXP
	}
	/* A domain the policy does not know a context for fails closed. */
	run_as(DU1);
	CHECK_EQ(flask_has_perm(flask_domain_sid(&doms[DU1]), 9999, SECCLASS_domain,
				FP(domain, pause), 1, 2),
		 -EACCES);
}

/* One AVC line per denial, in the security server's format. */
static void t_flask_audit_line(void)
{
	char line[512];

	CHECK_EQ(boot_flask(), 0);
	run_as(DU1);
	ring_mark();
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	CHECK_EQ(ring_count("avc:  denied", line, sizeof(line)), 1);
	CHECK(strstr(line, "{ readconsole }") != NULL);
	CHECK(strstr(line, "source=d1") != NULL);
	CHECK(strstr(line, "scontext=system_u:system_r:domU_t") != NULL);
	CHECK(strstr(line, "tcontext=system_u:system_r:xen_t") != NULL);
	CHECK(strstr(line, "tclass=xen") != NULL);
	CHECK(strstr(line, "permissive") == NULL);
	/* The same denial again is logged again (no permissive caching). */
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	CHECK_EQ(ring_count("avc:  denied", NULL, 0), 1);
	/* An allowed access logs nothing. */
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
	CHECK_EQ(ring_count("avc:", NULL, 0), 0);
}

static void t_flask_dontaudit(void)
{
	CHECK_EQ(boot_flask(), 0);
	run_as(DU1);
	ring_mark();
	/* The policy says dontaudit domain_type xen_t:version xen_commandline. */
	CHECK_EQ(xsm_xen_version(XENVER_commandline), -EACCES);
	CHECK_EQ(ring_count("avc:", NULL, 0), 0);
}

static void t_flask_permissive(void)
{
	char line[512];

	CHECK_EQ(boot(XSM_FLASK, FLASK_PERMISSIVE, policy, policy_size, NULL), 0);
	CHECK(!security_get_enforcing());
	run_as(DU1);
	ring_mark();
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), 0);
	CHECK_EQ(ring_count("avc:  denied", line, sizeof(line)), 1);
	CHECK(strstr(line, "permissive=1") != NULL);
	/* Linux's rule: a permissive grant is remembered, not logged again. */
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), 0);
	CHECK_EQ(ring_count("avc:  denied", NULL, 0), 0);
	/* Back to enforcing: no cache may keep the permissive grant. */
	security_set_enforcing(true);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	CHECK_EQ(xsm_readconsole(0), -EACCES);
	CHECK_EQ(ring_count("avc:  denied", NULL, 0), 2);
}

/* Allowed decisions are cached; a policy load or a boolean commit drops them. */
static void t_flask_cache_invalidation(void)
{
	int id;

	CHECK_EQ(boot_flask(), 0);
	run_as(DU1);
	id = security_find_bool("guest_writeconsole");
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
	CHECK_EQ(xsm_getdomaininfo(&doms[DU1]),
		 policy_allows(flask_domain_sid(&doms[DU1]),
			       sid_of("system_u:system_r:domU_t_self"), "domain", "getdomaininfo")
		     ? 0
		     : -EACCES);
	CHECK_EQ(security_set_bool(id, 0), 0);
	CHECK_EQ(security_commit_bools(), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), -EACCES);
	/* Booleans keep their values across a load. */
	CHECK_EQ(flask_load_policy(policy, policy_size, boot_msg, sizeof(boot_msg)), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), -EACCES);
	CHECK_EQ(security_set_bool(id, 1), 0);
	CHECK_EQ(security_commit_bools(), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
	/* A permission the new policy takes away is gone at once. */
	CHECK_EQ(flask_load_policy(test_policy, test_policy_size, boot_msg, sizeof(boot_msg)), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), 0);
	CHECK_EQ(flask_load_policy(policy, policy_size, boot_msg, sizeof(boot_msg)), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	/* A relabelled domain does not keep its old label's decisions. */
	run_as(D0);
	CHECK_EQ(xsm_readconsole(0), 0);
	CHECK_EQ(xsm_readconsole(0), 0);
	((struct domain_security *)doms[D0].ssid)->sid = sid_of("system_u:system_r:domU_t");
	flask_dsec_forget(doms[D0].ssid);
	CHECK_EQ(xsm_readconsole(0), -EACCES);
	((struct domain_security *)doms[D0].ssid)->sid = sid_of("system_u:system_r:dom0_t");
	flask_dsec_forget(doms[D0].ssid);
	CHECK_EQ(xsm_readconsole(0), 0);
}

static void t_flask_ratelimit(void)
{
	char line[256];
	int i;

	CHECK_EQ(boot_flask(), 0);
	run_as(DU1);
	fake_now = 5000000000ULL;
	ring_mark();
	for (i = 0; i < 1000; i++) {
		CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	}
	CHECK_EQ(ring_count("avc:  denied", NULL, 0), 10);
	/* Another domain has its own budget. */
	run_as(DU2);
	CHECK_EQ(xsm_console_io(&doms[DU2], CONSOLEIO_read), -EACCES);
	CHECK_EQ(ring_count("avc:  denied", NULL, 0), 1);
	/* The next window opens with the summary. */
	fake_now += 2000000000ULL;
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	CHECK_EQ(ring_count("avc:  990 denials suppressed for source=d1", line, sizeof(line)), 1);
}

/* A boolean flip changes the decision without a reload. */
static void t_flask_boolean(void)
{
	int id;

	CHECK_EQ(boot_flask(), 0);
	run_as(DU1);
	id = security_find_bool("guest_writeconsole");
	CHECK(id >= 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
	CHECK_EQ(security_set_bool(id, 0), 0);
	CHECK_EQ(security_commit_bools(), 0);
	ring_mark();
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), -EACCES);
	/*
	 * The hypervisor checks a domU's console ring output in whatever
	 * context it drains it (at shutdown, another domain's): the writer is
	 * the source, not the current domain.
	 */
	run_as(D0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), -EACCES);
	/* Each denial names the writing domU; dom0's own rule does not hang on the boolean. */
	CHECK_EQ(ring_count("avc:  denied  { writeconsole } for source=d1 "
			    "scontext=system_u:system_r:domU_t tcontext=system_u:system_r:xen_t "
			    "tclass=xen",
			    NULL, 0),
		 2);
	CHECK_EQ(xsm_console_io(&doms[D0], CONSOLEIO_write), 0);
	run_as(DU1);
	CHECK_EQ(security_set_bool(id, 1), 0);
	CHECK_EQ(security_commit_bools(), 0);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
}

/* Resources take their labels from the policy's object contexts. */
static void t_flask_resources(void)
{
	uint32_t sid, dev;

	CHECK_EQ(boot_flask(), 0);
	run_as(D0);
	CHECK_EQ(security_ioport_sid(0x3f8, &sid), 0);
	CHECK_EQ(xsm_ioport_use(&doms[D0], 0x3f8),
		 policy_allows(flask_domain_sid(&doms[D0]), sid, "resource", "use") ? 0 : -EACCES);
	CHECK_EQ(xsm_ioport_use(&doms[DU1], 0x3f8),
		 policy_allows(flask_domain_sid(&doms[DU1]), sid, "resource", "use") ? 0 : -EACCES);
	CHECK_EQ(xsm_ioport_permission(&doms[DU1], 10, 5, 1), -EINVAL);
	CHECK_EQ(xsm_iomem_permission(&doms[DU1], 0, 0x100000, 1),
		 policy_allows(flask_domain_sid(&doms[D0]), flask_domain_sid(&doms[DU1]),
			       "resource", "add")
		     ? -E2BIG
		     : -EACCES);
	/* A run-time object context relabels a port. */
	dev = sid_of("system_u:object_r:device_t");
	CHECK(dev != 0);
	CHECK_EQ(flask_ocon_add(FLASK_OCON_IOPORT, dev, 0x500, 0x5ff, NULL), 0);
	CHECK_EQ(flask_ocon_add(FLASK_OCON_IOPORT, dev, 0x500, 0x5ff, NULL), 0);
	CHECK_EQ(flask_ocon_add(FLASK_OCON_IOPORT, sid_of("system_u:object_r:ioport_t"), 0x580,
				0x600, NULL),
		 -EEXIST);
	CHECK_EQ(flask_ocon_sid(FLASK_OCON_IOPORT, 0x510, &sid), 0);
	CHECK_EQ(sid, dev);
	CHECK_EQ(flask_ocon_del(FLASK_OCON_IOPORT, 0x500, 0x5fe, NULL), -ENOENT);
	CHECK_EQ(flask_ocon_del(FLASK_OCON_IOPORT, 0x500, 0x5ff, NULL), 0);
	CHECK_EQ(flask_ocon_sid(FLASK_OCON_IOPORT, 0x510, &sid), 0);
	CHECK(sid != dev);
}

static void t_flask_domain_life(void)
{
	struct domain d = {0};
	char ctx[128];
	size_t len;

	CHECK_EQ(boot_flask(), 0);
	d.domain_id = 7;
	run_as(D0);
	CHECK_EQ(xsm_alloc_security_domain(&d), 0);
	CHECK(d.ssid != NULL);
	CHECK_EQ(xsm_domain_create(&d, sid_of("system_u:system_r:domU_t")), 0);
	CHECK_EQ(security_sid_to_context(flask_domain_sid(&d), ctx, sizeof(ctx), &len), 0);
	CHECK(strstr(ctx, ":domU_t") != NULL);
	run_as(DU1);
	CHECK_EQ(xsm_domain_create(&d, sid_of("system_u:system_r:dom0_t")), -EACCES);
	CHECK_EQ(xsm_free_security_domain(&d), 0);
	CHECK(d.ssid == NULL);
}

/*
 * init_seclabel= for boot-time domains: the boot hypervisor (xenboot_t,
 * no current vcpu) relabels a domain it built, through relabelfrom on the
 * old label, relabelto on the new and transition from old to new; a
 * refusal leaves the label as it was.
 */
static void t_flask_domain_relabel(void)
{
	uint32_t building, final, domu;
	struct domain d = {0};
	char line[512];

	/* SIDs after the boot: it resets the security server. */
	CHECK_EQ(boot_flask(), 0);
	building = sid_of("system_u:system_r:nomigrate_t_building");
	final = sid_of("system_u:system_r:nomigrate_t");
	domu = sid_of("system_u:system_r:domU_t");
	run_as(-1);
	CHECK_EQ(flask_xen_sid(), sid_of("system_u:system_r:xenboot_t"));
	d.domain_id = 9;
	CHECK_EQ(xsm_alloc_security_domain(&d), 0);
	CHECK_EQ(xsm_domain_create(&d, building), 0);
	/* xenboot_t may not relabel to domU_t: the one line says relabelto, source the hypervisor.
	 */
	ring_mark();
	CHECK_EQ(xsm_domain_relabel(&d, domu), -EACCES);
	CHECK_EQ(ring_count("avc:  denied", line, sizeof(line)), 1);
	CHECK(strstr(line, "{ relabelto } for source=d32754 target=d9 ") != NULL);
	CHECK(strstr(line, "scontext=system_u:system_r:xenboot_t") != NULL);
	CHECK(strstr(line, "tcontext=system_u:system_r:domU_t tclass=domain2") != NULL);
	CHECK_EQ(flask_domain_sid(&d), building);
	CHECK_EQ(xsm_domain_relabel(&d, 0), -EINVAL);
	CHECK_EQ(xsm_domain_relabel(&d, final), 0);
	CHECK_EQ(flask_domain_sid(&d), final);
	/* Nor back from nomigrate_t (relabelfrom). */
	ring_mark();
	CHECK_EQ(xsm_domain_relabel(&d, building), -EACCES);
	CHECK_EQ(ring_count("avc:  denied", line, sizeof(line)), 1);
	CHECK(strstr(line, "{ relabelfrom } for source=d32754 target=d9 ") != NULL);
	CHECK_EQ(flask_domain_sid(&d), final);
	CHECK_EQ(xsm_free_security_domain(&d), 0);
}

/*
 * dom0's label is one domain's only (Xen 4.17's rule): the first domain
 * created under it gets it, the next one -EINVAL after the create check,
 * and no relabel gives it away again. No earlier case creates a domain
 * under it (t_flask_domain_life's attempt is denied by the create check).
 */
static void t_flask_dom0_singleton(void)
{
	uint32_t dom0, building;
	struct domain a = {0}, b = {0};

	CHECK_EQ(boot_flask(), 0);
	dom0 = sid_of("system_u:system_r:dom0_t");
	building = sid_of("system_u:system_r:nomigrate_t_building");
	run_as(-1);
	a.domain_id = 10;
	b.domain_id = 11;
	CHECK_EQ(xsm_alloc_security_domain(&a), 0);
	CHECK_EQ(xsm_alloc_security_domain(&b), 0);
	CHECK_EQ(xsm_domain_create(&a, dom0), 0);
	CHECK_EQ(flask_domain_sid(&a), dom0);
	CHECK_EQ(xsm_domain_create(&b, dom0), -EINVAL);
	CHECK(flask_domain_sid(&b) != dom0);
	CHECK_EQ(xsm_domain_create(&b, building), 0);
	CHECK_EQ(xsm_domain_relabel(&b, dom0), -EACCES);
	CHECK_EQ(flask_domain_sid(&b), building);
	CHECK_EQ(xsm_free_security_domain(&a), 0);
	CHECK_EQ(xsm_free_security_domain(&b), 0);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: xsm-unit POLICY TEST_POLICY\n");
		return 2;
	}
	policy = read_file(argv[1], &policy_size);
	test_policy = read_file(argv[2], &test_policy_size);
	if (!policy || !test_policy) {
		printf("FAIL: xsm-unit: cannot read the policies\n");
		return 1;
	}
	fake_guest_map(guest, GVA, sizeof(guest), true);
	setup_domains();
	run("dummy: default actions (hook, target, priv, dm, xs)", t_dummy_actions);
	run("dummy: hooks decide as Xen's default, -EPERM", t_dummy_hooks);
	run("silo: guests talk only to themselves and dom0", t_silo);
	run("flask: boot with the default policy, labels xenboot_t then xen_t", t_flask_boot);
	run("flask: initial SID numbers are Xen 4.17's", t_flask_isids);
	run("flask: the inline AVC hit path keeps the statistics", t_flask_hit_stats);
	run("flask: a hook off its vcpu's CPU is reported once", t_flask_hook_cpu_rule);
	run("flask: dom0_label= relabels dom0, unknown label stops the boot", t_flask_dom0_label);
	run("flask: enforcing with a bad policy module stops the boot",
	    t_flask_bad_policy_enforcing);
	run("flask: late enforces nothing until the first load", t_flask_late);
	run("flask: late with dom0_label= labels dom0 at the first load", t_flask_late_label);
	run("flask: disabled is the dummy module", t_flask_disabled);
	run("xsm: the policy module is found by its magic", t_multiboot_policy);
	run("xsm: xsm_boot hands the policy module to the picked module; errors come back",
	    t_xsm_boot);
	run("xsm: every registered module boots by its xsm= value", t_xsm_modules);
	run("flask: xsm_boot_done moves the hypervisor to xen_t", t_flask_boot_done);
	run("flask: every domctl and sysctl sub-op asks its class:permission",
	    t_flask_subop_mapping);
	run("flask: PV hooks ask their class:permission", t_flask_hook_mapping);
	run("flask: a denial writes exactly one AVC line", t_flask_audit_line);
	run("flask: dontaudit suppresses the line", t_flask_dontaudit);
	run("flask: permissive allows and logs", t_flask_permissive);
	run("flask: cached decisions follow booleans, loads and relabels",
	    t_flask_cache_invalidation);
	run("flask: a channel's memoised send follows booleans, loads and relabels",
	    t_flask_send_memo);
	run("flask: denials are rate limited per domain with a summary", t_flask_ratelimit);
	run("flask: a boolean flip changes the decision without a reload", t_flask_boolean);
	run("flask: resources labelled by object contexts", t_flask_resources);
	run("flask: domain security blob and domain_create", t_flask_domain_life);
	run("flask: a boot-time relabel asks relabelfrom, relabelto, transition",
	    t_flask_domain_relabel);
	run("flask: dom0's label is created once, then -EINVAL", t_flask_dom0_singleton);
	run("flask_op: version, removed sub-ops, queries, AVC statistics", t_op_basic);
	run("flask_op: setenforce guarded and effective", t_op_setenforce);
	run("flask_op: context_to_sid / sid_to_context round trip, ERANGE, EMSGSIZE",
	    t_op_contexts);
	run("flask_op: access equals the security server; create/member/relabel", t_op_access);
	run("flask_op: getbool/setbool/commitbools", t_op_bools);
	run("flask_op: load (refused for domU, corrupt refused, old stays)", t_op_load);
	run("flask_op: add/del ocontext, devicetree_label", t_op_ocontext);
	run("flask_op: relabel_domain", t_op_relabel);
	run("flask_op: 20000 random requests from dom0 neither crash nor break the policy",
	    t_op_random);
	run("sysctl: readconsole (version, guard, incremental, small buffer)",
	    t_sysctl_readconsole);
	printf("xsm-unit: %d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
