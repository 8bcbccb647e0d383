/*
 * hashtab.h - a string-keyed hash table (open addressing, linear probing).
 *
 * Keys are NUL-terminated strings owned by the caller (the table stores the
 * pointer only); datums are opaque pointers owned by the caller. The table
 * grows by doubling when more than half full, so lookups stay short. Used by
 * symtab for name -> datum maps. Not thread-safe; the policydb is read-only
 * after load.
 */
#ifndef FLASK_HASHTAB_H
#define FLASK_HASHTAB_H

#include "flask_env.h"

struct hashtab_slot {
	const char *key; /* NULL: empty slot */
	void *datum;
	uint32_t hash; /* full hash of key, to skip most string compares */
};

struct hashtab {
	struct hashtab_slot *slots; /* size entries; NULL while size == 0 */
	uint32_t size;		    /* power of two, or 0 */
	uint32_t nel;		    /* number of keys stored */
};

/* Hash of a string (also used by callers that want to pre-hash). */
uint32_t hashtab_hash(const char *key);

/* Prepare for at least hint entries without growing (hint may be 0). 0 or -ENOMEM. */
int hashtab_init(struct hashtab *h, uint32_t hint);

/* Insert key -> datum. 0, -FLASK_EEXIST if key already present, -FLASK_ENOMEM. */
int hashtab_insert(struct hashtab *h, const char *key, void *datum);

/* The datum stored for key, or NULL. */
void *hashtab_search(const struct hashtab *h, const char *key);

/*
 * Call apply(key, datum, arg) on every entry (in table order, not insertion
 * order); stops at and returns the first non-zero result.
 */
int hashtab_map(const struct hashtab *h, int (*apply)(const char *key, void *datum, void *arg),
		void *arg);

/* Free the table itself (not keys or datums); h is left empty and reusable after init. */
void hashtab_destroy(struct hashtab *h);

#endif
