/*
 * policydb_syms.h - reading the eight symbol tables of a policy
 * (policydb.c's section reader) and freeing them.
 */
#ifndef FLASK_POLICYDB_SYMS_H
#define FLASK_POLICYDB_SYMS_H

struct policy_file;
struct policydb;

/*
 * Read the symbol tables, index them by value, and check the references
 * between them that could not be checked while reading (a role's types, a
 * user's levels, constraint names, the permissive map).
 */
int pdb_read_symtabs(struct policydb *p, struct policy_file *fp);

/* Free the tables, their datums' contents and the value indexes. */
void pdb_destroy_symtabs(struct policydb *p);

#endif
