/*
 * avc.h - the access vector cache in front of the security server.
 *
 * Concurrency model (the hypervisor is SMP):
 *  - Readers (avc_has_perm's hit path) take no lock. Chains are singly
 *    linked lists published with release stores and read with acquire
 *    loads; a node's key and decision never change after publication.
 *  - Writers (insert, reclaim, flush) serialise on one flask_lock.
 *  - A node unlinked by a writer may still be read by a CPU that found it
 *    just before: it is moved to a retired list, not freed. In "sync" mode
 *    (the default, for single-threaded host programs) the retired list is
 *    freed at once; the hypervisor turns sync mode off and calls
 *    avc_free_retired() from a point where every CPU has left the AVC
 *    (its RCU-like quiescent point, e.g. after each CPU passed the scheduler).
 *  - The cache is flushed when security_seqno_value differs from the
 *    sequence number the cache was filled under: one load and compare on the
 *    hit path.
 */
#ifndef FLASK_AVC_H
#define FLASK_AVC_H

#include "audit.h"
#include "flask_env.h"
#include "security.h"

#define AVC_CACHE_SLOTS 512
#define AVC_DEF_CACHE_THRESHOLD 512
#define AVC_CACHE_RECLAIM 16

struct avc_cache_stats {
	uint64_t lookups;
	uint64_t hits;
	uint64_t misses;
	uint64_t allocations;
	uint64_t reclaims;
	uint64_t frees;
};

struct avc_node {
	struct avc_node *next;	       /* hash chain; left intact when retired */
	struct avc_node *retired_next; /* retired list (a reader may still walk next) */
	uint32_t ssid;
	uint32_t tsid;
	uint16_t tclass;
	struct av_decision avd;
};

/* Internal state, visible only so that the lookup can be inlined. */
extern struct avc_node *avc_slots[AVC_CACHE_SLOTS];
extern uint32_t avc_cache_seqno;
extern struct avc_cache_stats avc_stats_counters;

/* Idempotent; host programs may skip it (the first miss initialises). */
int avc_init(void);

/*
 * 0 if every requested (mapped) permission is allowed, or the source type or
 * the system is permissive; else -FLASK_EACCES, also for a SID or class the
 * security server does not know (fail closed; such a denial is always
 * audited). Audits per the policy. ad may be NULL.
 */
int avc_has_perm(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t requested,
		 const struct avc_audit_data *ad);

/* The same without auditing; fills *avd with the decision used. */
int avc_has_perm_noaudit(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t requested,
			 struct av_decision *avd);

/* Audit one decision (used by avc_has_perm; exported for callers of _noaudit). */
void avc_audit(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t requested,
	       const struct av_decision *avd, int result, const struct avc_audit_data *ad);

void avc_get_stats(struct avc_cache_stats *stats);
uint32_t avc_get_threshold(void);
int avc_set_threshold(uint32_t threshold);
/* Number of cached decisions. */
uint32_t avc_count(void);
/* Hash table shape (Xen's FLASK_AVC_HASHSTATS): entries, slots in use, longest chain. */
void avc_get_hash_stats(uint32_t *entries, uint32_t *slots_used, uint32_t *max_chain);
void avc_flush(void);

void avc_set_sync_free(bool sync);
void avc_free_retired(void);

static inline uint32_t avc_hash(uint32_t ssid, uint32_t tsid, uint16_t tclass)
{
	return (ssid ^ (tsid << 2) ^ ((uint32_t)tclass << 4)) & (AVC_CACHE_SLOTS - 1);
}

/* The hit path: no allocation, no lock. NULL on a miss or a stale cache. */
static inline const struct avc_node *avc_lookup(uint32_t ssid, uint32_t tsid, uint16_t tclass)
{
	const struct avc_node *node;

	if (__atomic_load_n(&security_seqno_value, __ATOMIC_ACQUIRE) !=
	    __atomic_load_n(&avc_cache_seqno, __ATOMIC_RELAXED)) {
		return NULL;
	}
	node = __atomic_load_n(&avc_slots[avc_hash(ssid, tsid, tclass)], __ATOMIC_ACQUIRE);
	while (node) {
		if (node->ssid == ssid && node->tsid == tsid && node->tclass == tclass) {
			return node;
		}
		node = __atomic_load_n(&node->next, __ATOMIC_ACQUIRE);
	}
	return NULL;
}

#endif
