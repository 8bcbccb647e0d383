/*
 * The FIFO event-channel ABI, in a boot-time domU with two vcpus and
 * max_evtchn_port=5000 (command line "limit=5000"). Upcalls stay masked
 * (as at entry), so everything is read straight from the shared words: the
 * event words, the control blocks' READY and queue heads, and
 * evtchn_upcall_pending.
 *
 * In order: refusals before the switch (nothing left behind), a port bound
 * and raised under 2-level keeps its pending state across init_control,
 * a control block on each vcpu, event words PENDING/MASKED/LINKED/LINK,
 * delivery in priority order with LINK chains, masking and unmask
 * re-raising, the other vcpu's queues, VIRQ_TIMER seen by SCHEDOP_poll,
 * a loopback interdomain pair, ports above 4096 up to the limit, the
 * 128-page array limit, bad arguments with Xen's errnos, and reset back
 * to 2-level.
 */
#include <public/errno.h>
#include <public/sched.h>

#include "evtchn_util.h"
#include "mm_util.h"

#define WORDS_PER_PAGE 1024
#define P_BIT (1U << EVTCHN_FIFO_PENDING)
#define M_BIT (1U << EVTCHN_FIFO_MASKED)
#define L_BIT (1U << EVTCHN_FIFO_LINKED)
#define B_BIT (1U << EVTCHN_FIFO_BUSY)
#define ARRAY_PAGES 5 /* ports 0..5119: past the limit of 5000 */

static uint8_t cb_page[2][4096] __attribute__((aligned(4096)));
static uint32_t array[ARRAY_PAGES][WORDS_PER_PAGE] __attribute__((aligned(4096)));
static uint8_t spare[4096] __attribute__((aligned(4096)));

/* vcpu 1's block sits at offset 64 of its page: any 8-aligned offset that fits. */
#define CB1_OFFSET 64

static volatile struct evtchn_fifo_control_block *cb(unsigned int vcpu)
{
	return (volatile struct evtchn_fifo_control_block *)(cb_page[vcpu] +
							     (vcpu ? CB1_OFFSET : 0));
}

static volatile uint32_t *word(uint32_t port)
{
	return &array[port / WORDS_PER_PAGE][port % WORDS_PER_PAGE];
}

static uint64_t mfn_of(const void *p)
{
	return va_to_mfn((uint64_t)(uintptr_t)p);
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu, uint8_t *link_bits)
{
	struct evtchn_init_control ic = {.control_gfn = gfn, .offset = offset, .vcpu = vcpu};
	long rc = ev(EVTCHNOP_init_control, &ic);

	if (link_bits) {
		*link_bits = ic.link_bits;
	}
	return rc;
}

static long expand(uint64_t gfn)
{
	struct evtchn_expand_array ea = {.array_gfn = gfn};

	return ev(EVTCHNOP_expand_array, &ea);
}

static long set_priority(uint32_t port, uint32_t prio)
{
	struct evtchn_set_priority sp = {.port = port, .priority = prio};

	return ev(EVTCHNOP_set_priority, &sp);
}

static uint32_t bind_ipi(uint32_t vcpu)
{
	struct evtchn_bind_ipi b = {.vcpu = vcpu};
	long rc = ev(EVTCHNOP_bind_ipi, &b);

	if (rc) {
		test_report(TEST_ERROR, "bind_ipi on vcpu %u: %ld", vcpu, rc);
	}
	return b.port;
}

static uint32_t wload(uint32_t port)
{
	return __atomic_load_n(word(port), __ATOMIC_SEQ_CST);
}

/* The guest's own unmask, as Linux does it: clear MASKED unless BUSY, then ask if pending. */
static void unmask(uint32_t port)
{
	uint32_t old = wload(port);

	while (!(old & B_BIT) && !__atomic_compare_exchange_n(word(port), &old, old & ~M_BIT, false,
							      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
	}
	if (wload(port) & P_BIT) {
		ev_port(EVTCHNOP_unmask, port);
	}
}

/*
 * Consumes vcpu's queues as a guest's upcall does: READY's lowest bit
 * first, each queue from its head along LINK, unlinking and clearing
 * PENDING. Returns how many ports it wrote into order (at most max).
 */
static unsigned int drain(unsigned int vcpu, uint32_t *order, unsigned int max)
{
	volatile struct evtchn_fifo_control_block *c = cb(vcpu);
	unsigned int n = 0;
	uint32_t ready = __atomic_exchange_n(&c->ready, 0, __ATOMIC_SEQ_CST);

	while (ready) {
		unsigned int prio = (unsigned int)__builtin_ctz(ready);
		uint32_t port = __atomic_exchange_n(&c->head[prio], 0, __ATOMIC_SEQ_CST);

		ready &= ready - 1;
		while (port && n < max) {
			uint32_t w = __atomic_fetch_and(
			    word(port), ~(L_BIT | EVTCHN_FIFO_LINK_MASK), __ATOMIC_SEQ_CST);

			if (w & P_BIT) {
				__atomic_fetch_and(word(port), ~P_BIT, __ATOMIC_SEQ_CST);
				order[n++] = port;
			}
			port = w & EVTCHN_FIFO_LINK_MASK;
		}
	}
	return n;
}

static void test_before_switch(uint32_t *pre)
{
	uint32_t port;

	test_check(expand(mfn_of(array[0])) == -XEN_EOPNOTSUPP,
		   "expand_array before init_control: EOPNOTSUPP");
	port = bind_ipi(0);
	test_check(set_priority(port, 3) == -XEN_ENOSYS, "set_priority under 2-level: ENOSYS");
	test_check(init_control(mfn_of(cb_page[0]), 0, 2, NULL) == -XEN_ENOENT,
		   "init_control for vcpu 2 of 2: ENOENT");
	test_check(init_control(mfn_of(cb_page[0]), 0, 0xffffffffu, NULL) == -XEN_ENOENT,
		   "init_control for vcpu 2^32-1: ENOENT");
	test_check(init_control(mfn_of(cb_page[0]), 4096 - 72 + 8, 0, NULL) == -XEN_EINVAL,
		   "init_control with the block past the page: EINVAL");
	test_check(init_control(mfn_of(cb_page[0]), 0xfffffff8u, 0, NULL) == -XEN_EINVAL,
		   "init_control with offset 0xfffffff8: EINVAL");
	test_check(init_control(mfn_of(cb_page[0]), 4, 0, NULL) == -XEN_EINVAL,
		   "init_control with offset 4 (not 8-aligned): EINVAL");
	test_check(init_control(1ULL << 40, 0, 0, NULL) == -XEN_EINVAL,
		   "init_control on a frame beyond RAM: EINVAL");
	test_check(init_control(l4_mfn(), 0, 0, NULL) == -XEN_EINVAL,
		   "init_control on our L4 page table: EINVAL");
	/* None of those switched the domain. */
	test_check(expand(mfn_of(array[0])) == -XEN_EOPNOTSUPP,
		   "still 2-level after the refusals: expand_array EOPNOTSUPP");
	/* Raised under 2-level: the switch must keep it pending. */
	test_check(ev_port(EVTCHNOP_send, port) == 0, "send on the 2-level IPI port %u", port);
	*pre = port;
}

static void test_switch(uint32_t pre)
{
	uint8_t lb = 0;
	unsigned int i;
	long rc;

	rc = init_control(mfn_of(cb_page[0]), 0, 0, &lb);
	test_check(rc == 0 && lb == EVTCHN_FIFO_LINK_BITS, "init_control vcpu 0: %ld, link_bits %u",
		   rc, lb);
	test_check(init_control(mfn_of(cb_page[0]), 0, 0, NULL) == -XEN_EINVAL,
		   "init_control vcpu 0 twice: EINVAL");
	rc = init_control(mfn_of(cb_page[1]), CB1_OFFSET, 1, NULL);
	test_check(rc == 0, "init_control vcpu 1 at offset %u: %ld", CB1_OFFSET, rc);
	test_check(set_priority(pre, 16) == -XEN_EINVAL, "set_priority 16: EINVAL");
	test_check(set_priority(4000, 1) == -XEN_EINVAL,
		   "set_priority on port 4000, beyond the allocated ones: EINVAL");
	test_check(set_priority(200000, 1) == -XEN_EINVAL, "set_priority on port 200000: EINVAL");
	test_check(expand(1ULL << 40) == -XEN_EINVAL, "expand_array on a frame beyond RAM: EINVAL");
	test_check(expand(l4_mfn()) == -XEN_EINVAL, "expand_array on our L4: EINVAL");
	/* Like Linux: every word of a new page starts masked. */
	for (i = 0; i < WORDS_PER_PAGE; i++) {
		array[0][i] = M_BIT;
	}
	test_check(expand(mfn_of(array[0])) == 0, "expand_array: page 0 (ports 0..1023)");
	test_check(wload(pre) == (P_BIT | M_BIT),
		   "the port raised under 2-level is pending in its word, masked (0x%x)",
		   wload(pre));
	test_check(cb(0)->ready == 0, "nothing READY while it is masked (0x%x)", cb(0)->ready);
	unmask(pre);
	test_check(wload(pre) == (P_BIT | L_BIT) &&
		       cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT] == pre &&
		       cb(0)->ready == (1U << EVTCHN_FIFO_PRIORITY_DEFAULT),
		   "unmask links it at the default priority: word 0x%x head %u ready 0x%x",
		   wload(pre), cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], cb(0)->ready);
	test_check(shared_info->vcpu_info[0].evtchn_upcall_pending == 1, "vcpu 0's upcall raised");
	{
		uint32_t got[4];

		test_check(drain(0, got, 4) == 1 && got[0] == pre, "drained: that one port");
	}
	shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
}

static void test_priorities(void)
{
	uint32_t a = bind_ipi(0), b = bind_ipi(0), c = bind_ipi(0), d = bind_ipi(0);
	uint32_t got[8];
	unsigned int n;

	word(a)[0] = word(b)[0] = word(c)[0] = word(d)[0] = 0;
	test_check(set_priority(a, 3) == 0 && set_priority(c, 1) == 0 &&
		       set_priority(d, EVTCHN_FIFO_PRIORITY_MIN) == 0,
		   "set_priority 3, 1, 15");
	ev_port(EVTCHNOP_send, d);
	ev_port(EVTCHNOP_send, b);
	ev_port(EVTCHNOP_send, a);
	ev_port(EVTCHNOP_send, c);
	/* A second event on b's queue is linked behind it. */
	{
		uint32_t b2 = bind_ipi(0);

		word(b2)[0] = 0;
		ev_port(EVTCHNOP_send, b2);
		test_check(wload(b) == (P_BIT | L_BIT | b2), "b's word links to b2 (0x%x, b2 %u)",
			   wload(b), b2);
		test_check(wload(b2) == (P_BIT | L_BIT), "b2 is the tail: no link (0x%x)",
			   wload(b2));
		test_check(cb(0)->ready == ((1U << 1) | (1U << 3) | (1U << 7) | (1U << 15)),
			   "READY has priorities 1, 3, 7, 15 (0x%x)", cb(0)->ready);
		test_check(cb(0)->head[1] == c && cb(0)->head[3] == a && cb(0)->head[7] == b &&
			       cb(0)->head[15] == d,
			   "heads: prio 1 %u, 3 %u, 7 %u, 15 %u", cb(0)->head[1], cb(0)->head[3],
			   cb(0)->head[7], cb(0)->head[15]);
		test_check(cb(1)->ready == 0, "vcpu 1's READY untouched");
		/* Raising a pending, linked event again changes nothing. */
		ev_port(EVTCHNOP_send, b);
		test_check(wload(b) == (P_BIT | L_BIT | b2), "a repeated send leaves b as it was");
		n = drain(0, got, 8);
		test_check(n == 5 && got[0] == c && got[1] == a && got[2] == b && got[3] == b2 &&
			       got[4] == d,
			   "delivered in priority order c a b b2 d (%u ports: %u %u %u %u %u)", n,
			   got[0], got[1], got[2], got[3], got[4]);
	}
	/* Masked: pending but not queued; unmask queues it. */
	word(a)[0] = M_BIT;
	ev_port(EVTCHNOP_send, a);
	test_check(wload(a) == (P_BIT | M_BIT) && cb(0)->ready == 0,
		   "masked a: pending, not linked, not READY (0x%x, 0x%x)", wload(a), cb(0)->ready);
	unmask(a);
	test_check(wload(a) == (P_BIT | L_BIT) && cb(0)->head[3] == a && cb(0)->ready == (1U << 3),
		   "unmask re-raises a on its priority 3 queue (0x%x, head %u)", wload(a),
		   cb(0)->head[3]);
	n = drain(0, got, 8);
	test_check(n == 1 && got[0] == a, "drained a");
	/* While the guest holds it LINKED, the port is not handed out again after close. */
	word(a)[0] = 0;
	ev_port(EVTCHNOP_send, a);
	ev_port(EVTCHNOP_close, a);
	test_check(!(wload(a) & P_BIT) && (wload(a) & L_BIT), "close clears PENDING, LINKED stays");
	{
		uint32_t again = bind_ipi(0);

		test_check(again != a, "a linked closed port is not reused (%u)", again);
		ev_port(EVTCHNOP_close, again);
	}
	n = drain(0, got, 8);
	test_check(n == 0, "the closed port is skipped: not pending (%u)", n);
	ev_port(EVTCHNOP_close, b);
	ev_port(EVTCHNOP_close, c);
	ev_port(EVTCHNOP_close, d);
	shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
}

/*
 * p1 was consumed and closed while still the recorded tail of vcpu 1's
 * priority-7 queue. Rebound on vcpu 0 and raised there, it must empty that
 * stale tail: the next event on vcpu 1 starts vcpu 1's queue instead of
 * being linked behind p1 into vcpu 0's.
 */
static void test_stale_tail(uint32_t p1)
{
	uint32_t extra[8], got[4], port = bind_ipi(0), q;
	unsigned int n = 0, i;

	while (port != p1 && n < 8) {
		extra[n++] = port;
		port = bind_ipi(0);
	}
	test_check(port == p1, "port %u bound again, now on vcpu 0 (%u)", p1, port);
	word(p1)[0] = 0;
	ev_port(EVTCHNOP_send, p1);
	q = bind_ipi(1);
	word(q)[0] = 0;
	ev_port(EVTCHNOP_send, q);
	test_check(cb(1)->head[7] == q && cb(1)->ready == (1U << 7) && wload(p1) == (P_BIT | L_BIT),
		   "an event on vcpu 1 after its old tail moved away starts vcpu 1's queue "
		   "(head %u, ready 0x%x, p1's word 0x%x)",
		   cb(1)->head[7], cb(1)->ready, wload(p1));
	drain(0, got, 4);
	drain(1, got, 4);
	ev_port(EVTCHNOP_close, q);
	ev_port(EVTCHNOP_close, p1);
	for (i = 0; i < n; i++) {
		ev_port(EVTCHNOP_close, extra[i]);
	}
	shared_info->vcpu_info[1].evtchn_upcall_pending = 0;
}

static void test_other_vcpu_virq_loopback(void)
{
	struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 0};
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF};
	struct sched_poll poll = {0};
	uint32_t ports[1], got[4], p1 = bind_ipi(1);
	long rc;

	word(p1)[0] = 0;
	ev_port(EVTCHNOP_send, p1);
	test_check(cb(1)->ready == (1U << 7) && cb(1)->head[7] == p1 && cb(0)->ready == 0,
		   "vcpu 1's IPI queues on vcpu 1 (ready 0x%x head %u)", cb(1)->ready,
		   cb(1)->head[7]);
	test_check(shared_info->vcpu_info[1].evtchn_upcall_pending == 1, "vcpu 1's upcall raised");
	test_check(drain(1, got, 4) == 1 && got[0] == p1, "drained vcpu 1's queue");
	ev_port(EVTCHNOP_close, p1);
	test_stale_tail(p1);

	rc = ev(EVTCHNOP_bind_virq, &bv);
	test_check(rc == 0, "bind VIRQ_TIMER: port %u (%ld)", bv.port, rc);
	word(bv.port)[0] = 0;
	ports[0] = bv.port;
	poll.ports = (uint64_t)(uintptr_t)ports;
	poll.nr_ports = 1;
	hypercall_set_timer_op(1);
	rc = hypercall_sched_op(SCHEDOP_poll, &poll);
	test_check(rc == 0 && (wload(bv.port) & P_BIT) && cb(0)->head[7] == bv.port,
		   "poll returns once the timer's FIFO port is pending (%ld, 0x%x)", rc,
		   wload(bv.port));
	test_check(drain(0, got, 4) == 1 && got[0] == bv.port, "drained the timer event");
	ev_port(EVTCHNOP_close, bv.port);

	rc = ev(EVTCHNOP_alloc_unbound, &au);
	bi.remote_port = au.port;
	word(au.port)[0] = 0;
	rc = rc ? rc : ev(EVTCHNOP_bind_interdomain, &bi);
	test_check(rc == 0, "loopback interdomain pair %u-%u (%ld)", au.port, bi.local_port, rc);
	word(bi.local_port)[0] = 0;
	/* Xen raises the new local end at bind: drain that first. */
	drain(0, got, 4);
	ev_port(EVTCHNOP_send, bi.local_port);
	test_check(cb(0)->head[7] == au.port && wload(au.port) == (P_BIT | L_BIT),
		   "send on %u raises the other end %u", bi.local_port, au.port);
	test_check(drain(0, got, 4) == 1 && got[0] == au.port, "drained the loopback event");
	ev_port(EVTCHNOP_close, au.port);
	ev_port(EVTCHNOP_close, bi.local_port);
	shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
	shared_info->vcpu_info[1].evtchn_upcall_pending = 0;
}

static void test_high_ports(uint32_t limit)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	uint32_t hi, got[4], last = 0, pages;
	unsigned int i;
	long rc;

	/* Fill ports up to 4096, then an IPI above it. */
	while ((rc = ev(EVTCHNOP_alloc_unbound, &au)) == 0 && au.port < 4097) {
		last = au.port;
	}
	test_check(rc == 0 && au.port == 4097, "ports allocated up to %u (%ld)", au.port, rc);
	hi = bind_ipi(0);
	test_check(hi == 4098, "IPI above 4096: port %u", hi);
	/* No array page for it yet: the event waits in the hypervisor. */
	ev_port(EVTCHNOP_send, hi);
	test_check(cb(0)->ready == 0, "no word for port %u yet: nothing queued", hi);
	for (pages = 1; pages < ARRAY_PAGES; pages++) {
		for (i = 0; i < WORDS_PER_PAGE; i++) {
			array[pages][i] = 0;
		}
		rc = expand(mfn_of(array[pages]));
		test_check(rc == 0, "expand_array: page %u (%ld)", pages, rc);
	}
	test_check(wload(hi) == (P_BIT | L_BIT) && cb(0)->head[7] == hi,
		   "port %u raised before its page was added is queued now (0x%x)", hi, wload(hi));
	test_check(drain(0, got, 4) == 1 && got[0] == hi, "drained port %u", hi);
	ev_port(EVTCHNOP_send, hi);
	test_check(cb(0)->head[7] == hi && drain(0, got, 4) == 1 && got[0] == hi,
		   "port %u delivers again", hi);
	/* The per-domain limit: port limit is the last one. */
	while ((rc = ev(EVTCHNOP_alloc_unbound, &au)) == 0) {
		last = au.port;
	}
	test_check(rc == -XEN_ENOSPC && last == limit,
		   "alloc_unbound up to port %u, then ENOSPC (%ld; last %u)", limit, rc, last);
	/* The array's own limit: 128 pages (2^17 ports); the spare frame stands in for the rest. */
	for (i = 0; i < 200 && (rc = expand(mfn_of(spare))) == 0; i++) {
	}
	test_check(rc == -XEN_ENOSPC && i + ARRAY_PAGES == 128,
		   "expand_array: %u pages, then ENOSPC (%ld)", i + ARRAY_PAGES, rc);
	shared_info->vcpu_info[0].evtchn_upcall_pending = 0;
}

static void test_reset(void)
{
	struct evtchn_reset rs = {.dom = DOMID_SELF};
	struct evtchn_status st;
	uint32_t port;
	long rc;

	rc = ev(EVTCHNOP_reset, &rs);
	test_check(rc == 0, "reset (%ld)", rc);
	test_check(status(4098, &st) == -XEN_EINVAL, "port 4098 is out of range again (2-level)");
	test_check(expand(mfn_of(spare)) == -XEN_EOPNOTSUPP, "after reset: 2-level (EOPNOTSUPP)");
	port = bind_ipi(0);
	test_check(set_priority(port, 1) == -XEN_ENOSYS, "set_priority after reset: ENOSYS");
	ev_port(EVTCHNOP_send, port);
	test_check((shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1,
		   "a send sets the 2-level pending bit of port %u", port);
	ev_port(EVTCHNOP_close, port);
	/* The control blocks were given back: FIFO can start over. */
	rc = init_control(mfn_of(cb_page[0]), 0, 0, NULL);
	test_check(rc == 0, "init_control again after reset (%ld)", rc);
}

static uint32_t arg_uint(const char *cmdline, const char *key)
{
	const char *p = cmdline;
	size_t n = strlen(key);
	uint32_t v = 0;

	for (; *p; p++) {
		if ((p == cmdline || p[-1] == ' ') && !strncmp(p, key, n)) {
			for (p += n; *p >= '0' && *p <= '9'; p++) {
				v = v * 10 + (uint32_t)(*p - '0');
			}
			return v;
		}
	}
	return 0;
}

void guest_main(struct start_info *si)
{
	uint32_t limit = arg_uint((const char *)si->cmd_line, "limit=");
	uint32_t pre = 0;

	gprintf("evtchn_fifo: FIFO event channels, port limit %u\n", limit);
	if (limit <= 4098 || limit >= ARRAY_PAGES * WORDS_PER_PAGE) {
		test_report(TEST_ERROR, "needs limit= between 4099 and %u", ARRAY_PAGES * 1024 - 1);
	}
	test_before_switch(&pre);
	test_switch(pre);
	test_priorities();
	test_other_vcpu_virq_loopback();
	test_high_ports(limit);
	test_reset();
	test_finish();
}
