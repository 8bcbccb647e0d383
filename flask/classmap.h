/*
 * classmap.h - the embedder's class and permission numbering, by name.
 *
 * An embedder lists its classes once, as an X-macro:
 *
 *   #define MY_CLASSES(CLASS, PERM)                                  \
 *           CLASS(xen, PERM(settime) PERM(tbufcontrol) PERM(readconsole)) \
 *           CLASS(domain, PERM(setvcpucontext) PERM(pause))
 *
 * and generates from that single list
 *
 *   enum { FLASK_CLASSMAP_ENUM_BEGIN, MY_CLASSES(FLASK_CLASSMAP_ENUM, FLASK_CLASSMAP_NOPERM) };
 *       -> SECCLASS_xen = 1, SECCLASS_domain = 2
 *   FLASK_CLASSMAP_DEFINE(my_map, MY_CLASSES);
 *       -> const struct flask_class_map my_map[] and my_map_count
 *
 * then calls security_set_classmap(my_map, my_map_count). Class values are
 * 1-based indexes into the map; permission i of a class is bit (1 << i).
 * Per-class permission constants are the embedder's own business (Xen's
 * XEN__SETTIME style); FLASK_CLASSMAP_PERM_BIT computes one by name at run
 * time for tests and tools.
 *
 * At every policy load, classmap_build() resolves each name against the
 * policy; decisions are translated in both directions with the result.
 */
#ifndef FLASK_CLASSMAP_H
#define FLASK_CLASSMAP_H

#include "flask_env.h"
#include "security.h"

#define FLASK_CLASSMAP_ENUM_BEGIN SECCLASS__FLASK_CLASSMAP_NONE
#define FLASK_CLASSMAP_ENUM(cls, perms) SECCLASS_##cls,
#define FLASK_CLASSMAP_NOPERM(p)

#define FLASK_CLASSMAP_PERMNAME(p) #p,
#define FLASK_CLASSMAP_PERMLIST(cls, perms)                                                        \
	static const char *const flask_classmap_perms_##cls[] = {perms NULL};
#define FLASK_CLASSMAP_ENTRY(cls, perms) {#cls, flask_classmap_perms_##cls},

#define FLASK_CLASSMAP_DEFINE(var, LIST)                                                           \
	LIST(FLASK_CLASSMAP_PERMLIST, FLASK_CLASSMAP_PERMNAME)                                     \
	const struct flask_class_map var[] = {LIST(FLASK_CLASSMAP_ENTRY, FLASK_CLASSMAP_NOPERM)};  \
	const size_t var##_count = sizeof(var) / sizeof(var[0])

/* One embedder class resolved against the loaded policy. */
struct classmap_class {
	uint16_t value;	    /* policy class value; 0 = the policy lacks it */
	uint16_t nperms;    /* embedder permissions in this class */
	uint32_t perms[32]; /* policy permission bit of each; 0 = missing */
	const char *name;   /* the embedder's names (owned by the embedder) */
	const char *const *perm_names;
};

struct classmap {
	uint16_t nclasses;
	struct classmap_class *classes; /* [0] unused; 1..nclasses */
};

struct policydb;

/*
 * Resolve map against p. With reject_unknown, a missing class or permission
 * fails with -FLASK_EINVAL and its name in err.
 */
int classmap_build(struct classmap *out, const struct policydb *p,
		   const struct flask_class_map *map, size_t nclasses, bool reject_unknown,
		   char *err, size_t errlen);
void classmap_destroy(struct classmap *cm);

/* Embedder permission set -> policy permission set of the mapped class. */
uint32_t classmap_perms_to_policy(const struct classmap_class *cc, uint32_t perms);

/*
 * Policy decision -> embedder decision (Linux's map_decision): permissions
 * the policy lacks are allowed when allow_unknown; bits past the class's
 * permissions are always audited when denied.
 */
void classmap_decision_to_embedder(const struct classmap_class *cc, struct av_decision *avd,
				   bool allow_unknown);

/* Embedder permission bit of a class by name (for tools and tests); 0 if none. */
uint32_t flask_classmap_perm_bit(const struct flask_class_map *map, size_t nclasses,
				 uint16_t tclass, const char *perm);

#endif
