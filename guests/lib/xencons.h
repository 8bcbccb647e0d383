/*
 * The PV console ring of a domU (start_info.console.domU): the page and
 * the event channel a toolstack, or Palisade for boot-time domUs, gives.
 * The guest is the producer of the out ring: bytes, a write barrier, then
 * out_prod, then a signal on the port; the back end consumes and moves
 * out_cons on.
 */
#ifndef GUEST_XENCONS_H
#define GUEST_XENCONS_H

#include <stddef.h>
#include <stdint.h>

#include <public/io_console.h>
#include <public/xen.h>

/*
 * Maps the ring page named by si (over a page of the guest's own image).
 * 0, -1 when si names no ring (mfn or port 0), or the mapping's error.
 */
long xencons_init(const struct start_info *si);

/* The mapped page and the port (NULL / 0 before a successful xencons_init). */
struct xencons_interface *xencons_page(void);
uint32_t xencons_port(void);

/* EVTCHNOP_send on the console port; its result. */
long xencons_notify(void);

/*
 * Writes all of s to the out ring, signalling the back end whenever the
 * ring is full and once at the end. Returns len, or how much went in
 * before the back end stopped taking bytes (a full ring that a signal does
 * not drain: a disabled ring).
 */
size_t xencons_write(const char *s, size_t len);

int xencons_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* GUEST_XENCONS_H */
