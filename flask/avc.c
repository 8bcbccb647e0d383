/*
 * avc.c - the access vector cache: per-CPU front caches before one shared,
 * lock-free-to-read hash table. See avc.h for the rules.
 */
#include "avc.h"
#include "audit.h"
#include "avc_qsbr.h"
#include "flask_env.h"
#include "security.h"

struct avc_node *avc_slots[AVC_CACHE_SLOTS];
uint32_t avc_cache_seqno;
struct avc_cpu avc_cpus[FLASK_MAX_CPUS];
struct avc_cpu_stats avc_cpu_stats[FLASK_MAX_CPUS];

static struct flask_lock *avc_lock;
static bool avc_ready;
static uint32_t avc_threshold = AVC_DEF_CACHE_THRESHOLD;
static uint32_t avc_nodes;
static uint32_t avc_reclaim_slot;
/* Nodes unlinked during the current locked operation, handed to qsbr at its end. */
static struct avc_node *avc_unlinked;
static uint32_t avc_unlinked_n;

_Static_assert(__builtin_offsetof(struct avc_node, retired) == 0,
	       "qsbr frees a node through its first member");
_Static_assert(sizeof(struct avc_front_entry) == 32, "a front entry is half a cache line");
_Static_assert(sizeof(struct avc_cpu_stats) == 64, "one CPU's counters, one cache line");

#define STAT_INC(field) avc_cpu_count(&avc_cpu_stats[flask_cpu_id()].c.field)

/* No entry matches until filled: the tag is one no decision carries yet. */
static void front_clear(struct avc_cpu *c)
{
	memset(c->front, 0, sizeof(c->front));
	for (uint32_t i = 0; i < AVC_FRONT_SLOTS; i++) {
		c->front[i].seqno = ~0u;
	}
}

int avc_init(void)
{
	struct flask_lock *lock;

	if (__atomic_load_n(&avc_ready, __ATOMIC_ACQUIRE)) {
		return 0;
	}
	if (qsbr_init()) {
		return -FLASK_ENOMEM;
	}
	lock = flask_lock_create();
	if (!lock) {
		return -FLASK_ENOMEM;
	}
	avc_lock = lock;
	for (unsigned int cpu = 0; cpu < FLASK_MAX_CPUS; cpu++) {
		front_clear(&avc_cpus[cpu]);
	}
	__atomic_store_n(&avc_ready, true, __ATOMIC_RELEASE);
	return 0;
}

/* Called with the lock held: the node is already unlinked. */
static void avc_retire(struct avc_node *node)
{
	node->retired.next = avc_unlinked ? &avc_unlinked->retired : NULL;
	avc_unlinked = node;
	avc_unlinked_n++;
	avc_nodes--;
	STAT_INC(frees);
}

/* End of a locked operation: the unlinked nodes wait for a grace period (or go at once). */
static void avc_unlock(void)
{
	struct avc_node *chain = avc_unlinked;
	uint32_t n = avc_unlinked_n;

	avc_unlinked = NULL;
	avc_unlinked_n = 0;
	flask_lock_release(avc_lock);
	qsbr_retire(chain ? &chain->retired : NULL, n);
}

void avc_free_retired(void)
{
	qsbr_free_all();
}

void avc_quiescent(void)
{
	qsbr_quiescent();
}

uint32_t avc_retired_count(void)
{
	return qsbr_pending();
}

static void avc_flush_locked(uint32_t seqno)
{
	for (uint32_t i = 0; i < AVC_CACHE_SLOTS; i++) {
		struct avc_node *node = avc_slots[i];

		__atomic_store_n(&avc_slots[i], NULL, __ATOMIC_RELEASE);
		while (node) {
			struct avc_node *next = node->next;

			avc_retire(node);
			node = next;
		}
	}
	__atomic_store_n(&avc_cache_seqno, seqno, __ATOMIC_RELEASE);
}

void avc_flush(void)
{
	struct avc_cpu *c;

	if (avc_init()) {
		return;
	}
	/* The caller's own front cache: nobody else writes it. */
	c = &avc_cpus[flask_cpu_id()];
	front_clear(c);
	flask_lock_acquire(avc_lock);
	avc_flush_locked(security_seqno());
	avc_unlock();
}

/* Drop up to AVC_CACHE_RECLAIM nodes, taking chain tails round-robin. */
static void avc_reclaim_locked(void)
{
	uint32_t freed = 0;

	STAT_INC(reclaims);
	for (uint32_t n = 0; n < AVC_CACHE_SLOTS && freed < AVC_CACHE_RECLAIM; n++) {
		uint32_t slot = avc_reclaim_slot;
		struct avc_node *node;

		avc_reclaim_slot = (avc_reclaim_slot + 1) & (AVC_CACHE_SLOTS - 1);
		node = avc_slots[slot];
		__atomic_store_n(&avc_slots[slot], NULL, __ATOMIC_RELEASE);
		while (node) {
			struct avc_node *next = node->next;

			avc_retire(node);
			freed++;
			node = next;
		}
	}
}

/*
 * Insert a decision computed under avd->seqno, replacing any node with the
 * same key. A decision computed under an older policy is not cached.
 */
static void avc_insert(uint32_t ssid, uint32_t tsid, uint16_t tclass, const struct av_decision *avd)
{
	struct avc_node *node, **pp;
	uint32_t slot = avc_hash(ssid, tsid, tclass);

	flask_lock_acquire(avc_lock);
	if (avc_cache_seqno != avd->seqno) {
		if (avd->seqno != security_seqno()) {
			goto out;
		}
		avc_flush_locked(avd->seqno);
	}
	node = flask_zalloc(sizeof(*node));
	if (!node) {
		goto out;
	}
	STAT_INC(allocations);
	node->ssid = ssid;
	node->tsid = tsid;
	node->tclass = tclass;
	node->avd = *avd;

	for (pp = &avc_slots[slot]; *pp; pp = &(*pp)->next) {
		struct avc_node *old = *pp;

		if (old->ssid == ssid && old->tsid == tsid && old->tclass == tclass) {
			node->next = old->next;
			__atomic_store_n(pp, node, __ATOMIC_RELEASE);
			avc_retire(old);
			avc_nodes++;
			goto out;
		}
	}
	node->next = avc_slots[slot];
	__atomic_store_n(&avc_slots[slot], node, __ATOMIC_RELEASE);
	avc_nodes++;
	if (avc_nodes > avc_threshold) {
		avc_reclaim_locked();
	}
out:
	avc_unlock();
}

/* The miss path: ask the security server and cache the answer. */
static int avc_compute(uint32_t ssid, uint32_t tsid, uint16_t tclass, struct av_decision *avd)
{
	int rc;

	STAT_INC(misses);
	if (!__atomic_load_n(&avc_ready, __ATOMIC_ACQUIRE)) {
		rc = avc_init();
		if (rc) {
			return rc;
		}
	}
	rc = security_compute_av(ssid, tsid, tclass, avd);
	if (rc) {
		return rc;
	}
	avc_insert(ssid, tsid, tclass, avd);
	return 0;
}

/* Only the running CPU writes its front cache, so no reader sees a half-written entry. */
static void avc_front_fill(struct avc_front_entry *e, uint32_t ssid, uint32_t tsid, uint16_t tclass,
			   const struct av_decision *avd)
{
	e->ssid = ssid;
	e->tsid = tsid;
	e->tclass = tclass;
	e->flags = (uint16_t)avd->flags;
	e->seqno = avd->seqno;
	e->quiet = avd->allowed & ~avd->auditallow;
	e->allowed = avd->allowed;
	e->auditallow = avd->auditallow;
	e->auditdeny = avd->auditdeny;
}

static int avc_decide(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t requested,
		      struct av_decision *avd)
{
	unsigned int cpu = flask_cpu_id();
	struct avc_cache_stats *st = &avc_cpu_stats[cpu].c;
	struct avc_front_entry *e = avc_front_slot(&avc_cpus[cpu], ssid, tsid, tclass);
	uint32_t seqno = __atomic_load_n(&security_seqno_value, __ATOMIC_ACQUIRE);
	const struct avc_node *node;
	int rc;

	avc_cpu_count(&st->lookups);
	if (e->ssid == ssid && e->tsid == tsid && e->tclass == tclass && e->seqno == seqno) {
		avc_cpu_count(&st->hits);
		avd->allowed = e->allowed;
		avd->auditallow = e->auditallow;
		avd->auditdeny = e->auditdeny;
		avd->seqno = e->seqno;
		avd->flags = e->flags;
		return (requested & ~avd->allowed) ? -FLASK_EACCES : 0;
	}
	node = avc_lookup(ssid, tsid, tclass);
	if (node) {
		avc_cpu_count(&st->hits);
		*avd = node->avd;
	} else {
		rc = avc_compute(ssid, tsid, tclass, avd);
		if (rc) {
			/* Fail closed: nothing allowed, everything audited; never cached. */
			avd->allowed = 0;
			avd->auditallow = 0;
			avd->auditdeny = ~0u;
			avd->seqno = 0;
			avd->flags = 0;
			return rc;
		}
	}
	avc_front_fill(e, ssid, tsid, tclass, avd);
	return (requested & ~avd->allowed) ? -FLASK_EACCES : 0;
}

int avc_has_perm_noaudit(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t requested,
			 struct av_decision *avd)
{
	int rc = avc_decide(ssid, tsid, tclass, requested, avd);

	if (rc == 0) {
		return 0;
	}
	/*
	 * A SID or class the server does not know is a denial like any
	 * other (fail closed), so callers only ever see 0 or -EACCES.
	 */
	rc = -FLASK_EACCES;
	if (security_get_enforcing() && !(avd->flags & AVD_FLAGS_PERMISSIVE)) {
		return rc;
	}
	return 0;
}

void avc_audit(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t requested,
	       const struct av_decision *avd, int result, const struct avc_audit_data *ad)
{
	uint32_t denied = requested & ~avd->allowed;
	char line[AUDIT_LINE_MAX];

	if (denied) {
		uint32_t audited = denied & avd->auditdeny;
		bool permissive = !security_get_enforcing() || (avd->flags & AVD_FLAGS_PERMISSIVE);

		if (!audited) {
			return;
		}
		audit_format_line(line, sizeof(line), false, audited, ssid, tsid, tclass, ad,
				  permissive && result == 0);
	} else {
		uint32_t audited = requested & avd->auditallow;

		if (!audited) {
			return;
		}
		audit_format_line(line, sizeof(line), true, audited, ssid, tsid, tclass, ad, false);
	}
	flask_log(line);
}

int avc_has_perm(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t requested,
		 const struct avc_audit_data *ad)
{
	struct av_decision avd;
	int rc = avc_has_perm_noaudit(ssid, tsid, tclass, requested, &avd);
	uint32_t denied = requested & ~avd.allowed;

	if (__builtin_expect(!denied && !(requested & avd.auditallow), 1)) {
		return rc;
	}
	avc_audit(ssid, tsid, tclass, requested, &avd, rc, ad);
	if (denied && rc == 0 && avd.seqno == security_seqno()) {
		/*
		 * Granted only because of permissive mode: remember the grant
		 * so that the same access is not audited again until the
		 * policy or the mode changes (as Linux does).
		 */
		avd.allowed |= denied;
		avc_insert(ssid, tsid, tclass, &avd);
		avc_front_fill(avc_front_slot(&avc_cpus[flask_cpu_id()], ssid, tsid, tclass), ssid,
			       tsid, tclass, &avd);
	}
	return rc;
}

static void add_stats(struct avc_cache_stats *sum, const struct avc_cpu_stats *s)
{
	uint64_t fast = __atomic_load_n(&s->fast_hits, __ATOMIC_RELAXED);

	sum->lookups += __atomic_load_n(&s->c.lookups, __ATOMIC_RELAXED) + fast;
	sum->hits += __atomic_load_n(&s->c.hits, __ATOMIC_RELAXED) + fast;
	sum->misses += __atomic_load_n(&s->c.misses, __ATOMIC_RELAXED);
	sum->allocations += __atomic_load_n(&s->c.allocations, __ATOMIC_RELAXED);
	sum->reclaims += __atomic_load_n(&s->c.reclaims, __ATOMIC_RELAXED);
	sum->frees += __atomic_load_n(&s->c.frees, __ATOMIC_RELAXED);
}

void avc_get_stats(struct avc_cache_stats *stats)
{
	*stats = (struct avc_cache_stats){0};
	for (unsigned int cpu = 0; cpu < FLASK_MAX_CPUS; cpu++) {
		add_stats(stats, &avc_cpu_stats[cpu]);
	}
}

int avc_get_cpu_stats(unsigned int cpu, struct avc_cache_stats *stats)
{
	if (cpu >= flask_nr_cpus() || cpu >= FLASK_MAX_CPUS) {
		return -FLASK_ENOENT;
	}
	*stats = (struct avc_cache_stats){0};
	add_stats(stats, &avc_cpu_stats[cpu]);
	return 0;
}

void avc_reset_cpus(void)
{
	memset(avc_cpu_stats, 0, sizeof(avc_cpu_stats));
	for (unsigned int cpu = 0; cpu < FLASK_MAX_CPUS; cpu++) {
		front_clear(&avc_cpus[cpu]);
	}
	qsbr_reset_cpus();
}

uint32_t avc_get_threshold(void)
{
	return avc_threshold;
}

int avc_set_threshold(uint32_t threshold)
{
	if (threshold == 0) {
		return -FLASK_EINVAL;
	}
	if (avc_init()) {
		return -FLASK_ENOMEM;
	}
	flask_lock_acquire(avc_lock);
	avc_threshold = threshold;
	while (avc_nodes > avc_threshold) {
		avc_reclaim_locked();
	}
	avc_unlock();
	return 0;
}

uint32_t avc_count(void)
{
	return __atomic_load_n(&avc_nodes, __ATOMIC_RELAXED);
}

void avc_set_sync_free(bool sync)
{
	qsbr_set_sync(sync);
}

void avc_get_hash_stats(uint32_t *entries, uint32_t *slots_used, uint32_t *max_chain)
{
	uint32_t used = 0, longest = 0;

	*entries = 0;
	if (avc_init()) {
		*slots_used = 0;
		*max_chain = 0;
		return;
	}
	flask_lock_acquire(avc_lock);
	for (uint32_t i = 0; i < AVC_CACHE_SLOTS; i++) {
		uint32_t len = 0;

		for (const struct avc_node *n = avc_slots[i]; n; n = n->next) {
			len++;
		}
		used += len != 0;
		longest = len > longest ? len : longest;
	}
	*entries = avc_nodes;
	flask_lock_release(avc_lock);
	*slots_used = used;
	*max_chain = longest;
}
