/*
 * Event-channel wrappers shared by the event-channel test guests: the
 * hypercall, a sub-op that takes only a port, the status of one of the
 * caller's own ports, and waiting for an event on an interdomain port.
 */
#ifndef GUEST_EVTCHN_UTIL_H
#define GUEST_EVTCHN_UTIL_H

#include <lib.h>
#include <public/event_channel.h>

#include "guest.h"
#include "sched_util.h"

/*
 * wait_event: a poll timeout, and how many in a row mean an event was lost
 * (a guest whose peer may be starved, beside a fuzzer, sets its own first).
 */
#define POLL_MS 1000
#ifndef STALLS
#define STALLS 10
#endif
/* Waits for another domain to act: a liveness watchdog far above any real wait. */
#define WATCHDOG_MS 30000

/* One step of such a wait, begun at start (sched_now()): yields, or fails past the watchdog. */
static inline void wait_step(uint64_t start, const char *what, unsigned int dom)
{
	if (sched_now() - start > WATCHDOG_MS * MS) {
		test_report(TEST_FAILURE, "d%u: %s (watchdog %u ms)", dom, what, WATCHDOG_MS);
	}
	hypercall_sched_op(SCHEDOP_yield, NULL);
}

static inline long ev(unsigned int cmd, void *arg)
{
	return hypercall_event_channel_op(cmd, arg);
}

/* close, send, unmask: an argument that is only the port (struct evtchn_send's layout). */
static inline long ev_port(unsigned int cmd, uint32_t port)
{
	struct evtchn_send s = {.port = port};

	return ev(cmd, &s);
}

/* True when w is a whole word of the command line cmd. */
static inline bool has_word(const char *cmd, const char *w)
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

/* The status of port in domain dom (DOMID_SELF: the caller's own). */
static inline long status_of(domid_t dom, uint32_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = dom;
	st->port = port;
	return ev(EVTCHNOP_status, st);
}

static inline long status(uint32_t port, struct evtchn_status *st)
{
	return status_of(DOMID_SELF, port, st);
}

static inline long reset_of(domid_t dom)
{
	struct evtchn_reset r = {.dom = dom};

	return ev(EVTCHNOP_reset, &r);
}

static inline bool take_pending(uint32_t port)
{
	uint64_t bit = 1ULL << (port % 64);
	uint64_t *w = &((uint64_t *)shared_info->evtchn_pending)[port / 64];

	return __atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST) & bit;
}

static inline void mask(uint32_t port)
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
static inline bool wait_event(uint32_t port, bool bound)
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

#endif /* GUEST_EVTCHN_UTIL_H */
