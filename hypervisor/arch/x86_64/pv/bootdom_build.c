/*
 * Boot-time domains (dom0less / hyperlaunch): every boot module whose
 * arguments begin with "domain=" describes a domU that the hypervisor
 * builds at boot (common/bootdomain.c parses the words), with the module
 * "ramdisk=NAME" as its initrd. They get domain ids from 1 in module
 * order (one that is not started takes none) and go through domain_create_labelled, the XSM
 * domain_create check a toolstack's createdomain gets. A description that does not parse, or a
 * domain that cannot be built or that XSM refuses, is reported in one line and skipped: the others
 * still start.
 *
 * init_seclabel= builds the domain under that label and relabels it to
 * seclabel= before it first runs, through the XSM domain_relabel check
 * (relabelfrom, relabelto, transition: Xen's relabel of another domain,
 * which xl does for init_seclabel); a refused relabel destroys it.
 *
 * on_*=restart: domain_reap destroys the domain completely, then calls
 * bootdom_restart, which builds it again from the same module under the
 * same id (free again by then) and the same labels.
 */
#include <arch/smp.h>
#include <asm/dom0_build.h>
#include <asm/layout.h>
#include <asm/multiboot2.h>
#include <asm/pv.h>
#include <bootdomain.h>
#include <console.h>
#include <domain.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <sched.h>
#include <xencons.h>

#include <xsm/xsm.h>

/* The loader's modules, which stay in place: restarts build from them again. */
static const struct mb2_module *boot_mods;
static size_t boot_nr;

static void module_data(const struct mb2_module *m, struct dom0_module *out)
{
	out->data = (const void *)(DIRECTMAP_VIRT_START + m->start);
	out->size = m->end - m->start;
	out->cmdline = m->cmdline;
}

/* The module "ramdisk=NAME" of the domain called name, or NULL. */
static const struct mb2_module *ramdisk_of(const struct mb2_module *mods, size_t nr,
					   const char *name)
{
	char rd[BOOTDOM_NAME_MAX];
	size_t i;

	for (i = 0; i < nr; i++) {
		if (bootdom_ramdisk_of(mods[i].cmdline, rd, sizeof(rd)) && !strcmp(rd, name)) {
			return &mods[i];
		}
	}
	return NULL;
}

static uint8_t exit_action(enum bootdom_action a)
{
	switch (a) {
	case BOOTDOM_RESTART:
		return DOMAIN_EXIT_RESTART;
	case BOOTDOM_PRESERVE:
		return DOMAIN_EXIT_PRESERVE;
	default:
		return DOMAIN_EXIT_DESTROY;
	}
}

/*
 * init_seclabel=: the built domain, which has not run, takes its final
 * label. 0, or a negative errno with err saying why (the caller destroys it).
 */
static int relabel(struct domain *d, const struct bootdom_desc *desc, char *err, size_t errlen)
{
	uint32_t sid;
	int rc;

	if (xsm_security_context_to_sid(desc->seclabel, &sid)) {
		snprintf(err, errlen, "seclabel=%s is not a context of the policy", desc->seclabel);
		return -EINVAL;
	}
	rc = xsm_domain_relabel(d, sid);
	if (rc) {
		snprintf(err, errlen, "XSM refused to relabel it from %s to %s (%d)",
			 desc->init_seclabel, desc->seclabel, rc);
	}
	return rc;
}

/*
 * target=: d becomes the device model of an already built domain, if XSM
 * allows it (FLASK: domain2 make_priv_for on d, domain2 set_as_target on
 * the target for the hypervisor, domain set_target from d to the target).
 * 0, or a negative errno with err saying why (the caller destroys d).
 */
static int set_target(struct domain *d, const struct bootdom_desc *desc, char *err, size_t errlen)
{
	struct domain *t = desc->target == d->domain_id ? NULL : domain_lookup(desc->target);
	int rc;

	if (!t || t->is_dying) {
		snprintf(err, errlen,
			 "target=%u: no such domain (a target is built before its "
			 "device model)",
			 desc->target);
		return -ESRCH;
	}
	rc = xsm_set_target(d, t);
	if (rc) {
		snprintf(err, errlen, "XSM refused to make it the device model of d%u (%d)",
			 desc->target, rc);
		return rc;
	}
	d->target = t;
	return 0;
}

/*
 * Builds the domain module i describes (desc, parsed) as id and makes it
 * runnable. 0, or a negative errno after one line saying why; nothing of
 * the domain is left then.
 */
static int start_one(size_t i, domid_t id, const struct bootdom_desc *desc)
{
	struct dom0_module kernel, initrd;
	const struct mb2_module *rd;
	struct dom0_entry entry;
	char err[192];
	bool built;
	int rc;

	/* Checked before building, so a refusal leaves nothing behind. */
	if (desc->cpus && !(desc->cpus & arch_cpu_online_mask())) {
		pr_err("d%u (%s): not started: cpus= names no online CPU (mask %#llx, online "
		       "%#llx)\n",
		       id, desc->name, (unsigned long long)desc->cpus,
		       (unsigned long long)arch_cpu_online_mask());
		return -EINVAL;
	}
	module_data(&boot_mods[i], &kernel);
	rd = ramdisk_of(boot_mods, boot_nr, desc->name);
	if (rd) {
		module_data(rd, &initrd);
	}
	rc = domu_build(id, desc, &kernel, rd ? &initrd : NULL, &entry, err, sizeof(err));
	/* A failed build left nothing; a refusal after it must take the domain down. */
	built = !rc;
	if (!rc && desc->init_seclabel[0]) {
		rc = relabel(entry.d, desc, err, sizeof(err));
	}
	if (!rc && desc->has_target) {
		rc = set_target(entry.d, desc, err, sizeof(err));
	}
	if (rc && built) {
		/* Built but refused: its console's references go before its frames. */
		xencons_detach(entry.d);
		mm_domain_teardown(entry.d);
		domain_destroy(entry.d);
	}
	if (rc) {
		/* Nothing of it is left, so the next domain may take its id. */
		pr_err("d%u (%s): not started: %s\n", id, desc->name, err);
		return rc;
	}
	entry.d->on_exit[0] = exit_action(desc->on_poweroff);
	entry.d->on_exit[1] = exit_action(desc->on_reboot);
	entry.d->on_exit[2] = exit_action(desc->on_crash);
	entry.d->restart_cookie = i;
	if (desc->init_seclabel[0]) {
		pr_info("d%u (%s): built, %llu MiB, label %s (built as %s), command line \"%s\"\n",
			id, desc->name, (unsigned long long)(desc->memory >> 20), desc->seclabel,
			desc->init_seclabel, desc->cmdline);
	} else {
		pr_info("d%u (%s): built, %llu MiB, label %s, command line \"%s\"\n", id,
			desc->name, (unsigned long long)(desc->memory >> 20),
			desc->seclabel[0] ? desc->seclabel : "(default)", desc->cmdline);
	}
	/* Cannot fail: an online CPU is in the mask (checked above). */
	if (desc->cpus) {
		for (unsigned int v = 0; v < entry.d->max_vcpus; v++) {
			if (entry.d->vcpu[v]) {
				sched_set_affinity(entry.d->vcpu[v], desc->cpus);
			}
		}
	}
	if (entry.d->target) {
		pr_info("d%u (%s): device model of d%u\n", id, desc->name, desc->target);
	}
	vcpu_prepare_start(entry.d->vcpu[0], entry.rip, entry.rsp, entry.rsi);
	return 0;
}

/*
 * domain_reap's restart: the old domain of id is destroyed, its module
 * (cookie) is built again. The description parsed at boot parses the same.
 */
static int bootdom_restart(domid_t id, unsigned long cookie)
{
	/* Static: a description holds a 1 KiB command line, too much for a vcpu's stack. */
	static struct bootdom_desc desc;
	char err[160];

	if (cookie >= boot_nr ||
	    bootdom_parse(boot_mods[cookie].cmdline, &desc, err, sizeof(err))) {
		pr_err("d%u: restart: its description is gone\n", id);
		return -EINVAL;
	}
	pr_info("d%u (%s): restarting from its description\n", id, desc.name);
	return start_one(cookie, id, &desc);
}

unsigned int bootdom_start_all(const struct mb2_module *mods, size_t nr)
{
	/* Static: a description holds a 1 KiB command line, too much for the boot stack. */
	static struct bootdom_desc desc;
	unsigned int built = 0;
	uint16_t id = 1;
	char err[160];
	size_t i;

	boot_mods = mods;
	boot_nr = nr;
	domain_set_restart_handler(bootdom_restart);
	for (i = 0; i < nr; i++) {
		if (xsm_module_is_policy(i) || !bootdom_is_description(mods[i].cmdline)) {
			continue;
		}
		if (bootdom_parse(mods[i].cmdline, &desc, err, sizeof(err))) {
			pr_err("bootdomain: module %zu not started: %s\n", i, err);
			continue;
		}
		if (!start_one(i, id, &desc)) {
			built++;
			id++;
		}
	}
	return built;
}
