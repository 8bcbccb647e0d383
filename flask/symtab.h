/*
 * symtab.h - symbol tables: a name -> datum hash table plus the number of
 * primary values handed out (nprim). Values are 1-based: a symbol's value is
 * in [1, nprim]; aliases (types, sensitivities, categories) share their
 * primary's value and are in the table under their own name too.
 */
#ifndef FLASK_SYMTAB_H
#define FLASK_SYMTAB_H

#include "hashtab.h"

struct symtab {
	struct hashtab table; /* name -> datum (struct *_datum in policydb.h) */
	uint32_t nprim;	      /* number of primary values; values are 1..nprim */
};

int symtab_init(struct symtab *s, uint32_t hint);
/* Does not free names or datums: the owner (policydb) does that. */
void symtab_destroy(struct symtab *s);

static inline void *symtab_search(const struct symtab *s, const char *name)
{
	return hashtab_search(&s->table, name);
}

static inline int symtab_insert(struct symtab *s, const char *name, void *datum)
{
	return hashtab_insert(&s->table, name, datum);
}

/* Number of names in the table (primaries and aliases). */
static inline uint32_t symtab_nel(const struct symtab *s)
{
	return s->table.nel;
}

#endif
