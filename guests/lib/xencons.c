/*
 * The out side of the PV console ring (see xencons.h).
 */
#include <lib.h>
#include <public/event_channel.h>

#include "hypercall.h"
#include "xencons.h"

/* A page of our image whose mapping is replaced by the ring page. */
static uint8_t ring_window[4096] __attribute__((aligned(4096), section(".bss.page_aligned")));

static struct xencons_interface *ring;
static uint32_t port;

long xencons_init(const struct start_info *si)
{
	uint64_t pte;
	long rc;

	if (!si->console.domU.mfn || !si->console.domU.evtchn) {
		return -1;
	}
	pte =
	    (si->console.domU.mfn << 12) | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
	rc = hypercall_update_va_mapping((uint64_t)(uintptr_t)ring_window, pte, UVMF_INVLPG);
	if (rc) {
		return rc;
	}
	ring = (struct xencons_interface *)ring_window;
	port = si->console.domU.evtchn;
	return 0;
}

struct xencons_interface *xencons_page(void)
{
	return ring;
}

uint32_t xencons_port(void)
{
	return port;
}

long xencons_notify(void)
{
	uint32_t p = port;

	return hypercall_event_channel_op(EVTCHNOP_send, &p);
}

size_t xencons_write(const char *s, size_t len)
{
	size_t done = 0;

	if (!ring) {
		return 0;
	}
	while (done < len) {
		uint32_t cons = __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE);
		uint32_t prod = ring->out_prod;
		uint32_t room = XENCONS_OUT_SIZE - (prod - cons);

		if (!room) {
			xencons_notify();
			/* The back end drains at the signal; if it did not, it has stopped. */
			if (__atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) == cons) {
				break;
			}
			continue;
		}
		while (room && done < len) {
			ring->out[MASK_XENCONS_IDX(prod, ring->out)] = s[done];
			prod++;
			done++;
			room--;
		}
		/* The bytes are visible before the index that covers them. */
		__atomic_store_n(&ring->out_prod, prod, __ATOMIC_RELEASE);
	}
	xencons_notify();
	return done;
}

int xencons_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return n;
	}
	xencons_write(buf, MIN((size_t)n, sizeof(buf) - 1));
	return n;
}
