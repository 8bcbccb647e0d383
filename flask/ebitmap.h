/*
 * ebitmap.h - extensible bitmaps, as stored in policy files.
 *
 * A bitmap is a sorted array of 64-bit nodes. Each node covers the bits
 * [startbit, startbit + 64); startbit is a multiple of 64 and strictly
 * increasing along the array; no node has map == 0. highbit is one past the
 * last node's range (0 for the empty bitmap), i.e. every set bit is < highbit.
 *
 * Bit numbering: what a bit means is up to the user. By convention in the
 * policydb, a bitmap of types/roles/users/categories has bit (value - 1) set
 * for the symbol with 1-based value "value". Exceptions are documented where
 * the bitmap is declared (policydb.h: permissive_map uses the type value).
 *
 * An array, not a linked list: bitmaps in policies are small and mostly read,
 * so one allocation per bitmap and cache-friendly scans win.
 */
#ifndef FLASK_EBITMAP_H
#define FLASK_EBITMAP_H

#include "flask_env.h"

#define EBITMAP_NODE_BITS 64u

struct ebitmap_node {
	uint32_t startbit; /* multiple of 64 */
	uint64_t map;	   /* bit i covers bit number startbit + i; never 0 */
};

struct ebitmap {
	struct ebitmap_node *nodes; /* nnodes entries, startbit increasing; NULL if empty */
	uint32_t nnodes;
	uint32_t cap;	  /* allocated entries of nodes[] */
	uint32_t highbit; /* 0 or last node's startbit + 64 */
};

/* Bit value returned by ebitmap_next_bit() when there is none. */
#define EBITMAP_NONE 0xffffffffu

static inline void ebitmap_init(struct ebitmap *e)
{
	e->nodes = NULL;
	e->nnodes = 0;
	e->cap = 0;
	e->highbit = 0;
}

void ebitmap_destroy(struct ebitmap *e);

/* true if bit is set; any bit number is allowed. */
bool ebitmap_get_bit(const struct ebitmap *e, uint32_t bit);

/* Set (value true) or clear a bit. 0 or -FLASK_ENOMEM (bitmap unchanged). */
int ebitmap_set_bit(struct ebitmap *e, uint32_t bit, bool value);

/* Smallest set bit >= from, or EBITMAP_NONE. */
uint32_t ebitmap_next_bit(const struct ebitmap *e, uint32_t from);

/* Iterate over the set bits in increasing order: bit is a uint32_t lvalue. */
#define ebitmap_for_each_bit(e, bit)                                                               \
	for ((bit) = ebitmap_next_bit((e), 0); (bit) != EBITMAP_NONE;                              \
	     (bit) = ebitmap_next_bit((e), (bit) + 1))

/* Number of set bits. */
uint32_t ebitmap_cardinality(const struct ebitmap *e);

static inline bool ebitmap_is_empty(const struct ebitmap *e)
{
	return e->nnodes == 0;
}

/* true if both hold exactly the same bits. */
bool ebitmap_equal(const struct ebitmap *a, const struct ebitmap *b);

/* true if every bit of b is in a (a is a superset of b). */
bool ebitmap_contains(const struct ebitmap *a, const struct ebitmap *b);

/* true if a and b share at least one bit. */
bool ebitmap_intersects(const struct ebitmap *a, const struct ebitmap *b);

/* dst := copy of src (dst must be initialised; its old content is freed). 0 or -ENOMEM. */
int ebitmap_copy(struct ebitmap *dst, const struct ebitmap *src);

/* dst := a | b, dst := a & b (dst must be initialised and distinct from a and b). */
int ebitmap_or(struct ebitmap *dst, const struct ebitmap *a, const struct ebitmap *b);
int ebitmap_and(struct ebitmap *dst, const struct ebitmap *a, const struct ebitmap *b);

/* Highest set bit + 1 (0 if empty); unlike highbit this is exact. */
uint32_t ebitmap_last_bit_plus_one(const struct ebitmap *e);

struct policy_file;
/*
 * Read one bitmap in the policy file format (mapsize 64, highbit, count,
 * then count x {startbit u32, map u64}) and validate it: map size, alignment,
 * increasing start bits, highbit consistent, no empty maps. On error the
 * reason is recorded in the policy_file and e is left empty.
 */
int ebitmap_read(struct ebitmap *e, struct policy_file *fp);

#endif
