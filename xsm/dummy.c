/*
 * The dummy XSM module: Xen's default decisions without a policy. The
 * privileged (control) domain may do everything; a domain may act on
 * itself where Xen allows that (XSM_TARGET); the rest is -EPERM.
 *
 * Most hooks are generated from hooks.def; the ones whose decision depends
 * on their arguments (XSM_HOOK_OTHER) are written out below.
 */
#include <xsm/xsm.h>

#include <console.h>
#include <public/errno.h>
#include <public/version.h>
#include <public/xen.h>

int xsm_default_action(enum xsm_default action, const struct domain *src, const struct domain *tgt)
{
	switch (action) {
	case XSM_HOOK:
		return 0;
	case XSM_TARGET:
		if (src && src == tgt) {
			return 0;
		}
		/* fall through */
	case XSM_XS_PRIV:
		if (action != XSM_TARGET && src && xsm_domain_is_xenstore(src)) {
			return 0;
		}
		/* fall through */
	case XSM_DM_PRIV:
		if (src && tgt && xsm_domain_target(src) == tgt) {
			return 0;
		}
		/* fall through */
	case XSM_PRIV:
		if (src && xsm_domain_is_privileged(src)) {
			return 0;
		}
		return -EPERM;
	case XSM_OTHER:
	default:
		/* A hook without a rule of its own: deny rather than guess. */
		return -EPERM;
	}
}

#define XSM_HOOK(name, action, src, tgt, params, args)                                             \
	static int dummy_##name params                                                             \
	{                                                                                          \
		return xsm_default_action(action, src, tgt);                                       \
	}
#define XSM_HOOK_OTHER(name, params, args)
#include "hooks.def"
#undef XSM_HOOK
#undef XSM_HOOK_OTHER

static int dummy_alloc_security_domain(struct domain *d)
{
	return 0;
}

static int dummy_free_security_domain(struct domain *d)
{
	return 0;
}

static int dummy_security_context_to_sid(const char *ctx, uint32_t *sid)
{
	/* No labels without FLASK: every domain gets the default treatment. */
	*sid = 0;
	return 0;
}

static int dummy_dom0_label_reserve(void)
{
	/* No labels, nothing to reserve. */
	return 0;
}

static int dummy_alloc_security_evtchn(struct domain *d, struct evtchn *chn)
{
	return 0;
}

static int dummy_free_security_evtchn(struct evtchn *chn)
{
	return 0;
}

static int dummy_domctl(struct domain *d, uint32_t cmd)
{
	switch (cmd) {
#define XSM_DOMCTL(name, nr, action, cls, perm, status)                                            \
	case nr:                                                                                   \
		return xsm_default_action(action, xsm_current_domain(), d);
#define XSM_DOMCTL_BY(name, nr, action, hook, status) XSM_DOMCTL(name, nr, action, 0, 0, status)
#include "domctl.def"
#undef XSM_DOMCTL
#undef XSM_DOMCTL_BY
	default:
		return xsm_default_action(XSM_PRIV, xsm_current_domain(), d);
	}
}

static int dummy_sysctl(uint32_t cmd)
{
	return xsm_default_action(XSM_PRIV, xsm_current_domain(), XSM_NONE);
}

/*
 * Every guest may write to the hypervisor console (Xen allows that in
 * debug builds; Palisade's test guests report through it); reading the
 * console belongs to the control domain.
 */
static int dummy_console_io(struct domain *d, int cmd)
{
	if (cmd == CONSOLEIO_write) {
		return 0;
	}
	return xsm_default_action(XSM_PRIV, d, XSM_NONE);
}

static int dummy_xen_version(uint32_t cmd)
{
	switch (cmd) {
	case XENVER_version:
	case XENVER_platform_parameters:
	case XENVER_get_features:
	case XENVER_extraversion:
	case XENVER_extraversion2:
	case XENVER_compile_info:
	case XENVER_capabilities:
	case XENVER_capabilities2:
	case XENVER_changeset:
	case XENVER_changeset2:
	case XENVER_pagesize:
	case XENVER_guest_handle:
		return 0;
	default:
		return xsm_default_action(XSM_PRIV, xsm_current_domain(), XSM_NONE);
	}
}

/* The page's owner f and, for a foreign table, the table's owner t. */
static int dummy_mmu_update(struct domain *d, struct domain *t, struct domain *f, uint32_t flags)
{
	int rc = 0;

	if (f && f != xsm_dom_io()) {
		rc = xsm_default_action(XSM_TARGET, d, f);
	}
	if (!rc && t) {
		rc = xsm_default_action(XSM_TARGET, d, t);
	}
	return rc;
}

/* The xsm_op hypercall: without a security server there is nothing to talk to. */
static long dummy_do_xsm_op(uint64_t op)
{
	return -ENOSYS;
}

const struct xsm_ops xsm_dummy_ops = {
#define XSM_HOOK(name, action, src, tgt, params, args) .name = dummy_##name,
#define XSM_HOOK_OTHER(name, params, args) .name = dummy_##name,
#include "hooks.def"
#undef XSM_HOOK
#undef XSM_HOOK_OTHER
};

/* Until xsm_init picks a module, hooks decide as the dummy module does. */
struct xsm_ops xsm_ops = {
#define XSM_HOOK(name, action, src, tgt, params, args) .name = dummy_##name,
#define XSM_HOOK_OTHER(name, params, args) .name = dummy_##name,
#include "hooks.def"
#undef XSM_HOOK
#undef XSM_HOOK_OTHER
};

static int dummy_boot(const void *policy, size_t size, const struct xsm_ops **ops, char *why,
		      size_t whylen)
{
	pr_info("XSM: dummy module\n");
	*ops = &xsm_dummy_ops;
	return 0;
}

const struct xsm_module xsm_dummy_module = {
    .name = "dummy",
    .choice = XSM_DUMMY,
    .ops = &xsm_dummy_ops,
    .boot = dummy_boot,
};
