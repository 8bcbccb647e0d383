/*
 * Guest ABI: the PV console ring page (Xen's public io/console.h), the
 * page named by start_info.console.domU.mfn and signalled through the
 * port start_info.console.domU.evtchn.
 *
 * Two byte rings, each indexed by free-running 32-bit counters that wrap
 * naturally: a byte at counter i lives at ring[i % size] (sizes are powers
 * of two). The guest produces "out" (its output) and the backend consumes
 * it; "in" is the other way. The producer writes its bytes, then a write
 * barrier, then its producer counter; the consumer reads that counter,
 * then a read barrier, then the bytes, then a full barrier before it
 * publishes its consumer counter. prod - cons never exceeds the ring size.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_IO_CONSOLE_H
#define PALISADE_PUBLIC_IO_CONSOLE_H

#define XENCONS_IN_SIZE 1024
#define XENCONS_OUT_SIZE 2048

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* The ring slot of counter idx in ring (an array whose size is a power of two). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
	char in[XENCONS_IN_SIZE];
	char out[XENCONS_OUT_SIZE];
	XENCONS_RING_IDX in_cons, in_prod;
	XENCONS_RING_IDX out_cons, out_prod;
};

_Static_assert(sizeof(struct xencons_interface) == 3088, "xencons_interface is 3088 bytes");
_Static_assert(offsetof(struct xencons_interface, out) == 1024, "out at 1024");
_Static_assert(offsetof(struct xencons_interface, out_cons) == 3080, "out_cons at 3080");
#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_IO_CONSOLE_H */
