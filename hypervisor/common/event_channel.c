/*
 * event_channel_op (hypercall 32) with Xen's 2-level ABI.
 *
 * A domain's channel table is allocated on its first event channel call,
 * so domains that never use events cost
 * nothing. Every state change asks its XSM hook first: arguments are
 * decoded and checked, then the hook, then the change. The FLASK label of
 * a new channel is computed by the hook (type_transition on class event)
 * and kept in the channel for send, status and close.
 *
 * The FIFO ABI (init_control, expand_array, set_priority) lives in
 * event_fifo.c: once a domain has registered a control block, raising,
 * clearing, unmasking and testing its ports go there (the d->evtchn_fifo
 * tests below), and its ports may reach 2^17 instead of 4096; reset
 * returns it to 2-level. Channels live in buckets allocated as ports are
 * handed out, up to the domain's max_evtchn_port.
 *
 * Not supported: physical IRQs (bind_pirq: -EPERM, Palisade routes no
 * physical interrupt to guests yet).
 */
#include <domain.h>
#include <event.h>
#include <event_fifo.h>
#include <guest_access.h>
#include <heap.h>
#include <lib.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/xen.h>
#include <sched.h>

#include <xsm/xsm.h>

#define BITS_PER_WORD 64

/*
 * Locking: a domain's table and channels change under its evtchn_lock
 * (domain.h); an operation that also reads or changes the peer's end
 * (bind_interdomain, send, close) holds both, taken in address order, and
 * re-reads the peer once locked. The pending, mask and selector bits are
 * shared with the guest and change by atomic read-modify-write only. Under
 * these locks: XSM hooks, the domain list lock (lookups), the heap, and
 * vcpu_wake (run queue locks); none of those takes an evtchn_lock.
 */

#define NR_BUCKETS (EVTCHN_MAX_PORTS / EVTCHNS_PER_BUCKET)

struct evtchn_table {
	struct evtchn *bucket[NR_BUCKETS];
	uint32_t nr_ports; /* ports whose bucket exists: nr of buckets * EVTCHNS_PER_BUCKET */
	/* Port bound to each VIRQ per vcpu (global VIRQs live in vcpu 0's row); 0 = none. */
	uint32_t virq_port[MAX_VIRT_CPUS][NR_VIRQS];
};

/* Global VIRQs are bound on vcpu 0 only and may be moved with bind_vcpu. */
static bool virq_is_global(uint32_t virq)
{
	return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
	       virq != VIRQ_XENPMU;
}

static bool bit_test(const uint64_t *map, uint32_t bit)
{
	return __atomic_load_n(&map[bit / BITS_PER_WORD], __ATOMIC_SEQ_CST) &
	       (1ULL << (bit % BITS_PER_WORD));
}

/* The guest changes the same words concurrently: atomic read-modify-write only. */
static bool bit_test_and_set(uint64_t *map, uint32_t bit)
{
	uint64_t m = 1ULL << (bit % BITS_PER_WORD);

	return __atomic_fetch_or(&map[bit / BITS_PER_WORD], m, __ATOMIC_SEQ_CST) & m;
}

static void bit_clear(uint64_t *map, uint32_t bit)
{
	__atomic_fetch_and(&map[bit / BITS_PER_WORD], ~(1ULL << (bit % BITS_PER_WORD)),
			   __ATOMIC_SEQ_CST);
}

static bool add_bucket(struct evtchn_table *t)
{
	struct evtchn *b;
	uint32_t i;

	if (t->nr_ports >= EVTCHN_MAX_PORTS) {
		return false;
	}
	b = xzalloc(EVTCHNS_PER_BUCKET * sizeof(*b));
	if (!b) {
		return false;
	}
	for (i = 0; i < EVTCHNS_PER_BUCKET; i++) {
		b[i].priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	}
	t->bucket[t->nr_ports / EVTCHNS_PER_BUCKET] = b;
	t->nr_ports += EVTCHNS_PER_BUCKET;
	return true;
}

static struct evtchn_table *table_of(struct domain *d)
{
	struct evtchn_table *t = d->evtchn;

	/* A dying domain's table is closed for good: never made again. */
	if (t || d->is_dying) {
		return t;
	}
	t = xzalloc(sizeof(*t));
	if (!t) {
		return NULL;
	}
	if (!add_bucket(t)) {
		xfree(t);
		return NULL;
	}
	/* Port 0 is never handed out: Linux and Xen read it as "no port". */
	t->bucket[0][0].state = ECS_RESERVED;
	d->evtchn = t;
	return t;
}

struct evtchn *evtchn_from_port(struct domain *d, uint32_t port)
{
	if (!d->evtchn || port >= d->evtchn->nr_ports || port > evtchn_max_port(d)) {
		return NULL;
	}
	return &d->evtchn->bucket[port / EVTCHNS_PER_BUCKET][port % EVTCHNS_PER_BUCKET];
}

uint32_t evtchn_max_port(const struct domain *d)
{
	uint32_t abi = d->evtchn_fifo ? EVTCHN_MAX_PORTS - 1 : NR_EVENT_CHANNELS - 1;
	uint32_t set = d->max_evtchn_port ? d->max_evtchn_port
		       : d->is_privileged ? EVTCHN_MAX_PORTS - 1
					  : EVTCHN_DEFAULT_MAX_PORT;

	return MIN(abi, set);
}

bool evtchn_port_valid(struct domain *d, uint32_t port)
{
	struct evtchn *c = evtchn_from_port(d, port);

	return c && c->state != ECS_FREE && c->state != ECS_RESERVED;
}

bool evtchn_port_pending(struct domain *d, uint32_t port)
{
	bool was_on, pending;

	if (__atomic_load_n(&d->evtchn_fifo, __ATOMIC_SEQ_CST)) {
		/* A reset on another vcpu may free the FIFO state: read it locked. */
		was_on = spin_lock_irqsave(&d->evtchn_lock);
		pending = d->evtchn_fifo ? evtchn_fifo_is_pending(d, port)
					 : port < NR_EVENT_CHANNELS && d->shared_info &&
					       bit_test(d->shared_info->evtchn_pending, port);
		spin_unlock_irqrestore(&d->evtchn_lock, was_on);
		return pending;
	}
	return port < NR_EVENT_CHANNELS && d->shared_info &&
	       bit_test(d->shared_info->evtchn_pending, port);
}

static struct vcpu *notify_vcpu(struct domain *d, const struct evtchn *c)
{
	return c->notify_vcpu < d->max_vcpus ? d->vcpu[c->notify_vcpu] : NULL;
}

/* The 2-level set_pending: the upcall only when the port is unmasked. */
static void set_pending(struct domain *d, uint32_t port)
{
	struct shared_info *s = d->shared_info;
	struct evtchn *c = evtchn_from_port(d, port);
	struct vcpu *v;

	if (!s || !c || !(v = notify_vcpu(d, c)) || !v->vcpu_info) {
		return;
	}
	if (d->evtchn_fifo) {
		evtchn_fifo_set_pending(v, c, port);
		return;
	}
	if (port >= NR_EVENT_CHANNELS || bit_test_and_set(s->evtchn_pending, port)) {
		return;
	}
	if (!bit_test(s->evtchn_mask, port) &&
	    !bit_test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS_PER_WORD)) {
		__atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	}
	/* A blocked or polling vcpu re-checks what it waits for once it runs. */
	if (v->is_blocked) {
		vcpu_wake(v);
	} else {
		vcpu_kick(v);
	}
}

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
	struct domain *d = v->domain;
	unsigned int row = virq_is_global(virq) ? 0 : v->vcpu_id;
	uint32_t port;
	bool was_on;

	/* From the timer interrupt: never allocates (no table means nothing is bound). */
	if (virq >= NR_VIRQS || !d->evtchn) {
		return;
	}
	was_on = spin_lock_irqsave(&d->evtchn_lock);
	port = d->evtchn->virq_port[row][virq];
	if (port) {
		set_pending(d, port);
	}
	spin_unlock_irqrestore(&d->evtchn_lock, was_on);
}

/* The channel of a port known to exist (below t->nr_ports). */
static struct evtchn *chn_of(struct evtchn_table *t, uint32_t port)
{
	return &t->bucket[port / EVTCHNS_PER_BUCKET][port % EVTCHNS_PER_BUCKET];
}

/*
 * A free port within d's limit (a FIFO port still linked in a queue is not
 * free yet). Xen's order: a dying domain gets no new port (-EINVAL), a
 * full one -ENOSPC.
 */
static int get_free_port(struct domain *d, struct evtchn_table *t)
{
	uint32_t p, max = evtchn_max_port(d);

	if (d->is_dying) {
		return -EINVAL;
	}
	for (p = 1; p <= max; p++) {
		if (p >= t->nr_ports && !add_bucket(t)) {
			return -ENOMEM;
		}
		if (chn_of(t, p)->state == ECS_FREE &&
		    !(d->evtchn_fifo && evtchn_fifo_is_busy(d, p))) {
			chn_of(t, p)->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
			return (int)p;
		}
	}
	return -ENOSPC;
}

/*
 * A channel back to unused. It keeps the FIFO queue it last sat on (it may
 * still be that queue's tail, which its next raise must empty, as Xen keeps
 * fifo_lastq) and gets the default priority back.
 */
static void clear_chn(struct evtchn *c)
{
	uint16_t last_vcpu = c->last_vcpu;
	uint8_t last_priority = c->last_priority;

	memset(c, 0, sizeof(*c));
	c->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
	c->last_vcpu = last_vcpu;
	c->last_priority = last_priority;
}

/* Back to free: the guest-visible bits too, so a reused port starts clean. */
static void free_port(struct domain *d, uint32_t port)
{
	struct evtchn *c = chn_of(d->evtchn, port);

	xsm_free_security_evtchn(c);
	clear_chn(c);
	if (d->evtchn_fifo) {
		evtchn_fifo_clear_pending(d, port);
	} else if (d->shared_info && port < NR_EVENT_CHANNELS) {
		bit_clear(d->shared_info->evtchn_pending, port);
	}
}

/*
 * A port of d (the caller, or another domain for a privileged or target
 * caller: the XSM_TARGET hook decides) offered to remote_dom. As on Xen,
 * remote_dom is not looked up here: FLASK refuses one that does not exist
 * (-EPERM), the dummy module lets it stand; DOMID_SELF means the caller;
 * a reserved id is -EPERM under every module, without a check.
 */
static long evtchn_alloc_unbound_locked(struct domain *d, struct evtchn_alloc_unbound *a)
{
	struct evtchn_table *t = table_of(d);
	domid_t remote = a->remote_dom == DOMID_SELF ? current->domain->domain_id : a->remote_dom;
	int port;
	long rc;

	if (!t) {
		return d->is_dying ? -EINVAL : -ENOMEM;
	}
	port = get_free_port(d, t);
	if (port < 0) {
		return port;
	}
	/*
	 * A reserved remote id (DOMID_XEN, DOMID_IO, ...) is no domain: FLASK
	 * on Xen finds none and answers -EPERM before any check, and no port
	 * offered to one could ever be bound. Only the hypervisor's own back
	 * ends (evtchn_alloc_xen) offer a port to DOMID_XEN.
	 */
	rc = remote >= DOMID_FIRST_RESERVED ? -EPERM
					    : xsm_evtchn_unbound(d, chn_of(t, port), a->remote_dom);
	if (rc) {
		clear_chn(chn_of(t, port));
		return rc;
	}
	chn_of(t, port)->state = ECS_UNBOUND;
	chn_of(t, port)->u.unbound.remote_domid = remote;
	a->port = (uint32_t)port;
	return 0;
}

static long evtchn_bind_interdomain_locked(struct domain *d, struct evtchn_bind_interdomain *b)
{
	struct evtchn_table *t = table_of(d);
	struct domain *rd;
	struct evtchn *rc_chn;
	int port;
	long rc;

	if (!t) {
		return d->is_dying ? -EINVAL : -ENOMEM;
	}
	rd = domain_lookup_guest(b->remote_dom);
	if (!rd) {
		return -ESRCH;
	}
	port = get_free_port(d, t);
	if (port < 0) {
		return port;
	}
	/* No table yet: nothing offered. A dying domain's ports are going away. */
	rc_chn = evtchn_from_port(rd, b->remote_port);
	/* The remote port must be unbound and offered to us. */
	if (!rc_chn || rd->is_dying || rc_chn->state != ECS_UNBOUND ||
	    rc_chn->u.unbound.remote_domid != d->domain_id) {
		return -EINVAL;
	}
	rc = xsm_evtchn_interdomain(d, chn_of(t, port), rd, rc_chn);
	if (rc) {
		clear_chn(chn_of(t, port));
		return rc;
	}
	chn_of(t, port)->state = ECS_INTERDOMAIN;
	chn_of(t, port)->u.interdomain.remote_dom = rd;
	chn_of(t, port)->u.interdomain.remote_port = b->remote_port;
	rc_chn->state = ECS_INTERDOMAIN;
	rc_chn->u.interdomain.remote_dom = d;
	rc_chn->u.interdomain.remote_port = (uint32_t)port;
	/* As on Xen: the new local end starts pending, so no notification is lost. */
	set_pending(d, (uint32_t)port);
	b->local_port = (uint32_t)port;
	return 0;
}

static long evtchn_bind_virq_locked(struct domain *d, struct evtchn_bind_virq *b)
{
	struct evtchn_table *t = table_of(d);
	int port;
	long rc;

	if (!t) {
		return -ENOMEM;
	}
	if (b->virq >= NR_VIRQS) {
		return -EINVAL;
	}
	if (virq_is_global(b->virq) && b->vcpu != 0) {
		return -EINVAL;
	}
	if (b->vcpu >= d->max_vcpus || b->vcpu >= MAX_VIRT_CPUS || !d->vcpu[b->vcpu]) {
		return -ENOENT;
	}
	if (t->virq_port[b->vcpu][b->virq]) {
		return -EEXIST;
	}
	rc = xsm_evtchn_virq(d, b->virq);
	if (rc) {
		return rc;
	}
	port = get_free_port(d, t);
	if (port < 0) {
		return port;
	}
	chn_of(t, port)->state = ECS_VIRQ;
	chn_of(t, port)->notify_vcpu = (uint16_t)b->vcpu;
	chn_of(t, port)->u.virq = b->virq;
	t->virq_port[b->vcpu][b->virq] = (uint32_t)port;
	b->port = (uint32_t)port;
	return 0;
}

static long evtchn_bind_ipi_locked(struct domain *d, struct evtchn_bind_ipi *b)
{
	struct evtchn_table *t = table_of(d);
	int port;

	if (!t) {
		return -ENOMEM;
	}
	if (b->vcpu >= d->max_vcpus || b->vcpu >= MAX_VIRT_CPUS || !d->vcpu[b->vcpu]) {
		return -ENOENT;
	}
	/* An IPI channel connects the domain to itself: no hook, as on Xen. */
	port = get_free_port(d, t);
	if (port < 0) {
		return port;
	}
	chn_of(t, port)->state = ECS_IPI;
	chn_of(t, port)->notify_vcpu = (uint16_t)b->vcpu;
	b->port = (uint32_t)port;
	return 0;
}

static long evtchn_close_port_locked(struct domain *d, uint32_t port, bool check)
{
	struct evtchn *c = evtchn_from_port(d, port), *rc_chn;
	long rc;

	if (!c || c->state == ECS_FREE) {
		return -EINVAL;
	}
	if (c->state == ECS_RESERVED) {
		return -EINVAL;
	}
	if (check) {
		rc = xsm_evtchn_close(d, c);
		if (rc) {
			return rc;
		}
	}
	switch (c->state) {
	case ECS_VIRQ:
		d->evtchn->virq_port[virq_is_global(c->u.virq) ? 0 : c->notify_vcpu][c->u.virq] = 0;
		break;
	case ECS_INTERDOMAIN: {
		struct domain *rd = c->u.interdomain.remote_dom;

		rc_chn = evtchn_from_port(rd, c->u.interdomain.remote_port);
		/* The other end goes back to waiting for a new peer (a loopback's too). */
		if (rc_chn && rc_chn != c && rc_chn->state == ECS_INTERDOMAIN) {
			rc_chn->state = ECS_UNBOUND;
			rc_chn->u.unbound.remote_domid = d->domain_id;
		}
		break;
	}
	default:
		break;
	}
	free_port(d, port);
	return 0;
}

static long evtchn_send_locked(struct domain *d, uint32_t port)
{
	struct evtchn *c = evtchn_from_port(d, port);
	long rc;

	if (!c || c->state == ECS_FREE || c->state == ECS_RESERVED) {
		return -EINVAL;
	}
	rc = xsm_evtchn_send(d, c);
	if (rc) {
		return rc;
	}
	switch (c->state) {
	case ECS_INTERDOMAIN:
		if (c->xen_notify) {
			c->xen_notify(d, port);
			return 0;
		}
		set_pending(c->u.interdomain.remote_dom, c->u.interdomain.remote_port);
		return 0;
	case ECS_IPI:
		set_pending(d, port);
		return 0;
	case ECS_UNBOUND:
		/* Nobody to tell yet: silently dropped, as on Xen. */
		return 0;
	default:
		return -EINVAL;
	}
}

static long evtchn_status_locked(struct domain *d, struct evtchn_status *st)
{
	/* A domain that never used a channel has them all free: nothing is made for a query. */
	struct evtchn unused = {.state = ECS_FREE};
	struct domain *td;
	struct evtchn *c;
	long rc;

	td = domain_lookup_guest(st->dom);
	if (!td) {
		return -ESRCH;
	}
	/* Xen's order: a port past the domain's limit is -EINVAL before the hook. */
	c = evtchn_from_port(td, st->port);
	if (st->port > evtchn_max_port(td)) {
		return -EINVAL;
	}
	if (!c) {
		/* A port within the limit no bucket holds yet: closed. */
		c = &unused;
	}
	rc = xsm_evtchn_status(td, c);
	if (rc) {
		return rc;
	}
	memset(&st->status, 0, sizeof(*st) - offsetof(struct evtchn_status, status));
	st->vcpu = c->notify_vcpu;
	switch (c->state) {
	case ECS_FREE:
	case ECS_RESERVED:
		st->status = EVTCHNSTAT_closed;
		break;
	case ECS_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = c->u.unbound.remote_domid;
		break;
	case ECS_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = c->u.interdomain.remote_dom->domain_id;
		st->u.interdomain.port = c->u.interdomain.remote_port;
		break;
	case ECS_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = c->u.virq;
		break;
	case ECS_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	}
	return 0;
}

static long evtchn_bind_vcpu_locked(struct domain *d, struct evtchn_bind_vcpu *b)
{
	struct evtchn *c = evtchn_from_port(d, b->port);

	if (b->vcpu >= d->max_vcpus || b->vcpu >= MAX_VIRT_CPUS || !d->vcpu[b->vcpu]) {
		return -ENOENT;
	}
	if (!c || c->state == ECS_FREE || c->state == ECS_RESERVED) {
		return -EINVAL;
	}
	switch (c->state) {
	case ECS_VIRQ:
		/* Per-vcpu VIRQs belong to their vcpu. */
		if (!virq_is_global(c->u.virq)) {
			return -EINVAL;
		}
		/* fallthrough */
	case ECS_UNBOUND:
	case ECS_INTERDOMAIN:
		c->notify_vcpu = (uint16_t)b->vcpu;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Clearing the mask re-raises the upcall for an event that arrived while masked. */
static long evtchn_unmask_locked(struct domain *d, uint32_t port)
{
	struct shared_info *s = d->shared_info;
	struct evtchn *c = evtchn_from_port(d, port);
	struct vcpu *v;

	if (d->evtchn_fifo) {
		if (!c) {
			return -EINVAL;
		}
		evtchn_fifo_unmask(d, c, port);
		return 0;
	}
	if (!c || port >= NR_EVENT_CHANNELS || !s) {
		return -EINVAL;
	}
	bit_clear(s->evtchn_mask, port);
	if (!(v = notify_vcpu(d, c)) || !v->vcpu_info) {
		return 0;
	}
	if (bit_test(s->evtchn_pending, port) &&
	    !bit_test_and_set(&v->vcpu_info->evtchn_pending_sel, port / BITS_PER_WORD)) {
		__atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
		if (v->is_blocked) {
			vcpu_wake(v);
		} else {
			vcpu_kick(v);
		}
	}
	return 0;
}

/*
 * Xen's order: a port beyond the allocated ones, then an ABI without
 * priorities, then the priority. As in Xen, any port in range may be
 * given one; a port gets the default again when it is handed out.
 */
static long evtchn_set_priority_locked(struct domain *d, const struct evtchn_set_priority *sp)
{
	struct evtchn *c = evtchn_from_port(d, sp->port);

	if (!c) {
		return -EINVAL;
	}
	if (!d->evtchn_fifo) {
		return -ENOSYS;
	}
	return evtchn_fifo_set_priority(c, sp->priority);
}

struct domain *evtchn_peer(struct domain *d, uint32_t port);

/* Takes a's and b's channel locks (b may be NULL or a), in address order. */
static bool lock_pair(struct domain *a, struct domain *b)
{
	bool was_on = arch_irq_save();

	if (!b || b == a) {
		spin_lock(&a->evtchn_lock);
	} else if (a < b) {
		spin_lock(&a->evtchn_lock);
		spin_lock(&b->evtchn_lock);
	} else {
		spin_lock(&b->evtchn_lock);
		spin_lock(&a->evtchn_lock);
	}
	return was_on;
}

static void unlock_pair(struct domain *a, struct domain *b, bool was_on)
{
	if (b && b != a) {
		spin_unlock(&b->evtchn_lock);
	}
	spin_unlock(&a->evtchn_lock);
	arch_irq_restore(was_on);
}

/*
 * Locks d and the peer of d's port (when it is an interdomain channel):
 * the peer is read, both locked, and read again until it held still.
 */
static struct domain *lock_port_and_peer(struct domain *d, uint32_t port, bool *was_on)
{
	for (;;) {
		struct domain *peer = evtchn_peer(d, port);

		*was_on = lock_pair(d, peer);
		if (evtchn_peer(d, port) == peer) {
			return peer;
		}
		unlock_pair(d, peer, *was_on);
	}
}

static long evtchn_close_port(struct domain *d, uint32_t port, bool check)
{
	bool was_on;
	struct domain *peer = lock_port_and_peer(d, port, &was_on);
	long rc = evtchn_close_port_locked(d, port, check);

	unlock_pair(d, peer, was_on);
	return rc;
}

static long evtchn_send(struct domain *d, uint32_t port)
{
	bool was_on;
	struct domain *peer = lock_port_and_peer(d, port, &was_on);
	long rc = evtchn_send_locked(d, port);

	unlock_pair(d, peer, was_on);
	return rc;
}

static long evtchn_bind_interdomain(struct domain *d, struct evtchn_bind_interdomain *b)
{
	struct domain *rd = domain_lookup_guest(b->remote_dom);
	bool was_on;
	long rc;

	if (!rd) {
		return -ESRCH;
	}
	was_on = lock_pair(d, rd);
	rc = evtchn_bind_interdomain_locked(d, b);
	unlock_pair(d, rd, was_on);
	return rc;
}

static long evtchn_alloc_unbound(struct evtchn_alloc_unbound *a)
{
	struct domain *td = domain_lookup_guest(a->dom);
	bool was_on;
	long rc;

	if (!td) {
		return -ESRCH;
	}
	was_on = lock_pair(td, NULL);
	rc = evtchn_alloc_unbound_locked(td, a);
	unlock_pair(td, NULL, was_on);
	return rc;
}

static long evtchn_status(struct domain *d, struct evtchn_status *st)
{
	struct domain *td = domain_lookup_guest(st->dom);
	bool was_on;
	long rc;

	if (!td) {
		return -ESRCH;
	}
	was_on = lock_pair(td, NULL);
	rc = evtchn_status_locked(d, st);
	unlock_pair(td, NULL, was_on);
	return rc;
}

/* The operations on the caller's own channels only. */
#define ON_OWN(call)                                                                               \
	({                                                                                         \
		bool was_on_ = lock_pair(d, NULL);                                                 \
		long rc_ = (call);                                                                 \
                                                                                                   \
		unlock_pair(d, NULL, was_on_);                                                     \
		rc_;                                                                               \
	})

/*
 * reset_cont resumes a preempted reset on Xen. Ours is never preempted (a
 * table holds at most 1024 ports), so there is none to resume: Xen's
 * answer then is -EBUSY, after the same checks as reset.
 */
static long evtchn_reset(struct domain *d, domid_t dom, bool resuming)
{
	struct domain *td = domain_lookup_guest(dom);
	bool was_on;
	uint32_t p;
	long rc;

	if (!td) {
		return -ESRCH;
	}
	rc = xsm_evtchn_reset(d, td);
	if (rc) {
		return rc;
	}
	/* As Xen: another domain's channels only while it is paused (it cannot race the reset). */
	if (td != d && !__atomic_load_n(&td->pause_count, __ATOMIC_ACQUIRE)) {
		return -EINVAL;
	}
	if (resuming) {
		return -EBUSY;
	}
	if (!td->evtchn) {
		return 0;
	}
	/*
	 * The hook above covered the whole reset: each close is not asked
	 * again. Channels whose other end is the hypervisor stay (Xen keeps
	 * its own consumers' channels too).
	 */
	for (p = 1; p < td->evtchn->nr_ports; p++) {
		struct evtchn *c = chn_of(td->evtchn, p);

		if (c->state != ECS_FREE && c->state != ECS_RESERVED && !c->xen_notify) {
			evtchn_close_port(td, p, false);
		}
	}
	/* Back to the 2-level ABI, as Xen's reset. */
	was_on = lock_pair(td, NULL);
	evtchn_fifo_destroy(td);
	unlock_pair(td, NULL, was_on);
	return 0;
}

struct domain *evtchn_peer(struct domain *d, uint32_t port)
{
	struct evtchn *c = evtchn_from_port(d, port);

	return c && c->state == ECS_INTERDOMAIN ? c->u.interdomain.remote_dom : NULL;
}

int evtchn_with_peer(struct domain *d, uint32_t port, void (*fn)(struct domain *peer, void *arg),
		     void *arg)
{
	bool was_on = lock_pair(d, NULL);
	struct domain *peer = evtchn_peer(d, port);

	if (peer) {
		fn(peer, arg);
	}
	unlock_pair(d, NULL, was_on);
	return peer ? 0 : -EINVAL;
}

void evtchn_destroy(struct domain *d)
{
	uint32_t p;

	evtchn_fifo_destroy(d);
	if (!d->evtchn) {
		return;
	}
	for (p = 1; p < d->evtchn->nr_ports; p++) {
		if (chn_of(d->evtchn, p)->state != ECS_FREE) {
			evtchn_close_port(d, p, false);
		}
	}
	/* Detached under the lock: whoever takes it next finds no table. */
	{
		bool was_on = lock_pair(d, NULL);
		struct evtchn_table *t = d->evtchn;

		d->evtchn = NULL;
		unlock_pair(d, NULL, was_on);
		for (p = 0; p < NR_BUCKETS; p++) {
			xfree(t->bucket[p]);
		}
		xfree(t);
	}
}

int evtchn_alloc_xen(struct domain *d, void (*notify)(struct domain *d, uint32_t port),
		     uint32_t *port)
{
	struct evtchn_table *t = table_of(d);
	struct evtchn *c;
	int p;
	long rc;

	if (!t || !dom_xen) {
		return -ENOMEM;
	}
	p = get_free_port(d, t);
	if (p < 0) {
		return p;
	}
	c = chn_of(t, p);
	/* Offered to DOMID_XEN, as a toolstack offers a port to its back end. */
	rc = xsm_evtchn_unbound(d, c, DOMID_XEN);
	if (rc) {
		clear_chn(c);
		return (int)rc;
	}
	/* The hypervisor's end binds at once: the guest never sees it unbound. */
	c->state = ECS_INTERDOMAIN;
	c->u.interdomain.remote_dom = dom_xen;
	c->u.interdomain.remote_port = 0;
	c->xen_notify = notify;
	*port = (uint32_t)p;
	return 0;
}

static struct evtchn *xen_channel(struct domain *d, uint32_t port,
				  void (*notify)(struct domain *d, uint32_t port))
{
	struct evtchn *c = evtchn_from_port(d, port);

	return c && c->state == ECS_INTERDOMAIN && c->xen_notify == notify ? c : NULL;
}

void evtchn_send_from_xen(struct domain *d, uint32_t port,
			  void (*notify)(struct domain *d, uint32_t port))
{
	if (xen_channel(d, port, notify)) {
		set_pending(d, port);
	}
}

void evtchn_close_xen(struct domain *d, uint32_t port,
		      void (*notify)(struct domain *d, uint32_t port))
{
	if (xen_channel(d, port, notify)) {
		evtchn_close_port(d, port, false);
	}
}

/* In/out argument sizes by sub-op (0: not a 2-level sub-op we take). */
static size_t arg_size(uint32_t cmd)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return sizeof(struct evtchn_alloc_unbound);
	case EVTCHNOP_bind_interdomain:
		return sizeof(struct evtchn_bind_interdomain);
	case EVTCHNOP_bind_virq:
		return sizeof(struct evtchn_bind_virq);
	case EVTCHNOP_bind_ipi:
		return sizeof(struct evtchn_bind_ipi);
	case EVTCHNOP_bind_vcpu:
		return sizeof(struct evtchn_bind_vcpu);
	case EVTCHNOP_close:
	case EVTCHNOP_send:
	case EVTCHNOP_unmask:
		return sizeof(uint32_t);
	case EVTCHNOP_status:
		return sizeof(struct evtchn_status);
	case EVTCHNOP_reset:
	case EVTCHNOP_reset_cont:
		return sizeof(struct evtchn_reset);
	case EVTCHNOP_init_control:
		return sizeof(struct evtchn_init_control);
	case EVTCHNOP_expand_array:
		return sizeof(struct evtchn_expand_array);
	case EVTCHNOP_set_priority:
		return sizeof(struct evtchn_set_priority);
	default:
		return 0;
	}
}

long do_event_channel_op(uint32_t cmd, uint64_t arg)
{
	struct domain *d = current->domain;
	union {
		struct evtchn_alloc_unbound alloc_unbound;
		struct evtchn_bind_interdomain bind_interdomain;
		struct evtchn_bind_virq bind_virq;
		struct evtchn_bind_ipi bind_ipi;
		struct evtchn_bind_vcpu bind_vcpu;
		struct evtchn_status status;
		struct evtchn_reset reset;
		struct evtchn_init_control init_control;
		struct evtchn_expand_array expand_array;
		struct evtchn_set_priority set_priority;
		uint32_t port;
	} u;
	size_t size;
	long rc;

	switch (cmd) {
	case EVTCHNOP_bind_pirq:
		/* No physical interrupt is routed to guests yet. */
		return -EPERM;
	default:
		break;
	}
	size = arg_size(cmd);
	if (!size) {
		return -ENOSYS;
	}
	if (copy_from_guest(&u, arg, size)) {
		return -EFAULT;
	}
	if (ON_OWN(table_of(d) ? 0 : -ENOMEM)) {
		return -ENOMEM;
	}
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		rc = evtchn_alloc_unbound(&u.alloc_unbound);
		break;
	case EVTCHNOP_bind_interdomain:
		rc = evtchn_bind_interdomain(d, &u.bind_interdomain);
		break;
	case EVTCHNOP_bind_virq:
		rc = ON_OWN(evtchn_bind_virq_locked(d, &u.bind_virq));
		break;
	case EVTCHNOP_bind_ipi:
		rc = ON_OWN(evtchn_bind_ipi_locked(d, &u.bind_ipi));
		break;
	case EVTCHNOP_bind_vcpu:
		return ON_OWN(evtchn_bind_vcpu_locked(d, &u.bind_vcpu));
	case EVTCHNOP_close:
		return evtchn_close_port(d, u.port, true);
	case EVTCHNOP_send:
		return evtchn_send(d, u.port);
	case EVTCHNOP_unmask:
		return ON_OWN(evtchn_unmask_locked(d, u.port));
	case EVTCHNOP_status:
		rc = evtchn_status(d, &u.status);
		break;
	case EVTCHNOP_reset:
		return evtchn_reset(d, u.reset.dom, false);
	case EVTCHNOP_reset_cont:
		return evtchn_reset(d, u.reset.dom, true);
	/* The FIFO sub-ops act on the caller's own state only (no hook, as Xen). */
	case EVTCHNOP_init_control:
		rc = ON_OWN(evtchn_fifo_init_control(d, &u.init_control));
		break;
	case EVTCHNOP_expand_array:
		return ON_OWN(evtchn_fifo_expand_array(d, &u.expand_array));
	case EVTCHNOP_set_priority:
		return ON_OWN(evtchn_set_priority_locked(d, &u.set_priority));
	default:
		return -ENOSYS;
	}
	/* Out fields: written back only on success. */
	if (!rc && copy_to_guest(arg, &u, size)) {
		rc = -EFAULT;
	}
	return rc;
}
