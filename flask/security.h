/*
 * security.h - the FLASK security server, as its embedders call it.
 *
 * One global security server per embedder: a loaded policy, the SID table
 * and the class mapping. Every call is safe before a policy is loaded (it
 * either answers "allow all" as Xen and Linux do at early boot, or returns
 * -FLASK_EINVAL where an answer would be meaningless).
 *
 * Class numbering: after security_set_classmap() every tclass argument and
 * every permission bit named "mapped" below is in the embedder's numbering
 * (index into its map, 1-based; bit i = i-th permission of that entry). Until
 * a map is set, embedder numbering is the policy's own numbering. The *_raw
 * calls always take the policy's values; host tools use them together with
 * the by-name helpers.
 *
 * Errors are negative FLASK_E* values.
 */
#ifndef FLASK_SECURITY_H
#define FLASK_SECURITY_H

#include "flask_env.h"

#define SECSID_NULL 0u

/* The decision is for a permissive source type. */
#define AVD_FLAGS_PERMISSIVE 0x1u

struct av_decision {
	uint32_t allowed;
	uint32_t auditallow;
	uint32_t auditdeny;
	uint32_t seqno;
	uint32_t flags;
};

/* One embedder class: its policy name and its permission names (NULL-terminated, at most 32). */
struct flask_class_map {
	const char *name;
	const char *const *perms;
};

/* What the policy says about names the embedder asks for that it lacks. */
enum security_handle_unknown {
	SECURITY_UNKNOWN_DENY = 0,
	SECURITY_UNKNOWN_REJECT = 2,
	SECURITY_UNKNOWN_ALLOW = 4,
};

/* --- policy ------------------------------------------------------------ */

/*
 * Create the lock. Idempotent; every entry point calls it, but an SMP
 * embedder must call it once before other CPUs can reach the server.
 */
int security_init(void);

/*
 * Parse, validate and switch to a new binary policy. Atomic: on any error
 * the policy in force stays untouched, and a one-line reason is written to
 * err (if non-NULL). Live SIDs keep their numbers; their contexts are
 * converted by name; a context the new policy does not accept is remapped
 * to the new policy's "unlabeled" initial SID context (as Linux does for
 * contexts that became invalid, since Xen has no file system to relabel).
 */
int security_load_policy(const void *data, size_t len, char *err, size_t errlen);
bool security_policy_loaded(void);
/* Bumped by every policy load, boolean commit and enforcing change. */
uint32_t security_seqno(void);
/* Exposed for the AVC's hit path: one load instead of a call. */
extern uint32_t security_seqno_value;
bool security_mls_enabled(void);
/* Version of the policy in force, 0 if none. */
uint32_t security_policyvers(void);
enum security_handle_unknown security_get_handle_unknown(void);

bool security_get_enforcing(void);
void security_set_enforcing(bool enforcing);

/*
 * Install the embedder's class map. Validated against the policy in force
 * (if any) and again at every later load: a name the policy lacks is
 * decided by handle_unknown; with "reject" the call (or the load) fails.
 */
int security_set_classmap(const struct flask_class_map *map, size_t nclasses);

/* --- SIDs and contexts -------------------------------------------------- */

/* len excludes any NUL; the string need not be NUL-terminated. */
int security_context_to_sid(const char *scontext, size_t len, uint32_t *sid);
/* Writes the NUL-terminated context; *len (if non-NULL) gets strlen. -FLASK_ERANGE if it does not
 * fit. */
int security_sid_to_context(uint32_t sid, char *buf, size_t size, size_t *len);
/* 0 if the context string names a valid context in the loaded policy. */
int security_context_valid(const char *scontext, size_t len);
/* The same, with a short reason in why (if non-NULL) when it is not. */
int security_context_check(const char *scontext, size_t len, char *why, size_t whylen);
/*
 * Initial SIDs are 1..N in Xen 4.17's order (xenboot, xen, dom0, ...);
 * 0 = unknown name. A policy must declare exactly N of them.
 */
uint32_t security_initial_sid(const char *name);
uint32_t security_initial_sid_count(void);
/* The name of initial SID sid, or NULL outside 1..N. */
const char *security_initial_sid_name(uint32_t sid);

/* --- decisions (mapped numbering) ---------------------------------------- */

int security_compute_av(uint32_t ssid, uint32_t tsid, uint16_t tclass, struct av_decision *avd);
int security_transition_sid(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out);
int security_member_sid(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out);
int security_change_sid(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out);

/* --- decisions (policy numbering) ---------------------------------------- */

int security_compute_av_raw(uint32_t ssid, uint32_t tsid, uint16_t tclass, struct av_decision *avd);
int security_transition_sid_raw(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out);
int security_member_sid_raw(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out);
int security_change_sid_raw(uint32_t ssid, uint32_t tsid, uint16_t tclass, uint32_t *out);

/* --- names -------------------------------------------------------------- */

/* Policy class value by name, 0 if none. */
uint16_t security_class_by_name(const char *name);
/* Policy permission bit (1 << (value-1)) of a policy class by name, 0 if none. */
uint32_t security_perm_by_name(uint16_t tclass, const char *name);
/* Name of a policy class / of one permission bit of it; NULL if none. */
const char *security_class_name_raw(uint16_t tclass);
const char *security_perm_name_raw(uint16_t tclass, uint32_t perm_bit);
/* Every permission bit the policy class has (own and common). */
uint32_t security_class_perms_raw(uint16_t tclass);
/* The same in the embedder's numbering (the map's names when a map is set). */
const char *security_class_name(uint16_t tclass);
const char *security_perm_name(uint16_t tclass, uint32_t perm_bit);
/*
 * The pointers above stay valid until the next policy load; SMP code uses
 * these copying variants (embedder numbering). -FLASK_ENOENT if unnamed.
 */
int security_class_name_copy(uint16_t tclass, char *buf, size_t size);
int security_perm_name_copy(uint16_t tclass, uint32_t perm_bit, char *buf, size_t size);

/* --- booleans ----------------------------------------------------------- */

int security_get_bool_count(void);
/* Copies the name; returns -FLASK_ENOENT past the end. */
int security_get_bool_name(int id, char *buf, size_t size);
/* Current (in-force) value, and the pending one if non-NULL. */
int security_get_bool_value(int id, int *cur, int *pending);
int security_find_bool(const char *name);
int security_set_bool(int id, int value);
/* Apply every pending value, re-evaluate the conditionals, bump the seqno. */
int security_commit_bools(void);

/* --- object contexts ---------------------------------------------------- */

/* Each falls back to the matching initial SID (irq, ioport, iomem, device, unlabeled). */
int security_pirq_sid(uint32_t pirq, uint32_t *sid);
int security_ioport_sid(uint32_t port, uint32_t *sid);
int security_iomem_sid(uint64_t frame, uint32_t *sid);
int security_device_sid(uint32_t sbdf, uint32_t *sid);
int security_devicetree_sid(const char *path, uint32_t *sid);

/* Drop the policy and every SID (host programs and tests). */
void security_reset(void);

#endif
