/*
 * dom0 of the domain lifecycle cases (lifecycle-*): it drives a boot-time
 * domU d1 (guests/tests/dom_exc_peer.c) through shutdowns and watches
 * VIRQ_DOM_EXC. Command line: cycles=N (0 when absent).
 *
 * Each round waits for d1's current instance to have run (it offers port
 * 1 to dom0, which only a running instance can do: the old one's port is
 * bound to us, a new one's is free until it runs), then shuts d1 down
 * with SCHEDOP_remote_shutdown: poweroff for the first N rounds (d1 has
 * on_poweroff=restart), crash in the last (on_crash=destroy). After each
 * shutdown VIRQ_DOM_EXC must already be pending (raised when d1 shut
 * down, inside our own hypercall), and after we clear it, it must come
 * again (raised when d1 is destroyed, before any new instance exists).
 * A missing second raise leaves dom0 polling: the harness times out.
 * Finally d1 must be gone for good: EVTCHNOP_status of one of its ports
 * answers -ESRCH (alloc_unbound towards it would be FLASK's -EPERM, as on
 * Xen, which looks the remote domain up only in the hook).
 */
#include <public/errno.h>

#include "guest.h"

#define PEER 1
#define PEER_PORT 1

static uint32_t virq_port;

static volatile uint64_t *pending_word(uint32_t port)
{
	return &((volatile uint64_t *)shared_info->evtchn_pending)[port / 64];
}

static bool pending(uint32_t port)
{
	return (*pending_word(port) >> (port % 64)) & 1;
}

static void clear_pending(uint32_t port)
{
	__atomic_and_fetch(pending_word(port), ~(1ULL << (port % 64)), __ATOMIC_SEQ_CST);
}

/* Sleeps until VIRQ_DOM_EXC is pending (no timeout: a missing raise hangs). */
static void wait_dom_exc(void)
{
	struct sched_poll p = {.ports = gva(&virq_port), .nr_ports = 1, .timeout = 0};

	while (!pending(virq_port)) {
		hypercall_sched_op(SCHEDOP_poll, &p);
	}
}

/* Our end of d1's offered port, once d1's current instance has run. */
static uint32_t bind_peer(unsigned int round)
{
	struct evtchn_bind_interdomain bi;
	long rc;

	for (;;) {
		bi = (struct evtchn_bind_interdomain){.remote_dom = PEER, .remote_port = PEER_PORT};
		rc = hypercall_event_channel_op(EVTCHNOP_bind_interdomain, &bi);
		if (rc == 0) {
			return bi.local_port;
		}
		if (rc != -XEN_EINVAL) {
			test_report(TEST_FAILURE, "round %u: bind to d1's port %u: %ld", round,
				    PEER_PORT, rc);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
}

static void close_port(uint32_t port)
{
	struct evtchn_close cl = {.port = port};

	test_check(hypercall_event_channel_op(EVTCHNOP_close, &cl) == 0, "close port %u", port);
}

static unsigned int cycles_of(const char *cmd)
{
	const char *p;
	unsigned int n = 0;

	for (p = cmd; *p; p++) {
		if (!strncmp(p, "cycles=", 7) && (p == cmd || p[-1] == ' ')) {
			for (p += 7; *p >= '0' && *p <= '9'; p++) {
				n = n * 10 + (unsigned int)(*p - '0');
			}
			break;
		}
	}
	return n;
}

void guest_main(struct start_info *si)
{
	struct evtchn_bind_virq bv = {.virq = VIRQ_DOM_EXC, .vcpu = 0};
	struct evtchn_status gone = {.dom = PEER, .port = 1};
	unsigned int cycles = cycles_of((const char *)si->cmd_line), round;
	struct sched_remote_shutdown rs;
	uint32_t prev = 0, cur;
	long rc;

	rc = hypercall_event_channel_op(EVTCHNOP_bind_virq, &bv);
	test_check(rc == 0, "bind VIRQ_DOM_EXC (%ld)", rc);
	virq_port = bv.port;
	gprintf("dom_exc: %u restarts, then a crash\n", cycles);
	for (round = 0; round <= cycles; round++) {
		cur = bind_peer(round);
		if (prev) {
			close_port(prev);
		}
		prev = cur;
		clear_pending(virq_port);
		rs = (struct sched_remote_shutdown){.domain_id = PEER,
						    .reason = round < cycles ? SHUTDOWN_poweroff
									     : SHUTDOWN_crash};
		rc = hypercall_sched_op(SCHEDOP_remote_shutdown, &rs);
		if (rc) {
			test_report(TEST_FAILURE, "round %u: remote_shutdown of d1: %ld", round,
				    rc);
		}
		if (!pending(virq_port)) {
			test_report(TEST_FAILURE, "round %u: no VIRQ_DOM_EXC when d1 shut down",
				    round);
		}
		clear_pending(virq_port);
		wait_dom_exc();
		clear_pending(virq_port);
	}
	rc = hypercall_event_channel_op(EVTCHNOP_status, &gone);
	test_check(rc == -XEN_ESRCH, "d1 is gone after its crash (status: %ld)", rc);
	close_port(prev);
	gprintf("dom_exc: d1 shut down %u times, each seen twice through VIRQ_DOM_EXC\n",
		cycles + 1);
	test_finish();
}
