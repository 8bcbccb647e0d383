/*
 * Helpers of the two-domain benchmark guests (bench_evtchn, bench_gnttab):
 * the TSC, one interdomain channel set up as evtchn_pair does (the
 * offerer allocates a port for its peer, the binder scans the peer's
 * ports with bind_interdomain), and waiting on it with SCHEDOP_poll while
 * the port and upcalls stay masked. Every failure ends the run as a
 * FAILURE with its reason.
 */
#ifndef GUEST_BENCH_EVTCHN_UTIL_H
#define GUEST_BENCH_EVTCHN_UTIL_H

#include <public/errno.h>

#include "evtchn_util.h"
#include "sched_util.h"

#define BENCH_SCAN 64
#define BENCH_BIND_TRIES 200000

static inline uint64_t bench_tsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline bool bench_take_pending(uint32_t port)
{
	uint64_t bit = 1ULL << (port % 64);
	uint64_t *w = &((uint64_t *)shared_info->evtchn_pending)[port / 64];

	return __atomic_fetch_and(w, ~bit, __ATOMIC_SEQ_CST) & bit;
}

static inline void bench_mask(uint32_t port)
{
	uint64_t *w = &((uint64_t *)shared_info->evtchn_mask)[port / 64];

	__atomic_fetch_or(w, 1ULL << (port % 64), __ATOMIC_SEQ_CST);
}

/* Waits (SCHEDOP_poll, no timeout) until port is pending and takes the bit. */
static inline void bench_wait(uint32_t port)
{
	uint32_t ports[1] = {port};
	struct sched_poll poll = {.nr_ports = 1, .timeout = 0};
	long rc;

	poll.ports = (uint64_t)(uintptr_t)ports;
	while (!bench_take_pending(port)) {
		rc = hypercall_sched_op(SCHEDOP_poll, &poll);
		if (rc) {
			test_report(TEST_FAILURE, "poll on port %u: %ld", port, rc);
		}
	}
}

static inline void bench_send(uint32_t port, const char *what, uint64_t i)
{
	long rc = ev_port(EVTCHNOP_send, port);

	if (rc) {
		test_report(TEST_FAILURE, "%s %llu: send on port %u: %ld", what,
			    (unsigned long long)i, port, rc);
	}
}

/* Allocates a masked port for peer and waits for its hello. */
static inline uint32_t bench_offer(domid_t peer)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = peer};
	struct evtchn_status st;
	long rc;

	rc = ev(EVTCHNOP_alloc_unbound, &au);
	if (rc) {
		test_report(TEST_FAILURE, "alloc_unbound for d%u: %ld", peer, rc);
	}
	bench_mask(au.port);
	bench_wait(au.port);
	rc = status(au.port, &st);
	if (rc || st.status != EVTCHNSTAT_interdomain || st.u.interdomain.dom != peer) {
		test_report(TEST_FAILURE, "port %u after the hello: rc %ld, status %u, dom %u",
			    au.port, rc, st.status, st.u.interdomain.dom);
	}
	return au.port;
}

/* Binds the port peer offered, masks it, clears the bind's pending bit, says hello. */
static inline uint32_t bench_bind(domid_t peer)
{
	struct evtchn_bind_interdomain b;
	unsigned int tries, p;
	long rc;

	for (tries = 0; tries < BENCH_BIND_TRIES; tries++) {
		for (p = 1; p < BENCH_SCAN; p++) {
			b.remote_dom = peer;
			b.remote_port = p;
			rc = ev(EVTCHNOP_bind_interdomain, &b);
			if (rc == 0) {
				bench_mask(b.local_port);
				bench_take_pending(b.local_port);
				bench_send(b.local_port, "hello", 0);
				return b.local_port;
			}
			if (rc != -XEN_EINVAL) {
				test_report(TEST_FAILURE, "bind_interdomain d%u port %u: %ld", peer,
					    p, rc);
			}
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_report(TEST_FAILURE, "d%u offered no port in %u rounds", peer, BENCH_BIND_TRIES);
}

/* A word of cmd that is exactly w. */
static inline bool bench_has_word(const char *cmd, const char *w)
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

/* A word of cmd that is w or starts with w and '='. */
static inline bool bench_has_key(const char *cmd, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = cmd; *p; p++) {
		if ((p == cmd || p[-1] == ' ') && !strncmp(p, w, n) &&
		    (!p[n] || p[n] == ' ' || p[n] == '=')) {
			return true;
		}
	}
	return false;
}

/* "NAME: WHAT: x.yy ticks (N iterations)", ticks / iters with two decimals. */
static inline void bench_print(const char *name, const char *what, uint64_t ticks, uint64_t iters)
{
	gprintf("%s: %s: %llu.%02llu ticks (%llu iterations)\n", name, what,
		(unsigned long long)(ticks / iters),
		(unsigned long long)(ticks * 100 / iters % 100), (unsigned long long)iters);
}

#endif /* GUEST_BENCH_EVTCHN_UTIL_H */
