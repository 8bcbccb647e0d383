/*
 * XSM boot: find the policy module, pick the module (xsm=, flask=) and
 * install its hook table; the xsm_op hypercall entry.
 */
#include <xsm/xsm.h>

#include <flask/security.h>
#include <xsm/flask/flask.h>

#include <arch/mm.h>
#include <asm/multiboot2.h>
#include <asm/setup.h>
#include <cmdline.h>
#include <console.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>

enum xsm_module { XSM_MOD_DUMMY, XSM_MOD_SILO, XSM_MOD_FLASK };

static enum xsm_module active = XSM_MOD_DUMMY;
static const void *boot_policy;
static size_t boot_policy_size;
/* Index of the policy module among the boot modules, or -1. */
static long policy_module = -1;

const char *xsm_module_name(void)
{
	switch (active) {
	case XSM_MOD_FLASK:
		return "flask";
	case XSM_MOD_SILO:
		return "silo";
	default:
		return "dummy";
	}
}

static bool has_policy_magic(const void *p, size_t size)
{
	uint32_t magic;

	if (size < sizeof(magic)) {
		return false;
	}
	memcpy(&magic, p, sizeof(magic));
	return magic == XSM_POLICY_MAGIC;
}

void xsm_set_boot_policy(const void *data, size_t size)
{
	boot_policy = data;
	boot_policy_size = size;
}

bool xsm_module_is_policy(size_t index)
{
	return policy_module >= 0 && (size_t)policy_module == index;
}

void xsm_multiboot_policy_init(const struct boot_info *bi)
{
	size_t i;

	for (i = 0; i < bi->nr_modules; i++) {
		paddr_t start = bi->modules[i].start;
		size_t size = bi->modules[i].end - start;
		const uint8_t *p;

		if (size < 4) {
			continue;
		}
		p = (const uint8_t *)arch_mfn_to_virt(_mfn(start >> PAGE_SHIFT)) +
		    (start & ~PAGE_MASK);
		if (has_policy_magic(p, size)) {
			policy_module = (long)i;
			xsm_set_boot_policy(p, size);
			pr_info("XSM: module %zu is a FLASK policy (%zu bytes)\n", i, size);
			return;
		}
	}
}

static const char *const flask_mode_names[] = {
    [FLASK_MODE_ENFORCING] = "enforcing",
    [FLASK_MODE_PERMISSIVE] = "permissive",
    [FLASK_MODE_LATE] = "late",
    [FLASK_MODE_DISABLED] = "disabled",
};

static void print_dom0_label(void)
{
	char ctx[256];
	size_t len;

	if (!flask_active()) {
		pr_info("FLASK: dom0 is labelled when the policy is loaded\n");
		return;
	}
	if (security_sid_to_context(flask_dom0_sid(), ctx, sizeof(ctx), &len) == 0) {
		pr_info("FLASK: dom0 label %s\n", ctx);
	}
}

static int flask_boot(void)
{
	const void *policy = boot_policy;
	size_t size = boot_policy_size;
	const char *source = "boot module";
	char why[160];
	int rc;

	switch (boot_opts.flask) {
	case FLASK_PERMISSIVE:
		flask_boot_mode = FLASK_MODE_PERMISSIVE;
		break;
	case FLASK_LATE:
		flask_boot_mode = FLASK_MODE_LATE;
		break;
	case FLASK_DISABLED:
		flask_boot_mode = FLASK_MODE_DISABLED;
		break;
	default:
		flask_boot_mode = FLASK_MODE_ENFORCING;
		break;
	}
	if (flask_boot_mode == FLASK_MODE_DISABLED) {
		pr_info("XSM: flask=disabled: dummy module\n");
		return 0;
	}
	if (!policy) {
		policy = flask_builtin_policy;
		size = (size_t)(flask_builtin_policy_end - flask_builtin_policy);
		source = "built-in default";
	}
	rc = flask_init(policy, size, boot_opts.dom0_label, why, sizeof(why));
	if (rc && flask_boot_mode == FLASK_MODE_ENFORCING) {
		char msg[256];

		snprintf(msg, sizeof(msg),
			 "FLASK: flask=enforcing and no usable policy (%s: %s): stopping", source,
			 why);
		boot_fail(msg);
	}
	if (rc) {
		pr_err("FLASK: %s policy refused (%s); nothing is enforced until a policy is "
		       "loaded\n",
		       source, why);
	}
	active = XSM_MOD_FLASK;
	xsm_ops = xsm_flask_ops;
	if (flask_boot_mode == FLASK_MODE_LATE) {
		pr_info("XSM: FLASK late: no boot policy, enforcing after the first load\n");
	} else if (!rc) {
		pr_info("XSM: FLASK %s, policy %s (%zu bytes, version %u%s)\n",
			flask_mode_names[flask_boot_mode], source, size, security_policyvers(),
			security_mls_enabled() ? ", MLS" : "");
	}
	print_dom0_label();
	return 0;
}

int xsm_init(void)
{
	active = XSM_MOD_DUMMY;
	xsm_ops = xsm_dummy_ops;
	switch (boot_opts.xsm) {
	case XSM_DUMMY:
		pr_info("XSM: dummy module\n");
		return 0;
	case XSM_SILO:
		active = XSM_MOD_SILO;
		xsm_silo_install(&xsm_ops);
		pr_info("XSM: silo module\n");
		return 0;
	default:
		return flask_boot();
	}
}

void xsm_boot(const struct boot_info *bi)
{
	xsm_multiboot_policy_init(bi);
	xsm_init();
}

void xsm_boot_done(void)
{
	if (active == XSM_MOD_FLASK) {
		flask_boot_done();
		pr_info("FLASK: boot done: the hypervisor runs as xen_t\n");
	}
}

long do_xsm_op(uint64_t op)
{
	if (active != XSM_MOD_FLASK) {
		return -ENOSYS;
	}
	return flask_do_op(op);
}
