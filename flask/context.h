/*
 * context.h - security contexts as the policydb and the services hold them.
 *
 * A context is user:role:type[:range]. user, role and type are the 1-based
 * symbol values from the policydb (0 = unset). Without MLS the range is
 * empty (sens 0, no categories). String conversion lives in context_str.c
 * (services); this header only has the structures and cheap helpers.
 */
#ifndef FLASK_CONTEXT_H
#define FLASK_CONTEXT_H

#include "ebitmap.h"

struct mls_level {
	uint32_t sens;	    /* 1-based sensitivity value (0 only in non-MLS policies) */
	struct ebitmap cat; /* bit (category value - 1) set for each category */
};

struct mls_range {
	struct mls_level level[2]; /* [0] = low, [1] = high; high dominates low */
};

struct context {
	uint32_t user; /* 1-based user value */
	uint32_t role; /* 1-based role value */
	uint32_t type; /* 1-based type value */
	struct mls_range range;
};

static inline void mls_level_init(struct mls_level *l)
{
	l->sens = 0;
	ebitmap_init(&l->cat);
}

static inline void mls_level_destroy(struct mls_level *l)
{
	ebitmap_destroy(&l->cat);
	l->sens = 0;
}

static inline int mls_level_cpy(struct mls_level *dst, const struct mls_level *src)
{
	dst->sens = src->sens;
	return ebitmap_copy(&dst->cat, &src->cat);
}

static inline bool mls_level_eq(const struct mls_level *a, const struct mls_level *b)
{
	return a->sens == b->sens && ebitmap_equal(&a->cat, &b->cat);
}

/* a dominates b: a.sens >= b.sens and a's categories include b's. */
static inline bool mls_level_dom(const struct mls_level *a, const struct mls_level *b)
{
	return a->sens >= b->sens && ebitmap_contains(&a->cat, &b->cat);
}

static inline bool mls_level_incomp(const struct mls_level *a, const struct mls_level *b)
{
	return !mls_level_dom(a, b) && !mls_level_dom(b, a);
}

/* r1 contains r2: r2 lies within [r1.low, r1.high]. */
static inline bool mls_range_contains(const struct mls_range *r1, const struct mls_range *r2)
{
	return mls_level_dom(&r2->level[0], &r1->level[0]) &&
	       mls_level_dom(&r1->level[1], &r2->level[1]);
}

static inline void mls_range_init(struct mls_range *r)
{
	mls_level_init(&r->level[0]);
	mls_level_init(&r->level[1]);
}

static inline void mls_range_destroy(struct mls_range *r)
{
	mls_level_destroy(&r->level[0]);
	mls_level_destroy(&r->level[1]);
}

/* dst must be initialised (empty or not); 0 or -ENOMEM (dst then partially filled, still
 * destroyable). */
static inline int mls_range_cpy(struct mls_range *dst, const struct mls_range *src)
{
	int rc = mls_level_cpy(&dst->level[0], &src->level[0]);

	if (rc) {
		return rc;
	}
	return mls_level_cpy(&dst->level[1], &src->level[1]);
}

static inline bool mls_range_eq(const struct mls_range *a, const struct mls_range *b)
{
	return mls_level_eq(&a->level[0], &b->level[0]) && mls_level_eq(&a->level[1], &b->level[1]);
}

static inline void context_init(struct context *c)
{
	c->user = 0;
	c->role = 0;
	c->type = 0;
	mls_range_init(&c->range);
}

static inline void context_destroy(struct context *c)
{
	c->user = 0;
	c->role = 0;
	c->type = 0;
	mls_range_destroy(&c->range);
}

/* dst must be initialised; 0 or -ENOMEM. */
static inline int context_cpy(struct context *dst, const struct context *src)
{
	dst->user = src->user;
	dst->role = src->role;
	dst->type = src->type;
	return mls_range_cpy(&dst->range, &src->range);
}

static inline bool context_equal(const struct context *a, const struct context *b)
{
	return a->user == b->user && a->role == b->role && a->type == b->type &&
	       mls_range_eq(&a->range, &b->range);
}

#endif
