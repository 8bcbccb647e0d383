/*
 * The FLASK module's boot: flask= (enforcing, permissive, late, disabled),
 * the boot policy (a policy module, else the one built into the image),
 * dom0_label=, and the lines the boot log shows; its module record.
 */
#include <xsm/flask/flask.h>

#include <flask/security.h>
#include <xsm/xsm.h>

#include <cmdline.h>
#include <console.h>
#include <lib.h>
#include <public/errno.h>

/* The first word of a binary SELinux-format policy (flask/policydb.h's POLICYDB_MAGIC). */
#define FLASK_POLICY_MAGIC 0xf97cff8cU

static const char *const flask_mode_names[] = {
    [FLASK_MODE_ENFORCING] = "enforcing",
    [FLASK_MODE_PERMISSIVE] = "permissive",
    [FLASK_MODE_LATE] = "late",
    [FLASK_MODE_DISABLED] = "disabled",
};

static bool flask_is_policy(const void *data, size_t size)
{
	uint32_t magic;

	if (size < sizeof(magic)) {
		return false;
	}
	memcpy(&magic, data, sizeof(magic));
	return magic == FLASK_POLICY_MAGIC;
}

static enum flask_boot_mode mode_of(enum flask_mode opt)
{
	switch (opt) {
	case FLASK_PERMISSIVE:
		return FLASK_MODE_PERMISSIVE;
	case FLASK_LATE:
		return FLASK_MODE_LATE;
	case FLASK_DISABLED:
		return FLASK_MODE_DISABLED;
	default:
		return FLASK_MODE_ENFORCING;
	}
}

/* "FLASK: WHAT label CONTEXT", the context the policy gives sid. */
static void print_label(const char *what, uint32_t sid)
{
	char ctx[256];
	size_t len;

	if (security_sid_to_context(sid, ctx, sizeof(ctx), &len) == 0) {
		pr_info("FLASK: %s label %s\n", what, ctx);
	}
}

static void print_boot_labels(void)
{
	if (!flask_active()) {
		pr_info("FLASK: dom0 is labelled when the policy is loaded\n");
		return;
	}
	print_label("hypervisor", flask_xen_sid());
	print_label("dom0", flask_dom0_sid());
}

/*
 * Only flask=enforcing stops the boot over a policy: permissive and late
 * go on, enforcing nothing, so that a bad policy can be replaced from dom0.
 */
static int flask_module_boot(const void *boot_policy, size_t boot_size, const struct xsm_ops **ops,
			     char *why, size_t whylen)
{
	const void *policy = boot_policy;
	size_t size = boot_size;
	const char *source = "boot module";
	char reason[160];
	int rc;

	flask_boot_mode = mode_of(boot_opts.flask);
	if (flask_boot_mode == FLASK_MODE_DISABLED) {
		pr_info("XSM: flask=disabled: dummy module\n");
		return 0; /* declined: the default module decides */
	}
	if (!policy) {
		policy = flask_builtin_policy;
		size = (size_t)(flask_builtin_policy_end - flask_builtin_policy);
		source = "built-in default";
	}
	rc = flask_init(policy, size, boot_opts.dom0_label, reason, sizeof(reason));
	if (rc && flask_boot_mode == FLASK_MODE_ENFORCING) {
		snprintf(why, whylen,
			 "FLASK: flask=enforcing and no usable policy (%s: %s): stopping", source,
			 reason);
		return rc;
	}
	if (rc) {
		pr_err("FLASK: %s policy refused (%s); nothing is enforced until a policy is "
		       "loaded\n",
		       source, reason);
	} else if (flask_dom0_label_refusal()[0]) {
		/* The policy is fine; the label asked for is not one of its contexts. */
		if (flask_boot_mode == FLASK_MODE_ENFORCING) {
			snprintf(
			    why, whylen,
			    "FLASK: dom0_label=%s is not a valid context in the %s policy (%s): "
			    "stopping",
			    boot_opts.dom0_label, source, flask_dom0_label_refusal());
			return -EINVAL;
		}
		pr_err("FLASK: dom0_label=%s is not a valid context in the %s policy (%s); dom0 "
		       "gets the policy's dom0 label\n",
		       boot_opts.dom0_label, source, flask_dom0_label_refusal());
	}
	*ops = &xsm_flask_ops;
	if (flask_boot_mode == FLASK_MODE_LATE) {
		pr_info("XSM: FLASK late: no boot policy, enforcing after the first load\n");
	} else if (!rc) {
		pr_info("XSM: FLASK %s, policy %s (%zu bytes, version %u%s)\n",
			flask_mode_names[flask_boot_mode], source, size, security_policyvers(),
			security_mls_enabled() ? ", MLS" : "");
	}
	print_boot_labels();
	return 0;
}

static void flask_module_boot_done(void)
{
	char ctx[256];
	size_t len;

	flask_boot_done();
	if (flask_active() &&
	    security_sid_to_context(flask_xen_sid(), ctx, sizeof(ctx), &len) == 0) {
		pr_info("FLASK: boot done: the hypervisor runs as %s\n", ctx);
	}
}

const struct xsm_module xsm_flask_module = {
    .name = "flask",
    .choice = XSM_FLASK,
    .ops = &xsm_flask_ops,
    .boot = flask_module_boot,
    .boot_done = flask_module_boot_done,
    .quiescent = avc_quiescent,
    .is_policy = flask_is_policy,
    .policy_name = "FLASK",
};
