/*
 * avtab.h - the access vector table: (source type, target type, class, kind)
 * -> 32-bit datum.
 *
 * Keys use 1-based values (type values may name attributes: a rule on an
 * attribute is stored once, under the attribute's value; compute_av walks
 * the type->attribute maps). For AV kinds the datum is a permission bit
 * mask (bit (perm value - 1)); for type kinds it is the 1-based new type
 * value. Xen-target policies carry no extended permissions.
 *
 * Layout: all nodes live in one array (no per-rule allocation); buckets hold
 * the index of the first node of a chain, nodes chain through "next". The
 * bucket count is a power of two near the number of rules, so the chains
 * are short on the compute_av hot path. Entries with the same (source,
 * target, class) are adjacent in their chain.
 */
#ifndef FLASK_AVTAB_H
#define FLASK_AVTAB_H

#include "flask_env.h"

/* Kinds (avtab_key.specified); exactly one kind bit is set in a stored key. */
#define AVTAB_ALLOWED 0x0001
#define AVTAB_AUDITALLOW 0x0002
#define AVTAB_AUDITDENY 0x0004 /* datum: permissions to audit when denied (~dontaudit) */
#define AVTAB_AV (AVTAB_ALLOWED | AVTAB_AUDITALLOW | AVTAB_AUDITDENY)
#define AVTAB_TRANSITION 0x0010
#define AVTAB_MEMBER 0x0020
#define AVTAB_CHANGE 0x0040
#define AVTAB_TYPE (AVTAB_TRANSITION | AVTAB_MEMBER | AVTAB_CHANGE)
#define AVTAB_XPERMS_ALLOWED 0x0100 /* Linux only: rejected when reading */
#define AVTAB_XPERMS_AUDITALLOW 0x0200
#define AVTAB_XPERMS_DONTAUDIT 0x0400
#define AVTAB_XPERMS (AVTAB_XPERMS_ALLOWED | AVTAB_XPERMS_AUDITALLOW | AVTAB_XPERMS_DONTAUDIT)
/*
 * Set in a stored node's key.specified in the conditional table while the
 * node's conditional branch is active (cond_evaluate_all maintains it).
 * Never set in te_avtab nodes: those always apply.
 */
#define AVTAB_ENABLED 0x8000

struct avtab_key {
	uint16_t source_type;  /* 1-based type or attribute value */
	uint16_t target_type;  /* 1-based type or attribute value */
	uint16_t target_class; /* 1-based class value */
	uint16_t specified;    /* one AVTAB_* kind, plus AVTAB_ENABLED (cond table only) */
};

struct avtab_datum {
	uint32_t data; /* permission mask (AV kinds) or new type value (type kinds) */
};

#define AVTAB_NIL 0xffffffffu /* end of a chain / no node */

struct avtab_node {
	struct avtab_key key;
	struct avtab_datum datum;
	uint32_t next; /* index in avtab.nodes of the next node in this bucket, or AVTAB_NIL */
};

struct avtab {
	struct avtab_node *nodes; /* nel used entries out of cap */
	uint32_t nel;
	uint32_t cap;
	uint32_t *buckets; /* nbuckets chain heads (node index or AVTAB_NIL) */
	uint32_t nbuckets; /* power of two (or 0 before avtab_alloc) */
	uint32_t mask;	   /* nbuckets - 1 */
};

void avtab_init(struct avtab *h);

/*
 * Size the table for nrules entries (it can still grow past that, at the
 * cost of a copy). 0 or -FLASK_ENOMEM.
 */
int avtab_alloc(struct avtab *h, uint32_t nrules);

void avtab_destroy(struct avtab *h);

/*
 * Insert a rule. unique: fail with -FLASK_EEXIST if a node with the same
 * source, target, class and kind exists (the unconditional table); else
 * always add (the conditional table, where a key can be in several
 * branches). On success *index (if not NULL) receives the node's index.
 * Indices stay valid for the table's life; node pointers may move when the
 * table grows, so only keep pointers once loading is over.
 */
int avtab_insert(struct avtab *h, const struct avtab_key *key, const struct avtab_datum *datum,
		 bool unique, uint32_t *index);

/*
 * First node whose source, target and class equal key's and whose kind is
 * one of the kind bits in key->specified (AVTAB_ENABLED in key is ignored),
 * or NULL.
 */
const struct avtab_node *avtab_search_node(const struct avtab *h, const struct avtab_key *key);

/* Next node after node with the same source, target, class and a kind in specified, or NULL. */
const struct avtab_node *avtab_search_node_next(const struct avtab *h,
						const struct avtab_node *node, uint16_t specified);

/* Datum of avtab_search_node(h, key), or NULL. */
const struct avtab_datum *avtab_search(const struct avtab *h, const struct avtab_key *key);

/*
 * Collect access vectors for one (source, target, class) key: allowed and
 * auditallow rules are OR-ed into *allowed and *auditallow (caller starts
 * them at 0); dontaudit data (the perms still audited) is AND-ed into
 * *auditdeny (caller starts it at 0xffffffff), as in libsepol/Linux.
 * enabled_only: count only nodes carrying AVTAB_ENABLED (conditional table).
 */
void avtab_compute_av(const struct avtab *h, uint16_t source, uint16_t target, uint16_t tclass,
		      bool enabled_only, uint32_t *allowed, uint32_t *auditallow,
		      uint32_t *auditdeny);

#endif
