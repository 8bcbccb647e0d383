/*
 * fuzz_hcall: an unprivileged domain making random hypercalls (at least
 * 1,000,000 in the hv-qemu case) beside two domains that check their own
 * state (fuzz_hcall_check). Command line: "calls=N" (decimal) and
 * "seed=S" (0x-hex or decimal; without it the time stamp counter). The
 * seed is printed first, so a failure replays with seed= and calls=; for
 * the replay, "trace=K" prints each call from the K-th on before it is
 * made, and "skiplo=A skiphi=B" builds the calls A..B-1 without making
 * them (the stream stays the same), which bisects a failure to the call
 * that caused it. A #GP the fuzzer meets is reported with its last 16
 * calls.
 *
 * Its verdict: SUCCESS when every answer was one a hypervisor may give
 * (a Xen errno, -ENOSYS for an empty slot, no success that would have
 * mapped, pinned or written another domain's frame), every number 0..63
 * but iret and every sub-op of the lists was called, and it still runs.
 * The hypervisor surviving and the checkers' verdicts are the harness's.
 */
#include <public/errno.h>

#include "guest.h"

#include "fuzz.h"

#include "guests/tests/sched_util.h"

#define DEFAULT_CALLS 1000000ULL
#define PROGRESS (1ULL << 18)
#define SHOW_BAD 8

static uint64_t per_nr[FUZZ_NR_MAX + 1], ok_nr[FUZZ_NR_MAX + 1];
static uint32_t per_def[1024];

static bool arg_u64(const char *cmd, const char *key, uint64_t *out)
{
	size_t n = strlen(key);
	const char *p;
	uint64_t v = 0;
	unsigned int base = 10, digits = 0;

	for (p = cmd; *p; p++) {
		if ((p == cmd || p[-1] == ' ') && !strncmp(p, key, n) && p[n] == '=') {
			p += n + 1;
			if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
				base = 16;
				p += 2;
			}
			for (;; p++, digits++) {
				unsigned int d;

				if (*p >= '0' && *p <= '9') {
					d = (unsigned int)(*p - '0');
				} else if (base == 16 && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f') {
					d = (unsigned int)((*p | 0x20) - 'a' + 10);
				} else {
					break;
				}
				v = v * base + d;
			}
			if (!digits || digits > 16 || (*p && *p != ' ')) {
				test_report(TEST_ERROR, "bad %s= on the command line", key);
			}
			*out = v;
			return true;
		}
	}
	return false;
}

/* Its own domain id: a port offered to itself says whose it is. */
static uint16_t own_domid(void)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct evtchn_close cl;
	long rc = hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &au);

	if (rc) {
		test_report(TEST_ERROR, "alloc_unbound to itself: %ld", rc);
	}
	st.port = au.port;
	rc = hypercall_event_channel_op(EVTCHNOP_status, &st);
	cl.port = au.port;
	hypercall_event_channel_op(EVTCHNOP_close, &cl);
	if (rc || st.status != EVTCHNSTAT_unbound || st.u.unbound.dom >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "status of its own port: %ld, status %u", rc, st.status);
	}
	return st.u.unbound.dom;
}

/*
 * Lets the console's per-domain rate limit (20 lines/s after a burst)
 * refill before the summary, so its own garbage lines cannot push the
 * verdict out. Pacing only; nothing is measured.
 */
static void quiet(void)
{
	struct sched_poll poll = {.nr_ports = 0};

	poll.timeout = sched_now() + 2000 * MS;
	hypercall_sched_op(SCHEDOP_poll, &poll);
}

static void count(const struct fuzz_call *c, long rc)
{
	unsigned int slot = c->nr < FUZZ_NR_MAX ? (unsigned int)c->nr : FUZZ_NR_MAX;

	per_nr[slot]++;
	ok_nr[slot] += rc >= 0;
	if (c->def_index >= 0 && (unsigned int)c->def_index < ARRAY_SIZE(per_def)) {
		per_def[c->def_index]++;
	}
}

/* The multicall's entries: each one counted and its gains noted like a call of its own. */
static void count_entries(const struct fuzz_call *c, long rc)
{
	const struct multicall_entry *e = (const void *)(uintptr_t)c->a[0];
	uint64_t i;

	if (rc != 0 || c->a[0] < gva(fm.arg) || c->a[1] > 8) {
		return;
	}
	for (i = 0; i < c->a[1]; i++) {
		call_note_outputs(e[i].op, (const uint64_t *)e[i].args, (long)e[i].result);
	}
}

static void print_counts(void)
{
	unsigned int nr;

	for (nr = 0; nr <= FUZZ_NR_MAX; nr += 4) {
		gprintf("fuzz: calls by number %2u..: %lu/%lu %lu/%lu %lu/%lu %lu/%lu (ok/made)\n",
			nr, ok_nr[nr], per_nr[nr], nr + 1 <= FUZZ_NR_MAX ? ok_nr[nr + 1] : 0,
			nr + 1 <= FUZZ_NR_MAX ? per_nr[nr + 1] : 0,
			nr + 2 <= FUZZ_NR_MAX ? ok_nr[nr + 2] : 0,
			nr + 2 <= FUZZ_NR_MAX ? per_nr[nr + 2] : 0,
			nr + 3 <= FUZZ_NR_MAX ? ok_nr[nr + 3] : 0,
			nr + 3 <= FUZZ_NR_MAX ? per_nr[nr + 3] : 0);
	}
}

static struct {
	uint64_t calls, i, bad, trace, skiplo, skiphi;
	struct fuzz_call c;
	long rc;
} run;

static void show_call(const char *what, const struct fuzz_call *c, long rc)
{
	gprintf("fuzz: call %lu: nr 0x%lx (%s) sub-op %u args %lx %lx %lx %lx %lx %lx: %ld: %s "
		"(frame 0x%lx)\n",
		run.i, c->nr, fuzz_name(c->nr), c->subop, c->a[0], c->a[1], c->a[2], c->a[3],
		c->a[4], c->a[5], rc, what, c->foreign);
}

/* The last calls made, shown when one of them left the fuzzer a #GP. */
#define RING 16
static struct fuzz_call ring[RING];
static long ring_rc[RING];

static void show_ring(void)
{
	uint64_t i, first = run.i >= RING ? run.i - RING + 1 : 0, here = run.i;

	for (i = first; i <= here; i++) {
		const struct fuzz_call *c = &ring[i % RING];

		run.i = i;
		show_call(i == here ? "being built or made" : "made", c, ring_rc[i % RING]);
		if (c->nr == __HYPERVISOR_multicall && c->a[0] >= gva(fm.arg) &&
		    c->a[0] < fm.guard) {
			const struct multicall_entry *e = (const void *)(uintptr_t)c->a[0];
			uint64_t j;

			for (j = 0; j < c->a[1] && j < 4; j++) {
				gprintf("fuzz:   entry %lu: nr 0x%lx args %lx %lx %lx %lx: %ld\n",
					j, e[j].op, e[j].args[0], e[j].args[1], e[j].args[2],
					e[j].args[3], (long)e[j].result);
			}
		}
	}
	run.i = here;
}

static void run_calls(void *arg)
{
	const char *why;

	for (run.i = 0; run.i < run.calls; run.i++) {
		call_build(&run.c, 0);
		ring[run.i % RING] = run.c;
		ring_rc[run.i % RING] = 0;
		if (run.i >= run.trace) {
			show_call("about to be made", &run.c, 0);
		}
		/* skiplo..skiphi: built (the stream stays the same) but not made, to bisect a
		 * failure. */
		run.rc =
		    run.i >= run.skiplo && run.i < run.skiphi ? -XEN_ENOSYS : call_issue(&run.c);

		ring_rc[run.i % RING] = run.rc;
		call_repair(run.c.repair);
		call_note_outputs(run.c.nr, run.c.a, run.rc);
		if (run.c.nr == __HYPERVISOR_multicall) {
			count_entries(&run.c, run.rc);
		}
		count(&run.c, run.rc);
		why = call_judge(&run.c, run.rc);
		if (why && run.bad++ < SHOW_BAD) {
			show_call(why, &run.c, run.rc);
		}
		if ((run.i + 1) % PROGRESS == 0) {
			gprintf("fuzz: %lu calls\n", run.i + 1);
		}
	}
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t calls = DEFAULT_CALLS, seed, i, bad = 0, t0, t1;
	unsigned int nr, missing = 0;
	struct trap_record rec;
	long rc;

	if (!arg_u64(cmd, "seed", &seed)) {
		uint32_t lo, hi;

		asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
		seed = (uint64_t)hi << 32 | lo;
	}
	arg_u64(cmd, "calls", &calls);
	gprintf("fuzz: seed 0x%lx, %lu calls\n", seed, calls);
	if (!shared_info || fuzz_nr_def_subops > ARRAY_SIZE(per_def)) {
		test_report(TEST_ERROR, "no shared_info, or too many sub-ops to count");
	}
	fuzz_seed(seed);
	fm.self = own_domid();
	values_init();
	note_gained(si->shared_info >> 12, 1);
	note_gained(si->console.domU.mfn, 1);
	note_gained(si->store_mfn, 1);
	gprintf("fuzz: d%u, %lu pages, frames guessed below 0x%lx\n", fm.self, fm.nr_pages,
		fm.max_mfn);
	t0 = sched_running_ns();
	run.calls = calls;
	/* trace=K: print every call from the K-th on before it is made (for a replay). */
	run.trace = ~0ULL;
	arg_u64(cmd, "trace", &run.trace);
	arg_u64(cmd, "skiplo", &run.skiplo);
	arg_u64(cmd, "skiphi", &run.skiphi);
	if (trap_catch(TRAP_GP, run_calls, &run, &rec)) {
		/* What the hypervisor left it after that call: the call replays with seed and
		 * calls. */
		show_ring();
		test_report(TEST_FAILURE, "#GP at rip 0x%lx after call %lu (seed 0x%lx)", rec.rip,
			    run.i, seed);
	}
	bad = run.bad;
	t1 = sched_running_ns();
	print_counts();
	for (nr = 0; nr < FUZZ_NR_MAX; nr++) {
		if (!per_nr[nr] && nr != __HYPERVISOR_iret && missing++ < SHOW_BAD) {
			gprintf("fuzz: number %u never called\n", nr);
		}
	}
	for (i = 0; i < fuzz_nr_def_subops; i++) {
		if (!per_def[i] && missing++ < SHOW_BAD) {
			gprintf("fuzz: sub-op %u of %s never called\n", fuzz_def_subops[i].op,
				fuzz_name(fuzz_def_subops[i].nr));
		}
	}
	quiet();
	gprintf("fuzz: %lu calls in %lu ms of vcpu time (%lu calls/s), %lu rewritten by an "
		"exclusion, %lu wrong answers, %u numbers or sub-ops never called, oracles %s\n",
		calls, (t1 - t0) / 1000000, (t1 - t0) ? calls * 1000000000UL / (t1 - t0) : 0,
		fuzz_excluded, bad, missing,
		fm.own_known ? "on to the end" : "off (own frames lost track)");
	test_check(bad == 0, "%lu answers no hypervisor may give", bad);
	test_check(calls < 100000 || missing == 0, "%u numbers or sub-ops never called", missing);
	rc = hypercall_xen_version(XENVER_version, NULL);
	test_check(rc == ((4 << 16) | 17), "xen_version still answers (0x%lx)", rc);
	gprintf("fuzz: done, %lu calls, seed 0x%lx\n", calls, seed);
	test_finish();
}
