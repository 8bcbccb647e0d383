/*
 * avtab.c - the access vector table: one node array, index-chained buckets.
 */
#include "avtab.h"

#define AVTAB_MAX_BUCKETS (1u << 20)
#define AVTAB_MAX_NODES (1u << 26)

static inline uint32_t avtab_hash(uint16_t s, uint16_t t, uint16_t c, uint32_t mask)
{
	uint32_t h =
	    ((uint32_t)s * 0x9e3779b1u) ^ ((uint32_t)t * 0x85ebca77u) ^ ((uint32_t)c * 0xc2b2ae3du);

	h ^= h >> 15;
	h *= 0x2c1b3c6du;
	h ^= h >> 12;
	return h & mask;
}

static inline bool same_triple(const struct avtab_key *a, const struct avtab_key *b)
{
	return a->source_type == b->source_type && a->target_type == b->target_type &&
	       a->target_class == b->target_class;
}

void avtab_init(struct avtab *h)
{
	h->nodes = NULL;
	h->nel = 0;
	h->cap = 0;
	h->buckets = NULL;
	h->nbuckets = 0;
	h->mask = 0;
}

void avtab_destroy(struct avtab *h)
{
	flask_free(h->nodes);
	flask_free(h->buckets);
	avtab_init(h);
}

/*
 * Link node idx into its chain: right after the first node of the same
 * (source, target, class) if there is one, so same-triple nodes stay
 * adjacent at O(1) cost however many share the triple; else at the head.
 */
static void avtab_link(struct avtab *h, uint32_t idx)
{
	struct avtab_node *n = &h->nodes[idx];
	uint32_t b =
	    avtab_hash(n->key.source_type, n->key.target_type, n->key.target_class, h->mask);
	uint32_t cur;

	for (cur = h->buckets[b]; cur != AVTAB_NIL; cur = h->nodes[cur].next) {
		if (same_triple(&h->nodes[cur].key, &n->key)) {
			n->next = h->nodes[cur].next;
			h->nodes[cur].next = idx;
			return;
		}
	}
	n->next = h->buckets[b];
	h->buckets[b] = idx;
}

static int avtab_set_buckets(struct avtab *h, uint32_t nbuckets)
{
	uint32_t *buckets = flask_zalloc(sizeof(*buckets) * nbuckets);
	uint32_t i;

	if (!buckets) {
		return -FLASK_ENOMEM;
	}
	flask_free(h->buckets);
	h->buckets = buckets;
	h->nbuckets = nbuckets;
	h->mask = nbuckets - 1;
	for (i = 0; i < nbuckets; i++) {
		buckets[i] = AVTAB_NIL;
	}
	for (i = 0; i < h->nel; i++) {
		avtab_link(h, i);
	}
	return 0;
}

static int avtab_grow_nodes(struct avtab *h, uint32_t cap)
{
	struct avtab_node *nodes;

	if (cap > AVTAB_MAX_NODES) {
		return -FLASK_ENOMEM;
	}
	nodes = flask_zalloc(sizeof(*nodes) * cap);
	if (!nodes) {
		return -FLASK_ENOMEM;
	}
	if (h->nel) {
		memcpy(nodes, h->nodes, sizeof(*nodes) * h->nel);
	}
	flask_free(h->nodes);
	h->nodes = nodes;
	h->cap = cap;
	return 0;
}

static uint32_t buckets_for(uint32_t nrules)
{
	uint32_t n = 16;

	while (n < nrules && n < AVTAB_MAX_BUCKETS) {
		n *= 2;
	}
	return n;
}

int avtab_alloc(struct avtab *h, uint32_t nrules)
{
	int rc;

	if (nrules > AVTAB_MAX_NODES) {
		return -FLASK_ENOMEM;
	}
	if (nrules > h->cap) {
		rc = avtab_grow_nodes(h, nrules ? nrules : 1);
		if (rc) {
			return rc;
		}
	}
	if (buckets_for(nrules) > h->nbuckets) {
		return avtab_set_buckets(h, buckets_for(nrules));
	}
	return 0;
}

int avtab_insert(struct avtab *h, const struct avtab_key *key, const struct avtab_datum *datum,
		 bool unique, uint32_t *index)
{
	uint16_t kind = key->specified & (uint16_t)~AVTAB_ENABLED;
	uint32_t idx;
	int rc;

	if (!h->nbuckets) {
		rc = avtab_alloc(h, 16);
		if (rc) {
			return rc;
		}
	}
	if (unique) {
		const struct avtab_node *n;

		for (n = avtab_search_node(h, key); n; n = avtab_search_node_next(h, n, kind)) {
			if ((n->key.specified & (uint16_t)~AVTAB_ENABLED) == kind) {
				return -FLASK_EEXIST;
			}
		}
	}
	if (h->nel == h->cap) {
		rc = avtab_grow_nodes(h, h->cap ? h->cap * 2 : 16);
		if (rc) {
			return rc;
		}
	}
	idx = h->nel++;
	h->nodes[idx].key = *key;
	h->nodes[idx].datum = *datum;
	/* Keep chains short: rehash once the table holds twice as many rules as buckets. */
	if (h->nel > 2 * h->nbuckets && h->nbuckets < AVTAB_MAX_BUCKETS) {
		rc = avtab_set_buckets(h, h->nbuckets * 2);
		if (rc) {
			h->nel--;
			return rc;
		}
	} else {
		avtab_link(h, idx);
	}
	if (index) {
		*index = idx;
	}
	return 0;
}

const struct avtab_node *avtab_search_node(const struct avtab *h, const struct avtab_key *key)
{
	uint16_t kinds = key->specified & (uint16_t)~AVTAB_ENABLED;
	uint32_t cur;

	if (!h->nbuckets) {
		return NULL;
	}
	cur =
	    h->buckets[avtab_hash(key->source_type, key->target_type, key->target_class, h->mask)];
	for (; cur != AVTAB_NIL; cur = h->nodes[cur].next) {
		const struct avtab_node *n = &h->nodes[cur];

		if (same_triple(&n->key, key) && (n->key.specified & kinds)) {
			return n;
		}
	}
	return NULL;
}

const struct avtab_node *avtab_search_node_next(const struct avtab *h,
						const struct avtab_node *node, uint16_t specified)
{
	uint16_t kinds = specified & (uint16_t)~AVTAB_ENABLED;
	uint32_t cur;

	/* Same-triple nodes are adjacent in the chain: stop at the first other one. */
	for (cur = node->next; cur != AVTAB_NIL; cur = h->nodes[cur].next) {
		const struct avtab_node *n = &h->nodes[cur];

		if (!same_triple(&n->key, &node->key)) {
			return NULL;
		}
		if (n->key.specified & kinds) {
			return n;
		}
	}
	return NULL;
}

const struct avtab_datum *avtab_search(const struct avtab *h, const struct avtab_key *key)
{
	const struct avtab_node *n = avtab_search_node(h, key);

	return n ? &n->datum : NULL;
}

void avtab_compute_av(const struct avtab *h, uint16_t source, uint16_t target, uint16_t tclass,
		      bool enabled_only, uint32_t *allowed, uint32_t *auditallow,
		      uint32_t *auditdeny)
{
	uint32_t cur;

	if (!h->nbuckets) {
		return;
	}
	cur = h->buckets[avtab_hash(source, target, tclass, h->mask)];
	for (; cur != AVTAB_NIL; cur = h->nodes[cur].next) {
		const struct avtab_node *n = &h->nodes[cur];
		uint16_t spec;

		if (n->key.source_type != source || n->key.target_type != target ||
		    n->key.target_class != tclass) {
			continue;
		}
		spec = n->key.specified;
		if (enabled_only && !(spec & AVTAB_ENABLED)) {
			continue;
		}
		spec &= AVTAB_AV;
		if (spec == AVTAB_ALLOWED) {
			*allowed |= n->datum.data;
		} else if (spec == AVTAB_AUDITALLOW) {
			*auditallow |= n->datum.data;
		} else if (spec == AVTAB_AUDITDENY) {
			/* Several dontaudit rules narrow the audited set together. */
			*auditdeny &= n->datum.data;
		}
	}
}
