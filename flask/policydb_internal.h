/*
 * policydb_internal.h - helpers shared by the policydb reader files
 * (policydb.c, policydb_syms.c, policydb_rules.c, conditional.c). Not for
 * the services: they use policydb.h only.
 */
#ifndef FLASK_POLICYDB_INTERNAL_H
#define FLASK_POLICYDB_INTERNAL_H

#include "policy_file.h"
#include "policydb.h"

/* Zeroed, 8-byte aligned memory that lives until policydb_destroy; NULL if out of memory. */
void *pdb_alloc(struct policydb *p, size_t size);

/*
 * Read a name of len bytes (1..POLICYDB_NAME_MAX, no NUL inside) into the
 * arena as a C string. what names the symbol kind for messages.
 */
int pdb_read_name(struct policydb *p, struct policy_file *fp, uint32_t len, const char *what,
		  const char **name);

/* Allocate an array of n zeroed elements with flask_zalloc (n may be 0: returns NULL, 0). */
int pdb_zalloc_array(struct policy_file *fp, size_t n, size_t size, void **out, const char *what);

/* MLS level (sens + cat bitmap) and range (count, sens, cats) in file format. */
int pdb_read_level(struct policy_file *fp, struct mls_level *l);
int pdb_read_range(struct policy_file *fp, struct mls_range *r);

/* Read a context (user, role, type, range) and check it with policydb_context_isvalid. */
int pdb_read_context(struct policydb *p, struct policy_file *fp, struct context *c,
		     const char *what);

/* Symbol tables (policydb_syms.c). */
int pdb_read_symtabs(struct policydb *p, struct policy_file *fp);
void pdb_destroy_symtabs(struct policydb *p);

/* Rules after the symbol tables (policydb_rules.c). */
int pdb_read_role_trans(struct policydb *p, struct policy_file *fp);
int pdb_read_role_allow(struct policydb *p, struct policy_file *fp);
int pdb_read_filename_trans(struct policydb *p, struct policy_file *fp);
int pdb_read_ocontexts(struct policydb *p, struct policy_file *fp, uint32_t ocon_num);
int pdb_read_genfs(struct policydb *p, struct policy_file *fp);
int pdb_read_range_trans(struct policydb *p, struct policy_file *fp);
int pdb_read_type_attr_map(struct policydb *p, struct policy_file *fp);
void pdb_destroy_rules(struct policydb *p);

/* In-place heap sort (no recursion, no allocation). */
void pdb_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
