/*
 * The hypervisor as the console back end of boot-time domUs.
 *
 * A boot-time domU gets a console ring page (struct xencons_interface,
 * public/io_console.h) among its own pages and an event channel whose
 * other end is the hypervisor; start_info.console.domU names both, as
 * Xen's toolstack fills them for xenconsoled. When the guest signals the
 * port, the hypervisor takes what the out ring holds and prints it through
 * the domain's console line (console.h): whole "(dN) " lines under the
 * same per-domain rate limit and the same XSM writeconsole check as
 * console_io. It then publishes out_cons and signals the port back. The in
 * ring stays empty (the serial input belongs to dom0).
 *
 * The page is the guest's, so the guest could try to give it away or make
 * it a page table while the hypervisor still writes out_cons in it: the
 * back end holds a general and a writable type reference on the frame
 * until the domain shuts down, which refuses both.
 *
 * A producer counter more than a ring ahead of the consumer is a guest
 * error: the held line is written, one line says so, and the ring is
 * disabled for good; nothing beyond the ring is ever read.
 *
 * Locking: the domain's xencons_lock guards d->xencons and the ring
 * (several vcpus of one domU may signal it on several CPUs); the console
 * lock nests inside it; the signal back to the guest is sent after it is
 * released, since the event-channel code may call back into us.
 */
#ifndef PALISADE_XENCONS_H
#define PALISADE_XENCONS_H

#include <types.h>

struct domain;
struct xencons_interface;

struct xencons_backend {
	struct xencons_interface *intf; /* the guest's page, through the direct map */
	mfn_t mfn;
	uint32_t port;	/* d's end of the channel */
	uint32_t cons;	/* our consumer counter; the page's copy is only published */
	bool disabled;	/* after a guest error */
	uint64_t bytes; /* consumed so far */
};

/*
 * Makes the hypervisor d's console back end on frame mfn (d's own, zeroed
 * by the builder): takes the frame references, opens the channel
 * (evtchn_alloc_xen). 0 and *port, or -EINVAL (not d's frame, or not
 * writable memory), -ENOMEM, -EEXIST (already attached), the XSM denial.
 * Nothing is left behind on failure.
 */
int xencons_attach(struct domain *d, mfn_t mfn, uint32_t *port);

/* The guest signalled the port: consume the out ring (at time now, ns). */
void xencons_consume(struct domain *d, uint64_t now);

/*
 * The same without the signal back: for a domain that is shutting down,
 * from outside the event-channel code (whose lock the signal needs and
 * which holds it when it calls the back end).
 */
void xencons_drain(struct domain *d, uint64_t now);

/*
 * The back end goes away (domain shutdown, destroy): the channel is
 * closed and the frame references dropped. Safe to call more than once.
 */
void xencons_detach(struct domain *d);

#endif /* PALISADE_XENCONS_H */
