/*
 * bench-policy - the security server against libsepol on the same policies
 * and the same queries.
 *
 *   bench-policy POLICY...
 *
 * For each binary policy, in one run:
 *   1. load: security_load_policy (parse, validate, services set up) against
 *      libsepol's sepol_policydb_read; best-of-N wall time.
 *   2. compute_av on a cache miss: security_compute_av_raw (the security
 *      server, no AVC) against sepol_compute_av over the same random sample
 *      of (source, target, class); the two decisions are also compared.
 *   3. AVC hit: ns per avc_has_perm that hits, and its cost relative to a
 *      miss (compute_av).
 * The goals are printed beside the figures; nothing here fails on them
 * (benchmarks are measurements, not tests).
 *
 * libsepol is linked as the shared library on purpose: only its public
 * sepol_* API is exported there, so its internal policydb/ebitmap/hashtab
 * symbols cannot collide with flask/'s functions of the same names. The
 * contexts to query come from "sepol-query --model" (next to this program),
 * which reads the policy's types, roles and users with libsepol.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sepol/debug.h>
#include <sepol/policydb.h>
#include <sepol/policydb/services.h>
#include <sepol/sepol.h>

#include "avc.h"
#include "flask_env_host.h"
#include "security.h"

#define SAMPLE 20000
#define HIT_SET 256
#define HIT_ROUNDS 2000
#define MAX_WORDS 4096

struct typectx {
	char *ctx;
	uint32_t ours;
	sepol_security_id_t ref;
};

struct triple {
	int s, t, c;
};

static struct typectx *tctx;
static int ntctx;
static char **class_names;
static int nclasses;
static uint16_t *class_ours;
static sepol_security_class_t *class_ref;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state % n);
}

static void quiet_log(const char *line, void *arg)
{
}

static int read_file(const char *path, char **data, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	long n;

	if (!fp) {
		return -errno;
	}
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return -EIO;
	}
	*data = malloc(n ? n : 1);
	if (!*data || fread(*data, 1, n, fp) != (size_t)n) {
		fclose(fp);
		return -EIO;
	}
	fclose(fp);
	*len = n;
	return 0;
}

/* ---- the model: which contexts to query -------------------------------- */

struct model {
	int mls;
	char **types;
	int ntypes;
	char *role_line[256]; /* "role NAME T T T" lines */
	int nroles;
	char *user_line[256]; /* "user NAME R R" lines */
	char *user_low[256];  /* the user's low level, MLS only */
	int nusers;
	char *sens0;
};

static void free_model(struct model *m)
{
	int i;

	for (i = 0; i < m->ntypes; i++) {
		free(m->types[i]);
	}
	free(m->types);
	for (i = 0; i < m->nroles; i++) {
		free(m->role_line[i]);
	}
	for (i = 0; i < m->nusers; i++) {
		free(m->user_line[i]);
		free(m->user_low[i]);
	}
	free(m->sens0);
	memset(m, 0, sizeof(*m));
}

static int has_word(const char *line, int skip, const char *word)
{
	const char *p = line;
	size_t wl = strlen(word);
	int i = 0;

	while (*p) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (i++ >= skip && l == wl && !memcmp(p, word, wl)) {
			return 1;
		}
		if (!e) {
			break;
		}
		p = e + 1;
	}
	return 0;
}

static char *nth_word(const char *line, int n)
{
	const char *p = line;
	const char *e;

	while (n-- > 0) {
		p = strchr(p, ' ');
		if (!p) {
			return NULL;
		}
		p++;
	}
	e = strchr(p, ' ');
	return strndup(p, e ? (size_t)(e - p) : strlen(p));
}

static int read_model(const char *self, const char *policy, struct model *m)
{
	char cmd[PATH_MAX * 2 + 64];
	char dir[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *p;
	int ncap = 0;

	snprintf(dir, sizeof(dir), "%s", self);
	if (strrchr(dir, '/')) {
		*strrchr(dir, '/') = '\0';
	} else {
		snprintf(dir, sizeof(dir), ".");
	}
	snprintf(cmd, sizeof(cmd), "'%s/sepol-query' --model '%s'", dir, policy);
	p = popen(cmd, "r");
	if (!p) {
		return -errno;
	}
	memset(m, 0, sizeof(*m));
	while ((n = getline(&line, &cap, p)) > 0) {
		if (line[n - 1] == '\n') {
			line[n - 1] = '\0';
		}
		if (!strncmp(line, "mls ", 4)) {
			m->mls = line[4] == '1';
		} else if (!strncmp(line, "class ", 6)) {
			class_names = realloc(class_names, (nclasses + 1) * sizeof(char *));
			class_names[nclasses++] = strdup(line + 6);
		} else if (!strncmp(line, "type ", 5)) {
			if (m->ntypes == ncap) {
				ncap = ncap ? ncap * 2 : 256;
				m->types = realloc(m->types, ncap * sizeof(char *));
			}
			m->types[m->ntypes++] = nth_word(line, 1);
		} else if (!strncmp(line, "role ", 5) && m->nroles < 256) {
			m->role_line[m->nroles++] = strdup(line);
		} else if (!strncmp(line, "user ", 5) && m->nusers < 256) {
			m->user_line[m->nusers++] = strdup(line);
		} else if (!strncmp(line, "userrange ", 10) && m->nusers > 0) {
			m->user_low[m->nusers - 1] = nth_word(line, 2);
		} else if (!strncmp(line, "sens ", 5) && !m->sens0) {
			m->sens0 = nth_word(line, 1);
			if (strchr(m->sens0, ':')) {
				*strchr(m->sens0, ':') = '\0';
			}
		}
	}
	free(line);
	if (pclose(p) != 0 || m->ntypes == 0 || nclasses == 0) {
		return -EINVAL;
	}
	return 0;
}

/* A subject-like context for the type if some user and role hold it. */
static char *context_for(struct model *m, const char *type)
{
	char buf[1024];
	int r, u;

	for (r = 0; r < m->nroles; r++) {
		char *role;

		if (!has_word(m->role_line[r], 2, type)) {
			continue;
		}
		role = nth_word(m->role_line[r], 1);
		for (u = 0; u < m->nusers; u++) {
			if (has_word(m->user_line[u], 2, role)) {
				char *user = nth_word(m->user_line[u], 1);

				if (m->mls) {
					snprintf(buf, sizeof(buf), "%s:%s:%s:%s", user, role, type,
						 m->user_low[u]);
				} else {
					snprintf(buf, sizeof(buf), "%s:%s:%s", user, role, type);
				}
				free(user);
				free(role);
				return strdup(buf);
			}
		}
		free(role);
	}
	return NULL;
}

static char *object_context_for(struct model *m, const char *type)
{
	char buf[1024];
	char *user = nth_word(m->user_line[0], 1);

	if (m->mls) {
		snprintf(buf, sizeof(buf), "%s:object_r:%s:%s", user, type, m->sens0);
	} else {
		snprintf(buf, sizeof(buf), "%s:object_r:%s", user, type);
	}
	free(user);
	return strdup(buf);
}

static int map_contexts(struct model *m)
{
	int i;

	tctx = calloc(m->ntypes, sizeof(*tctx));
	ntctx = 0;
	for (i = 0; i < m->ntypes; i++) {
		char *c[2] = {context_for(m, m->types[i]), object_context_for(m, m->types[i])};
		int k;

		for (k = 0; k < 2; k++) {
			struct typectx *t = &tctx[ntctx];

			if (!c[k]) {
				continue;
			}
			if (security_context_to_sid(c[k], strlen(c[k]), &t->ours) == 0 &&
			    sepol_context_to_sid(c[k], strlen(c[k]) + 1, &t->ref) == 0) {
				t->ctx = c[k];
				c[k] = NULL;
				ntctx++;
				break;
			}
		}
		free(c[0]);
		free(c[1]);
	}
	class_ours = calloc(nclasses, sizeof(*class_ours));
	class_ref = calloc(nclasses, sizeof(*class_ref));
	for (i = 0; i < nclasses; i++) {
		class_ours[i] = security_class_by_name(class_names[i]);
		if (sepol_string_to_security_class(class_names[i], &class_ref[i])) {
			return -EINVAL;
		}
		if (!class_ours[i]) {
			return -EINVAL;
		}
	}
	return ntctx ? 0 : -EINVAL;
}

/* ---- the three measurements -------------------------------------------- */

static double time_load_ours(const char *data, size_t len, int reps, int *err)
{
	double best = 1e30;
	char msg[256];
	int i;

	for (i = 0; i < reps; i++) {
		double t0, t1;

		security_reset();
		t0 = now_ns();
		*err = security_load_policy(data, len, msg, sizeof(msg));
		t1 = now_ns();
		if (*err) {
			fprintf(stderr, "bench-policy: security_load_policy: %s (%d)\n", msg, *err);
			return -1;
		}
		if (t1 - t0 < best) {
			best = t1 - t0;
		}
	}
	return best;
}

static double time_load_ref(char *data, size_t len, int reps)
{
	double best = 1e30;
	int i;

	for (i = 0; i < reps; i++) {
		sepol_policy_file_t *pf;
		sepol_policydb_t *p;
		double t0, t1;

		if (sepol_policy_file_create(&pf) || sepol_policydb_create(&p)) {
			return -1;
		}
		sepol_policy_file_set_mem(pf, data, len);
		t0 = now_ns();
		if (sepol_policydb_read(p, pf)) {
			return -1;
		}
		t1 = now_ns();
		sepol_policydb_free(p);
		sepol_policy_file_free(pf);
		if (t1 - t0 < best) {
			best = t1 - t0;
		}
	}
	return best;
}

static int load_ref_services(const char *path)
{
	FILE *fp = fopen(path, "rb");
	int rc;

	if (!fp) {
		return -errno;
	}
	rc = sepol_set_policydb_from_file(fp);
	fclose(fp);
	return rc;
}

static volatile uint32_t sink;

static double time_av_ours(struct triple *tr, int n, int passes)
{
	double best = 1e30;
	int p, i;

	for (p = 0; p < passes; p++) {
		double t0 = now_ns();

		for (i = 0; i < n; i++) {
			struct av_decision avd;

			security_compute_av_raw(tctx[tr[i].s].ours, tctx[tr[i].t].ours,
						class_ours[tr[i].c], &avd);
			sink ^= avd.allowed;
		}
		t0 = now_ns() - t0;
		if (t0 < best) {
			best = t0;
		}
	}
	return best / n;
}

static double time_av_ref(struct triple *tr, int n, int passes)
{
	double best = 1e30;
	int p, i;

	for (p = 0; p < passes; p++) {
		double t0 = now_ns();

		for (i = 0; i < n; i++) {
			struct sepol_av_decision avd;

			sepol_compute_av(tctx[tr[i].s].ref, tctx[tr[i].t].ref, class_ref[tr[i].c],
					 0xffffffffu, &avd);
			sink ^= avd.allowed;
		}
		t0 = now_ns() - t0;
		if (t0 < best) {
			best = t0;
		}
	}
	return best / n;
}

/* Decisions must agree too: a fast wrong answer is not a result. */
static int count_disagreements(struct triple *tr, int n)
{
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		struct av_decision a;
		struct sepol_av_decision b;
		uint32_t mask = security_class_perms_raw(class_ours[tr[i].c]);

		security_compute_av_raw(tctx[tr[i].s].ours, tctx[tr[i].t].ours, class_ours[tr[i].c],
					&a);
		sepol_compute_av(tctx[tr[i].s].ref, tctx[tr[i].t].ref, class_ref[tr[i].c],
				 0xffffffffu, &b);
		if ((a.allowed & mask) != (b.allowed & mask)) {
			if (bad < 3) {
				fprintf(stderr, "  disagreement: %s %s %s: ours %#x libsepol %#x\n",
					tctx[tr[i].s].ctx, tctx[tr[i].t].ctx, class_names[tr[i].c],
					a.allowed & mask, b.allowed & mask);
			}
			bad++;
		}
	}
	return bad;
}

/*
 * Hits: a set of allowed (source, target, class, one permission) decisions
 * that fits in the cache, asked once to fill it, then asked again and again.
 */
static double time_avc_hit(struct triple *tr, int n, uint64_t *hits, uint64_t *calls, int *nset)
{
	static struct {
		uint32_t s, t, perm;
		uint16_t c;
	} set[HIT_SET];
	struct avc_cache_stats before, after;
	double t0;
	int i, k = 0, r;

	for (i = 0; i < n && k < HIT_SET; i++) {
		struct av_decision avd;

		security_compute_av_raw(tctx[tr[i].s].ours, tctx[tr[i].t].ours, class_ours[tr[i].c],
					&avd);
		if (!avd.allowed) {
			continue;
		}
		set[k].s = tctx[tr[i].s].ours;
		set[k].t = tctx[tr[i].t].ours;
		set[k].c = class_ours[tr[i].c];
		set[k].perm = avd.allowed & -avd.allowed;
		k++;
	}
	*nset = k;
	if (!k) {
		return -1;
	}
	avc_init();
	avc_flush();
	for (i = 0; i < k; i++) {
		avc_has_perm(set[i].s, set[i].t, set[i].c, set[i].perm, NULL);
	}
	avc_get_stats(&before);
	t0 = now_ns();
	for (r = 0; r < HIT_ROUNDS; r++) {
		for (i = 0; i < k; i++) {
			sink ^=
			    (uint32_t)avc_has_perm(set[i].s, set[i].t, set[i].c, set[i].perm, NULL);
		}
	}
	t0 = now_ns() - t0;
	avc_get_stats(&after);
	*hits = after.hits - before.hits;
	*calls = (uint64_t)HIT_ROUNDS * k;
	return t0 / *calls;
}

static const char *verdict(int ok)
{
	return ok ? "met" : "NOT met";
}

static int bench_one(const char *self, const char *path)
{
	struct model m;
	struct triple *tr;
	char *data = NULL;
	size_t len = 0;
	double lo, lr, ao, ar, hit;
	uint64_t hits = 0, calls = 0;
	int err = 0, i, nset = 0, reps, bad;

	if (read_file(path, &data, &len)) {
		printf("%s: cannot read (%s)\n", path, strerror(errno));
		return -1;
	}
	reps = len > (1 << 20) ? 5 : 20;
	lr = time_load_ref(data, len, reps);
	lo = time_load_ours(data, len, reps, &err);
	if (lo < 0 || lr < 0) {
		printf("%s: load failed (ours %d, libsepol %s)\n", path, err,
		       lr < 0 ? "failed" : "ok");
		free(data);
		return -1;
	}
	nclasses = 0;
	if (read_model(self, path, &m) || load_ref_services(path) || map_contexts(&m)) {
		printf("%s: cannot set up the queries\n", path);
		free(data);
		return -1;
	}
	tr = calloc(SAMPLE, sizeof(*tr));
	for (i = 0; i < SAMPLE; i++) {
		tr[i].s = rnd(ntctx);
		tr[i].t = rnd(ntctx);
		tr[i].c = rnd(nclasses);
	}
	bad = count_disagreements(tr, SAMPLE);
	ar = time_av_ref(tr, SAMPLE, 3);
	ao = time_av_ours(tr, SAMPLE, 3);
	hit = time_avc_hit(tr, SAMPLE, &hits, &calls, &nset);

	printf("\n%s: %zu bytes, %d types queried, %d classes%s\n", path, len, ntctx, nclasses,
	       m.mls ? ", MLS" : "");
	printf("  %-34s %12s %12s %8s  %s\n", "measure", "ours", "libsepol", "ratio", "goal");
	printf("  %-34s %12.3f %12.3f %8.2f  <= 1.0 %s\n", "load, ms (best of N)", lo / 1e6,
	       lr / 1e6, lo / lr, verdict(lo <= lr));
	printf("  %-34s %12.1f %12.1f %8.2f  <= 1.0 %s\n", "compute_av miss, ns/query", ao, ar,
	       ao / ar, verdict(ao <= ar));
	if (hit > 0) {
		printf("  %-34s %12.1f %12s %8.3f  hit >= 20x cheaper than miss: %.0fx, %s\n",
		       "avc_has_perm hit, ns", hit, "-", hit / ao, ao / hit,
		       verdict(ao / hit >= 20));
		printf("  %-34s %llu of %llu calls hit (%d cached decisions)\n", "avc hit check",
		       (unsigned long long)hits, (unsigned long long)calls, nset);
	} else {
		printf("  %-34s no allowed decision in the sample\n", "avc_has_perm hit");
	}
	printf("  %-34s %d of %d sampled decisions differ%s\n", "decisions vs libsepol", bad,
	       SAMPLE, bad ? " (see policy-diff)" : "");
	free(tr);
	for (i = 0; i < ntctx; i++) {
		free(tctx[i].ctx);
	}
	free(tctx);
	for (i = 0; i < nclasses; i++) {
		free(class_names[i]);
	}
	free(class_names);
	class_names = NULL;
	free(class_ours);
	free(class_ref);
	free_model(&m);
	free(data);
	security_reset();
	return 0;
}

int main(int argc, char **argv)
{
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-policy POLICY...\n");
		return 2;
	}
	flask_set_log_hook(quiet_log, NULL);
	sepol_debug(0);
	printf("bench-policy: ours = flask/ security server (-O2); libsepol = the system's shared "
	       "library\n");
	printf("ratio = ours / libsepol; AVC ratio = hit / miss\n");
	for (i = 1; i < argc; i++) {
		if (bench_one(argv[0], argv[i])) {
			rc = 1;
		}
	}
	return rc;
}
