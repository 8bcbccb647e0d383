/*
 * Boot-time domain descriptions (dom0less / hyperlaunch): the arguments
 * of a boot module that begin with "domain=NAME", e.g.
 *
 *   domain=web memory=32M vcpus=1 seclabel=system_u:system_r:domU_t -- console=hvc0
 *
 * cpus=LIST (e.g. "1" or "0-1,3") is the hard affinity of every vcpu of
 * the domain: CPU numbers below NR_CPUS, ranges rising. target=ID makes
 * the domain the device model of domain ID (Xen's set_target), which must
 * be built already (an earlier module).
 *
 * max_evtchn_port=N is the highest event-channel port it may bind (Xen's
 * max_evtchn_port, xl's max_event_channels less one): 1..131071; the
 * default is 1023, and the 2-level ABI stops at 4095 whatever N is.
 *
 * Words are separated by spaces; the words after a lone "--" are the
 * guest's own command line. A module whose arguments are "ramdisk=NAME"
 * is the initrd of the domain of that name. Parsing only reads text: it
 * allocates nothing and touches no domain, so a malformed description
 * leaves nothing behind.
 */
#ifndef PALISADE_BOOTDOMAIN_H
#define PALISADE_BOOTDOMAIN_H

#include <arch/smp.h>
#include <types.h>

#define BOOTDOM_NAME_MAX 32
#define BOOTDOM_LABEL_MAX 128
#define BOOTDOM_CMDLINE_MAX 1024 /* start_info.cmd_line */

/* What happens when the domain shuts down with that reason (Xen's on_*). */
enum bootdom_action {
	BOOTDOM_DESTROY,
	BOOTDOM_RESTART,
	BOOTDOM_PRESERVE,
};

struct bootdom_desc {
	char name[BOOTDOM_NAME_MAX];
	uint64_t memory;		       /* bytes; required */
	uint64_t maxmem;		       /* bytes; memory when not given */
	unsigned int vcpus;		       /* 1 unless given */
	unsigned int weight;		       /* 0 = the scheduler's default */
	unsigned int cap;		       /* percent of one CPU, 0 = none */
	cpumask_t cpus;			       /* cpus=: where its vcpus may run; 0 = any */
	unsigned int max_evtchn_port;	       /* highest event-channel port; 0 = default */
	unsigned int max_grant_frames;	       /* its grant table's limit in frames */
	char seclabel[BOOTDOM_LABEL_MAX];      /* "" = the policy's default domU label */
	char init_seclabel[BOOTDOM_LABEL_MAX]; /* "" = built under seclabel */
	enum bootdom_action on_poweroff, on_reboot, on_crash;
	bool has_target;     /* target= given */
	unsigned int target; /* target=: the id it is device model for */
	char cmdline[BOOTDOM_CMDLINE_MAX];
};

/* True when args begin with "domain=": the module describes a boot-time domain. */
bool bootdom_is_description(const char *args);

/*
 * If args are "ramdisk=NAME", copies NAME into name (size bytes) and
 * returns true.
 */
bool bootdom_ramdisk_of(const char *args, char *name, size_t size);

/*
 * Parses a description into d. 0, or -EINVAL / -ERANGE with err (errlen
 * bytes) naming the offending word; d is then unspecified.
 */
int bootdom_parse(const char *args, struct bootdom_desc *d, char *err, size_t errlen);

#endif /* PALISADE_BOOTDOMAIN_H */
