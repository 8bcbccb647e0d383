/*
 * The console back end of boot-time domUs: see xencons.h.
 */
#include <arch/mm.h>
#include <arch/time.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <heap.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/io_console.h>
#include <public/xen.h>
#include <xencons.h>

#include <xsm/xsm.h>

/* Copied out of the shared page in pieces this big before they are printed. */
#define XENCONS_CHUNK 128

static void xencons_notify(struct domain *d, uint32_t port)
{
	(void)port;
	xencons_consume(d, arch_now_ns());
}

int xencons_attach(struct domain *d, mfn_t mfn, uint32_t *port)
{
	struct xencons_backend *b;
	int rc;

	if (d->xencons) {
		return -EEXIST;
	}
	b = xzalloc(sizeof(*b));
	if (!b) {
		return -ENOMEM;
	}
	if (get_page_and_type(mfn, d, PGT_writable)) {
		xfree(b);
		return -EINVAL;
	}
	rc = evtchn_alloc_xen(d, xencons_notify, &b->port);
	if (rc) {
		put_page_and_type(mfn);
		xfree(b);
		return rc;
	}
	b->mfn = mfn;
	b->intf = arch_mfn_to_virt(mfn);
	b->cons = __atomic_load_n(&b->intf->out_cons, __ATOMIC_ACQUIRE);
	d->xencons = b;
	*port = b->port;
	return 0;
}

static void disable(struct domain *d, struct xencons_backend *b, uint32_t prod)
{
	b->disabled = true;
	/* What the guest wrote before the bad index still ends its line first. */
	console_line_flush(&d->console);
	pr_warn("d%u: console ring: producer index %u is %u bytes past the consumer index %u "
		"(the ring holds %u): ring disabled\n",
		d->domain_id, prod, prod - b->cons, b->cons, XENCONS_OUT_SIZE);
}

/*
 * Reads what the guest wrote in its out ring into its lines, under the
 * domain's xencons_lock (lock order: xencons_lock, then the console's).
 * True and *port when the guest should be signalled (outside the lock:
 * the signal takes the event-channel locks, whose holders may call us).
 */
static bool consume_locked(struct domain *d, uint64_t now, uint32_t *port)
{
	struct xencons_backend *b = d->xencons;
	struct xencons_interface *intf;
	char buf[XENCONS_CHUNK];
	uint32_t prod, cons;
	bool allowed;

	if (!b || b->disabled) {
		return false;
	}
	intf = b->intf;
	/* Acquire: the bytes below are read only after the index that covers them. */
	prod = __atomic_load_n(&intf->out_prod, __ATOMIC_ACQUIRE);
	cons = b->cons;
	if (prod - cons > XENCONS_OUT_SIZE) {
		disable(d, b, prod);
		return false;
	}
	if (prod == cons) {
		return false;
	}
	/* The same check as a console_io write: the ring is no way around the policy. */
	allowed = xsm_console_io(d, CONSOLEIO_write) == 0;
	while (cons != prod) {
		uint32_t at = MASK_XENCONS_IDX(cons, intf->out);
		uint32_t n = MIN(prod - cons, (uint32_t)XENCONS_OUT_SIZE - at);

		n = MIN(n, (uint32_t)sizeof(buf));
		/* One copy out of the shared page: the guest may rewrite it meanwhile. */
		memcpy(buf, intf->out + at, n);
		if (allowed) {
			console_line_write(&d->console, buf, n, now);
		}
		cons += n;
	}
	/* Every read of the ring is done before the guest may reuse the space. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&intf->out_cons, cons, __ATOMIC_RELEASE);
	b->bytes += prod - b->cons;
	b->cons = cons;
	*port = b->port;
	return true;
}

static void consume(struct domain *d, uint64_t now, bool may_signal)
{
	bool was_on = spin_lock_irqsave(&d->xencons_lock);
	uint32_t port = 0;
	bool signal = consume_locked(d, now, &port);

	spin_unlock_irqrestore(&d->xencons_lock, was_on);
	if (signal && may_signal) {
		evtchn_send_from_xen(d, port, xencons_notify);
	}
}

void xencons_consume(struct domain *d, uint64_t now)
{
	consume(d, now, true);
}

void xencons_drain(struct domain *d, uint64_t now)
{
	consume(d, now, false);
}

void xencons_detach(struct domain *d)
{
	bool was_on = spin_lock_irqsave(&d->xencons_lock);
	struct xencons_backend *b = d->xencons;

	d->xencons = NULL;
	spin_unlock_irqrestore(&d->xencons_lock, was_on);
	if (!b) {
		return;
	}
	evtchn_close_xen(d, b->port, xencons_notify);
	put_page_and_type(b->mfn);
	xfree(b);
}
