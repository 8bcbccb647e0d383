/*
 * test-avc-smp.c - the AVC on many CPUs, against libsepol.
 *
 *   test-avc-smp DIR [READERS [OPS]]
 *
 * DIR holds svc-a.30 and svc-b.30 (tests/policy/services/). Reader threads,
 * each playing its own CPU (flask_host_set_cpu), look up every (source,
 * target, class) of nine contexts and five classes through the per-CPU
 * front caches and the shared AVC, while this thread (CPU 0) alternately
 * flips the boolean gate (set + commit) and reloads the other policy (OPS
 * changes in all, half of them loads). Every decision must equal the one
 * libsepol computes for the policy and boolean state current at some
 * instant of the lookup; a lookup that starts after a change returned and
 * ends before the next one began has exactly one such state, so a stale
 * decision from before the change is a failure. Then: the per-CPU
 * statistics agree exactly with what each thread did, a CPU not online is
 * -ENOENT, and retired nodes wait for every CPU's quiescent point.
 *
 * Built twice: with ASan+UBSan (a node freed under a reader is a
 * use-after-free report) and with ThreadSanitizer.
 */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sepol/booleans.h>
#include <sepol/policydb.h>
#include <sepol/policydb/services.h>
#include <sepol/sepol.h>

#include "avc.h"
#include "flask_env_host.h"
#include "security.h"

#ifdef __SANITIZE_THREAD__
#define SANITIZER "tsan"
#else
#define SANITIZER "asan"
#endif

#define NCTX 9
#define NCLS 5
#define NTRIPLES (NCTX * NCTX * NCLS)
#define MAX_READERS (FLASK_MAX_CPUS - 1)
#define MAX_OPS 1000
/* Lookups each reader makes under every state before the next change. */
#define PER_STATE 600

static const char *const contexts[NCTX] = {
    "system_u:system_r:xen_t",	  "system_u:system_r:dom0_t",	"system_u:system_r:domU_t",
    "system_u:system_r:dm_dom_t", "system_u:system_r:newdom_t", "system_u:system_r:parent_t",
    "system_u:system_r:child_t",  "system_u:system_r:perm_t",	"system_u:system_r:unlabeled_t",
};
/* The classes of svc-a.conf and svc-b.conf and how many permissions each declares there. */
static const char *const classes[NCLS] = {"xen", "domain", "event", "resource", "grant"};
static const unsigned int class_nperms[NCLS] = {3, 5, 4, 3, 3};

struct decision {
	uint32_t allowed, auditallow, auditdeny;
};

static bool same(const struct decision *a, const struct decision *b)
{
	return a->allowed == b->allowed && a->auditallow == b->auditallow &&
	       a->auditdeny == b->auditdeny;
}

/* Configurations: policy (0 A, 1 B) x gate (0, 1). */
static struct decision ref[4][NTRIPLES];
static uint32_t our_sid[NCTX];
static uint16_t our_cls[NCLS];
static int state_cfg[MAX_OPS + 1];
static int failures;
static const char *dir;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * sepol_set_policydb_from_file keeps the policy it replaces (libsepol's
 * own global); LeakSanitizer reports only flask/'s and this file's leaks.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libsepol.so\n";
}

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: avc-smp (%s): ", ok ? "PASS" : "FAIL", SANITIZER);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures += !ok;
}

static void *read_file(const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	void *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	buf = malloc((size_t)n);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		exit(2);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static uint32_t class_mask(int c)
{
	return (1u << class_nperms[c]) - 1;
}

/* libsepol's decisions for one policy image with gate set to value. */
static void reference(const void *data, size_t len, int gate, struct decision *out)
{
	sepol_handle_t *h = sepol_handle_create();
	sepol_policy_file_t *pf;
	sepol_policydb_t *p;
	sepol_bool_key_t *key;
	sepol_bool_t *b;
	void *img;
	size_t imglen;
	FILE *fp;

	if (!h || sepol_policy_file_create(&pf) || sepol_policydb_create(&p)) {
		exit(2);
	}
	sepol_policy_file_set_mem(pf, (char *)data, len);
	if (sepol_policydb_read(p, pf) || sepol_bool_key_create(h, "gate", &key) ||
	    sepol_bool_create(h, &b) || sepol_bool_set_name(h, b, "gate")) {
		exit(2);
	}
	sepol_bool_set_value(b, gate);
	if (sepol_bool_set(h, p, key, b) || sepol_policydb_to_image(h, p, &img, &imglen)) {
		exit(2);
	}
	fp = fmemopen(img, imglen, "rb");
	if (!fp || sepol_set_policydb_from_file(fp)) {
		exit(2);
	}
	fclose(fp);
	for (int s = 0; s < NCTX; s++) {
		for (int t = 0; t < NCTX; t++) {
			for (int c = 0; c < NCLS; c++) {
				sepol_security_id_t ss, ts;
				sepol_security_class_t sc;
				struct sepol_av_decision avd;
				struct decision *d = &out[(s * NCTX + t) * NCLS + c];

				if (sepol_context_to_sid(contexts[s], strlen(contexts[s]) + 1,
							 &ss) ||
				    sepol_context_to_sid(contexts[t], strlen(contexts[t]) + 1,
							 &ts) ||
				    sepol_string_to_security_class(classes[c], &sc) ||
				    sepol_compute_av(ss, ts, sc, ~0u, &avd)) {
					exit(2);
				}
				d->allowed = avd.allowed & class_mask(c);
				d->auditallow = avd.auditallow & class_mask(c);
				d->auditdeny = avd.auditdeny & class_mask(c);
			}
		}
	}
	free(img);
	sepol_bool_free(b);
	sepol_bool_key_free(key);
	sepol_policydb_free(p);
	sepol_policy_file_free(pf);
	sepol_handle_destroy(h);
}

/*
 * The change counter: 2k once change k has returned, 2k-1 while it runs.
 * state_cfg[k] is the configuration after change k.
 */
static unsigned long gen;
static int stop;

struct reader {
	pthread_t th;
	unsigned int cpu;
	unsigned long lookups, strict, bad;
	unsigned long done; /* read by the writer */
};

static struct decision ours(int i, uint32_t *flags)
{
	int s = i / (NCTX * NCLS), t = i / NCLS % NCTX, c = i % NCLS;
	struct av_decision avd;
	struct decision d;

	avc_has_perm_noaudit(our_sid[s], our_sid[t], our_cls[c], class_mask(c), &avd);
	d.allowed = avd.allowed & class_mask(c);
	d.auditallow = avd.auditallow & class_mask(c);
	d.auditdeny = avd.auditdeny & class_mask(c);
	*flags = avd.flags;
	return d;
}

/* Triples whose decision differs between configurations: each reader keeps coming back to them. */
static int changing[NTRIPLES], nchanging;

static void find_changing(void)
{
	for (int i = 0; i < NTRIPLES; i++) {
		for (int c = 1; c < 4; c++) {
			if (!same(&ref[0][i], &ref[c][i])) {
				changing[nchanging++] = i;
				break;
			}
		}
	}
}

/* One lookup of triple i, checked against the states current at some instant of it. */
static void lookup_and_check(struct reader *r, int i)
{
	unsigned long g1 = __atomic_load_n(&gen, __ATOMIC_ACQUIRE), g2;
	uint32_t flags;
	struct decision d = ours(i, &flags);
	unsigned long lo, hi, k;
	bool ok = false;

	g2 = __atomic_load_n(&gen, __ATOMIC_ACQUIRE);
	r->lookups++;
	lo = g1 / 2;
	hi = (g2 + 1) / 2;
	for (k = lo; k <= hi && !ok; k++) {
		ok = same(&d, &ref[state_cfg[k]][i]);
	}
	r->strict += lo == hi;
	if (!ok && r->bad++ < 3) {
		const struct decision *want = &ref[state_cfg[lo]][i];

		printf("  CPU%u: %s -> %s %s: allowed %#x auditallow %#x auditdeny %#x, libsepol "
		       "says %#x %#x %#x (states %lu..%lu)\n",
		       r->cpu, contexts[i / (NCTX * NCLS)], contexts[i / NCLS % NCTX],
		       classes[i % NCLS], d.allowed, d.auditallow, d.auditdeny, want->allowed,
		       want->auditallow, want->auditdeny, lo, hi);
	}
	/* Between lookups: this CPU holds nothing from the AVC. */
	avc_quiescent();
}

/*
 * Every triple in turn (front-cache conflicts, AVC misses and hits), each
 * followed by one of the changing triples, whose front entries therefore
 * live across the changes: a stale one would be used.
 */
static void *reader_main(void *arg)
{
	struct reader *r = arg;
	int i = (int)r->cpu * 37 % NTRIPLES, k = 0;

	flask_host_set_cpu(r->cpu);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		lookup_and_check(r, i);
		lookup_and_check(r, changing[k]);
		__atomic_store_n(&r->done, r->lookups, __ATOMIC_RELEASE);
		i = (i + 1) % NTRIPLES;
		k = (k + 1) % nchanging;
	}
	return NULL;
}

static int load_image(const void *data, size_t len)
{
	char err[256];
	int rc = security_load_policy(data, len, err, sizeof(err));

	if (rc) {
		printf("  load failed: %s\n", err);
	}
	return rc;
}

static void wait_readers(struct reader *r, int n, const unsigned long *base)
{
	for (int j = 0; j < n; j++) {
		while (__atomic_load_n(&r[j].done, __ATOMIC_ACQUIRE) < base[j] + PER_STATE) {
			sched_yield();
		}
	}
}

static void race(const void *a, size_t alen, const void *b, size_t blen, int nreaders, int ops)
{
	struct reader r[MAX_READERS];
	unsigned long base[MAX_READERS];
	unsigned long lookups = 0, strict = 0, bad = 0;
	int policy = 0, gate = 0, gate_id, ok_ops = 0;
	struct avc_cache_stats st, sum = {0};

	/* The schedule: odd changes flip the boolean, even ones load the other policy. */
	state_cfg[0] = 0;
	for (int k = 1; k <= ops; k++) {
		if (k % 2) {
			gate ^= 1;
		} else {
			policy ^= 1;
		}
		state_cfg[k] = policy * 2 + gate;
	}
	gate = policy = 0;
	gate_id = security_find_bool("gate");
	flask_host_set_cpus((unsigned int)nreaders + 1);
	avc_set_sync_free(false);
	memset(r, 0, sizeof(r));
	for (int j = 0; j < nreaders; j++) {
		r[j].cpu = (unsigned int)j + 1;
		pthread_create(&r[j].th, NULL, reader_main, &r[j]);
	}
	for (int j = 0; j < nreaders; j++) {
		base[j] = 0;
	}
	wait_readers(r, nreaders, base);
	for (int k = 1; k <= ops; k++) {
		int rc;

		for (int j = 0; j < nreaders; j++) {
			base[j] = __atomic_load_n(&r[j].done, __ATOMIC_ACQUIRE);
		}
		__atomic_store_n(&gen, 2ul * k - 1, __ATOMIC_RELEASE);
		if (k % 2) {
			gate ^= 1;
			rc = security_set_bool(gate_id, gate);
			rc = rc ? rc : security_commit_bools();
		} else {
			policy ^= 1;
			rc = policy ? load_image(b, blen) : load_image(a, alen);
			gate_id = security_find_bool("gate");
		}
		__atomic_store_n(&gen, 2ul * k, __ATOMIC_RELEASE);
		ok_ops += rc == 0 && gate_id >= 0;
		avc_quiescent();
		wait_readers(r, nreaders, base);
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (int j = 0; j < nreaders; j++) {
		pthread_join(r[j].th, NULL);
		lookups += r[j].lookups;
		strict += r[j].strict;
		bad += r[j].bad;
	}
	check(ok_ops == ops, "%d of %d changes (%d policy loads, %d boolean commits) succeeded",
	      ok_ops, ops, ops / 2, ops - ops / 2);
	check(bad == 0 && lookups > 0,
	      "%d CPUs: %lu decisions, each libsepol's for a state current during its lookup "
	      "(%lu with no change during the lookup), %lu wrong",
	      nreaders, lookups, strict, bad);

	/* Statistics: each reader CPU counted exactly its own lookups. */
	bool exact = true;

	for (int j = 0; j < nreaders; j++) {
		if (avc_get_cpu_stats(r[j].cpu, &st) || st.lookups != r[j].lookups ||
		    st.hits + st.misses != st.lookups || st.hits == 0 || st.misses == 0) {
			exact = false;
			printf("  CPU%u: did %lu lookups; stats say %llu lookups, %llu hits, %llu "
			       "misses\n",
			       r[j].cpu, r[j].lookups, (unsigned long long)st.lookups,
			       (unsigned long long)st.hits, (unsigned long long)st.misses);
		}
	}
	check(exact, "per-CPU statistics: each reader CPU's lookups are exactly its own, hits + "
		     "misses = lookups");
	avc_get_stats(&sum);
	check(sum.allocations - sum.frees == avc_count(),
	      "per-CPU statistics: allocations - frees over all CPUs = nodes cached (%llu - %llu "
	      "= %u)",
	      (unsigned long long)sum.allocations, (unsigned long long)sum.frees, avc_count());
	check(avc_get_cpu_stats((unsigned int)nreaders + 1, &st) == -FLASK_ENOENT &&
		  avc_get_cpu_stats(FLASK_MAX_CPUS, &st) == -FLASK_ENOENT &&
		  avc_get_cpu_stats(~0u, &st) == -FLASK_ENOENT,
	      "statistics of a CPU not online (%d, %d, ~0) are -ENOENT", nreaders + 1,
	      FLASK_MAX_CPUS);
	avc_free_retired();
	check(avc_retired_count() == 0, "after the join every retired node is freed");
	avc_set_sync_free(true);
	flask_host_set_cpus(1);
	flask_host_set_cpu(0);
}

/*
 * Grace periods, deterministically: this thread plays CPU 0 and then CPU 1.
 * Nodes a flush retires stay until both CPUs have passed a quiescent point.
 */
static void grace_periods(void)
{
	uint32_t n, after0, after1;

	avc_set_sync_free(false);
	flask_host_set_cpus(2);
	flask_host_set_cpu(0);
	avc_quiescent();
	flask_host_set_cpu(1);
	avc_quiescent();
	flask_host_set_cpu(0);
	for (int i = 0; i < 20; i++) {
		uint32_t flags;

		ours(i * 7, &flags);
	}
	n = avc_count();
	avc_flush();
	avc_quiescent();
	after0 = avc_retired_count();
	flask_host_set_cpu(1);
	avc_quiescent();
	flask_host_set_cpu(0);
	avc_quiescent();
	after1 = avc_retired_count();
	check(n > 0 && after0 == n && after1 == 0,
	      "a flush's %u nodes wait while CPU1 has not passed a quiescent point (%u retired), "
	      "then are freed (%u)",
	      n, after0, after1);
	avc_set_sync_free(true);
	flask_host_set_cpus(1);
}

int main(int argc, char **argv)
{
	size_t alen, blen;
	void *a, *b;
	int nreaders = argc > 2 ? atoi(argv[2]) : 3;
	int ops = argc > 3 ? atoi(argv[3]) : 200;

	if (argc < 2 || nreaders < 1 || nreaders > MAX_READERS || ops < 2 || ops > MAX_OPS) {
		fprintf(stderr, "usage: test-avc-smp DIR [READERS 1..%d [OPS 2..%d]]\n",
			MAX_READERS, MAX_OPS);
		return 2;
	}
	dir = argv[1];
	a = read_file("svc-a.30", &alen);
	b = read_file("svc-b.30", &blen);
	sepol_debug(0);
	reference(a, alen, 0, ref[0]);
	reference(a, alen, 1, ref[1]);
	reference(b, blen, 0, ref[2]);
	reference(b, blen, 1, ref[3]);
	find_changing();
	check(memcmp(ref[0], ref[1], sizeof(ref[0])) && memcmp(ref[0], ref[2], sizeof(ref[0])) &&
		  memcmp(ref[1], ref[3], sizeof(ref[0])),
	      "libsepol: the gate boolean and the policy each change some decision (%d of %d "
	      "triples change)",
	      nchanging, NTRIPLES);
	if (load_image(a, alen)) {
		return 1;
	}
	for (int s = 0; s < NCTX; s++) {
		if (security_context_to_sid(contexts[s], strlen(contexts[s]), &our_sid[s])) {
			printf("FAIL: avc-smp: no SID for %s\n", contexts[s]);
			return 1;
		}
	}
	for (int c = 0; c < NCLS; c++) {
		our_cls[c] = (uint16_t)security_class_by_name(classes[c]);
	}
	avc_init();
	grace_periods();
	race(a, alen, b, blen, nreaders, ops);
	free(a);
	free(b);
	return failures ? 1 : 0;
}
