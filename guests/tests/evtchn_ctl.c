/*
 * dom0 sets up an event channel with a boot-time domU, as a toolstack
 * does: it allocates the domU's end (alloc_unbound with dom = the domU,
 * remote_dom = DOMID_SELF), reads its state (status of another domain's
 * port), binds its own end to it, asks FLASK_GET_PEER_SID for the label
 * of the other end and turns it into a context, ping-pongs, and closes
 * its end: the domU's port must go back to unbound towards dom0.  The
 * domU runs evtchn_pair in serve mode (answers, then closes its ports).
 *
 *   peer=N                 the domU's id
 *   label=CONTEXT          the domU's label (FLASK_GET_PEER_SID must name it)
 *   bool                   also flip prot_doms_locked around a second
 *                          alloc_unbound in the domU: refused (-EACCES)
 *                          while set, allowed again once cleared, with no
 *                          policy reload in between
 *
 * Bad input first, each with Xen 4.17's errno and nothing left behind.
 */
#include <public/errno.h>

#include "evtchn_util.h"
#include "sched_util.h"
#include "xsm_lib.h"

#define ROUNDS 1000
#define SCAN 64
#define NO_DOMAIN 99

static domid_t peer;

static const char *arg_word(const char *cmd, const char *key, char *buf, size_t size)
{
	size_t n = strlen(key), i = 0;
	const char *p;

	for (p = cmd; *p; p++) {
		if ((p == cmd || p[-1] == ' ') && !strncmp(p, key, n) && p[n] == '=') {
			p += n + 1;
			while (p[i] && p[i] != ' ' && i + 1 < size) {
				buf[i] = p[i];
				i++;
			}
			buf[i] = 0;
			return buf;
		}
	}
	return NULL;
}

/* How many of the peer's ports are unbound towards us. */
static unsigned int peer_ports_towards_us(void)
{
	struct evtchn_status st;
	unsigned int p, n = 0;

	for (p = 1; p < SCAN; p++) {
		if (status_of(peer, p, &st) == 0 && st.status == EVTCHNSTAT_unbound &&
		    st.u.unbound.dom == 0) {
			n++;
		}
	}
	return n;
}

static void bad_input(void)
{
	struct evtchn_alloc_unbound au = {.dom = NO_DOMAIN, .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain b = {.remote_dom = NO_DOMAIN, .remote_port = 1};
	struct evtchn_status st;
	long rc;

	rc = ev(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == -XEN_ESRCH, "alloc_unbound in d%u (none): ESRCH (%ld)", NO_DOMAIN, rc);
	au.dom = peer;
	au.remote_dom = NO_DOMAIN;
	rc = ev(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == -XEN_EPERM, "alloc_unbound in d%u towards d%u (none): EPERM (%ld)", peer,
		   NO_DOMAIN, rc);
	rc = ev(EVTCHNOP_bind_interdomain, &b);
	test_check(rc == -XEN_ESRCH, "bind_interdomain to d%u: ESRCH (%ld)", NO_DOMAIN, rc);
	b.remote_dom = peer;
	b.remote_port = 5000;
	rc = ev(EVTCHNOP_bind_interdomain, &b);
	test_check(rc == -XEN_EINVAL, "bind_interdomain to d%u port 5000: EINVAL (%ld)", peer, rc);
	rc = status_of(NO_DOMAIN, 1, &st);
	test_check(rc == -XEN_ESRCH, "status in d%u: ESRCH (%ld)", NO_DOMAIN, rc);
	rc = status_of(peer, 5000, &st);
	test_check(rc == -XEN_EINVAL, "status of d%u port 5000: EINVAL (%ld)", peer, rc);
	rc = status_of(peer, 40, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_closed,
		   "status of d%u's unused port 40: closed (%ld, %u)", peer, rc, st.status);
	rc = reset_of(NO_DOMAIN);
	test_check(rc == -XEN_ESRCH, "reset of d%u: ESRCH (%ld)", NO_DOMAIN, rc);
	/* Xen resets another domain's channels only while it is paused. */
	rc = reset_of(peer);
	test_check(rc == -XEN_EINVAL, "reset of the running d%u: EINVAL (%ld)", peer, rc);
	{
		struct evtchn_reset r = {.dom = DOMID_SELF};

		rc = ev(EVTCHNOP_reset_cont, &r);
		test_check(rc == -XEN_EBUSY, "reset_cont with no reset under way: EBUSY (%ld)", rc);
	}
	test_check(peer_ports_towards_us() == 0, "no port of d%u offered to us yet", peer);
}

static uint32_t alloc_in_peer(const char *why)
{
	struct evtchn_alloc_unbound au = {.dom = peer, .remote_dom = DOMID_SELF};
	struct evtchn_status st;
	long rc = ev(EVTCHNOP_alloc_unbound, &au);

	test_check(rc == 0 && au.port != 0, "%s: alloc_unbound in d%u: %ld, port %u", why, peer, rc,
		   au.port);
	rc = status_of(peer, au.port, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
		   "%s: d%u port %u unbound towards d0 (%ld, status %u, dom %u)", why, peer,
		   au.port, rc, st.status, st.u.unbound.dom);
	return au.port;
}

static uint32_t bool_id(const char *name)
{
	struct xen_flask_op op = {0};
	long rc;

	op.u.boolean.bool_id = ~0u;
	op.u.boolean.name = (uint64_t)(uintptr_t)name;
	op.u.boolean.size = (uint32_t)strlen(name) + 1;
	rc = xsm_flask(&op, FLASK_GETBOOL);
	if (rc) {
		test_report(TEST_ERROR, "FLASK_GETBOOL %s: %ld", name, rc);
	}
	return op.u.boolean.bool_id;
}

/* Set the pending value, then commit: as flask-setbool does. */
static void set_bool(uint32_t id, int value)
{
	struct xen_flask_op op = {0};
	long rc;

	op.u.boolean.bool_id = id;
	op.u.boolean.new_value = (uint8_t)value;
	rc = xsm_flask(&op, FLASK_SETBOOL);
	if (!rc) {
		memset(&op, 0, sizeof(op));
		rc = xsm_flask(&op, FLASK_COMMITBOOLS);
	}
	if (rc) {
		test_report(TEST_ERROR, "setting prot_doms_locked to %d: %ld", value, rc);
	}
}

static void flip_bool(void)
{
	struct evtchn_alloc_unbound au = {.dom = peer, .remote_dom = DOMID_SELF};
	uint32_t id = bool_id("prot_doms_locked");
	unsigned int before = peer_ports_towards_us();
	long rc;

	set_bool(id, 1);
	rc = ev(EVTCHNOP_alloc_unbound, &au);
	test_check(rc == -XEN_EACCES, "prot_doms_locked set: alloc_unbound in d%u: EACCES (%ld)",
		   peer, rc);
	test_check(peer_ports_towards_us() == before, "the refusal left no port in d%u", peer);
	set_bool(id, 0);
	alloc_in_peer("prot_doms_locked cleared again");
	gprintf("evtchn_ctl: prot_doms_locked decided the alloc_unbound, no reload\n");
}

static void check_peer_label(uint32_t port, const char *label)
{
	struct xen_flask_op op = {0};
	char ctx[128];
	long rc;

	op.u.peersid.evtchn = port;
	rc = xsm_flask(&op, FLASK_GET_PEER_SID);
	test_check(rc == 0, "FLASK_GET_PEER_SID on port %u: %ld", port, rc);
	memset(ctx, 0, sizeof(ctx));
	rc = xsm_context(op.u.peersid.sid, ctx, sizeof(ctx));
	test_check(rc == 0 && !strcmp(ctx, label), "the peer's SID %u is %s (%ld), expected %s",
		   op.u.peersid.sid, ctx, rc, label);
	gprintf("evtchn_ctl: the peer of port %u is %s\n", port, ctx);
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	struct evtchn_bind_interdomain b;
	struct evtchn_status st;
	char label[96];
	uint64_t n = 0;
	uint32_t port, local;
	unsigned int i;
	uint64_t start;
	long rc;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	if (!sched_arg(cmd, "peer", &n) || n == 0 || n >= DOMID_FIRST_RESERVED ||
	    !arg_word(cmd, "label", label, sizeof(label))) {
		test_report(TEST_ERROR, "needs peer=DOMID label=CONTEXT");
	}
	peer = (domid_t)n;
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	bad_input();
	port = alloc_in_peer("set up");
	if (has_word(cmd, "bool")) {
		flip_bool();
	}
	b.remote_dom = peer;
	b.remote_port = port;
	rc = ev(EVTCHNOP_bind_interdomain, &b);
	test_check(rc == 0, "bind_interdomain to d%u port %u: %ld", peer, port, rc);
	local = b.local_port;
	mask(local);
	take_pending(local);
	rc = status_of(peer, port, &st);
	test_check(rc == 0 && st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == 0 &&
		       st.u.interdomain.port == local,
		   "d%u port %u is bound to d0 port %u (%ld, status %u, dom %u, port %u)", peer,
		   port, local, rc, st.status, st.u.interdomain.dom, st.u.interdomain.port);
	check_peer_label(local, label);
	for (i = 0; i < ROUNDS; i++) {
		if (ev_port(EVTCHNOP_send, local)) {
			test_report(TEST_FAILURE, "ping %u failed", i);
		}
		if (!wait_event(local, true)) {
			test_report(TEST_FAILURE, "d%u stopped answering at ping %u", peer, i);
		}
	}
	rc = ev_port(EVTCHNOP_close, local);
	test_check(rc == 0, "close of our end: %ld", rc);
	/* The peer's end is unbound towards us until the peer closes it itself. */
	rc = status_of(peer, port, &st);
	test_check(rc == 0 && (st.status == EVTCHNSTAT_closed ||
			       (st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0)),
		   "after our close d%u port %u is unbound towards d0 or closed (%ld, %u)", peer,
		   port, rc, st.status);
	gprintf("evtchn_ctl: %u pings answered by d%u\n", i, peer);
	/* Stay until the peer is gone: our shutdown ends the machine. */
	start = sched_now();
	while (status_of(peer, 1, &st) != -XEN_ESRCH) {
		wait_step(start, "never went away", peer);
	}
	test_finish();
}
