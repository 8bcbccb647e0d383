/*
 * policydb.h - reading a binary Xen-target policy into a policydb, and
 * everything the services and embedders use of one: the structures
 * (policydb_types.h), the lookups (policydb_lookup.h) and conditionals
 * (conditional.h). The reader itself is layered (flask/README.md):
 * policydb.c is its driver, the section readers and their shared read
 * helpers are not for use outside it.
 */
#ifndef FLASK_POLICYDB_H
#define FLASK_POLICYDB_H

#include "conditional.h"
#include "policydb_lookup.h"
#include "policydb_types.h"

/*
 * Parse and validate a binary policy of len bytes at data. p need not be
 * initialised. Returns 0 with p filled, or a negative errno with p left
 * empty (everything freed) and a one-line reason, naming the byte offset,
 * in err (if err != NULL and errlen > 0; else the reason goes to flask_log).
 * data is only read, never retained: it may be freed after the call.
 * Errors: -FLASK_EINVAL malformed, -FLASK_ENOMEM, -FLASK_EOPNOTSUPP valid
 * but unsupported (other target or version).
 */
int policydb_read(struct policydb *p, const void *data, size_t len, char *err, size_t errlen);

/* Free everything p holds; p is left zeroed (safe to call twice). */
void policydb_destroy(struct policydb *p);

#endif
