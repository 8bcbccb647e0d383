/*
 * policydb_avtab.h - reading the TE rules section of a policy (policydb.c's
 * section reader; policydb_cond.c reads its rule lists with the same rule
 * reader).
 */
#ifndef FLASK_POLICYDB_AVTAB_H
#define FLASK_POLICYDB_AVTAB_H

#include "avtab.h"

struct policy_file;
struct policydb;

/*
 * Read one avtab entry in the v20+ format and validate the key against p
 * (types and class in range, exactly one known kind, type datums name
 * existing types). Calls insert(p, key, datum, arg) for the entry; that
 * callback decides where it goes. Error reasons go to the policy_file.
 */
int pdb_read_avtab_rule(struct policy_file *fp, const struct policydb *p,
			int (*insert)(const struct avtab_key *key, const struct avtab_datum *datum,
				      void *arg),
			void *arg);

/* Read the unconditional table (count + entries) into h. */
int pdb_read_avtab(struct avtab *h, struct policy_file *fp, const struct policydb *p);

#endif
