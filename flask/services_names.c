/*
 * services_names.c - class and permission names, in the policy's numbering
 * (for host tools) and in the embedder's (for audit lines), by name and by
 * value.
 */
#include "flask_env.h"
#include "policydb.h"
#include "security.h"
#include "services_int.h"

/* ---- names ------------------------------------------------------------- */

/*
 * The returned names point into the policy (or the embedder's map): valid
 * until the next policy load. Host tools are single-threaded; hypervisor
 * code uses the *_copy variants.
 */
uint16_t security_class_by_name(const char *name)
{
	uint16_t v = 0;

	if (ss_lock_acquire()) {
		return 0;
	}
	if (ss.cur) {
		v = (uint16_t)policydb_class_value(&ss.cur->db, name);
	}
	ss_lock_release();
	return v;
}

uint32_t security_perm_by_name(uint16_t tclass, const char *name)
{
	uint32_t v = 0;

	if (ss_lock_acquire()) {
		return 0;
	}
	if (ss.cur) {
		v = policydb_perm_value(&ss.cur->db, tclass, name);
	}
	ss_lock_release();
	return v ? 1u << (v - 1) : 0;
}

static int bit_index(uint32_t bit)
{
	if (bit == 0 || (bit & (bit - 1))) {
		return -1;
	}
	return __builtin_ctz(bit);
}

const char *security_class_name_raw(uint16_t tclass)
{
	const char *n = NULL;

	if (ss_lock_acquire()) {
		return NULL;
	}
	if (ss.cur) {
		n = policydb_name(&ss.cur->db, SYM_CLASSES, tclass);
	}
	ss_lock_release();
	return n;
}

const char *security_perm_name_raw(uint16_t tclass, uint32_t perm_bit)
{
	const char *n = NULL;
	int idx = bit_index(perm_bit);

	if (idx < 0 || ss_lock_acquire()) {
		return NULL;
	}
	if (ss.cur) {
		n = policydb_perm_name(&ss.cur->db, tclass, (uint32_t)idx + 1);
	}
	ss_lock_release();
	return n;
}

uint32_t security_class_perms_raw(uint16_t tclass)
{
	uint32_t m = 0;

	if (ss_lock_acquire()) {
		return 0;
	}
	if (ss.cur) {
		m = policydb_class_perms_mask(&ss.cur->db, tclass);
	}
	ss_lock_release();
	return m;
}

const char *security_class_name(uint16_t tclass)
{
	if (ss.map_set) {
		return tclass && tclass <= ss.map_len ? ss.map[tclass - 1].name : NULL;
	}
	return security_class_name_raw(tclass);
}

const char *security_perm_name(uint16_t tclass, uint32_t perm_bit)
{
	int idx = bit_index(perm_bit);

	if (ss.map_set) {
		const char *const *perms;

		if (idx < 0 || !tclass || tclass > ss.map_len) {
			return NULL;
		}
		perms = ss.map[tclass - 1].perms;
		for (int i = 0; perms && perms[i]; i++) {
			if (i == idx) {
				return perms[i];
			}
		}
		return NULL;
	}
	return security_perm_name_raw(tclass, perm_bit);
}

int security_class_name_copy(uint16_t tclass, char *buf, size_t size)
{
	const char *n;
	int rc = ss_lock_acquire();

	if (rc) {
		return rc;
	}
	n = ss.map_set ? (tclass && tclass <= ss.map_len ? ss.map[tclass - 1].name : NULL)
		       : (ss.cur ? policydb_name(&ss.cur->db, SYM_CLASSES, tclass) : NULL);
	rc = n ? (snprintf(buf, size, "%s", n) < (int)size ? 0 : -FLASK_ERANGE) : -FLASK_ENOENT;
	ss_lock_release();
	return rc;
}

int security_perm_name_copy(uint16_t tclass, uint32_t perm_bit, char *buf, size_t size)
{
	const char *n = NULL;
	int idx = bit_index(perm_bit);
	int rc;

	if (idx < 0) {
		return -FLASK_ENOENT;
	}
	rc = ss_lock_acquire();
	if (rc) {
		return rc;
	}
	if (ss.map_set) {
		const char *const *perms =
		    tclass && tclass <= ss.map_len ? ss.map[tclass - 1].perms : NULL;

		for (int i = 0; perms && perms[i] && i <= idx; i++) {
			if (i == idx) {
				n = perms[i];
			}
		}
	} else if (ss.cur) {
		n = policydb_perm_name(&ss.cur->db, tclass, (uint32_t)idx + 1);
	}
	rc = n ? (snprintf(buf, size, "%s", n) < (int)size ? 0 : -FLASK_ERANGE) : -FLASK_ENOENT;
	ss_lock_release();
	return rc;
}
