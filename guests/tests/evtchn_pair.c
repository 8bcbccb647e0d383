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
#define POLL_MS 1000
#define STALLS 10

static bool take_pending(uint32_t port)
{
	uint64_t bit = 1ULL << (port % 64);
	uint64_t *w = &((uint64_t *)shared_info->evtchn_pending)[port / 64];

	return __atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST) & bit;
}

static void mask(uint32_t port)
{
	uint64_t *w = &((uint64_t *)shared_info->evtchn_mask)[port / 64];

	__atomic_fetch_or(w, 1ULL << (port % 64), __ATOMIC_SEQ_CST);
}

/*
 * Waits for an event on port: true when one came, false when the port
 * stopped being interdomain (the peer closed it or died); before the bind
 * (bound false) an unbound port is waited on too.  A close or a death
 * sends nothing, so the poll has a timeout (POLL_MS) to re-read the state;
 * STALLS timeouts in a row with the port still waiting is a lost event
 * (a liveness watchdog far above any real answer time, not a measurement).
 */
static bool wait_event(uint32_t port, bool bound)
{
	struct evtchn_status st;
	uint32_t ports[1] = {port};
	struct sched_poll poll = {0};
	unsigned int stalls = 0;

	for (;;) {
		if (take_pending(port)) {
			return true;
		}
		if (status(port, &st) || (st.status != EVTCHNSTAT_interdomain &&
					  (bound || st.status != EVTCHNSTAT_unbound))) {
			return take_pending(port);
		}
		if (stalls++ == STALLS) {
			test_report(TEST_FAILURE,
				    "port %u: no event in %u polls of %u ms, status %u", port,
				    STALLS, POLL_MS, st.status);
		}
		poll.ports = (uint64_t)(uintptr_t)ports;
		poll.nr_ports = 1;
		poll.timeout = sched_now() + POLL_MS * MS;
		hypercall_sched_op(SCHEDOP_poll, &poll);
	}
}

static bool has_word(const char *cmd, const char *w)
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

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t peer = 0, die = 0;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	if (!sched_arg(cmd, "peer", &peer) || peer == 0 || peer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs peer=DOMID on the command line");
	}
	sched_arg(cmd, "die", &die);
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	if (has_word(cmd, "offer")) {
		offer((domid_t)peer, die != 0);
	} else if (has_word(cmd, "bind")) {
		bind((domid_t)peer, die);
	} else if (has_word(cmd, "refused")) {
		refused((domid_t)peer);
	}
	test_report(TEST_ERROR, "needs offer, bind or refused on the command line");
}
