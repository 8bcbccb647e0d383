/*
 * Host unit tests of hypervisor/common/event_channel.c (2-level ABI) on the
 * fake arch: one domain with two vcpus and a shared_info in host memory,
 * hypercall arguments through the fake guest window, and an XSM module of
 * our own that records what each hook saw and can refuse.
 */
#include "hvtest.h"

#include <string.h>

#include <domain.h>
#include <event.h>
#include <fake/guest.h>
#include <fake/mem.h>
#include <fake/smp.h>
#include <frame.h>
#include <heap.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/xen.h>

#include <xsm/xsm.h>

#define GVA 0x0000100000000000ULL
#define FAKE_SID 77

/* Not linked into hv-unit (domain.c, xsm_core.c): the test's own. */
/* current_vcpu: the fake arch's (fake/smp.h). */
struct domain *dom_xen, *dom_io;
struct xsm_ops xsm_ops;

static struct domain dom;
static struct vcpu vcpus[2];
static struct shared_info shinfo;
static unsigned char guest_mem[256];
static int hook_rc, hook_calls, free_calls;
static uint32_t send_saw_sid;

/* A second domain (id 1) for the sub-ops that act on another domain's table. */
static struct domain other;

/* The hypervisor's pseudo-domains, as domain.c's domain_lookup answers them. */
static struct domain pseudo_xen = {.domain_id = DOMID_XEN};
static struct domain pseudo_io = {.domain_id = DOMID_IO};

struct domain *domain_lookup(domid_t id)
{
	if (id == 1 && other.domain_id == 1) {
		return &other;
	}
	if (id == DOMID_XEN || id == DOMID_IO) {
		return id == DOMID_XEN ? &pseudo_xen : &pseudo_io;
	}
	return id == DOMID_SELF || id == 0 ? &dom : NULL;
}

/* grant_table.c's frame accounting (domain.c, not linked here): nothing to count. */
void domain_note_frames_taken(const struct domain *d, uint64_t n)
{
}

static int f_unbound(struct domain *d, struct evtchn *chn, uint16_t id2)
{
	hook_calls++;
	if (!hook_rc) {
		chn->ssid = FAKE_SID;
	}
	return hook_rc;
}

static int f_interdomain(struct domain *d1, struct evtchn *c1, struct domain *d2, struct evtchn *c2)
{
	hook_calls++;
	if (!hook_rc) {
		c1->ssid = FAKE_SID + 1;
	}
	return hook_rc;
}

static int f_virq(struct domain *d, uint32_t virq)
{
	hook_calls++;
	return hook_rc;
}

static int f_chn(struct domain *d, struct evtchn *chn)
{
	hook_calls++;
	return hook_rc;
}

static int f_send(struct domain *d, struct evtchn *chn)
{
	hook_calls++;
	send_saw_sid = chn->ssid;
	return hook_rc;
}

static int f_reset(struct domain *d1, struct domain *d2)
{
	hook_calls++;
	return hook_rc;
}

static int f_free(struct evtchn *chn)
{
	free_calls++;
	return 0;
}

static void setup(void)
{
	const struct mem_range ram[] = {{0, 8 << 20}};
	unsigned int i;

	if (fake_mem_init(8 << 20) || frame_alloc_init(ram, 1, NULL, 0) || heap_init()) {
		hvt_fail(__FILE__, __LINE__, "setup failed");
	}
	memset(&dom, 0, sizeof(dom));
	memset(&shinfo, 0, sizeof(shinfo));
	memset(vcpus, 0, sizeof(vcpus));
	dom.max_vcpus = 2;
	dom.max_evtchn_port = EVTCHN_DEFAULT_MAX_PORT;
	dom.shared_info = &shinfo;
	for (i = 0; i < 2; i++) {
		vcpus[i].vcpu_id = i;
		vcpus[i].domain = &dom;
		vcpus[i].vcpu_info = &shinfo.vcpu_info[i];
		dom.vcpu[i] = &vcpus[i];
	}
	current_vcpu = &vcpus[0];
	memset(&xsm_ops, 0, sizeof(xsm_ops));
	xsm_ops.evtchn_unbound = f_unbound;
	xsm_ops.evtchn_interdomain = f_interdomain;
	xsm_ops.evtchn_virq = f_virq;
	xsm_ops.evtchn_send = f_send;
	xsm_ops.evtchn_status = f_chn;
	xsm_ops.evtchn_close = f_chn;
	xsm_ops.evtchn_reset = f_reset;
	xsm_ops.free_security_evtchn = f_free;
	hook_rc = hook_calls = free_calls = 0;
	fake_guest_map(guest_mem, GVA, sizeof(guest_mem), true);
}

static void teardown(void)
{
	evtchn_destroy(&dom);
	EXPECT(dom.evtchn == NULL);
	fake_guest_map(NULL, 0, 0, false);
}

/* One call with arg copied in and out of the guest window. */
static long op(uint32_t cmd, void *arg, size_t size)
{
	long rc;

	memcpy(guest_mem, arg, size);
	rc = do_event_channel_op(cmd, GVA);
	memcpy(arg, guest_mem, size);
	return rc;
}

static long op_port(uint32_t cmd, uint32_t port)
{
	return op(cmd, &port, sizeof(port));
}

static bool bit(const uint64_t *map, uint32_t n)
{
	return (map[n / 64] >> (n % 64)) & 1;
}

static uint32_t loopback(uint32_t *other)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF};

	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	bi.remote_port = au.port;
	EXPECT_EQ(op(EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
	*other = bi.local_port;
	return au.port;
}

static void t_loopback_send(void)
{
	uint32_t a, b;

	setup();
	a = loopback(&b);
	EXPECT(a != 0 && b != 0 && a != b);
	EXPECT_EQ(evtchn_from_port(&dom, a)->ssid, FAKE_SID);
	EXPECT_EQ(evtchn_from_port(&dom, b)->ssid, FAKE_SID + 1);
	memset(&shinfo.evtchn_pending, 0, sizeof(shinfo.evtchn_pending));
	shinfo.vcpu_info[0].evtchn_pending_sel = 0;
	shinfo.vcpu_info[0].evtchn_upcall_pending = 0;
	EXPECT_EQ(op_port(EVTCHNOP_send, b), 0);
	EXPECT_EQ(send_saw_sid, FAKE_SID + 1);
	EXPECT(bit(shinfo.evtchn_pending, a));
	EXPECT(!bit(shinfo.evtchn_pending, b));
	EXPECT_EQ(shinfo.vcpu_info[0].evtchn_pending_sel, 1ULL << (a / 64));
	EXPECT_EQ(shinfo.vcpu_info[0].evtchn_upcall_pending, 1);
	EXPECT_EQ(shinfo.vcpu_info[1].evtchn_upcall_pending, 0);
	teardown();
}

static void t_mask_unmask(void)
{
	uint32_t a, b;

	setup();
	a = loopback(&b);
	memset(&shinfo.evtchn_pending, 0, sizeof(shinfo.evtchn_pending));
	shinfo.vcpu_info[0].evtchn_pending_sel = 0;
	shinfo.vcpu_info[0].evtchn_upcall_pending = 0;
	shinfo.evtchn_mask[a / 64] |= 1ULL << (a % 64);
	EXPECT_EQ(op_port(EVTCHNOP_send, b), 0);
	EXPECT(bit(shinfo.evtchn_pending, a));
	EXPECT_EQ(shinfo.vcpu_info[0].evtchn_pending_sel, 0);
	EXPECT_EQ(shinfo.vcpu_info[0].evtchn_upcall_pending, 0);
	EXPECT_EQ(op_port(EVTCHNOP_unmask, a), 0);
	EXPECT(!bit(shinfo.evtchn_mask, a));
	EXPECT_EQ(shinfo.vcpu_info[0].evtchn_pending_sel, 1ULL << (a / 64));
	EXPECT_EQ(shinfo.vcpu_info[0].evtchn_upcall_pending, 1);
	EXPECT_EQ(op_port(EVTCHNOP_unmask, NR_EVENT_CHANNELS), -EINVAL);
	teardown();
}

static void t_virq(void)
{
	struct evtchn_bind_virq bv = {.virq = VIRQ_TIMER, .vcpu = 1};
	uint32_t p;

	setup();
	/* Unbound: dropped. */
	evtchn_send_virq(&vcpus[1], VIRQ_TIMER);
	EXPECT_EQ(shinfo.vcpu_info[1].evtchn_upcall_pending, 0);
	EXPECT_EQ(op(EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
	p = bv.port;
	EXPECT_EQ(op(EVTCHNOP_bind_virq, &bv, sizeof(bv)), -EEXIST);
	bv.vcpu = 0;
	EXPECT_EQ(op(EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
	EXPECT(bv.port != p);
	evtchn_send_virq(&vcpus[1], VIRQ_TIMER);
	EXPECT(bit(shinfo.evtchn_pending, p));
	EXPECT_EQ(shinfo.vcpu_info[1].evtchn_upcall_pending, 1);
	EXPECT_EQ(shinfo.vcpu_info[0].evtchn_upcall_pending, 0);
	bv.virq = VIRQ_DOM_EXC;
	bv.vcpu = 1;
	EXPECT_EQ(op(EVTCHNOP_bind_virq, &bv, sizeof(bv)), -EINVAL);
	bv.virq = VIRQ_DEBUG;
	bv.vcpu = 2;
	EXPECT_EQ(op(EVTCHNOP_bind_virq, &bv, sizeof(bv)), -ENOENT);
	bv.virq = NR_VIRQS;
	bv.vcpu = 0;
	EXPECT_EQ(op(EVTCHNOP_bind_virq, &bv, sizeof(bv)), -EINVAL);
	/* Closing frees the binding: it can be made again. */
	EXPECT_EQ(op_port(EVTCHNOP_close, p), 0);
	bv.virq = VIRQ_TIMER;
	bv.vcpu = 1;
	EXPECT_EQ(op(EVTCHNOP_bind_virq, &bv, sizeof(bv)), 0);
	EXPECT_EQ(bv.port, p);
	teardown();
}

static void t_xsm_denies(void)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct evtchn_reset rs = {.dom = DOMID_SELF};
	uint32_t a, b;

	setup();
	a = loopback(&b);
	hook_rc = -EACCES;
	hook_calls = 0;
	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), -EACCES);
	EXPECT_EQ(au.port, 0);
	EXPECT_EQ(op_port(EVTCHNOP_send, b), -EACCES);
	EXPECT_EQ(op_port(EVTCHNOP_close, b), -EACCES);
	st.port = b;
	EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), -EACCES);
	EXPECT_EQ(op(EVTCHNOP_reset, &rs, sizeof(rs)), -EACCES);
	EXPECT_EQ(hook_calls, 5);
	/* Nothing changed: both ends still connected, the refused port still free. */
	EXPECT_EQ(evtchn_from_port(&dom, a)->state, ECS_INTERDOMAIN);
	EXPECT_EQ(evtchn_from_port(&dom, b)->state, ECS_INTERDOMAIN);
	EXPECT_EQ(evtchn_from_port(&dom, b + 1)->state, ECS_FREE);
	/* ... and still as a never-used port: the default FIFO priority, not 0 (the highest). */
	EXPECT_EQ(evtchn_from_port(&dom, b + 1)->priority, EVTCHN_FIFO_PRIORITY_DEFAULT);
	hook_rc = 0;
	teardown();
	EXPECT_EQ(free_calls, 2);
}

static void t_args(void)
{
	struct evtchn_alloc_unbound au = {.dom = 3, .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain bi = {.remote_dom = DOMID_SELF, .remote_port = 0};
	struct evtchn_bind_ipi ip = {.vcpu = 2};
	struct evtchn_bind_vcpu bc = {.port = 0, .vcpu = 0};
	unsigned int n = 0;

	setup();
	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), -ESRCH);
	au.dom = DOMID_SELF;
	/* As Xen: remote_dom is the hook's to judge (FLASK: -EPERM), the core does not look. */
	au.remote_dom = 9;
	hook_rc = -EPERM;
	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), -EPERM);
	EXPECT_EQ(evtchn_from_port(&dom, 1)->state, ECS_FREE);
	hook_rc = 0;
	EXPECT_EQ(op(EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), -EINVAL);
	bi.remote_port = 0xffffffffu;
	EXPECT_EQ(op(EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), -EINVAL);
	EXPECT_EQ(op(EVTCHNOP_bind_ipi, &ip, sizeof(ip)), -ENOENT);
	EXPECT_EQ(op(EVTCHNOP_bind_vcpu, &bc, sizeof(bc)), -EINVAL);
	EXPECT_EQ(op_port(EVTCHNOP_close, 0), -EINVAL);
	EXPECT_EQ(op_port(EVTCHNOP_send, 0), -EINVAL);
	EXPECT_EQ(op_port(EVTCHNOP_send, 0x80000000u), -EINVAL);
	EXPECT_EQ(op_port(EVTCHNOP_close, EVTCHN_DEFAULT_MAX_PORT + 1), -EINVAL);
	EXPECT_EQ(op_port(EVTCHNOP_bind_pirq, 1), -EPERM);
	/* FIFO sub-ops on a 2-level domain: no array to grow, no priorities (Xen's errnos). */
	EXPECT_EQ(op_port(EVTCHNOP_expand_array, 1), -EOPNOTSUPP);
	EXPECT_EQ(op_port(EVTCHNOP_set_priority, 1), -ENOSYS);
	EXPECT_EQ(op_port(EVTCHNOP_set_priority, EVTCHN_MAX_PORTS), -EINVAL);
	EXPECT_EQ(op_port(15, 1), -ENOSYS);
	{
		/* No reset is ever under way to continue: Xen's -EBUSY, after the hook. */
		struct evtchn_reset rs = {.dom = DOMID_SELF};

		EXPECT_EQ(op(EVTCHNOP_reset_cont, &rs, sizeof(rs)), -EBUSY);
		rs.dom = 3;
		EXPECT_EQ(op(EVTCHNOP_reset_cont, &rs, sizeof(rs)), -ESRCH);
	}
	EXPECT_EQ(do_event_channel_op(EVTCHNOP_send, GVA + sizeof(guest_mem) - 2), -EFAULT);
	/* The per-domain limit: every port but 0, then ENOSPC; reset frees them all. */
	au.remote_dom = DOMID_SELF;
	while (op(EVTCHNOP_alloc_unbound, &au, sizeof(au)) == 0) {
		n++;
	}
	EXPECT_EQ(n, EVTCHN_DEFAULT_MAX_PORT);
	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), -ENOSPC);
	{
		struct evtchn_reset rs = {.dom = DOMID_SELF};

		EXPECT_EQ(op(EVTCHNOP_reset, &rs, sizeof(rs)), 0);
	}
	EXPECT_EQ(free_calls, EVTCHN_DEFAULT_MAX_PORT);
	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	EXPECT_EQ(au.port, 1);
	teardown();
}

/*
 * alloc_unbound, status and reset on another domain: the port is made in
 * its table (offered to the caller for DOMID_SELF), status of a domain with
 * no table yet answers closed without making one, and a running domain's
 * channels are not reset (-EINVAL) while a paused one's are.
 */
static void t_other_domain(void)
{
	struct evtchn_alloc_unbound au = {.dom = 1, .remote_dom = DOMID_SELF};
	struct evtchn_status st = {.dom = 1, .port = 7};
	struct evtchn_reset rs = {.dom = 1};

	setup();
	memset(&other, 0, sizeof(other));
	other.domain_id = 1;
	other.max_evtchn_port = EVTCHN_DEFAULT_MAX_PORT;
	EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), 0);
	EXPECT_EQ(st.status, EVTCHNSTAT_closed);
	EXPECT(other.evtchn == NULL);
	st.port = EVTCHN_DEFAULT_MAX_PORT + 1;
	EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), -EINVAL);
	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	EXPECT_EQ(au.port, 1);
	EXPECT(evtchn_from_port(&dom, 1) == NULL || evtchn_from_port(&dom, 1)->state == ECS_FREE);
	st.port = 1;
	EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), 0);
	EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
	EXPECT_EQ(st.u.unbound.dom, 0);
	EXPECT_EQ(op(EVTCHNOP_reset, &rs, sizeof(rs)), -EINVAL);
	EXPECT_EQ(evtchn_from_port(&other, 1)->state, ECS_UNBOUND);
	other.pause_count = 1;
	EXPECT_EQ(op(EVTCHNOP_reset, &rs, sizeof(rs)), 0);
	EXPECT_EQ(evtchn_from_port(&other, 1)->state, ECS_FREE);
	other.is_dying = true;
	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), -EINVAL);
	evtchn_destroy(&other);
	EXPECT(other.evtchn == NULL);
	other.domain_id = 0;
	teardown();
}

/* max_evtchn_port: ports up to it, then ENOSPC; past it status and unmask are EINVAL. */
static void t_max_port(void)
{
	struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = DOMID_SELF};
	struct evtchn_status st = {.dom = DOMID_SELF};
	unsigned int n = 0;

	setup();
	dom.max_evtchn_port = 5;
	while (op(EVTCHNOP_alloc_unbound, &au, sizeof(au)) == 0) {
		n++;
		EXPECT_EQ(au.port, n);
	}
	EXPECT_EQ(n, 5);
	EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), -ENOSPC);
	st.port = 5;
	EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), 0);
	EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
	st.port = 6;
	EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), -EINVAL);
	EXPECT_EQ(op_port(EVTCHNOP_unmask, 6), -EINVAL);
	dom.max_evtchn_port = EVTCHN_DEFAULT_MAX_PORT;
	teardown();
}

static void t_close_peer(void)
{
	struct evtchn_status st = {.dom = DOMID_SELF};
	uint32_t a, b;

	setup();
	a = loopback(&b);
	shinfo.evtchn_pending[0] = ~0ULL;
	EXPECT_EQ(op_port(EVTCHNOP_close, a), 0);
	/* A closed port leaves no pending bit behind for its next owner. */
	EXPECT(!bit(shinfo.evtchn_pending, a));
	st.port = b;
	EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), 0);
	EXPECT_EQ(st.status, EVTCHNSTAT_unbound);
	EXPECT_EQ(st.u.unbound.dom, 0);
	st.port = a;
	EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), 0);
	EXPECT_EQ(st.status, EVTCHNSTAT_closed);
	EXPECT_EQ(op_port(EVTCHNOP_close, a), -EINVAL);
	EXPECT_EQ(op_port(EVTCHNOP_send, a), -EINVAL);
	teardown();
}

/* A send to a vcpu running on another CPU interrupts that CPU (event-check IPI), not this one. */
static void t_send_kicks(void)
{
	uint32_t a, b;

	setup();
	a = loopback(&b);
	fake_online_mask = 0x3;
	fake_cpu = 0;
	memset(fake_ipis, 0, sizeof(fake_ipis));
	vcpus[0].is_running = true;
	vcpus[0].processor = 1;
	EXPECT_EQ(op_port(EVTCHNOP_send, b), 0);
	EXPECT(bit(shinfo.evtchn_pending, a));
	EXPECT_EQ(fake_ipis[1][ARCH_IPI_EVENT_CHECK], 1);
	/* Running here: it sees the upcall on this very exit, no IPI. */
	vcpus[0].processor = 0;
	memset(&shinfo.evtchn_pending, 0, sizeof(shinfo.evtchn_pending));
	EXPECT_EQ(op_port(EVTCHNOP_send, b), 0);
	EXPECT_EQ(fake_ipis[0][ARCH_IPI_EVENT_CHECK], 0);
	EXPECT_EQ(fake_ipis[1][ARCH_IPI_EVENT_CHECK], 1);
	vcpus[0].is_running = false;
	fake_online_mask = 1;
	teardown();
}

/*
 * A reserved domain id is no domain (Xen's rcu_lock_domain_by_any_id): the
 * sub-ops that take one answer before any hook sees a pseudo-domain, and
 * nothing is allocated, in the caller's table or a pseudo-domain's.
 */
static void t_reserved_ids(void)
{
	static const domid_t ids[] = {DOMID_XEN, DOMID_IO, DOMID_COW, DOMID_INVALID, 0x7FFF};
	unsigned int i;

	setup();
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		struct evtchn_alloc_unbound au = {.dom = ids[i], .remote_dom = DOMID_SELF};
		struct evtchn_alloc_unbound offer = {.dom = DOMID_SELF, .remote_dom = ids[i]};
		struct evtchn_bind_interdomain bi = {.remote_dom = ids[i], .remote_port = 1};
		struct evtchn_status st = {.dom = ids[i], .port = 1};
		struct evtchn_reset rs = {.dom = ids[i]};

		hook_calls = 0;
		EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &au, sizeof(au)), -ESRCH);
		EXPECT_EQ(op(EVTCHNOP_alloc_unbound, &offer, sizeof(offer)), -EPERM);
		EXPECT_EQ(offer.port, 0);
		EXPECT_EQ(op(EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), -ESRCH);
		EXPECT_EQ(op(EVTCHNOP_status, &st, sizeof(st)), -ESRCH);
		EXPECT_EQ(op(EVTCHNOP_reset, &rs, sizeof(rs)), -ESRCH);
		EXPECT_EQ(hook_calls, 0);
	}
	EXPECT(pseudo_xen.evtchn == NULL && pseudo_io.evtchn == NULL);
	/* The refused offers left no port: the first free one is still 1. */
	EXPECT(evtchn_from_port(&dom, 1) == NULL || evtchn_from_port(&dom, 1)->state == ECS_FREE);
	teardown();
	EXPECT_EQ(free_calls, 0);
}

static const struct hvt_case cases[] = {
    {"a send to a vcpu running on another CPU sends it the event-check IPI", t_send_kicks},
    {"loopback interdomain send sets pending, pending_sel, upcall; SIDs kept", t_loopback_send},
    {"masked port: pending only; unmask re-delivers", t_mask_unmask},
    {"VIRQs: per-vcpu binding, EEXIST, global on vcpu 0 only, rebind after close", t_virq},
    {"XSM refusal: -EACCES and no state change", t_xsm_denies},
    {"argument checks, Xen errnos, port limit, reset", t_args},
    {"max_evtchn_port: ports up to it, then ENOSPC; past it EINVAL", t_max_port},
    {"alloc_unbound, status, reset on another domain's table", t_other_domain},
    {"close: peer back to unbound, pending bit cleared", t_close_peer},
    {"reserved domain ids: no domain, no hook called, nothing allocated", t_reserved_ids},
};

const struct hvt_group group_evtchn = HVT_GROUP("evtchn", cases);
