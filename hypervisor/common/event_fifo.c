/*
 * The FIFO event-channel ABI (event_fifo.h): control blocks per vcpu,
 * the event array, the queues per vcpu and priority.
 *
 * The control-block and array frames are the guest's own memory, named by
 * frame number as PV guests name them (gfn = mfn). Each one is held with a
 * general and a writable type reference, so the guest can neither free it
 * nor turn it into a page table while the hypervisor writes into it.
 */
#include <arch/mm.h>
#include <cmdline.h>
#include <domain.h>
#include <event.h>
#include <event_fifo.h>
#include <heap.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/xen.h>
#include <sched.h>

#define WORDS_PER_PAGE (PAGE_SIZE / sizeof(event_word_t))
#define MAX_ARRAY_PAGES (EVTCHN_FIFO_NR_CHANNELS / WORDS_PER_PAGE)
#define BIT(n) (1U << (n))
/*
 * Tries at linking a tail after the guest changed its word under us: once
 * BUSY is set the guest may only clear PENDING or LINKED and set MASKED,
 * each at most once, so more tries mean a guest breaking the protocol.
 */
#define LINK_TRIES 8

_Static_assert(EVTCHN_MAX_PORTS == EVTCHN_FIFO_NR_CHANNELS, "event.h's port limit is FIFO's");

struct fifo_vcpu {
	struct evtchn_fifo_control_block *cb; /* NULL until its init_control */
	mfn_t cb_mfn;
	uint32_t tail[EVTCHN_FIFO_MAX_QUEUES]; /* 0 = empty (port 0 is never queued) */
};

struct evtchn_fifo_domain {
	struct fifo_vcpu vcpu[MAX_VIRT_CPUS];
	event_word_t *page[MAX_ARRAY_PAGES];
	mfn_t page_mfn[MAX_ARRAY_PAGES];
	uint32_t nr_words; /* ports that have an event word: pages * WORDS_PER_PAGE */
};

static event_word_t *word_of(struct domain *d, uint32_t port)
{
	struct evtchn_fifo_domain *f = d->evtchn_fifo;

	if (!f || port >= f->nr_words) {
		return NULL;
	}
	return f->page[port / WORDS_PER_PAGE] + port % WORDS_PER_PAGE;
}

static uint32_t word_load(event_word_t *w)
{
	return __atomic_load_n(w, __ATOMIC_SEQ_CST);
}

static bool word_test_and_set(event_word_t *w, unsigned int bit)
{
	return __atomic_fetch_or(w, BIT(bit), __ATOMIC_SEQ_CST) & BIT(bit);
}

static void word_clear(event_word_t *w, unsigned int bit)
{
	__atomic_fetch_and(w, ~BIT(bit), __ATOMIC_SEQ_CST);
}

/*
 * Points the tail's LINK at port if the tail is still LINKED (the guest
 * has not consumed it). True if linked; false if the queue had emptied.
 */
static bool link_after(event_word_t *tail, uint32_t port)
{
	uint32_t old = word_load(tail);
	unsigned int i;

	for (i = 0; i < LINK_TRIES; i++) {
		uint32_t new = (old & ~(BIT(EVTCHN_FIFO_BUSY) | EVTCHN_FIFO_LINK_MASK)) | port;

		if (!(old & BIT(EVTCHN_FIFO_LINKED))) {
			word_clear(tail, EVTCHN_FIFO_BUSY);
			return false;
		}
		if (__atomic_compare_exchange_n(tail, &old, new, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST)) {
			return true;
		}
		if (i == 0) {
			/* The guest raced us: hold off its unmask while we retry. */
			word_test_and_set(tail, EVTCHN_FIFO_BUSY);
			old = word_load(tail);
		}
	}
	/* A guest that keeps rewriting its own tail: the event starts a new queue instead. */
	word_clear(tail, EVTCHN_FIFO_BUSY);
	return false;
}

static void notify(struct vcpu *v)
{
	if (v->is_blocked) {
		vcpu_wake(v);
	} else {
		vcpu_kick(v);
	}
}

void evtchn_fifo_set_pending(struct vcpu *v, struct evtchn *c, uint32_t port)
{
	struct domain *d = v->domain;
	struct evtchn_fifo_domain *f = d->evtchn_fifo;
	event_word_t *w = word_of(d, port);
	struct fifo_vcpu *fv = &f->vcpu[v->vcpu_id];
	struct fifo_vcpu *old;
	uint8_t prio = c->priority;
	bool was_pending, raise = false;

	if (!w) {
		/* No array page for it yet: queued when the guest adds that page. */
		c->fifo_pending = true;
		return;
	}
	was_pending = word_test_and_set(w, EVTCHN_FIFO_PENDING);
	/* Without a control block the guest must not have unmasked anything: it stays pending. */
	if (fv->cb && !(word_load(w) & BIT(EVTCHN_FIFO_MASKED)) &&
	    !word_test_and_set(w, EVTCHN_FIFO_LINKED)) {
		bool linked = false;

		/* It was the tail of the queue it last sat on: that queue is empty now. */
		old = &f->vcpu[c->last_vcpu < MAX_VIRT_CPUS ? c->last_vcpu : 0];
		if (old->tail[c->last_priority % EVTCHN_FIFO_MAX_QUEUES] == port) {
			old->tail[c->last_priority % EVTCHN_FIFO_MAX_QUEUES] = 0;
		}
		c->last_vcpu = (uint16_t)v->vcpu_id;
		c->last_priority = prio;
		if (fv->tail[prio] && word_of(d, fv->tail[prio])) {
			linked = link_after(word_of(d, fv->tail[prio]), port);
		}
		if (!linked) {
			__atomic_store_n(&fv->cb->head[prio], port, __ATOMIC_SEQ_CST);
		}
		fv->tail[prio] = port;
		if (!linked &&
		    !(__atomic_fetch_or(&fv->cb->ready, BIT(prio), __ATOMIC_SEQ_CST) & BIT(prio))) {
			__atomic_store_n(&v->vcpu_info->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
			raise = true;
		}
	}
	/* A poller waits for the pending bit, an upcall for READY. */
	if (!was_pending || raise) {
		notify(v);
	}
}

void evtchn_fifo_clear_pending(struct domain *d, uint32_t port)
{
	event_word_t *w = word_of(d, port);

	/* The guest skips a linked word that is no longer pending: no unlinking here. */
	if (w) {
		word_clear(w, EVTCHN_FIFO_PENDING);
	}
}

void evtchn_fifo_unmask(struct domain *d, struct evtchn *c, uint32_t port)
{
	event_word_t *w = word_of(d, port);
	struct vcpu *v = c->notify_vcpu < d->max_vcpus ? d->vcpu[c->notify_vcpu] : NULL;

	if (!w) {
		return;
	}
	word_clear(w, EVTCHN_FIFO_MASKED);
	if ((word_load(w) & BIT(EVTCHN_FIFO_PENDING)) && v && v->vcpu_info &&
	    c->state != ECS_FREE && c->state != ECS_RESERVED) {
		evtchn_fifo_set_pending(v, c, port);
	}
}

bool evtchn_fifo_is_pending(struct domain *d, uint32_t port)
{
	event_word_t *w = word_of(d, port);

	return w && (word_load(w) & BIT(EVTCHN_FIFO_PENDING));
}

bool evtchn_fifo_is_busy(struct domain *d, uint32_t port)
{
	event_word_t *w = word_of(d, port);

	return w && (word_load(w) & BIT(EVTCHN_FIFO_LINKED));
}

long evtchn_fifo_set_priority(struct evtchn *c, uint32_t priority)
{
	if (priority > EVTCHN_FIFO_PRIORITY_MIN) {
		return -EINVAL;
	}
	/* Future events go to the new queue; one already linked stays where it is. */
	c->priority = (uint8_t)priority;
	return 0;
}

/* A frame of d the hypervisor may write: general and writable type reference, or -EINVAL. */
static void *take_page(struct domain *d, uint64_t gfn, mfn_t *mfn)
{
	*mfn = _mfn(gfn);
	if (get_page_and_type(*mfn, d, PGT_writable)) {
		return NULL;
	}
	return arch_mfn_to_virt(*mfn);
}

/* The ports bound before the switch keep their pending state and get the default priority. */
static void adopt_ports(struct domain *d)
{
	struct evtchn *c;
	uint32_t port;

	for (port = 1; (c = evtchn_from_port(d, port)); port++) {
		if (c->state == ECS_FREE || c->state == ECS_RESERVED) {
			continue;
		}
		c->priority = EVTCHN_FIFO_PRIORITY_DEFAULT;
		if (port < NR_EVENT_CHANNELS && d->shared_info &&
		    (__atomic_load_n(&d->shared_info->evtchn_pending[port / 64], __ATOMIC_SEQ_CST) &
		     (1ULL << (port % 64)))) {
			c->fifo_pending = true;
		}
	}
}

long evtchn_fifo_init_control(struct domain *d, struct evtchn_init_control *ic)
{
	struct evtchn_fifo_domain *f = d->evtchn_fifo;
	bool first = !f;
	void *page;
	mfn_t mfn;

	/* evtchn_fifo=0: as a Xen without FIFO, so guests stay on 2-level. */
	if (!boot_opts.evtchn_fifo) {
		return -ENOSYS;
	}
	ic->link_bits = EVTCHN_FIFO_LINK_BITS;
	if (ic->vcpu >= d->max_vcpus || ic->vcpu >= MAX_VIRT_CPUS || !d->vcpu[ic->vcpu]) {
		return -ENOENT;
	}
	/* The block must lie inside the page, 8-byte aligned. */
	if (ic->offset > PAGE_SIZE - sizeof(struct evtchn_fifo_control_block) || (ic->offset & 7)) {
		return -EINVAL;
	}
	if (f && f->vcpu[ic->vcpu].cb) {
		return -EINVAL;
	}
	if (first && !(f = xzalloc(sizeof(*f)))) {
		return -ENOMEM;
	}
	page = take_page(d, ic->control_gfn, &mfn);
	if (!page) {
		if (first) {
			xfree(f);
		}
		return -EINVAL;
	}
	f->vcpu[ic->vcpu].cb = (struct evtchn_fifo_control_block *)((char *)page + ic->offset);
	f->vcpu[ic->vcpu].cb_mfn = mfn;
	if (first) {
		d->evtchn_fifo = f;
		adopt_ports(d);
	}
	return 0;
}

long evtchn_fifo_expand_array(struct domain *d, const struct evtchn_expand_array *ea)
{
	struct evtchn_fifo_domain *f = d->evtchn_fifo;
	uint32_t slot, port;
	void *page;
	mfn_t mfn;

	if (!f) {
		return -EOPNOTSUPP;
	}
	slot = f->nr_words / WORDS_PER_PAGE;
	if (slot >= MAX_ARRAY_PAGES) {
		return -ENOSPC;
	}
	page = take_page(d, ea->array_gfn, &mfn);
	if (!page) {
		return -EINVAL;
	}
	f->page[slot] = page;
	f->page_mfn[slot] = mfn;
	port = f->nr_words;
	/* Pollers read nr_words without the lock: the page pointer is visible first. */
	__atomic_store_n(&f->nr_words, f->nr_words + (uint32_t)WORDS_PER_PAGE, __ATOMIC_RELEASE);
	for (; port < f->nr_words; port++) {
		struct evtchn *c = evtchn_from_port(d, port);
		struct vcpu *v;

		if (!c) {
			break;
		}
		if (!c->fifo_pending) {
			continue;
		}
		c->fifo_pending = false;
		v = c->notify_vcpu < d->max_vcpus ? d->vcpu[c->notify_vcpu] : NULL;
		if (v && v->vcpu_info && c->state != ECS_FREE && c->state != ECS_RESERVED) {
			evtchn_fifo_set_pending(v, c, port);
		}
	}
	return 0;
}

static void release_locked(struct domain *d)
{
	struct evtchn_fifo_domain *f = d->evtchn_fifo;
	unsigned int i;

	if (!f) {
		return;
	}
	for (i = 0; i < MAX_VIRT_CPUS; i++) {
		if (f->vcpu[i].cb) {
			f->vcpu[i].cb = NULL;
			put_page_and_type(f->vcpu[i].cb_mfn);
		}
	}
	f->nr_words = 0;
	for (i = 0; i < MAX_ARRAY_PAGES; i++) {
		if (f->page[i]) {
			f->page[i] = NULL;
			put_page_and_type(f->page_mfn[i]);
		}
	}
}

void evtchn_fifo_release(struct domain *d)
{
	bool was_on = spin_lock_irqsave(&d->evtchn_lock);

	release_locked(d);
	spin_unlock_irqrestore(&d->evtchn_lock, was_on);
}

void evtchn_fifo_destroy(struct domain *d)
{
	release_locked(d);
	xfree(d->evtchn_fifo);
	d->evtchn_fifo = NULL;
}
