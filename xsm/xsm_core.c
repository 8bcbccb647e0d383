/*
 * The XSM core: find the policy module, boot the module xsm= names and
 * install its hook table; the xsm_op hypercall entry.
 *
 * It knows the ops table and the registered modules (xsm/modules.c), and
 * no module by name: each module boots itself and prints its own lines.
 * A failed boot comes back as an errno and a reason; stopping the machine
 * is the caller's business.
 */
#include <xsm/xsm.h>

#include <cmdline.h>
#include <console.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>

unsigned long xsm_denials;

static const struct xsm_module *active;
static const void *boot_policy;
static size_t boot_policy_size;
/* Index of the policy module among the boot modules, or -1. */
static long policy_module = -1;

const char *xsm_module_name(void)
{
	return (active ? active : xsm_default_module)->name;
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

/* The registered module that calls @data its policy, or NULL. */
static const struct xsm_module *policy_owner(const void *data, size_t size)
{
	const struct xsm_module *const *m;

	for (m = xsm_modules; *m; m++) {
		if ((*m)->is_policy && (*m)->is_policy(data, size)) {
			return *m;
		}
	}
	return NULL;
}

/*
 * Every module is asked, not only the one xsm= picks: a policy module must
 * not become dom0's kernel or initrd under xsm=dummy either.
 */
void xsm_multiboot_policy_init(const struct xsm_boot_module *mods, size_t nr)
{
	size_t i;

	policy_module = -1;
	xsm_set_boot_policy(NULL, 0);
	for (i = 0; i < nr; i++) {
		const struct xsm_module *owner = policy_owner(mods[i].data, mods[i].size);

		if (owner) {
			policy_module = (long)i;
			xsm_set_boot_policy(mods[i].data, mods[i].size);
			pr_info("XSM: module %zu is a %s policy (%zu bytes)\n", i,
				owner->policy_name, mods[i].size);
			return;
		}
	}
}

static const struct xsm_module *module_for(enum xsm_choice choice)
{
	const struct xsm_module *const *m;

	for (m = xsm_modules; *m; m++) {
		if ((*m)->choice == choice) {
			return *m;
		}
	}
	return NULL;
}

int xsm_init(char *why, size_t whylen)
{
	const struct xsm_module *m = module_for(boot_opts.xsm);
	const struct xsm_ops *ops = NULL;
	int rc;

	why[0] = '\0';
	/* Until the picked module has booted, the default module decides. */
	active = xsm_default_module;
	xsm_ops = *xsm_default_module->ops;
	if (!m) {
		snprintf(why, whylen, "XSM: no module for xsm=%d in this build",
			 (int)boot_opts.xsm);
		return -ENOENT;
	}
	rc = m->boot(boot_policy, boot_policy_size, &ops, why, whylen);
	if (rc) {
		return rc;
	}
	if (ops) {
		active = m;
		xsm_ops = *ops;
	}
	return 0;
}

int xsm_boot(const struct xsm_boot_module *mods, size_t nr, char *why, size_t whylen)
{
	xsm_multiboot_policy_init(mods, nr);
	return xsm_init(why, whylen);
}

void xsm_boot_done(void)
{
	if (active && active->boot_done) {
		active->boot_done();
	}
}

void xsm_cpu_quiescent(void)
{
	const struct xsm_module *m = __atomic_load_n(&active, __ATOMIC_ACQUIRE);

	if (m && m->quiescent) {
		m->quiescent();
	}
}

long do_xsm_op(uint64_t op)
{
	return xsm_do_xsm_op(op);
}
