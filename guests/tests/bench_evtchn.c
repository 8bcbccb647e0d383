/*
 * Issue 11's event-channel benchmark, the guest half: make bench-evtchn
 * boots two of these as boot-time domUs under -icount shift=0, both on
 * CPU 0 (cpus=0) and then one per CPU, under xsm=flask and xsm=dummy.
 * The same image plays either end, chosen on the command line:
 *
 *   offer peer=N [iters=K] [switch]   measures (always domain 1)
 *   bind peer=N [iters=K] [switch]    answers
 *
 * Rendezvous as evtchn_pair (bench_evtchn_util.h). Every event is then
 * answered by exactly one, so none can merge with another. Both ends keep
 * their port masked and upcalls masked: an end waits with SCHEDOP_poll on
 * its port (no timeout), taking the pending bit itself.
 *
 * The offerer measures, with rdtsc around loops of K (TSC ticks are guest
 * instructions under -icount shift=0), all in the same boot:
 *   - null: xen_version(XENVER_version), while the binder is blocked;
 *   - lone yield: SCHEDOP_yield with nobody to switch to (the binder is
 *     blocked; checked: the offerer's runnable time does not grow);
 *   - send, already pending: EVTCHNOP_send on an IPI port of its own
 *     whose bit is set, the send path without a wake-up;
 *   - yield round trip (with "switch", both ends on one CPU): both yield
 *     in turn, so one round trip is two yields and two vcpu switches
 *     (checked: the runnable time grows);
 *   - event round trip: send, then poll until the answer is pending; the
 *     binder polls, takes the ping and sends the answer.
 * The harness derives a vcpu switch as (yield round trip - 2 lone yields)
 * / 2 and the baseline as two null hypercalls plus two switches. The
 * binder waits for one last event before it prints and dies: a peer dying
 * inside the offerer's last measured round trip would be counted in it.
 */
#include "bench_evtchn_util.h"

#define DEFAULT_ITERS 2000
#define MAX_ITERS 1000000
#define WARM 20

static void print_ticks(const char *what, uint64_t ticks, uint64_t iters)
{
	bench_print("bench_evtchn", what, ticks, iters);
}

static uint64_t yields(uint64_t n)
{
	uint64_t t0 = bench_tsc(), i;

	for (i = 0; i < n; i++) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	return bench_tsc() - t0;
}

/*
 * The send path without a wake-up: sends on an IPI port of our own whose
 * pending bit is already set (the bit is not taken between sends), so each
 * is the hypercall, the channel lock and the XSM event:send check, and
 * set_pending finding the bit set. Its FLASK - dummy difference is that
 * check's cost on the round trip's two sends.
 */
static void send_pending(uint64_t iters)
{
	struct evtchn_bind_ipi b = {.vcpu = 0};
	uint64_t t0, t, i;
	long rc = ev(EVTCHNOP_bind_ipi, &b);

	if (rc) {
		test_report(TEST_FAILURE, "bind_ipi: %ld", rc);
	}
	bench_mask(b.port);
	bench_send(b.port, "first ipi", 0);
	test_check(bench_take_pending(b.port), "the IPI port is pending after a send");
	bench_send(b.port, "ipi", 0);
	t0 = bench_tsc();
	for (i = 0; i < iters; i++) {
		bench_send(b.port, "ipi", i);
	}
	t = bench_tsc() - t0;
	test_check(bench_take_pending(b.port), "the IPI port is still pending");
	rc = ev_port(EVTCHNOP_close, b.port);
	test_check(rc == 0, "close of the IPI port: %ld", rc);
	print_ticks("send, already pending", t, iters);
}

static void offer(domid_t peer, uint64_t iters, bool with_switch)
{
	uint32_t port = bench_offer(peer);
	uint64_t t0, t, r0, i, bad = 0;
	long v;

	gprintf("bench_evtchn: port %u bound by d%u\n", port, peer);

	/* The binder is blocked on its port now: these run alone on our CPU. */
	v = hypercall_xen_version(XENVER_version, NULL);
	t0 = bench_tsc();
	for (i = 0; i < iters; i++) {
		bad += hypercall_xen_version(XENVER_version, NULL) != v;
	}
	t = bench_tsc() - t0;
	test_check(v > 0 && bad == 0, "every xen_version(0) answered %ld", v);
	print_ticks("null hypercall", t, iters);
	r0 = runtime_runnable_ns();
	yields(WARM);
	t = yields(iters);
	test_check(runtime_runnable_ns() == r0, "the lone yields switched nowhere");
	print_ticks("lone yield", t, iters);
	send_pending(iters);

	if (with_switch) {
		/* Wake the binder; from now on each yield hands the CPU to the other. */
		bench_send(port, "switch start", 0);
		r0 = runtime_runnable_ns();
		yields(WARM);
		t = yields(iters);
		test_check(runtime_runnable_ns() > r0, "the yields switched to d%u", peer);
		print_ticks("yield round trip", t, iters);
	}

	for (i = 0; i < WARM; i++) {
		bench_send(port, "warm-up ping", i);
		bench_wait(port);
	}
	t0 = bench_tsc();
	for (i = 0; i < iters; i++) {
		bench_send(port, "ping", i);
		bench_wait(port);
	}
	t = bench_tsc() - t0;
	/* Only now may the binder print and die. */
	bench_send(port, "finish", 0);
	print_ticks("event round trip", t, iters);
	test_finish();
}

static void bind(domid_t peer, uint64_t iters, bool with_switch)
{
	uint32_t port = bench_bind(peer);
	uint64_t i;

	if (with_switch) {
		bench_wait(port);
		/* As many yields as the offerer plus some: it must find us yielding to the end. */
		yields(WARM + iters + WARM);
	}
	for (i = 0; i < WARM + iters; i++) {
		bench_wait(port);
		bench_send(port, "answer", i);
	}
	bench_wait(port);
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
	if (bench_has_key(cmd, "iters") &&
	    (!sched_arg(cmd, "iters", &iters) || iters == 0 || iters > MAX_ITERS)) {
		test_report(TEST_ERROR, "iters=N needs 1 <= N <= %u", MAX_ITERS);
	}
	with_switch = bench_has_word(cmd, "switch");
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	if (bench_has_word(cmd, "offer")) {
		offer((domid_t)peer, iters, with_switch);
	} else if (bench_has_word(cmd, "bind")) {
		bind((domid_t)peer, iters, with_switch);
	}
	test_report(TEST_ERROR, "needs offer or bind on the command line");
}
