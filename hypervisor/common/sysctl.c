/*
 * The sysctl hypercall: system-wide control operations. Palisade has the
 * readconsole sub-op (guests read the console ring, AVC lines included);
 * every other sub-op of xsm/sysctl.def answers -EOPNOTSUPP after its XSM
 * check, and unknown numbers -EOPNOTSUPP too.
 */
#include <console.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/sysctl.h>

#include <xsm/xsm.h>

/* Ring position of the last clear: a plain read starts after it. */
static uint64_t console_cleared;

static long sysctl_readconsole(struct xen_sysctl_readconsole *rc_arg)
{
	char chunk[256];
	uint64_t cursor;
	uint32_t done = 0;
	long rc;

	rc = xsm_readconsole(rc_arg->clear);
	if (rc) {
		return rc;
	}
	/* The ring keeps 64-bit positions; the ABI carries the low 32 bits. */
	if (rc_arg->incremental) {
		uint64_t head = console_ring_head();

		cursor = (head & ~0xffffffffULL) | rc_arg->index;
		if (cursor > head) {
			cursor -= 1ULL << 32;
		}
	} else {
		cursor = console_cleared;
	}
	while (done < rc_arg->count) {
		size_t want = MIN((size_t)(rc_arg->count - done), sizeof(chunk));
		size_t got = console_ring_read(chunk, want, &cursor);

		if (got == 0) {
			break;
		}
		if (copy_to_guest(rc_arg->buffer + done, chunk, got)) {
			return -EFAULT;
		}
		done += (uint32_t)got;
	}
	if (rc_arg->clear) {
		console_cleared = cursor;
	}
	rc_arg->index = (uint32_t)cursor;
	rc_arg->count = done;
	return 0;
}

long do_sysctl(uint64_t uop)
{
	struct xen_sysctl op;
	long rc;

	if (copy_from_guest(&op, uop, sizeof(op))) {
		return -EFAULT;
	}
	if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION) {
		return -EACCES;
	}
	rc = xsm_sysctl(op.cmd);
	if (rc) {
		return rc;
	}
	switch (op.cmd) {
	case XEN_SYSCTL_readconsole:
		rc = sysctl_readconsole(&op.u.readconsole);
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (rc == 0 && copy_to_guest(uop, &op, sizeof(op))) {
		rc = -EFAULT;
	}
	return rc;
}
