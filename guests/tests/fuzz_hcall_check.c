/*
 * A domain that keeps working and checking its own state while another
 * domain (fuzz_hcall) makes random hypercalls. Two of these share one
 * interdomain event channel:
 *
 *   offer peer=N fuzzer=F   allocates a port for N, then each round sends a
 *                           ping and waits for the answer, until domain F
 *                           is gone; then closes its end
 *   bind peer=N fuzzer=F    binds N's port, answers every ping, until N's
 *                           close leaves its port unbound
 *
 * Every round each one checks what only it may change, against what it
 * set: a 256 KiB pattern in its memory (rewritten each round with a new
 * generation), its bootstrap page tables (accessed/dirty bits aside), the
 * status of its ports 0..63, their mask bits (all set) and the pending
 * bits of its closed ports (all clear), and its vcpu's upcall mask. Its
 * verdict is SUCCESS only if nothing changed that it did not change.
 */
#include <public/errno.h>

/* Its peer shares the CPUs with the fuzzer: more empty polls before an event counts as lost. */
#define STALLS 20
#include "evtchn_util.h"
#include "sched_util.h"

#define PAT_WORDS (256 * 1024 / 8)
#define SCAN 64
#define BIND_TRIES 200000

static uint64_t pattern[PAT_WORDS];
static struct evtchn_status snap[SCAN];
static uint64_t pt_sum, generation, rounds;
static uint16_t self;
static uint32_t chan;

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint64_t expected(uint64_t gen, uint64_t i)
{
	return mix(gen << 32 ^ i ^ (uint64_t)self << 56);
}

static void pattern_write(uint64_t gen)
{
	uint64_t i;

	for (i = 0; i < PAT_WORDS; i++) {
		pattern[i] = expected(gen, i);
	}
}

static void pattern_check(uint64_t gen)
{
	uint64_t i;

	for (i = 0; i < PAT_WORDS; i++) {
		if (pattern[i] != expected(gen, i)) {
			test_report(TEST_FAILURE,
				    "round %lu: pattern word %lu is 0x%lx, wrote 0x%lx", rounds, i,
				    pattern[i], expected(gen, i));
		}
	}
}

/* Its page tables as it set them: every entry but the accessed and dirty bits. */
static uint64_t pt_checksum(void)
{
	const uint64_t *e = (const uint64_t *)(uintptr_t)start_info->pt_base;
	uint64_t i, n = start_info->nr_pt_frames * 512, sum = 0;

	for (i = 0; i < n; i++) {
		/* The L4's hypervisor slots (256..271) are the hypervisor's. */
		if (i >= 256 && i < 272) {
			continue;
		}
		sum = mix(sum ^ (e[i] & ~0x60ULL) ^ i);
	}
	return sum;
}

static uint64_t *mask_word(uint32_t port)
{
	return &((uint64_t *)shared_info->evtchn_mask)[port / 64];
}

static void snapshot(void)
{
	uint32_t p;

	for (p = 0; p < SCAN; p++) {
		if (status(p, &snap[p])) {
			test_report(TEST_ERROR, "status of port %u refused", p);
		}
	}
	pt_sum = pt_checksum();
}

/* skip: a port whose state the peer may change (the channel at the end). */
static void state_check(uint32_t skip)
{
	struct evtchn_status st;
	uint32_t p;

	for (p = 0; p < SCAN; p++) {
		if (p == skip && p != 0) {
			continue;
		}
		if (status(p, &st) || memcmp(&st, &snap[p], sizeof(st))) {
			test_report(TEST_FAILURE, "round %lu: port %u status %u (was %u), dom %u",
				    rounds, p, st.status, snap[p].status, st.u.unbound.dom);
		}
		if (!(*mask_word(p) >> (p % 64) & 1)) {
			test_report(TEST_FAILURE, "round %lu: port %u was unmasked", rounds, p);
		}
		if (snap[p].status == EVTCHNSTAT_closed &&
		    (((uint64_t *)shared_info->evtchn_pending)[p / 64] >> (p % 64) & 1)) {
			test_report(TEST_FAILURE, "round %lu: closed port %u is pending", rounds,
				    p);
		}
	}
	if (!shared_info->vcpu_info[0].evtchn_upcall_mask) {
		test_report(TEST_FAILURE, "round %lu: its upcall mask was cleared", rounds);
	}
	if (pt_checksum() != pt_sum) {
		test_report(TEST_FAILURE, "round %lu: its page tables changed", rounds);
	}
}

/* One round of its own work: check the pattern, write the next one, check the rest. */
static void work(uint32_t skip)
{
	pattern_check(generation);
	pattern_write(++generation);
	state_check(skip);
	rounds++;
}

/* -EINVAL while the fuzzer lives (its port 0 is never offered), -ESRCH once it is gone. */
static bool fuzzer_alive(domid_t fuzzer)
{
	struct evtchn_bind_interdomain b = {.remote_dom = fuzzer, .remote_port = 0};
	long rc = ev(EVTCHNOP_bind_interdomain, &b);

	if (rc != -XEN_EINVAL && rc != -XEN_ESRCH) {
		test_report(TEST_FAILURE, "probing d%u: %ld", fuzzer, rc);
	}
	return rc == -XEN_EINVAL;
}

static void mask_all(void)
{
	uint32_t w;

	for (w = 0; w < SCAN / 64; w++) {
		__atomic_store_n(&((uint64_t *)shared_info->evtchn_mask)[w], ~0ULL,
				 __ATOMIC_SEQ_CST);
	}
}

static void offer(domid_t peer, domid_t fuzzer)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = peer};
	uint64_t alive = 0, pings = 0;
	long rc;

	rc = ev(EVTCHNOP_alloc_unbound, &au);
	if (rc || au.port >= SCAN) {
		test_report(TEST_ERROR, "alloc_unbound for d%u: %ld (port %u)", peer, rc, au.port);
	}
	chan = au.port;
	if (!wait_event(chan, false)) {
		test_report(TEST_FAILURE, "port %u: no hello from d%u", chan, peer);
	}
	snapshot();
	gprintf("fuzz_check: d%u offers port %u to d%u, watching d%u\n", self, chan, peer, fuzzer);
	while (fuzzer_alive(fuzzer)) {
		alive++;
		work(0);
		rc = ev_port(EVTCHNOP_send, chan);
		if (rc || !wait_event(chan, true)) {
			test_report(TEST_FAILURE, "ping %lu: send %ld or no answer", pings, rc);
		}
		pings++;
	}
	work(0);
	test_check(alive > 0, "d%u was seen alive (%lu rounds)", fuzzer, alive);
	gprintf("fuzz_check: d%u: %lu rounds beside d%u, %lu pings answered, pattern generation "
		"%lu, nothing changed\n",
		self, rounds, fuzzer, pings, generation);
	rc = ev_port(EVTCHNOP_close, chan);
	test_check(rc == 0, "close: %ld", rc);
	test_finish();
}

static void bind(domid_t peer)
{
	struct evtchn_bind_interdomain b;
	uint64_t tries, answers = 0;
	uint32_t p;
	long rc;

	for (tries = 0;; tries++) {
		for (p = 1; p < SCAN; p++) {
			b.remote_dom = peer;
			b.remote_port = p;
			if (ev(EVTCHNOP_bind_interdomain, &b) == 0) {
				break;
			}
		}
		if (p < SCAN) {
			break;
		}
		if (tries == BIND_TRIES) {
			test_report(TEST_FAILURE, "d%u offered no port", peer);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	chan = b.local_port;
	take_pending(chan);
	snapshot();
	rc = ev_port(EVTCHNOP_send, chan);
	test_check(rc == 0, "hello: %ld", rc);
	gprintf("fuzz_check: d%u bound port %u to d%u's port %u\n", self, chan, peer, p);
	while (wait_event(chan, true)) {
		work(0);
		rc = ev_port(EVTCHNOP_send, chan);
		if (rc) {
			test_report(TEST_FAILURE, "answer %lu: %ld", answers, rc);
		}
		answers++;
	}
	/* The peer closed: only its own port may have changed, to unbound. */
	work(chan);
	rc = status(chan, &snap[0]);
	test_check(rc == 0 && snap[0].status == EVTCHNSTAT_unbound,
		   "port %u unbound after d%u's close", chan, peer);
	gprintf("fuzz_check: d%u: %lu rounds, %lu pings answered, pattern generation %lu, nothing "
		"changed\n",
		self, rounds, answers, generation);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t peer = 0, fuzzer = 0, me = 0;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	if (!sched_arg(cmd, "peer", &peer) || !sched_arg(cmd, "fuzzer", &fuzzer) ||
	    !sched_arg(cmd, "self", &me) || !peer || !fuzzer || peer >= DOMID_FIRST_RESERVED ||
	    fuzzer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs self=D peer=N fuzzer=F on the command line");
	}
	self = (uint16_t)me;
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	mask_all();
	pattern_write(generation);
	if (runtime_has_word(cmd, "offer")) {
		offer((domid_t)peer, (domid_t)fuzzer);
	} else if (runtime_has_word(cmd, "bind")) {
		bind((domid_t)peer);
	}
	test_report(TEST_ERROR, "needs offer or bind on the command line");
}
