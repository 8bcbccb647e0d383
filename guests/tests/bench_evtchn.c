/*
 * Issue 11's event-channel benchmark, the guest half: make bench-evtchn
 * boots two of these as boot-time domUs under -icount shift=0, both on
 * CPU 0 (cpus=0) and then one per CPU, under xsm=flask and xsm=dummy.
 * The same image plays either end, chosen on the command line:
 *
 *   offer peer=N [iters=K] [switch]   measures (always domain 1)
 *   bind peer=N [iters=K] [switch]    answers
 *
 * Rendezvous as evtchn_pair: the offerer allocates an unbound port for N,
 * the binder scans N's ports with bind_interdomain and says hello. Every
 * event is then answered by exactly one, so none can merge with another.
 * Both ends keep their port masked and upcalls masked: an end waits with
 * SCHEDOP_poll on its port (no timeout), taking the pending bit itself.
 *
 * The offerer measures, with rdtsc around loops of K (TSC ticks are guest
 * instructions under -icount shift=0), all in the same boot:
 *   - null: xen_version(XENVER_version), while the binder is blocked;
 *   - lone yield: SCHEDOP_yield with nobody to switch to (the binder is
 *     blocked; checked: the offerer's runnable time does not grow);
 *   - yield round trip (with "switch", both ends on one CPU): both yield
 *     in turn, so one round trip is two yields and two vcpu switches
 *     (checked: the runnable time grows);
 *   - event round trip: send, then poll until the answer is pending; the
 *     binder polls, takes the ping and sends the answer.
 * The harness derives a vcpu switch as (yield round trip - 2 lone yields)
 * / 2 and the baseline as two null hypercalls plus two switches.
 */
#include <public/errno.h>

#include "evtchn_util.h"
#include "sched_util.h"

#define DEFAULT_ITERS 2000
#define MAX_ITERS 1000000
#define WARM 20
#define SCAN 64
#define BIND_TRIES 200000

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	asm volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

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

/* Waits until port is pending and takes the bit. A poll that fails is a FAILURE. */
static void wait_event(uint32_t port)
{
	uint32_t ports[1] = {port};
	struct sched_poll poll = {.nr_ports = 1, .timeout = 0};
	long rc;

	poll.ports = (uint64_t)(uintptr_t)ports;
	while (!take_pending(port)) {
		rc = hypercall_sched_op(SCHEDOP_poll, &poll);
		if (rc) {
			test_report(TEST_FAILURE, "poll on port %u: %ld", port, rc);
		}
	}
}

static void send(uint32_t port, const char *what, unsigned int i)
{
	long rc = ev_port(EVTCHNOP_send, port);

	if (rc) {
		test_report(TEST_FAILURE, "%s %u: send on port %u: %ld", what, i, port, rc);
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

/* A word of cmd that is w or starts with w and '='. */
static bool has_prefix_word(const char *cmd, const char *w)
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

/* Ticks per iteration as "x.yy". */
static void print_ticks(const char *what, uint64_t ticks, uint64_t iters)
{
	gprintf("bench_evtchn: %s: %llu.%02llu ticks (%llu iterations)\n", what,
		(unsigned long long)(ticks / iters),
		(unsigned long long)(ticks * 100 / iters % 100), (unsigned long long)iters);
}

static uint64_t yields(uint64_t n)
{
	uint64_t t0 = tsc(), i;

	for (i = 0; i < n; i++) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	return tsc() - t0;
}

static void offer(domid_t peer, uint64_t iters, bool with_switch)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = peer};
	struct evtchn_status st;
	uint64_t t0, t, r0, i, bad = 0;
	long rc, v;

	rc = ev(EVTCHNOP_alloc_unbound, &au);
	if (rc) {
		test_report(TEST_FAILURE, "alloc_unbound for d%u: %ld", peer, rc);
	}
	mask(au.port);
	wait_event(au.port);
	rc = status(au.port, &st);
	if (rc || st.status != EVTCHNSTAT_interdomain || st.u.interdomain.dom != peer) {
		test_report(TEST_FAILURE, "port %u after the hello: rc %ld, status %u, dom %u",
			    au.port, rc, st.status, st.u.interdomain.dom);
	}
	gprintf("bench_evtchn: port %u bound by d%u\n", au.port, peer);

	/* The binder is blocked on its port now: these run alone on our CPU. */
	v = hypercall_xen_version(XENVER_version, NULL);
	t0 = tsc();
	for (i = 0; i < iters; i++) {
		bad += hypercall_xen_version(XENVER_version, NULL) != v;
	}
	t = tsc() - t0;
	test_check(v > 0 && bad == 0, "every xen_version(0) answered %ld", v);
	print_ticks("null hypercall", t, iters);
	r0 = runtime_runnable_ns();
	yields(WARM);
	t = yields(iters);
	test_check(runtime_runnable_ns() == r0, "the lone yields switched nowhere");
	print_ticks("lone yield", t, iters);

	if (with_switch) {
		/* Wake the binder; from now on each yield hands the CPU to the other. */
		send(au.port, "switch start", 0);
		r0 = runtime_runnable_ns();
		yields(WARM);
		t = yields(iters);
		test_check(runtime_runnable_ns() > r0, "the yields switched to d%u", peer);
		print_ticks("yield round trip", t, iters);
	}

	for (i = 0; i < WARM; i++) {
		send(au.port, "warm-up ping", i);
		wait_event(au.port);
	}
	t0 = tsc();
	for (i = 0; i < iters; i++) {
		send(au.port, "ping", i);
		wait_event(au.port);
	}
	t = tsc() - t0;
	/* Only now may the binder print and die: a dying peer must not run inside our loop. */
	send(au.port, "finish", 0);
	print_ticks("event round trip", t, iters);
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

static void bind(domid_t peer, uint64_t iters, bool with_switch)
{
	uint32_t port = find_and_bind(peer);
	uint64_t i;

	mask(port);
	/* A fresh bind leaves our end pending: the ping-pong starts from a clean bit. */
	take_pending(port);
	send(port, "hello", 0);
	if (with_switch) {
		wait_event(port);
		/* As many yields as the offerer plus some: it must find us yielding to the end. */
		yields(WARM + iters + WARM);
	}
	for (i = 0; i < WARM + iters; i++) {
		wait_event(port);
		send(port, "answer", i);
	}
	wait_event(port);
	gprintf("bench_evtchn: %llu pings answered\n", (unsigned long long)i);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t peer = 0, iters = DEFAULT_ITERS;
	bool with_switch;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	if (!sched_arg(cmd, "peer", &peer) || peer == 0 || peer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs peer=DOMID on the command line");
	}
	if (has_prefix_word(cmd, "iters") &&
	    (!sched_arg(cmd, "iters", &iters) || iters == 0 || iters > MAX_ITERS)) {
		test_report(TEST_ERROR, "iters=N needs 1 <= N <= %u", MAX_ITERS);
	}
	with_switch = has_word(cmd, "switch");
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	if (has_word(cmd, "offer")) {
		offer((domid_t)peer, iters, with_switch);
	} else if (has_word(cmd, "bind")) {
		bind((domid_t)peer, iters, with_switch);
	}
	test_report(TEST_ERROR, "needs offer or bind on the command line");
}
