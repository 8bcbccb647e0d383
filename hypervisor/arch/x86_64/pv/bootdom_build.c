/*
 * Boot-time domains (dom0less / hyperlaunch): every boot module whose
 * arguments begin with "domain=" describes a domU that the hypervisor
 * builds at boot (common/bootdomain.c parses the words), with the module
 * "ramdisk=NAME" as its initrd. They get domain ids from 1 in module
 * order (one that is not started takes none) and go through domain_create_labelled, the XSM
 * domain_create check a toolstack's createdomain gets. A description that does not parse, or a
 * domain that cannot be built or that XSM refuses, is reported in one line and skipped: the others
 * still start.
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
#include <sched.h>

#include <xsm/xsm.h>

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

unsigned int bootdom_start_all(const struct mb2_module *mods, size_t nr)
{
	/* Static: a description holds a 1 KiB command line, too much for the boot stack. */
	static struct bootdom_desc desc;
	struct dom0_module kernel, initrd;
	const struct mb2_module *rd;
	struct dom0_entry entry;
	unsigned int built = 0;
	uint16_t id = 1;
	char err[160];
	size_t i;
	int rc;

	for (i = 0; i < nr; i++) {
		if (xsm_module_is_policy(i) || !bootdom_is_description(mods[i].cmdline)) {
			continue;
		}
		rc = bootdom_parse(mods[i].cmdline, &desc, err, sizeof(err));
		if (rc) {
			pr_err("bootdomain: module %zu not started: %s\n", i, err);
			continue;
		}
		/*
		 * Building under one label and relabelling is a security step:
		 * a description asking for it is refused, not quietly built
		 * under its final label, until the relabel is implemented.
		 */
		if (desc.init_seclabel[0]) {
			pr_err("d%u (%s): not started: init_seclabel= is not supported yet\n", id,
			       desc.name);
			continue;
		}
		if (desc.on_poweroff != BOOTDOM_DESTROY || desc.on_reboot != BOOTDOM_DESTROY ||
		    desc.on_crash != BOOTDOM_DESTROY) {
			pr_warn("d%u (%s): on_*= actions are not honoured yet: the domain is "
				"destroyed when it stops\n",
				id, desc.name);
		}
		/* Checked before building, so a refusal leaves nothing behind. */
		if (desc.cpus && !(desc.cpus & arch_cpu_online_mask())) {
			pr_err(
			    "d%u (%s): not started: cpus= names no online CPU (mask %#llx, online "
			    "%#llx)\n",
			    id, desc.name, (unsigned long long)desc.cpus,
			    (unsigned long long)arch_cpu_online_mask());
			continue;
		}
		module_data(&mods[i], &kernel);
		rd = ramdisk_of(mods, nr, desc.name);
		if (rd) {
			module_data(rd, &initrd);
		}
		rc = domu_build(id, &desc, &kernel, rd ? &initrd : NULL, &entry, err, sizeof(err));
		if (rc) {
			/* Nothing of it is left, so the next domain may take its id. */
			pr_err("d%u (%s): not started: %s\n", id, desc.name, err);
			continue;
		}
		pr_info("d%u (%s): built, %llu MiB, label %s, command line \"%s\"\n", id, desc.name,
			(unsigned long long)(desc.memory >> 20),
			desc.seclabel[0] ? desc.seclabel : "(default)", desc.cmdline);
		/* Cannot fail: an online CPU is in the mask (checked above). */
		if (desc.cpus) {
			for (unsigned int v = 0; v < entry.d->max_vcpus; v++) {
				if (entry.d->vcpu[v]) {
					sched_set_affinity(entry.d->vcpu[v], desc.cpus);
				}
			}
		}
		vcpu_prepare_start(entry.d->vcpu[0], entry.rip, entry.rsp, entry.rsi);
		built++;
		id++;
	}
	return built;
}
