/*
 * Tests of hypervisor/common/cmdline.c: every option, bad values, unknown
 * and overlong options (with the exact warning text), defaults.
 */
#include "hvtest.h"

#include <stdio.h>
#include <string.h>

#include <cmdline.h>
#include <console.h>

static struct boot_options o;
static const char *warnings;

/* Parses cmdline over the defaults; warnings = what it logged. */
static void parse(const char *cmdline)
{
	uint64_t pos = console_ring_head();

	cmdline_defaults(&o);
	cmdline_parse(cmdline, &o);
	warnings = ring_since(pos);
}

static bool is_default(const struct boot_options *p)
{
	struct boot_options d;

	cmdline_defaults(&d);
	return memcmp(p, &d, sizeof(d)) == 0;
}

static void t_defaults(void)
{
	capture_install(); /* for t_whitespace_and_repeats */
	cmdline_defaults(&o);
	EXPECT_STREQ(o.console, "com1");
	EXPECT_EQ(o.loglvl, LOG_INFO);
	EXPECT_EQ(o.conring_size, 64 * 1024);
	EXPECT_EQ(o.dom0_mem, 0);
	EXPECT_EQ(o.flask, FLASK_ENFORCING);
	EXPECT_EQ(o.xsm, XSM_FLASK);
	EXPECT_EQ(o.noreboot, false);
	EXPECT_STREQ(o.dom0_label, "");
	/* the global starts with the same values */
	EXPECT(is_default(&boot_opts));
	parse(NULL);
	EXPECT(is_default(&o));
	parse("");
	EXPECT(is_default(&o));
	parse("   \t  ");
	EXPECT(is_default(&o));
	EXPECT_STREQ(warnings, "");
}

static void t_all_options(void)
{
	parse("console=vga loglvl=debug conring_size=1M dom0_mem=512M flask=permissive xsm=dummy "
	      "noreboot dom0_label=system_u:system_r:dom0_t");
	EXPECT_STREQ(o.console, "vga");
	EXPECT_EQ(o.loglvl, LOG_DEBUG);
	EXPECT_EQ(o.conring_size, 1 << 20);
	EXPECT_EQ(o.dom0_mem, 512ULL << 20);
	EXPECT_EQ(o.flask, FLASK_PERMISSIVE);
	EXPECT_EQ(o.xsm, XSM_DUMMY);
	EXPECT_EQ(o.noreboot, true);
	EXPECT_STREQ(o.dom0_label, "system_u:system_r:dom0_t");
	EXPECT_STREQ(warnings, "");
	EXPECT_EQ(o.nosmp, false);
	EXPECT_EQ(o.maxcpus, 0);
}

static void t_loglvl(void)
{
	static const char *const names[] = {"err", "warn", "info", "debug"};
	char buf[32];

	for (int i = 0; i < 4; i++) {
		snprintf(buf, sizeof(buf), "loglvl=%s", names[i]);
		parse(buf);
		EXPECT_EQ(o.loglvl, i);
		snprintf(buf, sizeof(buf), "loglvl=%d", (3 - i));
		parse(buf);
		EXPECT_EQ(o.loglvl, 3 - i);
	}
	EXPECT_STREQ(warnings, "");
	parse("loglvl=4");
	EXPECT_EQ(o.loglvl, LOG_INFO);
	EXPECT_STREQ(warnings, "cmdline: value '4' of 'loglvl' out of range ignored\n");
	parse("loglvl=-1");
	EXPECT_STREQ(warnings, "cmdline: bad value '-1' for 'loglvl' ignored\n");
	parse("loglvl=DEBUG");
	EXPECT_STREQ(warnings, "cmdline: bad value 'DEBUG' for 'loglvl' ignored\n");
	parse("loglvl");
	EXPECT_STREQ(warnings, "cmdline: option 'loglvl' needs a value, ignored\n");
	parse("loglvl=");
	EXPECT_STREQ(warnings, "cmdline: bad value '' for 'loglvl' ignored\n");
	EXPECT_EQ(o.loglvl, LOG_INFO);
}

static void t_sizes(void)
{
	parse("conring_size=4K");
	EXPECT_EQ(o.conring_size, 4096);
	parse("conring_size=65536");
	EXPECT_EQ(o.conring_size, 65536);
	parse("conring_size=0x10000");
	EXPECT_EQ(o.conring_size, 65536);
	parse("conring_size=64M");
	EXPECT_EQ(o.conring_size, 64 << 20);
	EXPECT_STREQ(warnings, "");
	parse("conring_size=128M");
	EXPECT_EQ(o.conring_size, CONRING_SIZE_DEFAULT);
	EXPECT_STREQ(warnings, "cmdline: value '128M' of 'conring_size' out of range ignored\n");
	parse("conring_size=1K");
	EXPECT_STREQ(warnings, "cmdline: value '1K' of 'conring_size' out of range ignored\n");
	parse("conring_size=64KB");
	EXPECT_STREQ(warnings, "cmdline: bad value '64KB' for 'conring_size' ignored\n");
	parse("conring_size=99999999999999999999");
	EXPECT_STREQ(
	    warnings,
	    "cmdline: value '99999999999999999999' of 'conring_size' out of range ignored\n");
	EXPECT_EQ(o.conring_size, CONRING_SIZE_DEFAULT);

	parse("dom0_mem=2G");
	EXPECT_EQ(o.dom0_mem, 2ULL << 30);
	parse("dom0_mem=1T");
	EXPECT_EQ(o.dom0_mem, 1ULL << 40);
	parse("dom0_mem=0");
	EXPECT_EQ(o.dom0_mem, 0);
	EXPECT_STREQ(warnings, "");
	parse("dom0_mem=lots");
	EXPECT_STREQ(warnings, "cmdline: bad value 'lots' for 'dom0_mem' ignored\n");
	parse("dom0_mem=20000000T");
	EXPECT_STREQ(warnings, "cmdline: value '20000000T' of 'dom0_mem' out of range ignored\n");
	EXPECT_EQ(o.dom0_mem, 0);
}

static void t_enums(void)
{
	static const char *const fl[] = {"enforcing", "permissive", "late", "disabled"};
	static const char *const xs[] = {"flask", "dummy", "silo"};
	char buf[64];

	for (int i = 0; i < 4; i++) {
		snprintf(buf, sizeof(buf), "flask=%s", fl[i]);
		parse(buf);
		EXPECT_EQ(o.flask, i);
	}
	for (int i = 0; i < 3; i++) {
		snprintf(buf, sizeof(buf), "xsm=%s", xs[i]);
		parse(buf);
		EXPECT_EQ(o.xsm, i);
	}
	EXPECT_STREQ(warnings, "");
	parse("flask=off");
	EXPECT_EQ(o.flask, FLASK_ENFORCING);
	EXPECT_STREQ(warnings, "cmdline: bad value 'off' for 'flask' ignored\n");
	parse("xsm=selinux");
	EXPECT_EQ(o.xsm, XSM_FLASK);
	EXPECT_STREQ(warnings, "cmdline: bad value 'selinux' for 'xsm' ignored\n");
	parse("xsm=flaskX");
	EXPECT_STREQ(warnings, "cmdline: bad value 'flaskX' for 'xsm' ignored\n");
	parse("flask=late=1");
	EXPECT_STREQ(warnings, "cmdline: bad value 'late=1' for 'flask' ignored\n");
}

static void t_flag(void)
{
	static const char *const yes[] = {"noreboot", "noreboot=1", "noreboot=yes", "noreboot=on",
					  "noreboot=true"};
	static const char *const no[] = {"noreboot=0", "noreboot=no", "noreboot=off",
					 "noreboot=false"};
	char buf[64];

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		parse(yes[i]);
		EXPECT_EQ(o.noreboot, true);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(buf, sizeof(buf), "noreboot %s", no[i]);
		parse(buf);
		EXPECT_EQ(o.noreboot, false);
	}
	EXPECT_STREQ(warnings, "");
	parse("noreboot=2");
	EXPECT_EQ(o.noreboot, false);
	EXPECT_STREQ(warnings, "cmdline: bad value '2' for 'noreboot' ignored\n");
	parse("noreboot=");
	EXPECT_STREQ(warnings, "cmdline: bad value '' for 'noreboot' ignored\n");
}

static void t_smp(void)
{
	parse("nosmp maxcpus=2");
	EXPECT_EQ(o.nosmp, true);
	EXPECT_EQ(o.maxcpus, 2);
	EXPECT_STREQ(warnings, "");
	parse("nosmp=0 maxcpus=4096");
	EXPECT_EQ(o.nosmp, false);
	EXPECT_EQ(o.maxcpus, 4096);
	/* maxcpus=0 would leave no CPU: refused, all CPUs are used. */
	parse("maxcpus=0");
	EXPECT_EQ(o.maxcpus, 0);
	EXPECT_STREQ(warnings, "cmdline: value '0' of 'maxcpus' out of range ignored\n");
	parse("maxcpus=-1");
	EXPECT_EQ(o.maxcpus, 0);
	EXPECT_STREQ(warnings, "cmdline: bad value '-1' for 'maxcpus' ignored\n");
	parse("maxcpus=4097 maxcpus=");
	EXPECT_EQ(o.maxcpus, 0);
	parse("nosmp=maybe");
	EXPECT_EQ(o.nosmp, false);
}

static void t_strings(void)
{
	char label[200], line[256];

	/* the longest value that fits: 31 and 127 characters */
	memset(label, 'c', 31);
	label[31] = '\0';
	snprintf(line, sizeof(line), "console=%s", label);
	parse(line);
	EXPECT_STREQ(o.console, label);
	memset(label, 'L', 127);
	label[127] = '\0';
	snprintf(line, sizeof(line), "dom0_label=%s", label);
	parse(line);
	EXPECT_STREQ(o.dom0_label, label);
	EXPECT_STREQ(warnings, "");
	parse("console=");
	EXPECT_STREQ(o.console, "com1");
	EXPECT_STREQ(warnings, "cmdline: bad value '' for 'console' ignored\n");
	parse("console");
	EXPECT_STREQ(warnings, "cmdline: option 'console' needs a value, ignored\n");
	/* a value may contain '=' */
	parse("dom0_label=a=b");
	EXPECT_STREQ(o.dom0_label, "a=b");
}

static void t_overlong(void)
{
	char line[512], value[300];

	memset(value, 'x', 32);
	value[32] = '\0';
	snprintf(line, sizeof(line), "console=%s", value);
	parse(line);
	EXPECT_STREQ(o.console, "com1");
	EXPECT_STREQ(warnings, "cmdline: value of 'console' too long (32 bytes, max 31) ignored\n");

	memset(value, 'y', 299);
	value[299] = '\0';
	snprintf(line, sizeof(line), "dom0_label=%s loglvl=err", value);
	parse(line);
	EXPECT_STREQ(o.dom0_label, "");
	EXPECT_EQ(o.loglvl, LOG_ERR); /* parsing goes on after the bad token */
	EXPECT_STREQ(warnings,
		     "cmdline: value of 'dom0_label' too long (299 bytes, max 127) ignored\n");
}

static void t_unknown(void)
{
	char line[400], expect[200];

	parse("frobnicate");
	EXPECT_STREQ(warnings, "cmdline: unknown option 'frobnicate' ignored\n");
	parse("frob=1 loglvl=warn");
	EXPECT_STREQ(warnings, "cmdline: unknown option 'frob' ignored\n");
	EXPECT_EQ(o.loglvl, LOG_WARN);
	/* option names match whole, case-sensitively */
	parse("Console=x consol=y console_x=z =5");
	EXPECT_STREQ(warnings, "cmdline: unknown option 'Console' ignored\n"
			       "cmdline: unknown option 'consol' ignored\n"
			       "cmdline: unknown option 'console_x' ignored\n"
			       "cmdline: unknown option '' ignored\n");
	EXPECT(is_default(&o));
	/* a huge unknown name is quoted only in part */
	memset(line, 'n', 300);
	line[300] = '\0';
	snprintf(expect, sizeof(expect), "cmdline: unknown option '%.64s' ignored\n", line);
	parse(line);
	EXPECT_STREQ(warnings, expect);
}

static void t_whitespace_and_repeats(void)
{
	parse("  loglvl=err\tconsole=com2   loglvl=debug \n noreboot  ");
	EXPECT_EQ(o.loglvl, LOG_DEBUG); /* the last one wins */
	EXPECT_STREQ(o.console, "com2");
	EXPECT_EQ(o.noreboot, true);
	EXPECT_STREQ(warnings, "");
	/* warnings go to the ring at LOG_WARN: they reach the sinks at loglvl >= warn */
	capture_reset();
	console_set_loglvl(LOG_WARN);
	parse("bogus1");
	EXPECT_STREQ(capture_text(), "cmdline: unknown option 'bogus1' ignored\n");
	capture_reset();
	console_set_loglvl(LOG_ERR);
	parse("bogus2");
	EXPECT_STREQ(capture_text(), "");
	EXPECT_STREQ(warnings, "cmdline: unknown option 'bogus2' ignored\n");
	console_set_loglvl(LOG_INFO);
}

static void t_garbage(void)
{
	/* bytes of every value, in random tokens: must not crash, must warn */
	char line[1024];
	unsigned seed = 99;

	for (int round = 0; round < 200; round++) {
		size_t n = 0;

		while (n < sizeof(line) - 1) {
			seed = seed * 1103515245 + 12345;
			char c = (char)(seed >> 16);

			if (c == 0) {
				break;
			}
			line[n++] = c;
		}
		line[n] = '\0';
		parse(line);
	}
	EXPECT(o.loglvl >= LOG_ERR && o.loglvl <= LOG_DEBUG);
	EXPECT(memchr(o.console, 0, sizeof(o.console)) != NULL);
	EXPECT(memchr(o.dom0_label, 0, sizeof(o.dom0_label)) != NULL);
}

/* dom0_max_vcpus= in Xen's forms, on a host of nr CPUs; -1 means refused. */
static int dom0_vcpus(const char *spec, unsigned int nr, char *err, size_t errlen)
{
	unsigned int n = 999;

	err[0] = '\0';
	if (cmdline_dom0_vcpus(spec, nr, 32, &n, err, errlen)) {
		EXPECT_EQ(n, 999); /* nothing written on a refusal */
		return -1;
	}
	return (int)n;
}

static void t_dom0_vcpus(void)
{
	char err[128];

	parse("dom0_max_vcpus=4");
	EXPECT_STREQ(o.dom0_max_vcpus, "4");
	EXPECT_STREQ(warnings, "");
	EXPECT_EQ(dom0_vcpus("", 8, err, sizeof(err)), 1);
	EXPECT_EQ(dom0_vcpus(NULL, 8, err, sizeof(err)), 1);
	EXPECT_EQ(dom0_vcpus("4", 1, err, sizeof(err)), 4);
	EXPECT_EQ(dom0_vcpus("32", 2, err, sizeof(err)), 32);
	/* A range: as many as CPUs, within the bounds. */
	EXPECT_EQ(dom0_vcpus("2-4", 1, err, sizeof(err)), 2);
	EXPECT_EQ(dom0_vcpus("2-4", 3, err, sizeof(err)), 3);
	EXPECT_EQ(dom0_vcpus("2-4", 8, err, sizeof(err)), 4);
	EXPECT_EQ(dom0_vcpus("3-", 8, err, sizeof(err)), 8);
	EXPECT_EQ(dom0_vcpus("3-", 2, err, sizeof(err)), 3);
	EXPECT_EQ(dom0_vcpus("-2", 8, err, sizeof(err)), 2);
	EXPECT_EQ(dom0_vcpus("-2", 1, err, sizeof(err)), 1);
	EXPECT_EQ(dom0_vcpus("4-4", 1, err, sizeof(err)), 4);

	EXPECT_EQ(dom0_vcpus("0", 2, err, sizeof(err)), -1);
	EXPECT_STREQ(err,
		     "dom0_max_vcpus=0: expected N, MIN-MAX, MIN- or -MAX with counts of 1..32");
	EXPECT_EQ(dom0_vcpus("33", 2, err, sizeof(err)), -1);
	EXPECT(strstr(err, "counts of 1..32") != NULL);
	EXPECT_EQ(dom0_vcpus("4-2", 2, err, sizeof(err)), -1);
	EXPECT_STREQ(err, "dom0_max_vcpus=4-2: the minimum is above the maximum");
	static const char *const bad[] = {"-",	 "x",	"2x",  "1-2-3", "0-4",
					  "2-0", "--2", "2--", "-33",	"99999999999999999999",
					  " 2",	 "+2"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(dom0_vcpus(bad[i], 2, err, sizeof(err)), -1);
		EXPECT(strstr(err, bad[i]) != NULL);
	}
}

static const struct hvt_case cases[] = {
    {"defaults, empty and NULL command lines", t_defaults},
    {"every option at once", t_all_options},
    {"loglvl names, numbers, bad values", t_loglvl},
    {"conring_size and dom0_mem sizes, ranges, bad values", t_sizes},
    {"flask= and xsm= values, bad values", t_enums},
    {"noreboot bare and =0/1/no/yes/off/on/false/true", t_flag},
    {"nosmp and maxcpus=, maxcpus=0 and garbage refused", t_smp},
    {"dom0_max_vcpus= N and ranges, bad values refused", t_dom0_vcpus},
    {"console= and dom0_label= values", t_strings},
    {"overlong values refused with a warning", t_overlong},
    {"unknown options warned with the exact text", t_unknown},
    {"whitespace, repeats, warning level reaches sinks", t_whitespace_and_repeats},
    {"random garbage command lines", t_garbage},
};

const struct hvt_group group_cmdline = HVT_GROUP("cmdline", cases);
