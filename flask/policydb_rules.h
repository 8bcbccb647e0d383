/*
 * policydb_rules.h - reading the policy sections after the conditionals
 * (policydb.c's section readers, called in this order) and freeing what
 * they read.
 */
#ifndef FLASK_POLICYDB_RULES_H
#define FLASK_POLICYDB_RULES_H

#include "flask_env.h"

struct policy_file;
struct policydb;

int pdb_read_role_trans(struct policydb *p, struct policy_file *fp);
int pdb_read_role_allow(struct policydb *p, struct policy_file *fp);
/* Only in version 25+ files. */
int pdb_read_filename_trans(struct policydb *p, struct policy_file *fp);
/* ocon_num object context kinds, as the header announced. */
int pdb_read_ocontexts(struct policydb *p, struct policy_file *fp, uint32_t ocon_num);
int pdb_read_genfs(struct policydb *p, struct policy_file *fp);
int pdb_read_range_trans(struct policydb *p, struct policy_file *fp);
int pdb_read_type_attr_map(struct policydb *p, struct policy_file *fp);

/* Free what the readers above allocated (before the symbol tables: it needs the type count). */
void pdb_destroy_rules(struct policydb *p);

#endif
