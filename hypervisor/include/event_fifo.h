/*
 * The FIFO event-channel ABI (Xen's EVTCHNOP_init_control, expand_array,
 * set_priority), used by a domain once it registers a control block.
 *
 * Each port has a 32-bit event word in an array of guest pages the guest
 * grows (expand_array), with the bits PENDING, MASKED, LINKED, BUSY and a
 * 17-bit LINK to the next port of its queue. Each vcpu that registered a
 * control block has 16 queues, one per priority (0 highest); a raised,
 * unmasked event is linked at the tail of its queue, the queue's head lives
 * in the control block and a newly non-empty queue sets its bit in the
 * block's READY word and the vcpu's upcall. The guest consumes heads and
 * unlinks; the hypervisor only appends. Words are shared with the guest,
 * so every change is an atomic read-modify-write, and the link of a tail
 * is set by compare-exchange only while the tail is still LINKED (BUSY
 * holds off the guest's unmask meanwhile).
 *
 * Every function here but evtchn_fifo_release is called with
 * d->evtchn_lock held (event.h), which also guards the queues' tails; pages are held with a general
 * and a writable type reference until the domain shuts down or resets.
 */
#ifndef PALISADE_EVENT_FIFO_H
#define PALISADE_EVENT_FIFO_H

#include <types.h>

struct domain;
struct vcpu;
struct evtchn;
struct evtchn_init_control;
struct evtchn_expand_array;

/*
 * EVTCHNOP_init_control for d: maps the control block of vcpu ic->vcpu
 * (ic->link_bits is set for the reply). The first call switches d to FIFO:
 * its bound ports keep their pending state (raised in FIFO once their
 * array page exists) and get the default priority. 0, -ENOENT (no such
 * vcpu), -EINVAL (offset past the page or not 8-byte aligned, the frame is
 * not d's writable memory, or that vcpu already has a block), -ENOMEM.
 * Nothing is left behind on failure.
 */
long evtchn_fifo_init_control(struct domain *d, struct evtchn_init_control *ic);

/*
 * EVTCHNOP_expand_array: one more event array page (1024 ports). 0,
 * -EOPNOTSUPP (d is not FIFO), -ENOSPC (128 pages already: 2^17 ports),
 * -EINVAL (not d's writable memory). Events raised on the new page's ports
 * meanwhile are queued now.
 */
long evtchn_fifo_expand_array(struct domain *d, const struct evtchn_expand_array *ea);

/* EVTCHNOP_set_priority on d's channel c: 0 or -EINVAL (priority above 15). */
long evtchn_fifo_set_priority(struct evtchn *c, uint32_t priority);

/* Raises port (channel c) of v's domain towards v; wakes or kicks v when that is news. */
void evtchn_fifo_set_pending(struct vcpu *v, struct evtchn *c, uint32_t port);

/* Clears port's PENDING bit (a port being freed). */
void evtchn_fifo_clear_pending(struct domain *d, uint32_t port);

/* EVTCHNOP_unmask: clears MASKED and re-raises the event if it is pending. */
void evtchn_fifo_unmask(struct domain *d, struct evtchn *c, uint32_t port);

/* port's event word has PENDING set (false without a word). */
bool evtchn_fifo_is_pending(struct domain *d, uint32_t port);

/* port's event word is still LINKED: the port may not be handed out again yet. */
bool evtchn_fifo_is_busy(struct domain *d, uint32_t port);

/*
 * Drops every page reference (the domain shuts down): events raised later
 * are only remembered in the channel. d stays FIFO until evtchn_fifo_destroy.
 * Takes d->evtchn_lock itself.
 */
void evtchn_fifo_release(struct domain *d);

/* Releases and frees the FIFO state: d is back to 2-level (reset, destruction). */
void evtchn_fifo_destroy(struct domain *d);

#endif /* PALISADE_EVENT_FIFO_H */
