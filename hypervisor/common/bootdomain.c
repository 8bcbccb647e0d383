/*
 * Parser of boot-time domain descriptions (bootdomain.h). Every word is
 * checked strictly: an unknown key, a repeated key, a number with junk
 * after it or a value that does not fit is an error naming the word, so
 * a typo never silently builds a different domain than the one written.
 */
#include <bootdomain.h>
#include <domain.h>
#include <event.h>
#include <grant_table.h>
#include <lib.h>
#include <public/errno.h>
#include <sched.h>

#define BOOTDOM_MAX_VCPUS MAX_VIRT_CPUS

static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static bool word_is(const char *w, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(w, s, len);
}

bool bootdom_is_description(const char *args)
{
	return args && !strncmp(args, "domain=", 7);
}

bool bootdom_ramdisk_of(const char *args, char *name, size_t size)
{
	size_t n;

	if (!args || strncmp(args, "ramdisk=", 8)) {
		return false;
	}
	n = strlen(args + 8);
	if (!n || n >= size || memchr(args + 8, ' ', n)) {
		return false;
	}
	strlcpy(name, args + 8, size);
	return true;
}

static int copy_value(char *dst, size_t size, const char *v, size_t len)
{
	if (!len || len >= size) {
		return -ERANGE;
	}
	memcpy(dst, v, len);
	dst[len] = '\0';
	return 0;
}

/*
 * xl's other action words: a boot-time domain has no toolstack to rename it,
 * write a core dump or soft-reset it, so these are refused by name rather
 * than taken for an unknown word or quietly replaced by another action.
 */
static const char *const unsupported_actions[] = {
    "rename-restart",
    "coredump-destroy",
    "coredump-restart",
    "soft-reset",
};

static bool is_unsupported_action(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(unsupported_actions); i++) {
		if (word_is(v, len, unsupported_actions[i])) {
			return true;
		}
	}
	return false;
}

static int parse_action(enum bootdom_action *a, const char *v, size_t len)
{
	if (word_is(v, len, "destroy")) {
		*a = BOOTDOM_DESTROY;
	} else if (word_is(v, len, "restart")) {
		*a = BOOTDOM_RESTART;
	} else if (word_is(v, len, "preserve")) {
		*a = BOOTDOM_PRESERVE;
	} else {
		return -EINVAL;
	}
	return 0;
}

static int parse_uint(unsigned int *out, const char *v, size_t len, unsigned int min,
		      unsigned int max)
{
	unsigned long long n;
	int rc = parse_ull_strict(v, len, 10, &n);

	if (rc) {
		return rc;
	}
	if (n < min || n > max) {
		return -ERANGE;
	}
	*out = (unsigned int)n;
	return 0;
}

static int parse_bytes(uint64_t *out, const char *v, size_t len)
{
	unsigned long long n;
	int rc = parse_size_strict(v, len, &n);

	if (rc) {
		return rc;
	}
	/* Whole pages, and at least one MiB: no PV kernel boots in less. */
	if (n < (1ULL << 20) || (n & 0xfff)) {
		return -ERANGE;
	}
	*out = n;
	return 0;
}

/*
 * A CPU list: "1", "0-1,3". Each CPU below NR_CPUS (-ERANGE), ranges
 * rising, nothing empty (-EINVAL); whether the CPUs are online is for the
 * builder to say.
 */
static int parse_cpus(cpumask_t *out, const char *v, size_t len)
{
	const char *end = v + len;
	cpumask_t mask = 0;

	if (!len) {
		return -EINVAL;
	}
	while (v < end) {
		const char *item = v, *dash;
		unsigned long long lo, hi;
		size_t ilen;

		while (v < end && *v != ',') {
			v++;
		}
		ilen = (size_t)(v - item);
		dash = memchr(item, '-', ilen);
		if (!ilen || parse_ull_strict(item, dash ? (size_t)(dash - item) : ilen, 10, &lo)) {
			return -EINVAL;
		}
		hi = lo;
		if (dash && parse_ull_strict(dash + 1, (size_t)(item + ilen - dash - 1), 10, &hi)) {
			return -EINVAL;
		}
		if (hi < lo) {
			return -EINVAL;
		}
		if (hi >= NR_CPUS) {
			return -ERANGE;
		}
		for (; lo <= hi; lo++) {
			mask |= 1ULL << lo;
		}
		if (v < end) {
			v++; /* the comma: something must follow it */
			if (v == end) {
				return -EINVAL;
			}
		}
	}
	*out = mask;
	return 0;
}

/* Keys in the order of the bits that record which were given. */
enum {
	K_DOMAIN,
	K_MEMORY,
	K_MAXMEM,
	K_VCPUS,
	K_SECLABEL,
	K_INIT_SECLABEL,
	K_WEIGHT,
	K_CAP,
	K_ON_POWEROFF,
	K_ON_REBOOT,
	K_ON_CRASH,
	K_CPUS,
	K_MAX_EVTCHN_PORT,
	K_TARGET,
	K_MAX_GRANT_FRAMES,
	K_NR,
};

static const char *const key_names[K_NR] = {
    "domain",	       "memory", "maxmem",	     "vcpus",	  "seclabel", "init_seclabel",
    "weight",	       "cap",	 "on_poweroff",	     "on_reboot", "on_crash", "cpus",
    "max_evtchn_port", "target", "max_grant_frames",
};

static int apply(struct bootdom_desc *d, int key, const char *v, size_t len)
{
	switch (key) {
	case K_DOMAIN:
		return copy_value(d->name, sizeof(d->name), v, len);
	case K_MEMORY:
		return parse_bytes(&d->memory, v, len);
	case K_MAXMEM:
		return parse_bytes(&d->maxmem, v, len);
	case K_VCPUS:
		return parse_uint(&d->vcpus, v, len, 1, 0xffffffffU);
	case K_SECLABEL:
		return copy_value(d->seclabel, sizeof(d->seclabel), v, len);
	case K_INIT_SECLABEL:
		return copy_value(d->init_seclabel, sizeof(d->init_seclabel), v, len);
	case K_WEIGHT:
		return parse_uint(&d->weight, v, len, 1, SCHED_WEIGHT_MAX);
	case K_CAP:
		return parse_uint(&d->cap, v, len, 0, 100);
	case K_ON_POWEROFF:
		return parse_action(&d->on_poweroff, v, len);
	case K_ON_REBOOT:
		return parse_action(&d->on_reboot, v, len);
	case K_CPUS:
		return parse_cpus(&d->cpus, v, len);
	case K_MAX_EVTCHN_PORT:
		/* Port 0 is never bound: at least 1; at most the FIFO ABI's last port. */
		return parse_uint(&d->max_evtchn_port, v, len, 1, EVTCHN_MAX_PORTS - 1);
	case K_TARGET:
		d->has_target = true;
		/* An ordinary domain id: below Xen's first reserved one (0x7FF0). */
		return parse_uint(&d->target, v, len, 0, 0x7FEF);
	case K_MAX_GRANT_FRAMES:
		return parse_uint(&d->max_grant_frames, v, len, 1, GNTTAB_MAX_FRAMES_LIMIT);
	default:
		return parse_action(&d->on_crash, v, len);
	}
}

int bootdom_parse(const char *args, struct bootdom_desc *d, char *err, size_t errlen)
{
	const char *p = args, *w, *eq;
	unsigned int seen = 0;
	size_t len;
	int key, rc;

	memset(d, 0, sizeof(*d));
	d->on_reboot = BOOTDOM_RESTART;
	if (!bootdom_is_description(args)) {
		return fail(err, errlen, "not a domain description (must begin with domain=)");
	}
	for (;;) {
		while (*p == ' ') {
			p++;
		}
		if (!*p) {
			break;
		}
		w = p;
		while (*p && *p != ' ') {
			p++;
		}
		len = (size_t)(p - w);
		if (word_is(w, len, "--")) {
			while (*p == ' ') {
				p++;
			}
			if (strlen(p) >= sizeof(d->cmdline)) {
				return fail(err, errlen, "guest command line longer than %u bytes",
					    BOOTDOM_CMDLINE_MAX - 1);
			}
			strlcpy(d->cmdline, p, sizeof(d->cmdline));
			break;
		}
		eq = memchr(w, '=', len);
		if (!eq) {
			return fail(err, errlen, "'%.*s': expected key=value", (int)len, w);
		}
		for (key = 0; key < K_NR; key++) {
			if (word_is(w, (size_t)(eq - w), key_names[key])) {
				break;
			}
		}
		if (key == K_NR) {
			return fail(err, errlen, "'%.*s': unknown key", (int)(eq - w), w);
		}
		if (seen & (1U << key)) {
			return fail(err, errlen, "'%s' given twice", key_names[key]);
		}
		seen |= 1U << key;
		rc = apply(d, key, eq + 1, (size_t)(w + len - eq - 1));
		if (rc && key >= K_ON_POWEROFF &&
		    is_unsupported_action(eq + 1, (size_t)(w + len - eq - 1))) {
			return fail(err, errlen,
				    "'%.*s': action not supported for a boot-time domain "
				    "(destroy, restart or preserve)",
				    (int)len, w);
		}
		if (rc) {
			return fail(err, errlen, "'%.*s': bad value for %s%s", (int)len, w,
				    key_names[key], rc == -ERANGE ? " (out of range)" : "");
		}
	}
	if (!(seen & (1U << K_MEMORY))) {
		return fail(err, errlen, "domain %s: memory= is required", d->name);
	}
	if (!(seen & (1U << K_VCPUS))) {
		d->vcpus = 1;
	}
	if (d->vcpus > BOOTDOM_MAX_VCPUS) {
		return fail(err, errlen, "domain %s: vcpus=%u: at most %u vcpus per domain",
			    d->name, d->vcpus, BOOTDOM_MAX_VCPUS);
	}
	if (d->init_seclabel[0] && !d->seclabel[0]) {
		return fail(
		    err, errlen,
		    "domain %s: init_seclabel= needs seclabel=, the label it is relabelled to",
		    d->name);
	}
	if (!(seen & (1U << K_MAX_GRANT_FRAMES))) {
		d->max_grant_frames = GNTTAB_DEFAULT_MAX_FRAMES;
	}
	if (!(seen & (1U << K_MAXMEM))) {
		d->maxmem = d->memory;
	}
	if (d->maxmem < d->memory) {
		return fail(err, errlen, "domain %s: maxmem is below memory", d->name);
	}
	return 0;
}
