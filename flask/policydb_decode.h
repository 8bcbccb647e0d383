/*
 * policydb_decode.h - the read helpers every section reader of the policy
 * shares: the arena that names and datums live in, counted arrays, names,
 * a datum's header words and name, value range checks, MLS levels and
 * ranges, and contexts. Built on the policy_file cursor; knows nothing of
 * any section, so the section readers sit above it and nothing here calls
 * back up. Not for the services: they use policydb.h.
 */
#ifndef FLASK_POLICYDB_DECODE_H
#define FLASK_POLICYDB_DECODE_H

#include "policy_file.h"
#include "policydb_types.h"

/* Zeroed, 8-byte aligned memory that lives until pdb_arena_free; NULL if out of memory. */
void *pdb_alloc(struct policydb *p, size_t size);

/* Free every arena chunk of p (policydb_destroy, once nothing points into them). */
void pdb_arena_free(struct policydb *p);

/* Allocate an array of n zeroed elements with flask_zalloc (n may be 0: returns NULL, 0). */
int pdb_zalloc_array(struct policy_file *fp, size_t n, size_t size, void **out, const char *what);

/*
 * Read a name of len bytes (1..POLICYDB_NAME_MAX, no NUL inside) into the
 * arena as a C string. what names the symbol kind for messages.
 */
int pdb_read_name(struct policydb *p, struct policy_file *fp, uint32_t len, const char *what,
		  const char **name);

/* The start of a symbol or permission datum: header words, then a name. */
struct pdb_datum_head {
	size_t at;	   /* offset of the first header word: where messages point */
	uint32_t w[6];	   /* the header words; w[0] is the name length */
	const char *name;  /* in the arena */
	const char *name2; /* a second name some datums carry (a class's common), or NULL */
};

/*
 * Read n (<= 6) header words (labelled header in messages) and the name
 * whose length is the first of them (what names the kind in messages).
 */
int pdb_read_datum_head(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h,
			size_t n, const char *header, const char *what);

/* Fail with "<what> <v> out of range 1..<nprim>" at offset at unless v is a value of table sym. */
int pdb_check_value(struct policy_file *fp, const struct policydb *p, unsigned int sym, uint32_t v,
		    const char *what, size_t at);

/* MLS level (sens + cat bitmap) and range (count, sens, cats) in file format. */
int pdb_read_level(struct policy_file *fp, struct mls_level *l);
int pdb_read_range(struct policy_file *fp, struct mls_range *r);

/* Read a context (user, role, type, range) and check it with policydb_context_isvalid. */
int pdb_read_context(struct policydb *p, struct policy_file *fp, struct context *c,
		     const char *what);

#endif
