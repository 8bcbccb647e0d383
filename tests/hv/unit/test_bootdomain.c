/*
 * Host unit tests of hypervisor/common/bootdomain.c: good and malformed
 * boot-time domain descriptions.
 */
#include "hvtest.h"

#include <string.h>

#include <bootdomain.h>
#include <grant_table.h>
#include <public/errno.h>

static struct bootdom_desc d;
static char err[160];

static void t_good(void)
{
	EXPECT_EQ(bootdom_parse("domain=web memory=32M vcpus=1 "
				"seclabel=system_u:system_r:domU_t weight=512 cap=50 "
				"init_seclabel=system_u:system_r:domU_t on_crash=restart "
				"maxmem=64M -- console=hvc0  root=/dev/xvda",
				&d, err, sizeof(err)),
		  0);
	EXPECT_STREQ(d.name, "web");
	EXPECT_EQ(d.memory, 32ULL << 20);
	EXPECT_EQ(d.maxmem, 64ULL << 20);
	EXPECT_EQ(d.vcpus, 1);
	EXPECT_EQ(d.weight, 512);
	EXPECT_EQ(d.cap, 50);
	EXPECT_STREQ(d.seclabel, "system_u:system_r:domU_t");
	EXPECT_STREQ(d.init_seclabel, "system_u:system_r:domU_t");
	EXPECT_EQ(d.on_crash, BOOTDOM_RESTART);
	EXPECT_EQ(d.on_poweroff, BOOTDOM_DESTROY);
	EXPECT_EQ(d.on_reboot, BOOTDOM_RESTART);
	EXPECT_STREQ(d.cmdline, "console=hvc0  root=/dev/xvda");
}

static void t_defaults(void)
{
	EXPECT_EQ(bootdom_parse("domain=a memory=4096K", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.vcpus, 1);
	EXPECT_EQ(d.maxmem, d.memory);
	EXPECT_EQ(d.weight, 0);
	EXPECT_EQ(d.max_grant_frames, GNTTAB_DEFAULT_MAX_FRAMES);
	EXPECT_STREQ(d.seclabel, "");
	EXPECT_STREQ(d.cmdline, "");
	EXPECT(bootdom_is_description("domain=x"));
	EXPECT(!bootdom_is_description("ramdisk=x"));
	EXPECT(!bootdom_is_description(NULL));
}

/* 1..32 vcpus, as many as shared_info has vcpu_info slots. */
static void t_vcpus(void)
{
	EXPECT_EQ(bootdom_parse("domain=a memory=16M vcpus=4", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.vcpus, 4);
	EXPECT_EQ(bootdom_parse("domain=a memory=16M vcpus=32", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.vcpus, 32);
}

/* The grant table's limit: 1..GNTTAB_MAX_FRAMES_LIMIT frames. */
static void t_max_grant_frames(void)
{
	EXPECT_EQ(bootdom_parse("domain=a memory=16M max_grant_frames=4", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.max_grant_frames, 4);
	EXPECT_EQ(bootdom_parse("domain=a memory=16M max_grant_frames=1024", &d, err, sizeof(err)),
		  0);
	EXPECT_EQ(d.max_grant_frames, GNTTAB_MAX_FRAMES_LIMIT);
}

static void t_ramdisk(void)
{
	char name[BOOTDOM_NAME_MAX];

	EXPECT(bootdom_ramdisk_of("ramdisk=web", name, sizeof(name)));
	EXPECT_STREQ(name, "web");
	EXPECT(!bootdom_ramdisk_of("ramdisk=", name, sizeof(name)));
	EXPECT(!bootdom_ramdisk_of("ramdisk=a b", name, sizeof(name)));
	EXPECT(!bootdom_ramdisk_of("domain=web", name, sizeof(name)));
	EXPECT(!bootdom_ramdisk_of("ramdisk=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", name,
				   sizeof(name)));
}

/* Each malformed description is refused with a line that names what is wrong. */
static void t_malformed(void)
{
	static const struct {
		const char *args, *says;
	} bad[] = {
	    {"memory=32M domain=a", "must begin with domain="},
	    {"domain= memory=32M", "bad value for domain"},
	    {"domain=a", "memory= is required"},
	    {"domain=a memory=32M vcpus=33", "vcpus=33: at most 32 vcpus"},
	    {"domain=a memory=32M vcpus=4294967296", "bad value for vcpus"},
	    {"domain=a memory=32M vcpus=0", "bad value for vcpus"},
	    {"domain=a memory=32M vcpus=1x", "bad value for vcpus"},
	    {"domain=a memory=32Q", "bad value for memory"},
	    {"domain=a memory=100", "out of range"},
	    {"domain=a memory=99999999999999999999999M", "bad value for memory"},
	    {"domain=a memory=32M maxmem=16M", "maxmem is below memory"},
	    {"domain=a memory=32M weight=0", "bad value for weight"},
	    {"domain=a memory=32M weight=65536", "bad value for weight"},
	    {"domain=a memory=32M cap=101", "bad value for cap"},
	    {"domain=a memory=32M on_crash=explode", "bad value for on_crash"},
	    {"domain=a memory=32M on_crash=coredump-destroy",
	     "'on_crash=coredump-destroy': action not supported for a boot-time domain"},
	    {"domain=a memory=32M on_reboot=rename-restart",
	     "'on_reboot=rename-restart': action not supported"},
	    {"domain=a memory=32M on_poweroff=coredump-restart",
	     "'on_poweroff=coredump-restart': action not supported"},
	    {"domain=a memory=32M on_crash=soft-reset",
	     "'on_crash=soft-reset': action not supported"},
	    {"domain=a memory=32M on_crash=Destroy", "bad value for on_crash"},
	    {"domain=a memory=32M colour=blue", "'colour': unknown key"},
	    {"domain=a memory=32M memory=16M", "'memory' given twice"},
	    {"domain=a memory=32M stray", "'stray': expected key=value"},
	    {"domain=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa memory=32M", "bad value for domain"},
	    {"domain=a memory=32M seclabel=", "bad value for seclabel"},
	    {"domain=a memory=32M init_seclabel=system_u:system_r:domU_t",
	     "init_seclabel= needs seclabel="},
	    {"domain=a memory=32M cpus=", "'cpus=': bad value for cpus"},
	    {"domain=a memory=32M cpus=3-1", "'cpus=3-1': bad value for cpus"},
	    {"domain=a memory=32M cpus=8", "'cpus=8': bad value for cpus (out of range)"},
	    {"domain=a memory=32M cpus=0-64", "bad value for cpus (out of range)"},
	    {"domain=a memory=32M cpus=1,", "'cpus=1,': bad value for cpus"},
	    {"domain=a memory=32M cpus=,1", "'cpus=,1': bad value for cpus"},
	    {"domain=a memory=32M cpus=1-", "'cpus=1-': bad value for cpus"},
	    {"domain=a memory=32M cpus=x", "'cpus=x': bad value for cpus"},
	    {"domain=a memory=32M cpus=1 cpus=2", "'cpus' given twice"},
	    {"domain=a memory=32M max_evtchn_port=4294967296", "bad value for max_evtchn_port"},
	    {"domain=a memory=32M max_evtchn_port=-1", "bad value for max_evtchn_port"},
	    {"domain=a memory=32M max_evtchn_port=", "bad value for max_evtchn_port"},
	    {"domain=a memory=32M max_evtchn_port=1 max_evtchn_port=2",
	     "'max_evtchn_port' given twice"},
	    {"domain=a memory=32M target=", "'target=': bad value for target"},
	    {"domain=a memory=32M target=x", "'target=x': bad value for target"},
	    {"domain=a memory=32M target=-1", "'target=-1': bad value for target"},
	    {"domain=a memory=32M target=32752",
	     "'target=32752': bad value for target (out of range)"},
	    {"domain=a memory=32M target=1 target=2", "'target' given twice"},
	    {"domain=a memory=32M max_grant_frames=0",
	     "'max_grant_frames=0': bad value for max_grant_frames (out of range)"},
	    {"domain=a memory=32M max_grant_frames=1025",
	     "bad value for max_grant_frames (out of range)"},
	    {"domain=a memory=32M max_grant_frames=4k", "'max_grant_frames=4k': bad value"},
	    {"domain=a memory=32M max_evtchn_port=0",
	     "bad value for max_evtchn_port (out of range)"},
	    {"domain=a memory=32M max_evtchn_port=131072",
	     "bad value for max_evtchn_port (out of range)"},
	    {"domain=a memory=32M max_evtchn_port=5k", "bad value for max_evtchn_port"},
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (bootdom_parse(bad[i].args, &d, err, sizeof(err)) != -EINVAL ||
		    !strstr(err, bad[i].says)) {
			hvt_fail(__FILE__, __LINE__, "\"%s\": got \"%s\", want \"%s\"", bad[i].args,
				 err, bad[i].says);
		}
	}
}

/* The three actions a boot-time domain honours, each under each key. */
static void t_actions(void)
{
	EXPECT_EQ(bootdom_parse("domain=a memory=4M on_poweroff=preserve on_reboot=destroy "
				"on_crash=restart",
				&d, err, sizeof(err)),
		  0);
	EXPECT_EQ(d.on_poweroff, BOOTDOM_PRESERVE);
	EXPECT_EQ(d.on_reboot, BOOTDOM_DESTROY);
	EXPECT_EQ(d.on_crash, BOOTDOM_RESTART);
	EXPECT_EQ(bootdom_parse("domain=a memory=4M on_poweroff=restart on_reboot=preserve "
				"on_crash=destroy",
				&d, err, sizeof(err)),
		  0);
	EXPECT_EQ(d.on_poweroff, BOOTDOM_RESTART);
	EXPECT_EQ(d.on_reboot, BOOTDOM_PRESERVE);
	EXPECT_EQ(d.on_crash, BOOTDOM_DESTROY);
}

static void t_cpus(void)
{
	EXPECT_EQ(bootdom_parse("domain=a memory=32M cpus=0-1,3", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.cpus, 0xbULL);
	EXPECT_EQ(bootdom_parse("domain=a memory=32M cpus=1", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.cpus, 0x2ULL);
	EXPECT_EQ(bootdom_parse("domain=a memory=32M cpus=7,2-2", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.cpus, 0x84ULL);
	EXPECT_EQ(bootdom_parse("domain=a memory=32M", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.cpus, 0ULL);
}

static void t_target(void)
{
	EXPECT_EQ(bootdom_parse("domain=a memory=32M target=3", &d, err, sizeof(err)), 0);
	EXPECT(d.has_target);
	EXPECT_EQ(d.target, 3);
	EXPECT_EQ(bootdom_parse("domain=a memory=32M target=32751", &d, err, sizeof(err)), 0);
	EXPECT_EQ(d.target, 32751);
	EXPECT_EQ(bootdom_parse("domain=a memory=32M", &d, err, sizeof(err)), 0);
	EXPECT(!d.has_target);
}

static void t_long_cmdline(void)
{
	static char args[BOOTDOM_CMDLINE_MAX + 64];
	size_t n;

	strcpy(args, "domain=a memory=32M -- ");
	n = strlen(args);
	memset(args + n, 'x', BOOTDOM_CMDLINE_MAX);
	args[n + BOOTDOM_CMDLINE_MAX] = '\0';
	EXPECT_EQ(bootdom_parse(args, &d, err, sizeof(err)), -EINVAL);
	EXPECT(strstr(err, "command line longer") != NULL);
	args[n + BOOTDOM_CMDLINE_MAX - 1] = '\0';
	EXPECT_EQ(bootdom_parse(args, &d, err, sizeof(err)), 0);
	EXPECT_EQ(strlen(d.cmdline), BOOTDOM_CMDLINE_MAX - 1);
}

static const struct hvt_case cases[] = {
    {"cpus= lists and ranges", t_cpus},
    {"target= names the domain it is device model for", t_target},
    {"a full description", t_good},
    {"defaults", t_defaults},
    {"vcpus=1..32", t_vcpus},
    {"max_grant_frames=1..1024", t_max_grant_frames},
    {"ramdisk=NAME modules", t_ramdisk},
    {"malformed descriptions are refused with a reason", t_malformed},
    {"guest command line bounds", t_long_cmdline},
    {"on_* actions destroy, restart, preserve", t_actions},
};

const struct hvt_group group_bootdomain = HVT_GROUP("bootdomain", cases);
