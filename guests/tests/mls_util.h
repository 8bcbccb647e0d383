/*
 * Helpers of the MLS test guests (guests/tests/mls_*.c): words of the
 * command line, the expected decision the harness puts there after
 * asking libsepol (guest-tests.list, sepol=), and waiting for the peer's
 * end.
 */
#ifndef GUEST_MLS_UTIL_H
#define GUEST_MLS_UTIL_H

#include <lib.h>
#include <public/errno.h>

#include "evtchn_util.h"
#include "guest.h"

/*
 * Copies the value of "key=VALUE" among the space-separated words of cmd
 * into buf (NUL-terminated); false when absent, empty or longer than size-1.
 */
static inline bool mls_word(const char *cmd, const char *key, char *buf, size_t size)
{
	size_t n = strlen(key), len;
	const char *p, *e;

	for (p = cmd; *p; p++) {
		if ((p == cmd || p[-1] == ' ') && !strncmp(p, key, n) && p[n] == '=') {
			p += n + 1;
			e = strchr(p, ' ');
			len = e ? (size_t)(e - p) : strlen(p);
			if (len == 0 || len >= size) {
				return false;
			}
			memcpy(buf, p, len);
			buf[len] = '\0';
			return true;
		}
	}
	return false;
}

static inline bool mls_has(const char *cmd, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = cmd; *p; p++) {
		if ((p == cmd || p[-1] == ' ') && !strncmp(p, w, n) && (!p[n] || p[n] == ' ')) {
			return true;
		}
	}
	return false;
}

/*
 * expect=allow|deny: true for allow.  Anything else (an unsubstituted
 * @NAME@ included) ends the test with ERROR: there is no answer to check.
 */
static inline bool mls_expect(const char *cmd, const char *key)
{
	char v[8];

	if (!mls_word(cmd, key, v, sizeof(v)) || (strcmp(v, "allow") && strcmp(v, "deny"))) {
		test_report(TEST_ERROR, "needs %s=allow|deny on the command line", key);
	}
	return strcmp(v, "allow") == 0;
}

/* Rounds of mls_wait_gone before the peer counts as stuck. */
#define MLS_GONE_TRIES 200000

/*
 * Stays until peer is gone: bind_interdomain answers -ESRCH then, and to a
 * port no domain has -EINVAL while the peer lives (before any XSM check,
 * so the probe logs no AVC line whatever the policy).
 */
static inline void mls_wait_gone(domid_t peer)
{
	struct evtchn_bind_interdomain b;
	unsigned int tries;
	long rc;

	for (tries = 0; tries < MLS_GONE_TRIES; tries++) {
		b.remote_dom = peer;
		b.remote_port = 0x7fffffff;
		rc = ev(EVTCHNOP_bind_interdomain, &b);
		if (rc == -XEN_ESRCH) {
			return;
		}
		test_check(rc == -XEN_EINVAL, "bind_interdomain to d%u's port 0x7fffffff: %ld",
			   peer, rc);
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_report(TEST_FAILURE, "d%u still there after %u rounds", peer, MLS_GONE_TRIES);
}

#endif /* GUEST_MLS_UTIL_H */
