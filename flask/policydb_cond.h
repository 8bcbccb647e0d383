/*
 * policydb_cond.h - reading the conditionals section of a policy
 * (policydb.c's section reader).
 */
#ifndef FLASK_POLICYDB_COND_H
#define FLASK_POLICYDB_COND_H

struct policy_file;
struct policydb;

/*
 * Read the conditional list into p->cond_list and its rules into
 * p->te_cond_avtab, then evaluate every conditional once.
 */
int pdb_read_cond_list(struct policydb *p, struct policy_file *fp);

#endif
