/*
 * avc.h - the access vector cache in front of the security server.
 *
 * Two levels, and the rules that make them safe on many CPUs:
 *
 *  - A per-CPU front cache (struct avc_cpu): a small direct-mapped table of
 *    whole decisions, each tagged with the policy sequence number it was
 *    computed under. Only its own CPU (flask_cpu_id()) reads or writes it,
 *    so it needs no lock and no entry is ever seen half-written. An entry
 *    counts only while its tag equals security_seqno_value.
 *  - The shared AVC: a hash table of immutable nodes. Readers take no lock
 *    (acquire loads on published chains); writers (insert, reclaim, flush)
 *    serialise on one flask_lock. The table is emptied when the server's
 *    sequence number moves (one load and compare on its hit path).
 *  - Invalidation: a policy load, a boolean commit and an enforcing change
 *    switch the server's state and bump security_seqno_value under the
 *    server's lock, before the call returns. Every cached decision, in the
 *    front caches of all CPUs and in the AVC, carries the sequence number
 *    it was computed under and is used only while it still equals the
 *    current one. So nothing is sent to other CPUs: a lookup that starts
 *    after the load or commit returned sees the new number and misses.
 *  - Reclamation: a node unlinked from the AVC may still be read by another
 *    CPU that found it just before. It goes to a retired list and is freed
 *    only after every CPU has passed a quiescent point (avc_quiescent(),
 *    called by the embedder where the CPU holds no AVC node: its idle
 *    loop, a return to guest code, a context switch). With one CPU (or in
 *    sync mode) nodes are freed at once.
 *  - Statistics are per CPU (Xen's FLASK_AVC_CACHESTATS asks per CPU);
 *    each CPU counts only its own lookups.
 */
#ifndef FLASK_AVC_H
#define FLASK_AVC_H

#include "audit.h"
#include "avc_qsbr.h"
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
	struct qsbr_node retired; /* retired list (first member; a reader may still walk next) */
	struct avc_node *next;	  /* hash chain; left intact when retired */
	uint32_t ssid;
	uint32_t tsid;
	uint16_t tclass;
	struct av_decision avd;
};

/* One decision of a CPU's front cache; seqno is the tag (32 bytes). */
#define AVC_FRONT_SLOTS 64
struct avc_front_entry {
	uint32_t ssid, tsid;
	uint16_t tclass;
	uint16_t flags;
	uint32_t seqno;
	uint32_t quiet; /* allowed and not auditallow: what needs no audit */
	uint32_t allowed, auditallow, auditdeny;
};

/* A CPU's front cache: only that CPU reads or writes it (2 KiB, a power of two). */
struct avc_cpu {
	struct avc_front_entry front[AVC_FRONT_SLOTS];
};

/* A CPU's counters: only that CPU writes them; others read them (one cache line). */
struct avc_cpu_stats {
	struct avc_cache_stats c;
	/* Hits answered by the embedder's inline paths (avc_front_quiet, its own caches). */
	uint64_t fast_hits;
} __attribute__((aligned(64)));

/* Internal state, visible only so that the lookups can be inlined. */
extern struct avc_node *avc_slots[AVC_CACHE_SLOTS];
extern uint32_t avc_cache_seqno;
extern struct avc_cpu avc_cpus[FLASK_MAX_CPUS];
extern struct avc_cpu_stats avc_cpu_stats[FLASK_MAX_CPUS];

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

/* The sum of every CPU's statistics. */
void avc_get_stats(struct avc_cache_stats *stats);
/* One CPU's statistics: 0, or -FLASK_ENOENT for a CPU not below flask_nr_cpus(). */
int avc_get_cpu_stats(unsigned int cpu, struct avc_cache_stats *stats);
uint32_t avc_get_threshold(void);
int avc_set_threshold(uint32_t threshold);
/* Number of cached decisions. */
uint32_t avc_count(void);
/* Hash table shape (Xen's FLASK_AVC_HASHSTATS): entries, slots in use, longest chain. */
void avc_get_hash_stats(uint32_t *entries, uint32_t *slots_used, uint32_t *max_chain);
/*
 * Empty the shared AVC and the caller's own front cache. Other CPUs' front
 * entries stay: they are still the current policy's decisions.
 */
void avc_flush(void);

/*
 * Retired nodes: sync mode frees them at once (only for programs where no
 * other thread reads the AVC); otherwise they wait for a grace period,
 * unless flask_nr_cpus() is 1. avc_free_retired() frees every retired node
 * now: only when no CPU can be inside the AVC (e.g. all threads joined).
 */
void avc_set_sync_free(bool sync);
void avc_free_retired(void);

/*
 * The calling CPU holds no pointer into the AVC (it is between lookups):
 * records that it passed a quiescent point and frees the retired nodes
 * every CPU has passed one since. Cheap when nothing waits (two loads).
 * The embedder calls it on every CPU where that CPU is idle or about to run
 * guest code; a CPU that never calls it only delays the freeing.
 */
void avc_quiescent(void);
/* Retired nodes not yet freed (for tests). */
uint32_t avc_retired_count(void);
/* Forget every CPU's front cache and statistics: only while no other CPU uses flask/. */
void avc_reset_cpus(void);

static inline uint32_t avc_hash(uint32_t ssid, uint32_t tsid, uint16_t tclass)
{
	return (ssid ^ (tsid << 2) ^ ((uint32_t)tclass << 4)) & (AVC_CACHE_SLOTS - 1);
}

/* The hit path: no allocation, no lock. NULL on a miss or a stale cache. */
static inline const struct avc_node *avc_lookup(uint32_t ssid, uint32_t tsid, uint16_t tclass)
{
	const struct avc_node *node;

	if (__atomic_load_n(&security_seqno_value, __ATOMIC_ACQUIRE) !=
	    __atomic_load_n(&avc_cache_seqno, __ATOMIC_ACQUIRE)) {
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

static inline struct avc_front_entry *avc_front_slot(struct avc_cpu *c, uint32_t ssid,
						     uint32_t tsid, uint16_t tclass)
{
	return &c->front[(ssid ^ (tsid << 3) ^ ((uint32_t)tclass << 1)) & (AVC_FRONT_SLOTS - 1)];
}

/* A counter of the running CPU: one writer, read by others, so relaxed atomics and no RMW. */
static inline void avc_cpu_count(uint64_t *counter)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* A hit of the embedder's inline path on CPU cpu (a lookup and a hit in its statistics). */
static inline void avc_count_fast_hit(unsigned int cpu)
{
	avc_cpu_count(&avc_cpu_stats[cpu].fast_hits);
}

/*
 * The front cache of CPU c grants perms without auditing under the current
 * policy (the embedders' inline fast path). False means: ask avc_has_perm*.
 */
static inline bool avc_front_quiet(struct avc_cpu *c, uint32_t ssid, uint32_t tsid, uint16_t tclass,
				   uint32_t perms)
{
	const struct avc_front_entry *e = avc_front_slot(c, ssid, tsid, tclass);

	return e->ssid == ssid && e->tsid == tsid && e->tclass == tclass &&
	       e->seqno == __atomic_load_n(&security_seqno_value, __ATOMIC_ACQUIRE) &&
	       !(perms & ~e->quiet);
}

#endif
