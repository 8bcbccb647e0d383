/*
 * Hypervisor command-line parsing.
 *
 * One table row per option with a typed parser. The command line comes from
 * the boot loader and may be anything: tokens are examined in place (never
 * copied into fixed buffers before their length is checked), and every
 * problem becomes a warning, never a failure, so a typo cannot stop a boot.
 */
#include <cmdline.h>
#include <console.h>
#include <lib.h>
#include <public/errno.h>

/* Longest option text quoted back in a warning. */
#define QUOTE_MAX 64

struct boot_options boot_opts = {
    .console = "com1",
    .loglvl = LOG_INFO,
    .conring_size = CONRING_SIZE_DEFAULT,
    .dom0_mem = 0,
    .flask = FLASK_ENFORCING,
    .xsm = XSM_FLASK,
    .noreboot = false,
    .dom0_label = "",
    .nosmp = false,
    .maxcpus = 0,
    .dom0_max_vcpus = "",
    .evtchn_fifo = true,
};

void cmdline_defaults(struct boot_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	strlcpy(opts->console, "com1", sizeof(opts->console));
	opts->loglvl = LOG_INFO;
	opts->conring_size = CONRING_SIZE_DEFAULT;
	opts->dom0_mem = 0;
	opts->flask = FLASK_ENFORCING;
	opts->xsm = XSM_FLASK;
	opts->noreboot = false;
	opts->dom0_label[0] = '\0';
	opts->nosmp = false;
	opts->maxcpus = 0;
	opts->dom0_max_vcpus[0] = '\0';
	opts->evtchn_fifo = true;
}

enum opt_kind {
	OPT_STRING, /* char array of .size bytes */
	OPT_INT,    /* int in [.min, .max], or one of .names */
	OPT_SIZE,   /* size_t in [.min, .max], K/M/G/T suffixes */
	OPT_U64,    /* uint64_t size in [.min, .max], K/M/G/T suffixes */
	OPT_FLAG,   /* bool: bare name is true; =0/1/no/yes/off/on/false/true */
	OPT_ENUM,   /* int-sized enum: index of the value in .names */
};

struct opt {
	const char *name;
	enum opt_kind kind;
	size_t offset;
	size_t size;
	unsigned long long min, max;
	const char *const *names; /* NULL-terminated */
};

static const char *const loglvl_names[] = {"err", "warn", "info", "debug", NULL};
static const char *const flask_names[] = {"enforcing", "permissive", "late", "disabled", NULL};
static const char *const xsm_names[] = {"flask", "dummy", "silo", NULL};

#define FIELD(f) offsetof(struct boot_options, f), sizeof(((struct boot_options *)0)->f)

static const struct opt options[] = {
    {"console", OPT_STRING, FIELD(console), 0, 0, NULL},
    {"loglvl", OPT_INT, FIELD(loglvl), LOG_ERR, LOG_DEBUG, loglvl_names},
    {"conring_size", OPT_SIZE, FIELD(conring_size), CONRING_SIZE_MIN, CONRING_SIZE_MAX, NULL},
    {"dom0_mem", OPT_U64, FIELD(dom0_mem), 0, ~0ULL, NULL},
    {"flask", OPT_ENUM, FIELD(flask), 0, 0, flask_names},
    {"xsm", OPT_ENUM, FIELD(xsm), 0, 0, xsm_names},
    {"noreboot", OPT_FLAG, FIELD(noreboot), 0, 0, NULL},
    {"dom0_label", OPT_STRING, FIELD(dom0_label), 0, 0, NULL},
    {"nosmp", OPT_FLAG, FIELD(nosmp), 0, 0, NULL},
    {"maxcpus", OPT_INT, FIELD(maxcpus), 1, 4096, NULL},
    /* Checked when dom0 is built (cmdline_dom0_vcpus): a bad value stops the boot. */
    {"dom0_max_vcpus", OPT_STRING, FIELD(dom0_max_vcpus), 0, 0, NULL},
    {"evtchn_fifo", OPT_FLAG, FIELD(evtchn_fifo), 0, 0, NULL},
};

/* Enum fields are stored through an int; make sure that is their size. */
BUILD_BUG_ON(sizeof(enum flask_mode) != sizeof(int));
BUILD_BUG_ON(sizeof(enum xsm_choice) != sizeof(int));

static bool token_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncmp(s, word, len) == 0;
}

/* Index of s[0..len) in names, or -1. */
static int name_index(const char *const *names, const char *s, size_t len)
{
	int i;

	for (i = 0; names && names[i]; i++) {
		if (token_is(s, len, names[i])) {
			return i;
		}
	}
	return -1;
}

static int parse_bool(const char *v, size_t len, bool *out)
{
	static const char *const no[] = {"0", "no", "off", "false", NULL};
	static const char *const yes[] = {"1", "yes", "on", "true", NULL};

	if (name_index(no, v, len) >= 0) {
		*out = false;
		return 0;
	}
	if (name_index(yes, v, len) >= 0) {
		*out = true;
		return 0;
	}
	return -EINVAL;
}

/*
 * Stores value v[0..vlen) for option o into opts. has_value is false for a
 * bare "name". Returns 0, -EINVAL (bad value), -ENAMETOOLONG (too long for
 * a string field) or -ERANGE (number out of range).
 */
static int apply(const struct opt *o, struct boot_options *opts, bool has_value, const char *v,
		 size_t vlen)
{
	unsigned char *field = (unsigned char *)opts + o->offset;
	unsigned long long n;
	int idx, rc;

	if (o->kind == OPT_FLAG) {
		bool b = true;

		if (has_value && (rc = parse_bool(v, vlen, &b)) != 0) {
			return rc;
		}
		*(bool *)field = b;
		return 0;
	}
	if (!has_value || vlen == 0) {
		return -EINVAL;
	}

	switch (o->kind) {
	case OPT_STRING:
		if (vlen >= o->size) {
			return -ENAMETOOLONG;
		}
		memcpy(field, v, vlen);
		field[vlen] = '\0';
		return 0;
	case OPT_INT:
		idx = name_index(o->names, v, vlen);
		if (idx >= 0) {
			*(int *)field = idx;
			return 0;
		}
		rc = parse_ull_strict(v, vlen, 10, &n);
		if (rc) {
			return rc;
		}
		if (n < o->min || n > o->max) {
			return -ERANGE;
		}
		*(int *)field = (int)n;
		return 0;
	case OPT_SIZE:
	case OPT_U64:
		rc = parse_size_strict(v, vlen, &n);
		if (rc) {
			return rc;
		}
		if (n < o->min || n > o->max) {
			return -ERANGE;
		}
		if (o->kind == OPT_SIZE) {
			if (n > (size_t)-1) {
				return -ERANGE;
			}
			*(size_t *)field = (size_t)n;
		} else {
			*(uint64_t *)field = n;
		}
		return 0;
	case OPT_ENUM:
		idx = name_index(o->names, v, vlen);
		if (idx < 0) {
			return -EINVAL;
		}
		*(int *)field = idx;
		return 0;
	default:
		return -EINVAL;
	}
}

static int quote_len(size_t len)
{
	return (int)MIN(len, (size_t)QUOTE_MAX);
}

static void handle_token(const char *tok, size_t len, struct boot_options *opts)
{
	const char *eq = memchr(tok, '=', len);
	size_t nlen = eq ? (size_t)(eq - tok) : len;
	const char *v = eq ? eq + 1 : NULL;
	size_t vlen = eq ? len - nlen - 1 : 0;
	const struct opt *o = NULL;
	size_t i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(options); i++) {
		if (token_is(tok, nlen, options[i].name)) {
			o = &options[i];
			break;
		}
	}
	if (!o) {
		pr_warn("cmdline: unknown option '%.*s' ignored\n", quote_len(nlen), tok);
		return;
	}

	rc = apply(o, opts, eq != NULL, v, vlen);
	if (rc == -ENAMETOOLONG) {
		pr_warn("cmdline: value of '%s' too long (%zu bytes, max %zu) ignored\n", o->name,
			vlen, o->size - 1);
	} else if (rc == -ERANGE) {
		pr_warn("cmdline: value '%.*s' of '%s' out of range ignored\n", quote_len(vlen), v,
			o->name);
	} else if (rc && !eq) {
		pr_warn("cmdline: option '%s' needs a value, ignored\n", o->name);
	} else if (rc) {
		pr_warn("cmdline: bad value '%.*s' for '%s' ignored\n", quote_len(vlen), v,
			o->name);
	}
}

void cmdline_parse(const char *cmdline, struct boot_options *opts)
{
	const char *p = cmdline;

	if (!p) {
		return;
	}
	for (;;) {
		const char *tok;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
		}
		if (!*p) {
			break;
		}
		tok = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			p++;
		}
		handle_token(tok, (size_t)(p - tok), opts);
	}
}

/* A count in [1, max] from s[0..len); 0 for none or anything else. */
static unsigned int vcpu_count(const char *s, size_t len, unsigned int max)
{
	unsigned long long n;

	if (!len || parse_ull_strict(s, len, 10, &n) || n < 1 || n > max) {
		return 0;
	}
	return (unsigned int)n;
}

int cmdline_dom0_vcpus(const char *spec, unsigned int nr_cpus, unsigned int max, unsigned int *out,
		       char *err, size_t errlen)
{
	size_t len = spec ? strlen(spec) : 0;
	const char *dash = len ? memchr(spec, '-', len) : NULL;
	unsigned int lo = 1, hi = max;

	if (!len) {
		*out = 1;
		return 0;
	}
	if (!dash) {
		lo = hi = vcpu_count(spec, len, max);
	} else if (len == 1) {
		lo = 0; /* "-" alone */
	} else {
		/* MIN-MAX, MIN- or -MAX: dom0 gets as many vcpus as CPUs, kept in range. */
		if (dash > spec) {
			lo = vcpu_count(spec, (size_t)(dash - spec), max);
		}
		if (dash + 1 < spec + len) {
			hi = vcpu_count(dash + 1, len - (size_t)(dash + 1 - spec), max);
		}
	}
	if (!lo || !hi) {
		snprintf(
		    err, errlen,
		    "dom0_max_vcpus=%s: expected N, MIN-MAX, MIN- or -MAX with counts of 1..%u",
		    spec, max);
		return -EINVAL;
	}
	if (lo > hi) {
		snprintf(err, errlen, "dom0_max_vcpus=%s: the minimum is above the maximum", spec);
		return -EINVAL;
	}
	*out = nr_cpus < lo ? lo : nr_cpus > hi ? hi : nr_cpus;
	return 0;
}
