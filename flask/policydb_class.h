/*
 * policydb_class.h - the common and class rows of the symbol kind table
 * (policydb_syms.c): their header checks, the reading of their
 * permissions, constraints and defaults, and their teardown.
 */
#ifndef FLASK_POLICYDB_CLASS_H
#define FLASK_POLICYDB_CLASS_H

#include "policydb_decode.h"

int pdb_common_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h);
int pdb_common_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		    void *datum);
void pdb_common_destroy(void *datum);

/* Reads the class's common name (h->name2) too. */
int pdb_class_check(struct policydb *p, struct policy_file *fp, struct pdb_datum_head *h);
int pdb_class_fill(struct policydb *p, struct policy_file *fp, const struct pdb_datum_head *h,
		   void *datum);
void pdb_class_destroy(void *datum);

#endif
