/*
 * malformed.c - the policy-malformed suite: policydb_read must reject
 * broken policies with an error, never crash, overread or leak.
 *
 * usage: policy-malformed [--flips N] [--seed S] POLICY...
 *   Every POLICY must load. Then, per policy: every truncation point, N
 *   random single/multi bit flips (seed printed), allocation failures at
 *   each allocation of the load (small policies only); and crafted absurd
 *   values on the policies that have the unit-test shape (unit.30,
 *   unit-mls.30). Each image is an exact-size heap copy, so ASan sees any
 *   read past its end; a leak check compares live flask allocations before
 *   and after each case (LeakSanitizer also runs at exit).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flask_env_host.h"
#include "malformed.h"
#include "policydb.h"

static int failures;

void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf(ok ? "PASS: " : "FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok) {
		failures++;
	}
}

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;

	if (!f) {
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* Walk what a loaded policy holds, so that a flipped-but-accepted image is used, not just read. */
static void exercise(struct policydb *p)
{
	uint32_t i, j, bit, a = 0, aa = 0, ad = ~0u;

	for (i = 0; i < OCON_XEN_NUM; i++) {
		for (j = 0; j < p->nocontexts[i]; j++) {
			(void)policydb_context_isvalid(p, &p->ocontexts[i][j].context);
		}
	}
	for (i = 1; i <= p->symtab[SYM_TYPES].nprim && i < 64; i++) {
		ebitmap_for_each_bit(&p->type_attr_map[i - 1], bit)
		{
			avtab_compute_av(&p->te_avtab, (uint16_t)(bit + 1), 1, 1, false, &a, &aa,
					 &ad);
			cond_compute_av(p, (uint16_t)(bit + 1), 1, 1, &a, &aa, &ad);
		}
	}
	for (i = 1; i <= p->symtab[SYM_BOOLS].nprim; i++) {
		policydb_set_bool(p, i, !policydb_bool(p, i)->state);
	}
	cond_evaluate_all(p);
	for (i = 1; i <= p->symtab[SYM_CLASSES].nprim; i++) {
		for (j = 1; j <= 32; j++) {
			(void)policydb_perm_name(p, i, j);
		}
	}
}

int load_case(const uint8_t *data, size_t len, char *err, size_t errlen, bool *leaked)
{
	struct policydb p;
	long before = flask_host_live_allocs();
	uint8_t *copy = malloc(len ? len : 1);
	int rc;

	memcpy(copy, data, len);
	rc = policydb_read(&p, copy, len, err, errlen);
	if (!rc) {
		exercise(&p);
		policydb_destroy(&p);
	}
	free(copy);
	*leaked = flask_host_live_allocs() != before;
	return rc;
}

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: fixed seeds give repeatable runs. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* Images past this size get sampled truncation points and fewer flips (each load is longer). */
#define LARGE_IMAGE (256 * 1024)
#define LARGE_SAMPLES 150

static void truncations(const char *name, const uint8_t *data, size_t len, uint64_t seed)
{
	char err[256], first_bad[300] = "";
	size_t l, i, n = len > LARGE_IMAGE ? LARGE_SAMPLES : len, rejected = 0, leaks = 0;
	bool leaked;

	rng_state = seed ? seed : 1;
	for (i = 0; i < n; i++) {
		int rc;

		l = len > LARGE_IMAGE ? ((size_t)rnd() << 16 ^ rnd()) % len : i;
		rc = load_case(data, l, err, sizeof(err), &leaked);
		if (rc == -FLASK_EINVAL && strstr(err, "offset")) {
			rejected++;
		} else if (!first_bad[0]) {
			snprintf(first_bad, sizeof(first_bad), "length %zu: rc %d: %s", l, rc, err);
		}
		leaks += leaked;
	}
	if (len > LARGE_IMAGE) {
		report(
		    rejected == n && !leaks,
		    "%s: %zu sampled truncations of %zu bytes (seed %llu) rejected with a located "
		    "error, no leak%s%s%s",
		    name, n, len, (unsigned long long)seed, first_bad[0] ? " (" : "", first_bad,
		    first_bad[0] ? ")" : "");
	} else {
		report(rejected == len && !leaks,
		       "%s: all %zu truncations rejected with a located error, no leak%s%s%s", name,
		       len, first_bad[0] ? " (" : "", first_bad, first_bad[0] ? ")" : "");
	}
	if (leaks) {
		report(false, "%s: %zu truncations leaked", name, leaks);
	}
}

static void bitflips(const char *name, const uint8_t *data, size_t len, unsigned int n,
		     uint64_t seed)
{
	uint8_t *img = malloc(len);
	char err[256];
	unsigned int i, accepted = 0, rejected = 0, leaks = 0, unlocated = 0;
	bool leaked;

	rng_state = seed ? seed : 1;
	for (i = 0; i < n; i++) {
		unsigned int flips = (i % 4 == 0) ? 1 + rnd() % 8 : 1, k;
		int rc;

		memcpy(img, data, len);
		for (k = 0; k < flips; k++) {
			size_t at = rnd() % len;

			img[at] ^= (uint8_t)(1u << (rnd() % 8));
		}
		rc = load_case(img, len, err, sizeof(err), &leaked);
		if (rc) {
			rejected++;
			unlocated += strstr(err, "policydb: ") != err;
		} else {
			accepted++;
		}
		leaks += leaked;
	}
	free(img);
	report(!leaks && !unlocated,
	       "%s: %u bit-flip images (seed %llu): %u rejected with a reason, %u still valid, "
	       "%u leaks",
	       name, n, (unsigned long long)seed, rejected, accepted, leaks);
}

/* Fail the k-th allocation of a load, for every k: each must unwind cleanly. */
static void alloc_failures(const char *name, const uint8_t *data, size_t len)
{
	char err[256];
	long k, total, leaks = 0, wrong = 0;
	bool leaked;

	/* Count the allocations of one good load (the live count is back to 0 after it). */
	for (total = 0;; total++) {
		int rc;

		flask_host_fail_alloc_after(total);
		rc = load_case(data, len, err, sizeof(err), &leaked);
		flask_host_fail_alloc_after(-1);
		leaks += leaked;
		if (rc == 0) {
			break;
		}
		if (rc != -FLASK_ENOMEM || !strstr(err, "out of memory")) {
			wrong++;
		}
		if (total > 200000) {
			break;
		}
	}
	k = total;
	report(!leaks && !wrong && k > 0,
	       "%s: failing each of its %ld allocations in turn: -ENOMEM every time, no leak (%ld "
	       "leaks, %ld other errors)",
	       name, k, leaks, wrong);
}

int main(int argc, char **argv)
{
	unsigned int flips = 5000;
	uint64_t seed = 20261124;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i += 2) {
		if (i + 1 >= argc) {
			fprintf(stderr, "missing value for %s\n", argv[i]);
			return 2;
		}
		if (!strcmp(argv[i], "--flips")) {
			flips = (unsigned int)strtoul(argv[i + 1], NULL, 0);
		} else if (!strcmp(argv[i], "--seed")) {
			seed = strtoull(argv[i + 1], NULL, 0);
		} else {
			fprintf(stderr, "unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: %s [--flips N] [--seed S] POLICY...\n", argv[0]);
		return 2;
	}
	for (; i < argc; i++) {
		const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		char err[256];
		size_t len = 0;
		uint8_t *data = slurp(argv[i], &len);
		bool leaked;
		int rc;

		if (!data) {
			report(false, "%s: cannot read %s", name, argv[i]);
			continue;
		}
		rc = load_case(data, len, err, sizeof(err), &leaked);
		report(rc == 0 && !leaked, "%s: the unmodified policy (%zu bytes) loads%s%s", name,
		       len, rc ? ": " : "", rc ? err : "");
		if (rc) {
			free(data);
			continue;
		}
		truncations(name, data, len, seed + (uint64_t)i);
		bitflips(name, data, len, len > LARGE_IMAGE ? LARGE_SAMPLES : flips,
			 seed + (uint64_t)i);
		if (len < 64 * 1024) {
			alloc_failures(name, data, len);
		}
		if (!strncmp(name, "unit", 4)) {
			crafted_cases(name, data, len);
		}
		free(data);
	}
	return failures ? 1 : 0;
}
