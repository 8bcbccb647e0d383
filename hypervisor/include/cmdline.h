/*
 * The hypervisor command line (from the multiboot2 boot loader).
 *
 * Tokens are separated by spaces, "name" or "name=value"; no quoting.
 * An unknown option, a bad value or an overlong value is reported with
 * pr_warn and otherwise ignored: a typo must never stop the machine booting.
 * Later occurrences of an option override earlier ones.
 */
#ifndef PALISADE_CMDLINE_H
#define PALISADE_CMDLINE_H

#include <types.h>

enum flask_mode {
	FLASK_ENFORCING,
	FLASK_PERMISSIVE,
	FLASK_LATE,
	FLASK_DISABLED,
};

enum xsm_choice {
	XSM_FLASK,
	XSM_DUMMY,
	XSM_SILO,
};

struct boot_options {
	char console[32];	 /* console=    e.g. "com1" */
	int loglvl;		 /* loglvl=     err|warn|info|debug or 0..3 */
	size_t conring_size;	 /* conring_size= 4K..64M */
	uint64_t dom0_mem;	 /* dom0_mem=   0: all RAM but the hypervisor's reserve */
	enum flask_mode flask;	 /* flask=      enforcing|permissive|late|disabled */
	enum xsm_choice xsm;	 /* xsm=        flask|dummy|silo */
	bool noreboot;		 /* noreboot, noreboot=0|1|no|yes|off|on|false|true */
	char dom0_label[128];	 /* dom0_label= security context of dom0 */
	bool nosmp;		 /* nosmp: the boot CPU only */
	int maxcpus;		 /* maxcpus=    1..4096 CPUs at most, boot CPU included; 0: all */
	char dom0_max_vcpus[32]; /* dom0_max_vcpus= N | MIN-MAX (cmdline_dom0_vcpus) */
	bool evtchn_fifo;	 /* evtchn_fifo=0|1: offer the FIFO event-channel ABI */
};

#define CONRING_SIZE_DEFAULT (64UL * 1024)
#define CONRING_SIZE_MIN (4UL * 1024)
#define CONRING_SIZE_MAX (64UL * 1024 * 1024)

/* Statically initialised with the defaults. */
extern struct boot_options boot_opts;

/*
 * Defaults: console "com1", LOG_INFO, 64K, dom0_mem 0, enforcing, flask, false, "",
 * nosmp false, maxcpus 0, dom0_max_vcpus "", evtchn_fifo true.
 */
void cmdline_defaults(struct boot_options *opts);

/*
 * The whole command line as the boot loader gave it ("" before it is
 * parsed); XENVER_commandline hands it to guests the policy allows.
 */
const char *hypervisor_cmdline(void);

/* Applies the options found in cmdline (may be NULL) on top of *opts. */
void cmdline_parse(const char *cmdline, struct boot_options *opts);

/*
 * dom0's vcpu count from dom0_max_vcpus= (Xen's syntax): "N" gives N;
 * "MIN-MAX", "MIN-" or "-MAX" give nr_cpus (the host's CPUs) kept within
 * the bounds; "" (not given) gives 1. Counts are 1..max. 0 and *out, or
 * -EINVAL with err saying what is wrong (the boot stops on it).
 */
int cmdline_dom0_vcpus(const char *spec, unsigned int nr_cpus, unsigned int max, unsigned int *out,
		       char *err, size_t errlen);

#endif /* PALISADE_CMDLINE_H */
