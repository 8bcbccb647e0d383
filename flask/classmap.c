/*
 * classmap.c - resolve the embedder's class/permission names against a
 * policy, and translate decisions between the two numberings.
 */
#include "classmap.h"
#include "flask_env.h"
#include "policydb.h"

static void cm_err(char *err, size_t errlen, const char *what, const char *cls, const char *perm)
{
	if (err && errlen) {
		if (perm) {
			snprintf(err, errlen, "%s %s:%s", what, cls, perm);
		} else {
			snprintf(err, errlen, "%s %s", what, cls);
		}
	}
}

int classmap_build(struct classmap *out, const struct policydb *p,
		   const struct flask_class_map *map, size_t nclasses, bool reject_unknown,
		   char *err, size_t errlen)
{
	int rc = -FLASK_EINVAL;

	out->nclasses = 0;
	out->classes = NULL;
	if (nclasses > 0xfffe) {
		cm_err(err, errlen, "class map too large", "", NULL);
		return -FLASK_EINVAL;
	}
	out->classes = flask_zalloc(sizeof(*out->classes) * (nclasses + 1));
	if (!out->classes) {
		return -FLASK_ENOMEM;
	}
	out->nclasses = (uint16_t)nclasses;
	for (size_t i = 0; i < nclasses; i++) {
		struct classmap_class *cc = &out->classes[i + 1];
		uint32_t n = 0;

		if (!map[i].name) {
			cm_err(err, errlen, "class map entry without a name", "", NULL);
			goto fail;
		}
		cc->name = map[i].name;
		cc->perm_names = map[i].perms;
		while (map[i].perms && map[i].perms[n]) {
			if (n == 32) {
				cm_err(err, errlen, "more than 32 permissions in class",
				       map[i].name, NULL);
				goto fail;
			}
			n++;
		}
		cc->nperms = (uint16_t)n;
		cc->value = p ? (uint16_t)policydb_class_value(p, map[i].name) : 0;
		if (!p) {
			continue;
		}
		if (!cc->value) {
			if (reject_unknown) {
				cm_err(err, errlen, "policy lacks class", map[i].name, NULL);
				goto fail;
			}
			continue;
		}
		for (uint32_t j = 0; j < n; j++) {
			uint32_t v = policydb_perm_value(p, cc->value, map[i].perms[j]);

			if (!v && reject_unknown) {
				cm_err(err, errlen, "policy lacks permission", map[i].name,
				       map[i].perms[j]);
				goto fail;
			}
			cc->perms[j] = v ? 1u << (v - 1) : 0;
		}
	}
	return 0;
fail:
	classmap_destroy(out);
	return rc;
}

void classmap_destroy(struct classmap *cm)
{
	flask_free(cm->classes);
	cm->classes = NULL;
	cm->nclasses = 0;
}

uint32_t classmap_perms_to_policy(const struct classmap_class *cc, uint32_t perms)
{
	uint32_t out = 0;

	for (uint32_t i = 0; i < cc->nperms; i++) {
		if (perms & (1u << i)) {
			out |= cc->perms[i];
		}
	}
	return out;
}

void classmap_decision_to_embedder(const struct classmap_class *cc, struct av_decision *avd,
				   bool allow_unknown)
{
	uint32_t allowed = 0, auditallow = 0, auditdeny = 0;
	uint32_t i;

	for (i = 0; i < cc->nperms; i++) {
		uint32_t bit = 1u << i;

		if ((avd->allowed & cc->perms[i]) || (allow_unknown && !cc->perms[i])) {
			allowed |= bit;
		}
		if (avd->auditallow & cc->perms[i]) {
			auditallow |= bit;
		}
		if (avd->auditdeny & cc->perms[i]) {
			auditdeny |= bit;
		}
		/* A permission the policy lacks cannot be dontaudit'ed: audit its denial. */
		if (!cc->perms[i]) {
			auditdeny |= bit;
		}
	}
	/* Bits past the class's permissions are a caller bug: always audit them. */
	for (; i < 32; i++) {
		auditdeny |= 1u << i;
	}
	avd->allowed = allowed;
	avd->auditallow = auditallow;
	avd->auditdeny = auditdeny;
}

uint32_t flask_classmap_perm_bit(const struct flask_class_map *map, size_t nclasses,
				 uint16_t tclass, const char *perm)
{
	if (tclass == 0 || tclass > nclasses || !map[tclass - 1].perms) {
		return 0;
	}
	for (uint32_t i = 0; i < 32 && map[tclass - 1].perms[i]; i++) {
		if (strcmp(map[tclass - 1].perms[i], perm) == 0) {
			return 1u << i;
		}
	}
	return 0;
}
