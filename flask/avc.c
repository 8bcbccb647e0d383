/*
 * avc.c - the access vector cache. See avc.h for the concurrency model.
 */
#include "avc.h"
#include "audit.h"
#include "flask_env.h"
#include "security.h"

struct avc_node *avc_slots[AVC_CACHE_SLOTS];
uint32_t avc_cache_seqno;
struct avc_cache_stats avc_stats_counters;

static struct flask_lock *avc_lock;
static bool avc_ready;
static uint32_t avc_threshold = AVC_DEF_CACHE_THRESHOLD;
static uint32_t avc_nodes;
static uint32_t avc_reclaim_slot;
static struct avc_node *avc_retired;
static bool avc_sync = true;

#define STAT_INC(field) __atomic_fetch_add(&avc_stats_counters.field, 1, __ATOMIC_RELAXED)

int avc_init(void)
{
	if (avc_ready) {
		return 0;
	}
	avc_lock = flask_lock_create();
	if (!avc_lock) {
		return -FLASK_ENOMEM;
	}
	avc_ready = true;
	return 0;
}

/* Called with the lock held: unlinked nodes go to the retired list. */
static void avc_retire(struct avc_node *node)
{
	node->retired_next = avc_retired;
	avc_retired = node;
	avc_nodes--;
	STAT_INC(frees);
}

static void avc_free_retired_locked(void)
{
	struct avc_node *node = avc_retired;

	avc_retired = NULL;
	while (node) {
		struct avc_node *next = node->retired_next;

		flask_free(node);
		node = next;
	}
}

void avc_free_retired(void)
{
	if (avc_init()) {
		return;
	}
	flask_lock_acquire(avc_lock);
	avc_free_retired_locked();
	flask_lock_release(avc_lock);
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
	if (avc_sync) {
		avc_free_retired_locked();
	}
}

void avc_flush(void)
{
	if (avc_init()) {
		return;
	}
	flask_lock_acquire(avc_lock);
	avc_flush_locked(security_seqno());
	flask_lock_release(avc_lock);
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
			goto done;
		}
	}
	node->next = avc_slots[slot];
	__atomic_store_n(&avc_slots[slot], node, __ATOMIC_RELEASE);
	avc_nodes++;
	if (avc_nodes > avc_threshold) {
		avc_reclaim_locked();
	}
done:
	if (avc_sync) {
		avc_free_retired_locked();
	}
out:
	flask_lock_release(avc_lock);
}

/* The miss path: ask the security server and cache the answer. */
static int avc_compute(uint32_t ssid, uint32_t tsid, uint16_t tclass, struct av_decision *avd)
{
	int rc;

	STAT_INC(misses);
	if (!avc_ready) {
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

static int avc_decide(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t requested,
		      struct av_decision *avd)
{
	const struct avc_node *node;
	int rc;

	STAT_INC(lookups);
	node = avc_lookup(ssid, tsid, tclass);
	if (node) {
		STAT_INC(hits);
		*avd = node->avd;
	} else {
		rc = avc_compute(ssid, tsid, tclass, avd);
		if (rc) {
			/* Fail closed: nothing allowed, everything audited. */
			avd->allowed = 0;
			avd->auditallow = 0;
			avd->auditdeny = ~0u;
			avd->seqno = 0;
			avd->flags = 0;
			return rc;
		}
	}
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
	}
	return rc;
}

void avc_get_stats(struct avc_cache_stats *stats)
{
	stats->lookups = __atomic_load_n(&avc_stats_counters.lookups, __ATOMIC_RELAXED);
	stats->hits = __atomic_load_n(&avc_stats_counters.hits, __ATOMIC_RELAXED);
	stats->misses = __atomic_load_n(&avc_stats_counters.misses, __ATOMIC_RELAXED);
	stats->allocations = __atomic_load_n(&avc_stats_counters.allocations, __ATOMIC_RELAXED);
	stats->reclaims = __atomic_load_n(&avc_stats_counters.reclaims, __ATOMIC_RELAXED);
	stats->frees = __atomic_load_n(&avc_stats_counters.frees, __ATOMIC_RELAXED);
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
	if (avc_sync) {
		avc_free_retired_locked();
	}
	flask_lock_release(avc_lock);
	return 0;
}

uint32_t avc_count(void)
{
	return __atomic_load_n(&avc_nodes, __ATOMIC_RELAXED);
}

void avc_set_sync_free(bool sync)
{
	avc_sync = sync;
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
