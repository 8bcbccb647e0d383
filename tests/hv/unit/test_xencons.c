/*
 * Host unit tests of hypervisor/common/xencons.c, the hypervisor as the
 * console back end of a boot-time domU, on the fake arch: a domain with a
 * shared_info and a ring page in fake memory, the guest's side played by
 * the test (it fills out[] and out_prod), and XSM hooks of our own.
 */
#include "hvtest.h"

#include <stdio.h>
#include <string.h>

#include <arch/mm.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <fake/guest.h>
#include <fake/mem.h>
#include <frame.h>
#include <heap.h>
#include <mm.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/io_console.h>
#include <public/xen.h>
#include <xencons.h>

#include <xsm/xsm.h>

#define GVA 0x0000100000000000ULL

static struct domain xdom, xen;
static struct vcpu xvcpu;
static struct shared_info xshinfo;
static unsigned char guest_mem[64];
static int unbound_rc, console_rc, console_calls;
static uint16_t unbound_saw;
static mfn_t ring_mfn;
static struct xencons_interface *ring;

static int h_unbound(struct domain *d, struct evtchn *chn, uint16_t id2)
{
	unbound_saw = id2;
	return unbound_rc;
}

static int h_console_io(struct domain *d, int cmd)
{
	console_calls++;
	EXPECT(d == &xdom && cmd == CONSOLEIO_write);
	return console_rc;
}

static int h_ok(struct domain *d, struct evtchn *chn)
{
	return 0;
}

static int h_free(struct evtchn *chn)
{
	return 0;
}

static void setup(void)
{
	const struct mem_range ram[] = {{0, 8 << 20}};

	if (fake_mem_init(8 << 20) || frame_alloc_init(ram, 1, NULL, 0) || heap_init()) {
		hvt_fail(__FILE__, __LINE__, "setup failed");
	}
	capture_with_ring();
	console_set_loglvl(LOG_INFO);
	memset(&xdom, 0, sizeof(xdom));
	memset(&xen, 0, sizeof(xen));
	memset(&xshinfo, 0, sizeof(xshinfo));
	memset(&xvcpu, 0, sizeof(xvcpu));
	xdom.domain_id = 1;
	xdom.max_evtchn_port = EVTCHN_DEFAULT_MAX_PORT;
	xdom.max_vcpus = 1;
	xdom.shared_info = &xshinfo;
	xdom.vcpu[0] = &xvcpu;
	xvcpu.domain = &xdom;
	xvcpu.vcpu_info = &xshinfo.vcpu_info[0];
	console_line_init(&xdom.console, 1);
	xdom.console.rate_limited = true;
	xen.domain_id = DOMID_XEN;
	dom_xen = &xen;
	current_vcpu = &xvcpu;
	memset(&xsm_ops, 0, sizeof(xsm_ops));
	xsm_ops.evtchn_unbound = h_unbound;
	xsm_ops.console_io = h_console_io;
	xsm_ops.evtchn_send = h_ok;
	xsm_ops.free_security_evtchn = h_free;
	unbound_rc = console_rc = console_calls = 0;
	unbound_saw = 0;
	ring_mfn = frame_alloc(xdom.domain_id);
	ring = arch_mfn_to_virt(ring_mfn);
	memset(ring, 0, PAGE_SIZE);
}

static void teardown(void)
{
	xencons_detach(&xdom);
	evtchn_destroy(&xdom);
	console_line_flush(&xdom.console);
}

static uint32_t attach(void)
{
	uint32_t port = 0;

	EXPECT_EQ(xencons_attach(&xdom, ring_mfn, &port), 0);
	return port;
}

/* The guest's side: bytes, a write barrier, the producer index. */
static void guest_write(const char *s, size_t n)
{
	uint32_t prod = ring->out_prod;
	size_t i;

	for (i = 0; i < n; i++) {
		ring->out[MASK_XENCONS_IDX(prod + i, ring->out)] = s[i];
	}
	__atomic_store_n(&ring->out_prod, prod + (uint32_t)n, __ATOMIC_RELEASE);
}

static void guest_puts(const char *s)
{
	guest_write(s, strlen(s));
}

static bool pending(uint32_t port)
{
	return (xshinfo.evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static unsigned int count(const char *hay, char c)
{
	unsigned int n = 0;

	for (; *hay; hay++) {
		n += *hay == c;
	}
	return n;
}

static void t_attach_detach(void)
{
	struct evtchn *c;
	uint32_t port;

	setup();
	port = attach();
	c = evtchn_from_port(&xdom, port);
	EXPECT(port != 0 && c);
	EXPECT_EQ(unbound_saw, DOMID_XEN);
	EXPECT_EQ(c->state, ECS_INTERDOMAIN);
	EXPECT(c->u.interdomain.remote_dom == &xen);
	/* The frame is held as writable memory: the guest cannot make it a page table. */
	EXPECT_EQ(frame_table[mfn_x(ring_mfn)].type, PGT_writable);
	EXPECT_EQ(frame_table[mfn_x(ring_mfn)].type_count, 1);
	EXPECT_EQ(get_page_and_type(ring_mfn, &xdom, PGT_l1), -EINVAL);
	EXPECT_EQ(xencons_attach(&xdom, ring_mfn, &port), -EEXIST);
	xencons_detach(&xdom);
	EXPECT(xdom.xencons == NULL);
	EXPECT_EQ(frame_table[mfn_x(ring_mfn)].type_count, 0);
	EXPECT_EQ(frame_table[mfn_x(ring_mfn)].count, 0);
	EXPECT_EQ(evtchn_from_port(&xdom, port)->state, ECS_FREE);
	xencons_detach(&xdom); /* again: nothing */
	teardown();
}

/* Refusals leave nothing: no port, no reference, no back end. */
static void t_attach_refused(void)
{
	mfn_t other;
	uint32_t port = 12345;

	setup();
	unbound_rc = -EACCES;
	EXPECT_EQ(xencons_attach(&xdom, ring_mfn, &port), -EACCES);
	EXPECT_EQ(port, 12345);
	EXPECT(xdom.xencons == NULL);
	EXPECT_EQ(frame_table[mfn_x(ring_mfn)].count, 0);
	EXPECT_EQ(frame_table[mfn_x(ring_mfn)].type_count, 0);
	EXPECT_EQ(evtchn_from_port(&xdom, 1)->state, ECS_FREE);
	/* A frame the domain does not own. */
	unbound_rc = 0;
	other = frame_alloc(7);
	EXPECT_EQ(xencons_attach(&xdom, other, &port), -EINVAL);
	EXPECT(xdom.xencons == NULL);
	EXPECT_EQ(frame_table[mfn_x(other)].count, 0);
	teardown();
}

static void t_lines_and_ack(void)
{
	uint32_t port;

	setup();
	port = attach();
	guest_puts("hello\nwor");
	xencons_consume(&xdom, 0);
	EXPECT_STREQ(capture_text(), "(d1) hello\n");
	EXPECT_EQ(ring->out_cons, 9);
	EXPECT(pending(port));
	guest_puts("ld\n");
	xencons_consume(&xdom, 0);
	EXPECT_STREQ(capture_text(), "(d1) hello\n(d1) world\n");
	EXPECT_EQ(ring->out_cons, 12);
	EXPECT_EQ(console_calls, 2);
	/* Nothing new: no check, no signal. */
	xshinfo.evtchn_pending[port / 64] = 0;
	xencons_consume(&xdom, 0);
	EXPECT(!pending(port));
	EXPECT_EQ(console_calls, 2);
	teardown();
}

/* Both the ring slot and the 32-bit counters wrap. */
static void t_wrap(void)
{
	const char *text = "0123456789abcdefghijklmnopqrstuvwxyz.,;\n";

	setup();
	ring->out_cons = ring->out_prod = 0xFFFFFFF0u;
	attach();
	guest_puts(text);
	EXPECT_EQ(ring->out_prod, 0xFFFFFFF0u + 40);
	xencons_consume(&xdom, 0);
	EXPECT_STREQ(capture_text(), "(d1) 0123456789abcdefghijklmnopqrstuvwxyz.,;\n");
	EXPECT_EQ(ring->out_cons, 0x18);
	teardown();
}

/* A full ring of one long line: every byte, in CONSOLE_LINE_MAX pieces of one line. */
static void t_full_ring(void)
{
	char big[XENCONS_OUT_SIZE];

	setup();
	attach();
	memset(big, 'x', sizeof(big));
	guest_write(big, sizeof(big));
	xencons_consume(&xdom, 0);
	guest_puts("\n");
	xencons_consume(&xdom, 0);
	EXPECT_EQ(count(capture_text(), 'x'), XENCONS_OUT_SIZE);
	EXPECT_EQ(count(capture_text(), '\n'), 1);
	EXPECT_EQ(ring->out_cons, XENCONS_OUT_SIZE + 1);
	teardown();
}

/* A producer index more than a ring ahead (or behind) disables the ring; nothing is read. */
static void t_bogus_prod(void)
{
	char want[256];
	uint32_t port;

	setup();
	port = attach();
	guest_puts("partial");
	xencons_consume(&xdom, 0);
	xshinfo.evtchn_pending[port / 64] = 0;
	memset(ring->out, 'Z', sizeof(ring->out));
	ring->out_prod = 7 + XENCONS_OUT_SIZE + 1;
	xencons_consume(&xdom, 0);
	snprintf(want, sizeof(want),
		 "(d1) partial\nd1: console ring: producer index %u is %u bytes past the "
		 "consumer index 7 (the ring holds 2048): ring disabled\n",
		 7 + XENCONS_OUT_SIZE + 1, XENCONS_OUT_SIZE + 1);
	EXPECT_STREQ(capture_text(), want);
	EXPECT_EQ(ring->out_cons, 7);
	EXPECT(!pending(port));
	/* Disabled for good: a sane index later is not read either. */
	ring->out_prod = 9;
	xencons_consume(&xdom, 0);
	EXPECT_STREQ(capture_text(), want);
	EXPECT_EQ(count(capture_text(), 'Z'), 0);
	teardown();

	/* Behind the consumer is as bogus. */
	setup();
	attach();
	guest_puts("ok\n");
	xencons_consume(&xdom, 0);
	ring->out_prod = 2;
	xencons_consume(&xdom, 0);
	EXPECT(strstr(capture_text(), "producer index 2 is 4294967295 bytes past the consumer "
				      "index 3") != NULL);
	EXPECT(xdom.xencons->disabled);
	teardown();
}

/* A writeconsole denial: nothing of the text is printed, the ring is still drained. */
static void t_denied(void)
{
	setup();
	attach();
	console_rc = -EACCES;
	guest_puts("secret\n");
	xencons_consume(&xdom, 0);
	EXPECT_STREQ(capture_text(), "");
	EXPECT_EQ(ring->out_cons, 7);
	EXPECT_EQ(console_calls, 1);
	teardown();
}

/* The guest's EVTCHNOP_send on its console port is what drives the back end. */
static void t_send_consumes(void)
{
	uint32_t port;

	setup();
	port = attach();
	fake_guest_map(guest_mem, GVA, sizeof(guest_mem), true);
	guest_puts("via send\n");
	memcpy(guest_mem, &port, sizeof(port));
	EXPECT_EQ(do_event_channel_op(EVTCHNOP_send, GVA), 0);
	EXPECT_STREQ(capture_text(), "(d1) via send\n");
	EXPECT_EQ(ring->out_cons, 9);
	fake_guest_map(NULL, 0, 0, false);
	teardown();
}

/* Ring output goes through the same per-domain rate limit as console_io. */
static void t_rate_limited(void)
{
	unsigned int i;

	setup();
	attach();
	for (i = 0; i < CONSOLE_RATE_BURST + 3; i++) {
		guest_puts("z\n");
		xencons_consume(&xdom, 0);
	}
	console_line_flush(&xdom.console);
	EXPECT_EQ(count(capture_text(), 'z'), CONSOLE_RATE_BURST);
	EXPECT(strstr(capture_text(), "d1: console: 3 lines suppressed\n") != NULL);
	teardown();
}

static const struct hvt_case cases[] = {
    {"attach: a port bound to DOMID_XEN, the frame held writable; detach drops all",
     t_attach_detach},
    {"attach refused by XSM or for a foreign frame leaves nothing", t_attach_refused},
    {"the out ring becomes whole (d1) lines, out_cons advances, the port is signalled",
     t_lines_and_ack},
    {"ring slots and 32-bit counters wrap", t_wrap},
    {"a full ring of one long line comes out whole", t_full_ring},
    {"a producer index past the ring disables it, nothing beyond is read", t_bogus_prod},
    {"a writeconsole denial prints nothing and drains the ring", t_denied},
    {"EVTCHNOP_send on the console port drives the back end", t_send_consumes},
    {"ring output is rate-limited per domain like console_io", t_rate_limited},
};

const struct hvt_group group_xencons = HVT_GROUP("xencons", cases);
