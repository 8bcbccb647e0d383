/*
 * sidtab.c - SID table: a dense array indexed by SID plus a hash index
 * on the context for the reverse direction.
 */
#include "sidtab.h"
#include "context.h"
#include "flask_env.h"

#define SIDTAB_INIT_BUCKETS 256u

static uint32_t mix(uint32_t h, uint32_t v)
{
	h ^= v;
	h *= 0x01000193u;
	return h;
}

static uint32_t level_hash(uint32_t h, const struct mls_level *l)
{
	h = mix(h, l->sens);
	for (uint32_t i = 0; i < l->cat.nnodes; i++) {
		uint64_t m = l->cat.nodes[i].map;

		h = mix(h, l->cat.nodes[i].startbit);
		h = mix(h, (uint32_t)m);
		h = mix(h, (uint32_t)(m >> 32));
	}
	return h;
}

uint32_t context_hash(const struct context *ctx)
{
	uint32_t h = 0x811c9dc5u;

	h = mix(h, ctx->user);
	h = mix(h, ctx->role);
	h = mix(h, ctx->type);
	h = level_hash(h, &ctx->range.level[0]);
	h = level_hash(h, &ctx->range.level[1]);
	return h;
}

int sidtab_init(struct sidtab *s)
{
	s->entries = NULL;
	s->cap = 0;
	s->next_sid = SIDTAB_ISID_MAX + 1;
	s->count = 0;
	s->nbuckets = SIDTAB_INIT_BUCKETS;
	s->buckets = flask_zalloc(sizeof(uint32_t) * s->nbuckets);
	if (!s->buckets) {
		s->nbuckets = 0;
		return -FLASK_ENOMEM;
	}
	return 0;
}

void sidtab_destroy(struct sidtab *s)
{
	for (uint32_t i = 0; i < s->cap; i++) {
		if (s->entries[i].used) {
			context_destroy(&s->entries[i].ctx);
		}
	}
	flask_free(s->entries);
	flask_free(s->buckets);
	s->entries = NULL;
	s->buckets = NULL;
	s->cap = 0;
	s->nbuckets = 0;
	s->count = 0;
}

const struct context *sidtab_search(const struct sidtab *s, uint32_t sid)
{
	if (sid == 0 || sid > s->cap || !s->entries[sid - 1].used) {
		return NULL;
	}
	return &s->entries[sid - 1].ctx;
}

static int sidtab_grow(struct sidtab *s, uint32_t sid)
{
	struct sidtab_entry *n;
	uint32_t cap = s->cap ? s->cap : SIDTAB_ISID_MAX + 64;

	while (cap < sid) {
		cap *= 2;
	}
	if (cap > SIDTAB_SID_MAX) {
		cap = SIDTAB_SID_MAX;
	}
	if (sid > cap) {
		return -FLASK_ENOMEM;
	}
	n = flask_zalloc(sizeof(*n) * cap);
	if (!n) {
		return -FLASK_ENOMEM;
	}
	if (s->entries) {
		/* The contexts move by value: their bitmaps stay owned by the entries. */
		memcpy(n, s->entries, sizeof(*n) * s->cap);
		flask_free(s->entries);
	}
	s->entries = n;
	s->cap = cap;
	return 0;
}

/* Keep chains short: double the buckets when the load factor passes 1. */
static void sidtab_rehash(struct sidtab *s)
{
	uint32_t nb = s->nbuckets * 2;
	uint32_t *b;

	if (s->count <= s->nbuckets || nb > (1u << 20)) {
		return;
	}
	b = flask_zalloc(sizeof(uint32_t) * nb);
	if (!b) {
		return; /* longer chains, still correct */
	}
	for (uint32_t sid = s->cap; sid >= 1; sid--) {
		struct sidtab_entry *e = &s->entries[sid - 1];

		if (e->used) {
			uint32_t slot = e->hash & (nb - 1);

			e->next = b[slot];
			b[slot] = sid;
		}
	}
	flask_free(s->buckets);
	s->buckets = b;
	s->nbuckets = nb;
}

int sidtab_set(struct sidtab *s, uint32_t sid, const struct context *ctx)
{
	struct sidtab_entry *e;
	uint32_t slot;
	int rc;

	if (sid == 0 || sid >= SIDTAB_SID_MAX) {
		return -FLASK_EINVAL;
	}
	if (sid > s->cap) {
		rc = sidtab_grow(s, sid);
		if (rc) {
			return rc;
		}
	}
	e = &s->entries[sid - 1];
	if (e->used) {
		return -FLASK_EEXIST;
	}
	context_init(&e->ctx);
	rc = context_cpy(&e->ctx, ctx);
	if (rc) {
		context_destroy(&e->ctx);
		return rc;
	}
	e->used = true;
	e->hash = context_hash(ctx);
	slot = e->hash & (s->nbuckets - 1);
	e->next = s->buckets[slot];
	s->buckets[slot] = sid;
	s->count++;
	if (sid >= s->next_sid) {
		s->next_sid = sid + 1;
	}
	sidtab_rehash(s);
	return 0;
}

uint32_t sidtab_find(const struct sidtab *s, const struct context *ctx)
{
	uint32_t h, sid, found = 0;

	if (!s->nbuckets) {
		return 0;
	}
	h = context_hash(ctx);
	/* Prefer the lowest SID so initial SIDs win over converted duplicates. */
	for (sid = s->buckets[h & (s->nbuckets - 1)]; sid; sid = s->entries[sid - 1].next) {
		const struct sidtab_entry *e = &s->entries[sid - 1];

		if (e->hash == h && context_equal(&e->ctx, ctx) && (!found || sid < found)) {
			found = sid;
		}
	}
	return found;
}

int sidtab_context_to_sid(struct sidtab *s, const struct context *ctx, uint32_t *sid)
{
	uint32_t found = sidtab_find(s, ctx);
	int rc;

	if (found) {
		*sid = found;
		return 0;
	}
	if (s->next_sid >= SIDTAB_SID_MAX) {
		return -FLASK_ENOMEM;
	}
	found = s->next_sid;
	rc = sidtab_set(s, found, ctx);
	if (rc) {
		return rc;
	}
	*sid = found;
	return 0;
}

int sidtab_map(const struct sidtab *s,
	       int (*fn)(uint32_t sid, const struct context *ctx, void *arg), void *arg)
{
	for (uint32_t i = 0; i < s->cap; i++) {
		if (s->entries[i].used) {
			int rc = fn(i + 1, &s->entries[i].ctx, arg);

			if (rc) {
				return rc;
			}
		}
	}
	return 0;
}
