/*
 * policydb_lookup.h - questions about a loaded policydb: name <-> value,
 * value -> datum, the sorted rule lookups, and whether a level, range or
 * context is valid for the policy. All return 0/NULL when absent or out of
 * range. The reader uses the validity checks too (contexts in object
 * contexts, ranges in range transitions), so this sits below the reader.
 */
#ifndef FLASK_POLICYDB_LOOKUP_H
#define FLASK_POLICYDB_LOOKUP_H

#include "policydb_types.h"

/* Primary name for a 1-based value of symbol table sym. */
const char *policydb_name(const struct policydb *p, unsigned int sym, uint32_t value);

/* Name -> 1-based value; aliases resolve to their primary's value. */
uint32_t policydb_class_value(const struct policydb *p, const char *name);
uint32_t policydb_role_value(const struct policydb *p, const char *name);
uint32_t policydb_type_value(const struct policydb *p, const char *name);
uint32_t policydb_user_value(const struct policydb *p, const char *name);
uint32_t policydb_bool_value(const struct policydb *p, const char *name);
uint32_t policydb_sens_value(const struct policydb *p, const char *name);
uint32_t policydb_cat_value(const struct policydb *p, const char *name);

/* Permission name -> 1-based value within class tclass (own or common); 0 if none. */
uint32_t policydb_perm_value(const struct policydb *p, uint32_t tclass, const char *perm);
/* 1-based permission value -> name within class tclass. */
const char *policydb_perm_name(const struct policydb *p, uint32_t tclass, uint32_t perm);
/* Mask of all permission bits defined for class tclass (0 if no such class). */
uint32_t policydb_class_perms_mask(const struct policydb *p, uint32_t tclass);

/* Datum for a 1-based value, or NULL. */
struct class_datum *policydb_class(const struct policydb *p, uint32_t tclass);
struct type_datum *policydb_type(const struct policydb *p, uint32_t type);
struct role_datum *policydb_role(const struct policydb *p, uint32_t role);
struct user_datum *policydb_user(const struct policydb *p, uint32_t user);
struct cond_bool_datum *policydb_bool(const struct policydb *p, uint32_t boolean);

/* role_transition lookup: new role, or 0 if no rule (types are exact, not attributes). */
uint32_t policydb_role_trans(const struct policydb *p, uint32_t role, uint32_t type,
			     uint32_t tclass);
/* "allow role new_role;" present? */
bool policydb_role_allowed(const struct policydb *p, uint32_t role, uint32_t new_role);
/* range_transition lookup (MLS): the range, or NULL. */
const struct mls_range *policydb_range_trans(const struct policydb *p, uint32_t source_type,
					     uint32_t target_type, uint32_t target_class);

/* Is the type permissive (permissive_map)? */
bool policydb_type_permissive(const struct policydb *p, uint32_t type);

/* Set a boolean's state (1-based value) without re-evaluating; 0 or -FLASK_EINVAL. */
int policydb_set_bool(struct policydb *p, uint32_t boolean, bool state);

/*
 * Is c a valid context for p: user, role, type exist (type not an
 * attribute), role is allowed for the user and the type for the role
 * (object_r is always allowed), and with MLS the range is well-formed
 * (sensitivities and categories defined, each level's categories allowed
 * with its sensitivity, high dominates low) and within the user's range.
 */
bool policydb_context_isvalid(const struct policydb *p, const struct context *c);

/* MLS level valid: sensitivity defined and categories allowed with it. */
bool policydb_level_isvalid(const struct policydb *p, const struct mls_level *l);
/* MLS range valid: both levels valid and high dominates low. */
bool policydb_range_isvalid(const struct policydb *p, const struct mls_range *r);

#endif
