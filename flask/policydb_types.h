/*
 * policydb_types.h - the policy database: everything read from a binary
 * Xen-target policy (as written by "checkpolicy -t Xen", versions 24..30,
 * with or without MLS), validated, in lookup-friendly form.
 *
 * Value conventions (as in the policy file and libsepol):
 * - Symbol values are 1-based: a class/role/type/user/boolean/sensitivity/
 *   category value v is in [1, symtab[SYM_x].nprim]; 0 means "none".
 * - Every *_val_to_* array is indexed by value - 1. Exception to "every
 *   value has a datum": checkpolicy gives sensitivity and category aliases
 *   values of their own, so sens_val_to_struct, cat_val_to_struct and
 *   sym_val_to_name[SYM_LEVELS/SYM_CATS] can hold NULL for such values
 *   (policydb_name returns NULL then). Categories set in any level of a
 *   valid policy are always defined ones.
 * - Bitmaps of types/roles/users/categories have bit (value - 1) set.
 *   Exception: permissive_map has bit (type value) set, as in libsepol.
 * - Permission values are 1-based; a permission's bit in an access vector
 *   is 1u << (value - 1). A class's own permissions come after those of its
 *   common, so values stay unique within a class; at most 32 per class.
 * - Attributes are types too (type_datum.attribute): they share the type
 *   value space and may appear in avtab keys.
 *
 * After a successful policydb_read the database is read-only except for
 * boolean states (cond_bool_datum.state) and the AVTAB_ENABLED flags that
 * cond_evaluate_all() maintains.
 *
 * Structures and constants only (no functions): the reader's layers and the
 * lookups include this; policydb.h adds the reader and the lookups for
 * everyone else.
 */
#ifndef FLASK_POLICYDB_TYPES_H
#define FLASK_POLICYDB_TYPES_H

#include "avtab.h"
#include "context.h"
#include "ebitmap.h"
#include "symtab.h"

/* Defined in conditional.h; the policydb only points at them. */
struct cond_bool_datum;
struct cond_node;

#define POLICYDB_MAGIC 0xf97cff8cu
#define POLICYDB_STRING_XEN "XenFlask"
#define POLICYDB_STRING_SELINUX "SE Linux" /* recognised only to say "wrong target" */

/* Policy versions (the file's version word) that matter for the Xen target. */
#define POLICYDB_VERSION_AVTAB 20
#define POLICYDB_VERSION_RANGETRANS 21
#define POLICYDB_VERSION_POLCAP 22
#define POLICYDB_VERSION_PERMISSIVE 23
#define POLICYDB_VERSION_BOUNDARY 24
#define POLICYDB_VERSION_FILENAME_TRANS 25
#define POLICYDB_VERSION_ROLETRANS 26
#define POLICYDB_VERSION_NEW_OBJECT_DEFAULTS 27
#define POLICYDB_VERSION_DEFAULT_TYPE 28
#define POLICYDB_VERSION_CONSTRAINT_NAMES 29
#define POLICYDB_VERSION_XEN_DEVICETREE 30
#define POLICYDB_VERSION_MIN_SUPPORTED 24
#define POLICYDB_VERSION_MAX_SUPPORTED 30

/* Config word bits. */
#define POLICYDB_CONFIG_MLS 0x00000001u
#define POLICYDB_CONFIG_REJECT_UNKNOWN 0x00000002u
#define POLICYDB_CONFIG_ALLOW_UNKNOWN 0x00000004u

/* policydb.handle_unknown: what a class/permission missing from the policy means. */
#define HANDLE_UNKNOWN_DENY 0
#define HANDLE_UNKNOWN_REJECT 1
#define HANDLE_UNKNOWN_ALLOW 2

/* Symbol table indices, in file order. */
#define SYM_COMMONS 0
#define SYM_CLASSES 1
#define SYM_ROLES 2
#define SYM_TYPES 3
#define SYM_USERS 4
#define SYM_BOOLS 5
#define SYM_LEVELS 6 /* sensitivities */
#define SYM_CATS 7
#define SYM_NUM 8

/* Limits enforced on read (protect against absurd but well-formed input). */
#define POLICYDB_NAME_MAX 1024	   /* bytes in one symbol/device tree name */
#define POLICYDB_PERMS_MAX 32	   /* permissions per class (access vector width) */
#define POLICYDB_VALUE_MAX 0xffffu /* types/classes fit avtab's 16-bit fields */

/* ---- constraints ---- */

/* constraint_expr.expr_type */
#define CEXPR_NOT 1
#define CEXPR_AND 2
#define CEXPR_OR 3
#define CEXPR_ATTR 4  /* compare attr of source/target with op */
#define CEXPR_NAMES 5 /* attr of source or target (op EQ/NEQ) in names */

/* constraint_expr.attr: which attribute(s); CEXPR_TARGET/XTARGET select the operand. */
#define CEXPR_USER 1
#define CEXPR_ROLE 2
#define CEXPR_TYPE 4
#define CEXPR_TARGET 8	 /* target (t2/r2/u2) */
#define CEXPR_XTARGET 16 /* validatetrans: the third context (t3/r3/u3) */
#define CEXPR_L1L2 32
#define CEXPR_L1H2 64
#define CEXPR_H1L2 128
#define CEXPR_H1H2 256
#define CEXPR_L1H1 512
#define CEXPR_L2H2 1024

/* constraint_expr.op */
#define CEXPR_EQ 1
#define CEXPR_NEQ 2
#define CEXPR_DOM 3
#define CEXPR_DOMBY 4
#define CEXPR_INCOMP 5

/* Max evaluation stack depth of a constraint expression; deeper ones are rejected. */
#define CEXPR_MAXDEPTH 5

struct constraint_expr {
	uint32_t expr_type;   /* CEXPR_NOT..CEXPR_NAMES */
	uint32_t attr;	      /* CEXPR_USER.. (ATTR and NAMES nodes) */
	uint32_t op;	      /* CEXPR_EQ.. (ATTR and NAMES nodes) */
	struct ebitmap names; /* NAMES: bit (value - 1) of users, roles or types */
};

/*
 * One constraint (or validatetrans): expr is in postfix order and was
 * checked on read to evaluate to exactly one boolean within CEXPR_MAXDEPTH.
 */
struct constraint {
	uint32_t permissions; /* constraints: perms it restricts; validatetrans: 0 */
	struct constraint_expr *expr;
	uint32_t nexpr;
};

/* ---- symbol datums ---- */

struct perm_datum {
	uint32_t value; /* 1-based; bit (value - 1) in access vectors */
};

struct common_datum {
	uint32_t value;		   /* 1-based common value */
	struct symtab permissions; /* name -> struct perm_datum; nprim = count */
};

/* class_datum.default_* (v27+; v28+ for default_type). 0 = not set. */
#define DEFAULT_SOURCE 1
#define DEFAULT_TARGET 2
#define DEFAULT_SOURCE_LOW 1
#define DEFAULT_SOURCE_HIGH 2
#define DEFAULT_SOURCE_LOW_HIGH 3
#define DEFAULT_TARGET_LOW 4
#define DEFAULT_TARGET_HIGH 5
#define DEFAULT_TARGET_LOW_HIGH 6
#define DEFAULT_GLBLUB 7

struct class_datum {
	uint32_t value;		       /* 1-based class value */
	const char *comkey;	       /* name of the inherited common, or NULL */
	struct common_datum *comdatum; /* the inherited common, or NULL */
	struct symtab permissions;     /* own permissions only; nprim = total incl. common */
	const char *perm_names[POLICYDB_PERMS_MAX]; /* [value - 1] incl. common's; NULL = gap */
	struct constraint *constraints;		    /* in file order */
	uint32_t nconstraints;
	struct constraint *validatetrans; /* in file order */
	uint32_t nvalidatetrans;
	uint32_t default_user;	/* 0, DEFAULT_SOURCE or DEFAULT_TARGET */
	uint32_t default_role;	/* same */
	uint32_t default_type;	/* same */
	uint32_t default_range; /* 0 or DEFAULT_SOURCE_LOW..DEFAULT_GLBLUB */
};

struct role_datum {
	uint32_t value;		  /* 1-based role value */
	uint32_t bounds;	  /* 1-based bounding role, or 0 */
	struct ebitmap dominates; /* roles this one dominates (incl. itself) */
	struct ebitmap types;	  /* types the role may have */
};

struct type_datum {
	uint32_t value;	 /* 1-based type value (shared by a type's aliases) */
	uint32_t bounds; /* 1-based bounding type, or 0 */
	bool primary;	 /* false for an alias entry */
	bool attribute;	 /* an attribute, not a type */
};

struct user_datum {
	uint32_t value;		    /* 1-based user value */
	uint32_t bounds;	    /* 1-based bounding user, or 0 */
	struct ebitmap roles;	    /* roles the user may have */
	struct mls_range range;	    /* MLS: the user's allowed range (empty without MLS) */
	struct mls_level dfltlevel; /* MLS: the user's default level (empty without MLS) */
};

struct level_datum {
	struct mls_level level; /* level.sens is this sensitivity's value; cat is empty
				   or the categories allowed with it */
	bool isalias;
};

struct cat_datum {
	uint32_t value; /* 1-based category value */
	bool isalias;
};

/* ---- rules ---- */

struct role_trans {
	uint32_t role;	   /* current role */
	uint32_t type;	   /* target type (or attribute) */
	uint32_t tclass;   /* object class (v26+; before, the "domain" class) */
	uint32_t new_role; /* resulting role */
};

struct role_allow {
	uint32_t role;
	uint32_t new_role;
};

struct filename_trans {
	uint32_t stype, ttype, tclass, otype;
	const char *name;
};

struct range_trans {
	uint32_t source_type;
	uint32_t target_type;
	uint32_t target_class; /* "domain" class before v21 (not supported anyway) */
	struct mls_range range;
};

/* ---- object contexts (Xen target) ---- */

#define OCON_XEN_ISID 0	      /* initial SIDs: u.sid */
#define OCON_XEN_PIRQ 1	      /* physical IRQs: u.pirq */
#define OCON_XEN_IOPORT 2     /* I/O port ranges: u.ioport */
#define OCON_XEN_IOMEM 3      /* I/O memory ranges (frame numbers): u.iomem */
#define OCON_XEN_PCIDEVICE 4  /* PCI devices (SBDF): u.device */
#define OCON_XEN_DEVICETREE 5 /* device tree paths (v30+): u.name */
#define OCON_XEN_NUM 6

struct ocontext {
	union {
		uint32_t sid; /* ISID: the initial SID number */
		uint32_t pirq;
		struct {
			uint32_t low, high; /* inclusive, low <= high */
		} ioport;
		struct {
			uint64_t low, high; /* inclusive; 32-bit in files before v30 */
		} iomem;
		uint32_t device;
		const char *name; /* DEVICETREE: NUL-terminated */
	} u;
	struct context context; /* a valid context; without MLS its range is empty (sens 0) */
};

/* ---- the database ---- */

struct policydb_arena;

struct policydb {
	uint32_t policyvers;	 /* file version, 24..30 */
	uint32_t config;	 /* raw config word */
	bool mls;		 /* POLICYDB_CONFIG_MLS set */
	uint32_t handle_unknown; /* HANDLE_UNKNOWN_* */

	struct ebitmap policycaps;     /* bit n: policy capability n */
	struct ebitmap permissive_map; /* bit (type value): permissive domain */

	struct symtab symtab[SYM_NUM]; /* name -> *_datum */
	/* [SYM_x][value - 1] -> primary name, for every value 1..nprim */
	const char **sym_val_to_name[SYM_NUM];

	struct common_datum **common_val_to_struct;  /* [value - 1] */
	struct class_datum **class_val_to_struct;    /* [value - 1] */
	struct role_datum **role_val_to_struct;	     /* [value - 1] */
	struct type_datum **type_val_to_struct;	     /* [value - 1] -> primary datum */
	struct user_datum **user_val_to_struct;	     /* [value - 1] */
	struct cond_bool_datum **bool_val_to_struct; /* [value - 1] */
	struct level_datum **sens_val_to_struct;     /* [value - 1] -> non-alias datum or NULL */
	struct cat_datum **cat_val_to_struct;	     /* [value - 1] -> non-alias datum or NULL */

	struct avtab te_avtab;	    /* unconditional rules */
	struct avtab te_cond_avtab; /* conditional rules, enabled per cond_list */
	struct cond_node *cond_list;
	uint32_t cond_list_len;

	struct role_trans *role_tr; /* sorted by (role, type, tclass) */
	uint32_t nrole_tr;
	struct role_allow *role_allow; /* sorted by (role, new_role) */
	uint32_t nrole_allow;
	struct filename_trans *filename_trans; /* file order (none in Xen policies) */
	uint32_t nfilename_trans;
	struct range_trans *range_tr; /* sorted by (source, target, class) */
	uint32_t nrange_tr;

	struct ocontext *ocontexts[OCON_XEN_NUM]; /* file order (first match wins) */
	uint32_t nocontexts[OCON_XEN_NUM];
	uint32_t ngenfs; /* genfs entries read and discarded (0 for Xen) */

	/* [type value - 1]: bit (attr value - 1) for each attribute of the type, and bit
	   (type value - 1) itself; for an attribute entry only its own bit. */
	struct ebitmap *type_attr_map;
	/* [attr value - 1]: bit (type value - 1) for every type having that attribute;
	   for a plain type t, just t's own bit (so it is "the types that t covers"). */
	struct ebitmap *attr_type_map;

	/* Where names and datums live: freed as a whole by policydb_destroy. */
	struct policydb_arena *arena;
};

/* Role "object_r" (value 1 in every checkpolicy-built policy). */
#define OBJECT_R_VAL 1
#define OBJECT_R "object_r"

#endif
