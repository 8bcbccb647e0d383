/*
 * Event-channel wrappers shared by the event-channel test guests: the
 * hypercall, a sub-op that takes only a port, and the status of one of
 * the caller's own ports.
 */
#ifndef GUEST_EVTCHN_UTIL_H
#define GUEST_EVTCHN_UTIL_H

#include <lib.h>
#include <public/event_channel.h>

#include "guest.h"

static inline long ev(unsigned int cmd, void *arg)
{
	return hypercall_event_channel_op(cmd, arg);
}

/* close, send, unmask: an argument that is only the port (struct evtchn_send's layout). */
static inline long ev_port(unsigned int cmd, uint32_t port)
{
	struct evtchn_send s = {.port = port};

	return ev(cmd, &s);
}

static inline long status(uint32_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	return ev(EVTCHNOP_status, st);
}

#endif /* GUEST_EVTCHN_UTIL_H */
