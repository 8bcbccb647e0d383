/*
 * Event channels, Xen's 2-level ABI: a domain's ports are bits in its
 * shared_info evtchn_pending / evtchn_mask bitmaps; a send sets the
 * pending bit and, when unmasked, the vcpu's evtchn_pending_sel word bit
 * and evtchn_upcall_pending, which makes the event callback run. Once the
 * domain calls EVTCHNOP_init_control it uses the FIFO ABI instead
 * (event_fifo.h): event words in guest pages, queued per vcpu and
 * priority; EVTCHNOP_reset returns it to 2-level.
 *
 * An interdomain channel keeps the remote domain pointer; its remote may
 * also be the hypervisor itself (dom_xen, a backend such as the console
 * ring of a boot-time domU: evtchn_alloc_xen).
 */
#ifndef PALISADE_EVENT_H
#define PALISADE_EVENT_H

#include <types.h>

struct domain;
struct vcpu;

/* 2-level ABI on 64-bit: 64 words of 64 bits. */
#define NR_EVENT_CHANNELS 4096
/* FIFO ABI: 2^17 ports (EVTCHN_FIFO_NR_CHANNELS, public/event_channel.h). */
#define EVTCHN_MAX_PORTS (1U << 17)
/*
 * Highest port of a domain whose creator set no limit (max_evtchn_port 0):
 * 1023 for a domU, as libxl's default; the ABI's own limit for the
 * privileged domain, as Xen's dom0.
 */
#define EVTCHN_DEFAULT_MAX_PORT 1023
/* Channels are allocated in buckets of this many, on demand. */
#define EVTCHNS_PER_BUCKET 256

enum evtchn_state {
	ECS_FREE = 0,
	ECS_RESERVED, /* port 0 */
	ECS_UNBOUND,
	ECS_INTERDOMAIN,
	ECS_VIRQ,
	ECS_IPI,
};

struct evtchn {
	uint8_t state;	      /* enum evtchn_state */
	uint16_t notify_vcpu; /* vcpu id that gets the upcall */
	union {
		struct {
			uint16_t remote_domid;
		} unbound;
		struct {
			struct domain *remote_dom;
			uint32_t remote_port;
		} interdomain;
		uint32_t virq;
	} u;
	/* FLASK label of the channel, from type_transition at creation (0 = none). */
	uint32_t ssid;
	/*
	 * The security module's memo of the last send it allowed here without
	 * auditing: the sender's label, the channel's, the policy sequence
	 * number it was decided under (0 = none). Valid only while all three
	 * still match; read and written under the port's lock.
	 */
	uint32_t send_ok_ssid, send_ok_tsid, send_ok_seqno;
	/*
	 * An interdomain channel whose remote end is the hypervisor itself
	 * (remote_dom is dom_xen): what the guest sends calls this instead of
	 * setting a pending bit. NULL for every other channel.
	 */
	void (*xen_notify)(struct domain *d, uint32_t port);
	/*
	 * FIFO ABI (event_fifo.c): its priority, the queue (vcpu, priority)
	 * it was last linked on, and an event raised while its event word had
	 * no array page yet (queued once the guest adds that page).
	 */
	uint8_t priority;
	uint8_t last_priority;
	uint16_t last_vcpu;
	bool fifo_pending;
};

/* Returns the channel of port in d, or NULL (port out of range, not allocated, or no table). */
struct evtchn *evtchn_from_port(struct domain *d, uint32_t port);

/* The highest port d may use: its max_evtchn_port within its ABI's own limit. */
uint32_t evtchn_max_port(const struct domain *d);

/* hypercall 32 */
long do_event_channel_op(uint32_t cmd, uint64_t arg);

/*
 * Sends VIRQ virq to v through the port bound to it (per-vcpu VIRQs on v,
 * global ones on whichever vcpu they were bound to). Unbound: dropped, as
 * on Xen. Callable from interrupt context.
 */
void evtchn_send_virq(struct vcpu *v, unsigned int virq);

/* True if port of d is a valid, allocated port (for SCHEDOP_poll). */
bool evtchn_port_valid(struct domain *d, uint32_t port);

/* True if port is pending in d (its shared_info bit, or its FIFO event word). */
bool evtchn_port_pending(struct domain *d, uint32_t port);

/* The domain at the other end of d's interdomain port, or NULL; unlocked (a hint). */
struct domain *evtchn_peer(struct domain *d, uint32_t port);

/*
 * Calls fn(peer, arg) for the domain at the other end of d's interdomain
 * port while d's channels are locked, so the peer cannot go away meanwhile
 * (its death closes the channel under this lock): 0, or -EINVAL when the
 * port is not interdomain (FLASK_GET_PEER_SID).
 */
int evtchn_with_peer(struct domain *d, uint32_t port, void (*fn)(struct domain *peer, void *arg),
		     void *arg);

/* Frees d's channel table (at domain destruction). */
void evtchn_destroy(struct domain *d);

/*
 * A channel of d whose other end is a backend inside the hypervisor, as a
 * toolstack opens one for a back end: allocated unbound with DOMID_XEN as
 * its remote domain (the XSM evtchn_unbound check, made by the caller's
 * context, labels it), then bound at once to the hypervisor, so the guest
 * sees an interdomain port to DOMID_XEN. EVTCHNOP_send on it calls
 * notify(d, port). 0 and *port, or -ENOMEM, -ENOSPC, or the XSM denial;
 * nothing is left behind on failure.
 */
int evtchn_alloc_xen(struct domain *d, void (*notify)(struct domain *d, uint32_t port),
		     uint32_t *port);
/* The hypervisor's end signals d's port (dropped unless it is still that channel). */
void evtchn_send_from_xen(struct domain *d, uint32_t port,
			  void (*notify)(struct domain *d, uint32_t port));
/* Closes d's port if it is still the channel of notify (the backend goes away). */
void evtchn_close_xen(struct domain *d, uint32_t port,
		      void (*notify)(struct domain *d, uint32_t port));

#endif /* PALISADE_EVENT_H */
