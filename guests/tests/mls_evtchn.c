/*
 * An event channel between two boot-time domUs under the MLS policy, where
 * the domains' levels decide.  The harness asks libsepol what the policy
 * says about the pair (guest-tests.list, sepol=) and passes the answer on
 * the command line; this guest checks that the hypervisor does just that:
 *
 *   offer peer=N expect=allow|deny   alloc_unbound for N.  allow: N binds,
 *        ROUNDS pings are answered, FLASK_GET_PEER_SID names a SID, close.
 *        deny: -EACCES and no port left behind.
 *   bind peer=N expect=allow|deny    allow: binds the port N offered and
 *        answers every ping.  deny: none of N's ports can be bound, up to
 *        N's end (so N's refused offer is made while this domain lives).
 *
 * The other direction (N offering to this domain) is another case with
 * the roles swapped: with no channel there is nothing two refused domains
 * could wait on together.
 *
 * An offerer that may use the security server (dom0) also checks what
 * flask_op answers about the channel when the command line holds
 * peerctx=CONTEXT (the peer's label), selfctx=CONTEXT (its own) and
 * chctx=CONTEXT (the channel's label, as libsepol computes it):
 * FLASK_MLS, FLASK_SETENFORCE 1 (an audited grant), FLASK_GET_PEER_SID
 * through FLASK_SID_TO_CONTEXT,
 * FLASK_CONTEXT_TO_SID with and without the level, FLASK_CREATE.
 *
 * Either way the guest prints one "mls_evtchn: ... allow|deny" line that
 * the harness matches with the AVC lines the hypervisor logged.
 */
#include <public/errno.h>

#include "evtchn_util.h"
#include "mls_util.h"
#include "sched_util.h"
#include "xsm_lib.h"

#define ROUNDS 1000
#define SCAN 64
#define BIND_TRIES 200000

/* The event class's value: its place in flask/security_classes (Xen's order). */
#define CLASS_EVENT 9

static char peerctx[256], selfctx[256], chctx[256], ctxbuf[256];

/* An event on port, polling with a timeout; STALLS empty polls in a row is a lost event. */
static void wait_named(uint32_t port, const char *what)
{
	uint32_t ports[1] = {port};
	struct sched_poll poll = {0};
	unsigned int stalls;

	for (stalls = 0; !take_pending(port); stalls++) {
		if (stalls == STALLS) {
			test_report(TEST_FAILURE, "port %u: no %s in %u polls of %u ms", port, what,
				    STALLS, POLL_MS);
		}
		poll.ports = (uint64_t)(uintptr_t)ports;
		poll.nr_ports = 1;
		poll.timeout = sched_now() + POLL_MS * MS;
		hypercall_sched_op(SCHEDOP_poll, &poll);
	}
}

/* Every port but the console's (interdomain with DOMID_XEN) must be closed. */
static void check_no_port_left(const char *when)
{
	struct evtchn_status st;
	unsigned int p;
	long rc;

	for (p = 1; p < SCAN; p++) {
		rc = status(p, &st);
		test_check(rc == 0 && (st.status == EVTCHNSTAT_closed ||
				       (st.status == EVTCHNSTAT_interdomain &&
					st.u.interdomain.dom == DOMID_XEN)),
			   "%s: port %u as before (%ld, status %u)", when, p, rc, st.status);
	}
}

/* alloc_unbound for peer: the port, or 0 after checking a refusal is -EACCES and clean. */
static uint32_t alloc_for(domid_t peer, bool allow)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = peer};
	long rc = ev(EVTCHNOP_alloc_unbound, &au);

	if (allow) {
		if (rc) {
			test_report(TEST_FAILURE,
				    "alloc_unbound for d%u: %ld, the policy allows it", peer, rc);
		}
		return au.port;
	}
	test_check(rc == -XEN_EACCES, "alloc_unbound for d%u: -EACCES as the policy says (%ld)",
		   peer, rc);
	check_no_port_left("after the refused alloc_unbound");
	return 0;
}

static uint32_t peer_sid(uint32_t port)
{
	struct xen_flask_op op = {0};
	long rc;

	op.u.peersid.evtchn = port;
	rc = xsm_flask(&op, FLASK_GET_PEER_SID);
	test_check(rc == 0 && op.u.peersid.sid != 0, "FLASK_GET_PEER_SID on port %u: %ld, sid %u",
		   port, rc, op.u.peersid.sid);
	return op.u.peersid.sid;
}

/* The context of the third colon cut off: the same label without its level. */
static void strip_level(const char *ctx, char *out, size_t size)
{
	const char *p = ctx;
	int colons = 0;

	while (*p && !(*p == ':' && ++colons == 3)) {
		p++;
	}
	strlcpy(out, ctx, size);
	if ((size_t)(p - ctx) < size) {
		out[p - ctx] = '\0';
	}
}

static void check_contexts(uint32_t psid)
{
	struct xen_flask_op op = {0};
	char bare[256];
	uint32_t sid, self;
	long rc;

	rc = xsm_flask(&op, FLASK_MLS);
	test_check(rc == 1, "FLASK_MLS answers 1 under the MLS policy (%ld)", rc);
	/* Enforcing again (no change): the policy audits it, an "avc:  granted" line. */
	op.u.enforce.enforcing = 1;
	rc = xsm_flask(&op, FLASK_SETENFORCE);
	test_check(rc == 0, "FLASK_SETENFORCE 1: %ld", rc);
	rc = xsm_context(psid, ctxbuf, sizeof(ctxbuf));
	test_check(rc == 0 && !strcmp(ctxbuf, peerctx),
		   "SID_TO_CONTEXT of the peer SID %u: %s (%ld), the peer's label is %s", psid,
		   rc ? "-" : ctxbuf, rc, peerctx);
	gprintf("mls_evtchn: peer context %s\n", rc ? "-" : ctxbuf);
	sid = xsm_sid(peerctx, &rc);
	test_check(rc == 0 && sid == psid, "CONTEXT_TO_SID(%s): %u (%ld), the peer SID is %u",
		   peerctx, sid, rc, psid);
	strip_level(peerctx, bare, sizeof(bare));
	sid = xsm_sid(bare, &rc);
	test_check(rc == -XEN_EINVAL, "CONTEXT_TO_SID(%s), no level under MLS: -EINVAL (%ld)", bare,
		   rc);
	if (!chctx[0]) {
		return;
	}
	self = xsm_sid(selfctx, &rc);
	test_check(rc == 0, "CONTEXT_TO_SID(%s): %ld", selfctx, rc);
	memset(&op, 0, sizeof(op));
	op.u.transition.ssid = self;
	op.u.transition.tsid = psid;
	op.u.transition.tclass = CLASS_EVENT;
	rc = xsm_flask(&op, FLASK_CREATE);
	if (rc == 0) {
		rc = xsm_context(op.u.transition.newsid, ctxbuf, sizeof(ctxbuf));
	}
	test_check(rc == 0 && !strcmp(ctxbuf, chctx),
		   "FLASK_CREATE(%s, %s, event): %s (%ld), libsepol says %s", selfctx, peerctx,
		   rc ? "-" : ctxbuf, rc, chctx);
	gprintf("mls_evtchn: channel context %s\n", rc ? "-" : ctxbuf);
}

static void offer(domid_t peer, bool allow)
{
	uint32_t port = alloc_for(peer, allow), sid;
	unsigned int i;
	long rc;

	if (!allow) {
		gprintf("mls_evtchn: offer to d%u: deny\n", peer);
		test_finish();
	}
	mask(port);
	wait_named(port, "hello");
	sid = peer_sid(port);
	gprintf("mls_evtchn: peer sid %u\n", sid);
	if (peerctx[0]) {
		check_contexts(sid);
	}
	for (i = 0; i < ROUNDS; i++) {
		rc = ev_port(EVTCHNOP_send, port);
		if (rc) {
			test_report(TEST_FAILURE, "send %u: %ld", i, rc);
		}
		wait_named(port, "answer");
	}
	rc = ev_port(EVTCHNOP_close, port);
	test_check(rc == 0, "close: %ld", rc);
	gprintf("mls_evtchn: offer to d%u: allow, %u pings answered\n", peer, i);
	/* The peer's result line comes before ours (dom0's shutdown ends the machine). */
	mls_wait_gone(peer);
	test_finish();
}

/*
 * bind_interdomain on each of peer's ports, round after round: the local
 * port once one binds; 0 once the peer is gone (wait false: until then).
 */
static uint32_t try_bind(domid_t peer, bool wait)
{
	bool gone = false;

	struct evtchn_bind_interdomain b;
	unsigned int tries, p;
	long rc;

	for (tries = 0; tries < BIND_TRIES; tries++) {
		for (p = 1; p < SCAN; p++) {
			b.remote_dom = peer;
			b.remote_port = p;
			rc = ev(EVTCHNOP_bind_interdomain, &b);
			if (rc == 0) {
				return b.local_port;
			}
			/* -EINVAL: not offered to us; -ESRCH: the peer is gone. */
			if (rc != -XEN_EINVAL && rc != -XEN_ESRCH) {
				test_report(TEST_FAILURE, "bind_interdomain d%u port %u: %ld", peer,
					    p, rc);
			}
			gone = rc == -XEN_ESRCH;
		}
		if (!wait && gone) {
			return 0;
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_report(TEST_FAILURE, "d%u offered no port in %u rounds", peer, BIND_TRIES);
}

static void bind(domid_t peer, bool allow)
{
	uint32_t port;
	unsigned int i;
	long rc;

	if (!allow) {
		port = try_bind(peer, false);
		test_check(port == 0, "none of d%u's ports could be bound (port %u was)", peer,
			   port);
		check_no_port_left("after the bind attempts");
		gprintf("mls_evtchn: bind to d%u: deny\n", peer);
		test_finish();
	}
	port = try_bind(peer, true);
	mask(port);
	test_check(take_pending(port), "a fresh bind leaves the local end pending");
	gprintf("mls_evtchn: peer sid %u\n", peer_sid(port));
	rc = ev_port(EVTCHNOP_send, port);
	test_check(rc == 0, "hello: %ld", rc);
	for (i = 0; i < ROUNDS; i++) {
		wait_named(port, "ping");
		rc = ev_port(EVTCHNOP_send, port);
		if (rc) {
			test_report(TEST_FAILURE, "answer %u: %ld", i, rc);
		}
	}
	gprintf("mls_evtchn: bind to d%u: allow, %u pings answered\n", peer, i);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t peer = 0;
	bool allow;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	if (!sched_arg(cmd, "peer", &peer) || peer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs peer=DOMID on the command line");
	}
	allow = mls_expect(cmd, "expect");
	mls_word(cmd, "peerctx", peerctx, sizeof(peerctx));
	if (mls_word(cmd, "chctx", chctx, sizeof(chctx)) &&
	    !mls_word(cmd, "selfctx", selfctx, sizeof(selfctx))) {
		test_report(TEST_ERROR, "chctx= needs selfctx=");
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	if (mls_has(cmd, "offer")) {
		offer((domid_t)peer, allow);
	} else if (mls_has(cmd, "bind")) {
		bind((domid_t)peer, allow);
	}
	test_report(TEST_ERROR, "needs offer or bind on the command line");
}
