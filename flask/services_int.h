/*
 * services_int.h - state shared by the security server's own files
 * (services.c, services_load.c). Not for embedders.
 */
#ifndef FLASK_SERVICES_INT_H
#define FLASK_SERVICES_INT_H

#include "classmap.h"
#include "flask_env.h"
#include "policydb.h"
#include "security.h"
#include "sidtab.h"

/* Everything that a policy load replaces in one switch. */
struct ss_policy {
	struct policydb db;
	struct sidtab sidtab;
	struct classmap map;	/* the embedder's map resolved against db */
	uint32_t process_class; /* the "domain" class (libsepol's process_class for Xen) */
	uint32_t process_trans; /* its transition (and dyntransition) permission bits */
	int *pending;		/* pending boolean values, [value - 1] */
};

struct ss_state {
	struct flask_lock *lock;
	struct ss_policy *cur; /* NULL until the first load */
	bool enforcing;
	bool map_set;
	const struct flask_class_map *map; /* the embedder's, kept for reloads */
	size_t map_len;
};

extern struct ss_state ss;

int ss_lock_acquire(void);
void ss_lock_release(void);
/* Called with the lock held. */
void ss_bump_seqno(void);
int ss_compute_av_locked(uint32_t ssid, uint32_t tsid, uint16_t tclass, struct av_decision *avd);
void ss_policy_free(struct ss_policy *sp);

#endif
