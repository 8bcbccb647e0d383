/*
 * Helpers of the XSM test guests (guests/tests/xsm_*.c): flask_op and the
 * readconsole sysctl, as a guest issues them.
 */
#ifndef GUEST_XSM_LIB_H
#define GUEST_XSM_LIB_H

#include "guest.h"

#include <public/errno.h>
#include <public/flask_op.h>
#include <public/sysctl.h>
#include <public/version.h>

static inline long xsm_flask(struct xen_flask_op *op, uint32_t cmd)
{
	op->cmd = cmd;
	op->interface_version = XEN_FLASK_INTERFACE_VERSION;
	return hypercall_xsm_op(op);
}

/* SID of a context string, or 0 (and the error in *rc). */
static inline uint32_t xsm_sid(const char *ctx, long *rc)
{
	struct xen_flask_op op = {0};

	op.u.sid_context.context = (uint64_t)(uintptr_t)ctx;
	op.u.sid_context.size = (uint32_t)strlen(ctx) + 1;
	*rc = xsm_flask(&op, FLASK_CONTEXT_TO_SID);
	return *rc ? 0 : op.u.sid_context.sid;
}

static inline long xsm_context(uint32_t sid, char *buf, uint32_t size)
{
	struct xen_flask_op op = {0};

	op.u.sid_context.sid = sid;
	op.u.sid_context.context = (uint64_t)(uintptr_t)buf;
	op.u.sid_context.size = size;
	return xsm_flask(&op, FLASK_SID_TO_CONTEXT);
}

/* The policy's allowed vector for (s, t, class value); -errno on failure. */
static inline long xsm_access(uint32_t s, uint32_t t, uint32_t tclass, uint32_t *allowed)
{
	struct xen_flask_op op = {0};
	long rc;

	op.u.access.ssid = s;
	op.u.access.tsid = t;
	op.u.access.tclass = tclass;
	op.u.access.req = ~0u;
	rc = xsm_flask(&op, FLASK_ACCESS);
	*allowed = op.u.access.allowed;
	return rc;
}

/* Reads up to size-1 bytes of the console ring from the oldest; NUL-terminated. */
static inline long xsm_readconsole(char *buf, uint32_t size)
{
	struct xen_sysctl op = {0};
	long rc;

	op.cmd = XEN_SYSCTL_readconsole;
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	op.u.readconsole.buffer = (uint64_t)(uintptr_t)buf;
	op.u.readconsole.count = size - 1;
	rc = HYPERCALL1(__HYPERVISOR_sysctl, &op);
	buf[rc ? 0 : op.u.readconsole.count] = '\0';
	return rc;
}

/* Occurrences of needle in hay. */
static inline unsigned int xsm_count(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	unsigned int c = 0;

	for (; *hay; hay++) {
		if (strncmp(hay, needle, n) == 0) {
			c++;
		}
	}
	return c;
}

#endif /* GUEST_XSM_LIB_H */
