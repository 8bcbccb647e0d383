/*
 * sidtab.h - the SID table: security identifiers <-> contexts.
 *
 * SIDs are small integers the embedder keeps (in domain structures, event
 * channels...), so a SID must keep naming the "same" context across policy
 * loads: the table is indexed by SID and a load builds a new table holding
 * every live SID with its context converted to the new policy.
 *
 * SIDs 1..SIDTAB_ISID_MAX are reserved for initial SIDs (the policy's
 * "sid NAME" declarations, numbered in declaration order); SIDs for other
 * contexts are handed out from SIDTAB_ISID_MAX + 1 upwards and are never
 * reused. A fixed reserve keeps dynamic SIDs stable when a later policy
 * declares more initial SIDs than the first one.
 *
 * Not locked: the security server holds its lock around every use.
 */
#ifndef FLASK_SIDTAB_H
#define FLASK_SIDTAB_H

#include "context.h"
#include "flask_env.h"

#define SIDTAB_ISID_MAX 64u
/* Bound on the table so a hostile caller cannot exhaust memory via new contexts. */
#define SIDTAB_SID_MAX 0x100000u

struct sidtab_entry {
	struct context ctx;
	uint32_t hash;
	uint32_t next; /* next SID in the same hash bucket, 0 = end */
	bool used;
};

struct sidtab {
	struct sidtab_entry *entries; /* entries[sid - 1] */
	uint32_t cap;		      /* allocated entries */
	uint32_t next_sid;	      /* next dynamic SID to hand out */
	uint32_t *buckets;	      /* head SID per bucket, 0 = empty */
	uint32_t nbuckets;	      /* power of two */
	uint32_t count;		      /* used entries */
};

int sidtab_init(struct sidtab *s);
void sidtab_destroy(struct sidtab *s);

/* The context of sid, or NULL if sid is not in use. */
const struct context *sidtab_search(const struct sidtab *s, uint32_t sid);

/* Put a copy of ctx at a given SID (initial SIDs, conversion at load). */
int sidtab_set(struct sidtab *s, uint32_t sid, const struct context *ctx);

/* The SID of a context equal to ctx, allocating a new one if none. */
int sidtab_context_to_sid(struct sidtab *s, const struct context *ctx, uint32_t *sid);

/* Lookup only: 0 if no SID holds ctx. */
uint32_t sidtab_find(const struct sidtab *s, const struct context *ctx);

/* Iterate over used SIDs in increasing order; stops at the first non-zero result. */
int sidtab_map(const struct sidtab *s,
	       int (*fn)(uint32_t sid, const struct context *ctx, void *arg), void *arg);

/* Hash of a context's contents (exported for tests). */
uint32_t context_hash(const struct context *ctx);

#endif
