/*
 * Two boot-time domUs sharing one interdomain event channel (2-level ABI).
 * The same image plays either end, chosen on the command line:
 *
 *   offer peer=N [die=1]   allocates an unbound port for domain N (dom =
 *                          DOMID_SELF, remote_dom = N), waits for N's
 *                          hello, checks status and FLASK_GET_PEER_SID,
 *                          then sends ROUNDS pings, each answered, then
 *                          closes its end.  With die=1 the peer is meant to
 *                          die mid-stream: the port must go back to unbound.
 *   bind peer=N [die=K]    finds the port N offered to it, binds, says
 *                          hello, answers every ping, then waits until N's
 *                          close leaves its own port unbound.  With die=K it
 *                          reports and shuts down after K answers.
 *   refused peer=N         alloc_unbound towards N must be -EACCES and
 *                          leave no port behind.
 *   isolated peer=N [first] the pair under a label that may not talk: each
 *                          operation on the other domain is -EACCES
 *                          (alloc_unbound towards N, alloc_unbound in N's
 *                          table, reset of N), binds to N's ports find
 *                          nothing offered (-EINVAL), no port is left.
 *                          They cannot signal each other, yet each must
 *                          find the other alive: the first makes its
 *                          refused calls, then a loopback port the other
 *                          can see with status, and stays until the other
 *                          is gone; the other waits for that port.
 *   unpriv peer=N [first]  under the dummy module: an unprivileged domain
 *                          acting on another one's channels is -EPERM
 *                          (XSM_TARGET: alloc_unbound in N's table,
 *                          status of N's port, reset of N). The first
 *                          then offers N a port and stays until N is gone;
 *                          N waits for that offer (bind_interdomain is
 *                          allowed), so each finds the other alive.
 *   serve peer=N [ports=K] the end a privileged domain N set up: waits for
 *                          a port of its own that N allocated and bound,
 *                          answers every ping until N closes, checks its
 *                          port went back to unbound towards N, closes it
 *                          and the K-1 other ports N left unbound towards
 *                          it.
 *   limit max=M            the domain's max_evtchn_port is M: ports up to
 *                          M are handed out, then -ENOSPC; status of a
 *                          port past M is -EINVAL.
 *
 * Rendezvous: the offerer allocates, then blocks on its port; the binder
 * tries bind_interdomain on N's ports 1..SCAN in order, yielding between
 * rounds, until one is offered to it (-EINVAL until then), clears the
 * pending bit a fresh bind sets on its end and sends the hello.  From then
 * on the two strictly alternate, so no event can be merged with another.
 */
#include <public/errno.h>

#include "evtchn_util.h"
#include "sched_util.h"
#include "xsm_lib.h"

#define ROUNDS 10000
#define SCAN 64
#define BIND_TRIES 200000

static void check_unbound(uint32_t port, domid_t peer, const char *when)
{
	struct evtchn_status st;
	long rc = status(port, &st);

	test_check(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == peer,
		   "%s: port %u unbound towards d%u (rc %ld, status %u, dom %u)", when, port, peer,
		   rc, st.status, st.u.unbound.dom);
}

/*
 * FLASK_GET_PEER_SID on a bound port.  domU_t may not turn a context into a
 * SID (FLASK_CONTEXT_TO_SID is refused with -EACCES), so the SID is logged
 * and the harness checks that both ends name the same domU_t SID.
 */
static void check_peer_sid(uint32_t port)
{
	struct xen_flask_op op = {0};
	long rc;

	op.u.peersid.evtchn = port;
	rc = xsm_flask(&op, FLASK_GET_PEER_SID);
	test_check(rc == 0 && op.u.peersid.sid != 0, "FLASK_GET_PEER_SID on port %u: %ld, sid %u",
		   port, rc, op.u.peersid.sid);
	gprintf("evtchn_pair: peer sid %u\n", op.u.peersid.sid);
}

static void check_no_peer_sid(uint32_t port, const char *when)
{
	struct xen_flask_op op = {0};
	long rc;

	op.u.peersid.evtchn = port;
	rc = xsm_flask(&op, FLASK_GET_PEER_SID);
	test_check(rc == -XEN_EINVAL, "%s: FLASK_GET_PEER_SID on port %u is EINVAL (%ld)", when,
		   port, rc);
}

/*
 * The port was offered when alloc_unbound returned: on two CPUs the peer
 * may bind at any moment after, so what a check sees depends on when it
 * ran. A bound port stays bound until this side closes it (or the peer
 * dies, which it does only after the hello), so two status reads around
 * FLASK_GET_PEER_SID pin down the state it saw: unbound both times means
 * it saw an unbound port (EINVAL); bound the first time, a bound one (the
 * peer's SID). Unbound then bound: it may have seen either, and the bound
 * state is checked after the hello anyway.
 */
static void check_fresh_port(uint32_t port, domid_t peer)
{
	struct evtchn_status before, after;
	struct xen_flask_op op = {0};
	long rc, rc2, peer_rc;

	rc = status(port, &before);
	op.u.peersid.evtchn = port;
	peer_rc = xsm_flask(&op, FLASK_GET_PEER_SID);
	rc2 = status(port, &after);
	test_check(rc == 0 && rc2 == 0, "status of the fresh port %u: %ld, %ld", port, rc, rc2);
	if (before.status == EVTCHNSTAT_unbound) {
		test_check(before.u.unbound.dom == peer,
			   "after alloc_unbound: port %u unbound towards d%u (dom %u)", port, peer,
			   before.u.unbound.dom);
	} else {
		test_check(
		    before.status == EVTCHNSTAT_interdomain && before.u.interdomain.dom == peer,
		    "after alloc_unbound: port %u unbound or bound to d%u (status %u, dom %u)",
		    port, peer, before.status, before.u.interdomain.dom);
	}
	if (after.status == EVTCHNSTAT_unbound) {
		test_check(peer_rc == -XEN_EINVAL,
			   "unbound: FLASK_GET_PEER_SID on port %u is EINVAL (%ld)", port, peer_rc);
	} else if (before.status == EVTCHNSTAT_interdomain) {
		test_check(peer_rc == 0 && op.u.peersid.sid != 0,
			   "bound early: FLASK_GET_PEER_SID on port %u: %ld, sid %u", port, peer_rc,
			   op.u.peersid.sid);
	}
}

static void offer(domid_t peer, bool peer_dies)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = peer};
	struct evtchn_status st;
	unsigned int i;
	long rc;

	rc = ev(EVTCHNOP_alloc_unbound, &au);
	if (rc) {
		test_report(TEST_FAILURE, "alloc_unbound for d%u: %ld", peer, rc);
	}
	mask(au.port);
	check_fresh_port(au.port, peer);
	gprintf("evtchn_pair: port %u offered to d%u\n", au.port, peer);
	if (!wait_event(au.port, false)) {
		test_report(TEST_FAILURE, "port %u: no hello from d%u", au.port, peer);
	}
	rc = status(au.port, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == peer &&
		       st.u.interdomain.port != 0,
		   "status after the bind: interdomain with d%u (rc %ld, status %u, dom %u)", peer,
		   rc, st.status, st.u.interdomain.dom);
	check_peer_sid(au.port);
	for (i = 0; i < ROUNDS; i++) {
		rc = ev_port(EVTCHNOP_send, au.port);
		if (rc) {
			test_report(TEST_FAILURE, "send %u: %ld", i, rc);
		}
		if (!wait_event(au.port, true)) {
			break;
		}
	}
	if (peer_dies) {
		test_check(i < ROUNDS, "the peer died mid-stream (%u of %u answered)", i, ROUNDS);
		check_unbound(au.port, peer, "after the peer died");
		check_no_peer_sid(au.port, "after the peer died");
		test_check(ev_port(EVTCHNOP_send, au.port) == 0, "send on the survivor's port: 0");
		gprintf("evtchn_pair: d%u died after %u answers, port %u unbound\n", peer, i,
			au.port);
		test_finish();
	}
	test_check(i == ROUNDS, "%u of %u pings answered", i, ROUNDS);
	gprintf("evtchn_pair: %u pings answered by d%u\n", i, peer);
	rc = ev_port(EVTCHNOP_close, au.port);
	test_check(rc == 0, "close: %ld", rc);
	rc = status(au.port, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_closed, "after close: closed (%ld, %u)", rc,
		   st.status);
	test_finish();
}

static uint32_t find_and_bind(domid_t peer)
{
	struct evtchn_bind_interdomain b;
	unsigned int tries, p;
	long rc;

	for (tries = 0; tries < BIND_TRIES; tries++) {
		for (p = 1; p < SCAN; p++) {
			b.remote_dom = peer;
			b.remote_port = p;
			rc = ev(EVTCHNOP_bind_interdomain, &b);
			if (rc == 0) {
				gprintf("evtchn_pair: bound to d%u port %u as port %u after %u "
					"rounds\n",
					peer, p, b.local_port, tries);
				return b.local_port;
			}
			if (rc != -XEN_EINVAL) {
				test_report(TEST_FAILURE, "bind_interdomain d%u port %u: %ld", peer,
					    p, rc);
			}
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_report(TEST_FAILURE, "d%u offered no port in %u rounds", peer, BIND_TRIES);
}

static void bind(domid_t peer, uint64_t die)
{
	struct evtchn_status st;
	uint32_t port = find_and_bind(peer);
	unsigned int i, tries;
	long rc;

	mask(port);
	test_check(take_pending(port), "a fresh bind leaves the local end pending");
	check_peer_sid(port);
	rc = ev_port(EVTCHNOP_send, port);
	test_check(rc == 0, "hello: %ld", rc);
	for (i = 0; i < ROUNDS; i++) {
		if (die && i == die) {
			test_report(TEST_SUCCESS, "evtchn_pair: dying mid-stream after %u answers",
				    i);
		}
		if (!wait_event(port, true)) {
			test_report(TEST_FAILURE, "ping %u never came", i);
		}
		rc = ev_port(EVTCHNOP_send, port);
		if (rc) {
			test_report(TEST_FAILURE, "answer %u: %ld", i, rc);
		}
	}
	/* The offerer closes its end once every answer is in: ours goes back to unbound. */
	for (tries = 0;; tries++) {
		rc = status(port, &st);
		if (rc || st.status != EVTCHNSTAT_interdomain) {
			break;
		}
		if (tries == BIND_TRIES) {
			test_report(TEST_FAILURE, "port %u still interdomain after d%u's close",
				    port, peer);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	check_unbound(port, peer, "after the peer's close");
	test_check(ev_port(EVTCHNOP_send, port) == 0, "send on an unbound port: 0 (dropped)");
	gprintf("evtchn_pair: %u pings answered, d%u closed its end\n", i, peer);
	test_finish();
}

static void refused(domid_t peer)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = peer};
	struct evtchn_status st;
	unsigned int p;
	long rc;

	rc = ev(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == -XEN_EACCES, "alloc_unbound for d%u: EACCES (%ld)", peer, rc);
	for (p = 1; p < SCAN; p++) {
		rc = status(p, &st);
		test_check(rc == 0 && (st.status == EVTCHNSTAT_closed ||
				       (st.status == EVTCHNSTAT_interdomain &&
					st.u.interdomain.dom == DOMID_XEN)),
			   "port %u left as it was after the refusal (%ld, status %u)", p, rc,
			   st.status);
	}
	gprintf("evtchn_pair: refused towards d%u\n", peer);
	test_finish();
}

/* Every port of ours, the console's aside, is closed: a refusal left nothing. */
static void check_nothing_left(const char *when)
{
	struct evtchn_status st;
	unsigned int p;
	long rc;

	for (p = 1; p < SCAN; p++) {
		rc = status(p, &st);
		test_check(rc == 0 && (st.status == EVTCHNSTAT_closed ||
				       (st.status == EVTCHNSTAT_interdomain &&
					st.u.interdomain.dom == DOMID_XEN)),
			   "%s: port %u left as it was (%ld, status %u)", when, p, rc, st.status);
	}
}

/* True once peer has a port unbound towards itself (the first one's signal). */
static bool peer_signalled(domid_t peer)
{
	struct evtchn_status st;
	unsigned int p;

	for (p = 1; p < SCAN; p++) {
		if (status_of(peer, p, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
		    st.u.unbound.dom == peer) {
			return true;
		}
	}
	return false;
}

static void isolated(domid_t peer, bool first)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = peer};
	struct evtchn_bind_interdomain b = {.remote_dom = peer};
	struct evtchn_status st;
	unsigned int p;
	long rc;

	uint64_t start = sched_now();

	while (!first && !peer_signalled(peer)) {
		wait_step(start, "never made its loopback port", peer);
	}

	rc = ev(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == -XEN_EACCES, "alloc_unbound towards d%u: EACCES (%ld)", peer, rc);
	au.dom = peer;
	au.remote_dom = DOMID_SELF;
	rc = ev(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == -XEN_EACCES, "alloc_unbound in d%u's table: EACCES (%ld)", peer, rc);
	rc = reset_of(peer);
	test_check(rc == -XEN_EACCES, "reset of d%u: EACCES (%ld)", peer, rc);
	/* Nothing was offered to us: Xen's -EINVAL before any hook, so no AVC line. */
	for (p = 1; p < SCAN; p++) {
		b.remote_port = p;
		rc = ev(EVTCHNOP_bind_interdomain, &b);
		test_check(rc == -XEN_EINVAL, "bind to d%u port %u: EINVAL (%ld)", peer, p, rc);
	}
	check_nothing_left("after the refusals");
	gprintf("evtchn_pair: isolated from d%u\n", peer);
	if (first) {
		au.dom = DOMID_SELF;
		au.remote_dom = DOMID_SELF;
		test_check(ev(EVTCHNOP_alloc_unbound, &au) == 0, "the loopback port for d%u to see",
			   peer);
		start = sched_now();
		while (status_of(peer, 1, &st) != -XEN_ESRCH) {
			wait_step(start, "never went away", peer);
		}
	}
	test_finish();
}

static void unpriv(domid_t peer, bool first)
{
	struct evtchn_alloc_unbound au = {.dom = peer, .remote_dom = DOMID_SELF};
	struct evtchn_status st;
	uint64_t start;
	uint32_t port = 0;
	long rc;

	if (!first) {
		port = find_and_bind(peer);
	}
	rc = ev(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == -XEN_EPERM, "alloc_unbound in d%u's table: EPERM (%ld)", peer, rc);
	rc = status_of(peer, 1, &st);
	test_check(rc == -XEN_EPERM, "status of d%u port 1: EPERM (%ld)", peer, rc);
	rc = reset_of(peer);
	test_check(rc == -XEN_EPERM, "reset of d%u: EPERM (%ld)", peer, rc);
	if (!first) {
		test_check(ev_port(EVTCHNOP_close, port) == 0, "close of port %u", port);
	}
	check_nothing_left("after the refusals");
	gprintf("evtchn_pair: unprivileged towards d%u\n", peer);
	if (first) {
		au.dom = DOMID_SELF;
		au.remote_dom = peer;
		test_check(ev(EVTCHNOP_alloc_unbound, &au) == 0, "a port offered to d%u", peer);
		start = sched_now();
		while (status_of(peer, 1, &st) != -XEN_ESRCH) {
			wait_step(start, "never went away", peer);
		}
	}
	test_finish();
}

/* Our port that peer bound to (after allocating it here), or 0 while there is none. */
static uint32_t find_bound(domid_t peer)
{
	struct evtchn_status st;
	unsigned int p;

	for (p = 1; p < SCAN; p++) {
		if (status(p, &st) == 0 && st.status == EVTCHNSTAT_interdomain &&
		    st.u.interdomain.dom == peer) {
			return p;
		}
	}
	return 0;
}

static void serve(domid_t peer, uint64_t ports)
{
	struct evtchn_status st;
	unsigned int i, p, closed = 0;
	uint32_t port = 0;

	uint64_t start = sched_now();

	while (!(port = find_bound(peer))) {
		wait_step(start, "bound no port of ours", peer);
	}
	/* A ping may be pending already: the peer's bind set only its own end. */
	mask(port);
	gprintf("evtchn_pair: d%u set up port %u here\n", peer, port);
	for (i = 0; wait_event(port, true); i++) {
		if (ev_port(EVTCHNOP_send, port)) {
			test_report(TEST_FAILURE, "answer %u failed", i);
		}
	}
	check_unbound(port, peer, "after the peer's close");
	/* Our own end and the ones the peer left unbound towards it are ours to close. */
	for (p = 1; p < SCAN; p++) {
		if (status(p, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
		    st.u.unbound.dom == peer) {
			test_check(ev_port(EVTCHNOP_close, p) == 0, "close of port %u", p);
			closed++;
		}
	}
	test_check(closed == (ports ? ports : 1),
		   "%u ports unbound towards d%u closed (%u expected)", closed, peer,
		   (unsigned int)(ports ? ports : 1));
	check_nothing_left("after closing");
	gprintf("evtchn_pair: %u pings answered for d%u, %u ports closed\n", i, peer, closed);
	test_finish();
}

static void limit(uint64_t max)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_status st;
	unsigned int got = 0;
	uint32_t last = 0;
	long rc;

	for (;;) {
		rc = ev(EVTCHNOP_alloc_unbound, &au);
		if (rc) {
			break;
		}
		got++;
		last = au.port;
		if (got > max) {
			break;
		}
	}
	test_check(rc == -XEN_ENOSPC, "the port after the last one: ENOSPC (%ld)", rc);
	test_check(last == max, "the last port handed out is %u (max_evtchn_port %u)", last,
		   (unsigned int)max);
	test_check(status(last, &st) == 0 && st.status == EVTCHNSTAT_unbound,
		   "status of port %u: unbound", last);
	rc = status((uint32_t)max + 1, &st);
	test_check(rc == -XEN_EINVAL, "status of port %u past the limit: EINVAL (%ld)",
		   (unsigned int)max + 1, rc);
	rc = ev_port(EVTCHNOP_unmask, (uint32_t)max + 1);
	test_check(rc == -XEN_EINVAL, "unmask of port %u: EINVAL (%ld)", (unsigned int)max + 1, rc);
	gprintf("evtchn_pair: %u ports up to %u, then ENOSPC\n", got, last);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t peer = 0, die = 0, max = 0, ports = 0;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	if (has_word(cmd, "limit")) {
		if (!sched_arg(cmd, "max", &max)) {
			test_report(TEST_ERROR, "limit needs max=M");
		}
		limit(max);
	}
	if (!sched_arg(cmd, "peer", &peer) || peer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs peer=DOMID on the command line");
	}
	sched_arg(cmd, "die", &die);
	sched_arg(cmd, "ports", &ports);
	if (has_word(cmd, "offer")) {
		offer((domid_t)peer, die != 0);
	} else if (has_word(cmd, "bind")) {
		bind((domid_t)peer, die);
	} else if (has_word(cmd, "refused")) {
		refused((domid_t)peer);
	} else if (has_word(cmd, "isolated")) {
		isolated((domid_t)peer, has_word(cmd, "first"));
	} else if (has_word(cmd, "unpriv")) {
		unpriv((domid_t)peer, has_word(cmd, "first"));
	} else if (has_word(cmd, "serve")) {
		serve((domid_t)peer, ports);
	}
	test_report(TEST_ERROR, "needs offer, bind, refused, isolated, unpriv, serve or limit");
}
