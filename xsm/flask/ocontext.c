/*
 * Object contexts added at run time (FLASK_ADD_OCONTEXT, FLASK_DEVICETREE_LABEL):
 * a small table consulted before the policy's own object contexts. The
 * policy file is never edited in place; a policy load clears the table, as
 * loading replaces every object context in Xen too.
 */
#include <xsm/flask/flask.h>

#include <flask/security.h>

#include <heap.h>
#include <lib.h>
#include <public/errno.h>

#define OCON_MAX 64
#define OCON_PATH_MAX 256

struct ocon_entry {
	bool used;
	uint32_t kind;
	uint32_t sid;
	uint64_t low, high;
	char *path; /* device tree entries */
};

static struct ocon_entry table[OCON_MAX];
static uint32_t table_seqno;

/* A policy load (new sequence number) drops the run-time additions. */
static void ocon_sync(void)
{
	uint32_t seq = security_seqno();
	size_t i;

	if (seq == table_seqno) {
		return;
	}
	for (i = 0; i < OCON_MAX; i++) {
		if (table[i].used && table[i].sid && !flask_sid_valid(table[i].sid)) {
			xfree(table[i].path);
			table[i] = (struct ocon_entry){0};
		}
	}
	table_seqno = seq;
}

bool flask_sid_valid(uint32_t sid)
{
	char buf[8];
	size_t len;
	int rc = security_sid_to_context(sid, buf, sizeof(buf), &len);

	return rc == 0 || rc == -ERANGE;
}

int flask_ocon_add(uint32_t kind, uint32_t sid, uint64_t low, uint64_t high, const char *path)
{
	struct ocon_entry *free_slot = NULL;
	size_t i;

	if (kind < FLASK_OCON_PIRQ || kind > FLASK_OCON_DTREE || (!path && low > high)) {
		return -EINVAL;
	}
	if ((kind == FLASK_OCON_PIRQ || kind == FLASK_OCON_DEVICE) && low != high) {
		return -EINVAL;
	}
	ocon_sync();
	for (i = 0; i < OCON_MAX; i++) {
		struct ocon_entry *e = &table[i];

		if (!e->used) {
			free_slot = free_slot ? free_slot : e;
			continue;
		}
		if (e->kind != kind) {
			continue;
		}
		if (path ? (e->path && strcmp(e->path, path) == 0)
			 : (e->low <= high && low <= e->high)) {
			/* The same range with the same label is not an error (Xen). */
			if (!path && e->low == low && e->high == high && e->sid == sid) {
				return 0;
			}
			if (path && e->sid == sid) {
				return 0;
			}
			return -EEXIST;
		}
	}
	if (!free_slot) {
		return -ENOMEM;
	}
	if (path) {
		size_t n = strnlen(path, OCON_PATH_MAX);

		if (n == OCON_PATH_MAX) {
			return -ENAMETOOLONG;
		}
		free_slot->path = xmalloc(n + 1);
		if (!free_slot->path) {
			return -ENOMEM;
		}
		memcpy(free_slot->path, path, n + 1);
	}
	free_slot->used = true;
	free_slot->kind = kind;
	free_slot->sid = sid;
	free_slot->low = low;
	free_slot->high = high;
	return 0;
}

int flask_ocon_del(uint32_t kind, uint64_t low, uint64_t high, const char *path)
{
	size_t i;

	ocon_sync();
	for (i = 0; i < OCON_MAX; i++) {
		struct ocon_entry *e = &table[i];

		if (!e->used || e->kind != kind) {
			continue;
		}
		if (path ? (e->path && strcmp(e->path, path) == 0)
			 : (e->low == low && e->high == high)) {
			xfree(e->path);
			*e = (struct ocon_entry){0};
			return 0;
		}
	}
	return -ENOENT;
}

int flask_ocon_sid(uint32_t kind, uint64_t key, uint32_t *sid)
{
	size_t i;

	ocon_sync();
	for (i = 0; i < OCON_MAX; i++) {
		const struct ocon_entry *e = &table[i];

		if (e->used && e->kind == kind && !e->path && e->low <= key && key <= e->high) {
			*sid = e->sid;
			return 0;
		}
	}
	switch (kind) {
	case FLASK_OCON_PIRQ:
		return security_pirq_sid((uint32_t)key, sid);
	case FLASK_OCON_IOPORT:
		return security_ioport_sid((uint32_t)key, sid);
	case FLASK_OCON_IOMEM:
		return security_iomem_sid(key, sid);
	case FLASK_OCON_DEVICE:
		return security_device_sid((uint32_t)key, sid);
	default:
		return -EINVAL;
	}
}
