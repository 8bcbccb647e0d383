/*
 * Guest ABI: callback_op (30) - where events, failsafe returns, syscalls
 * and NMIs enter the guest kernel. The older set_callbacks (4) takes the
 * event, failsafe and syscall addresses directly. Facts of Xen's public
 * callback.h.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_CALLBACK_H
#define PALISADE_PUBLIC_CALLBACK_H

#include "xen.h"

#define CALLBACKTYPE_event 0
#define CALLBACKTYPE_failsafe 1 /* a bad segment or frame on return to the guest */
#define CALLBACKTYPE_syscall 2	/* syscall from guest user mode (x86_64) */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi 4
#define CALLBACKTYPE_sysenter 5	 /* sysenter from 32-bit guest user mode */
#define CALLBACKTYPE_syscall32 7 /* syscall from 32-bit guest user mode */

/* Mask event upcalls while in the callback (always so for event and NMI). */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events (1U << _CALLBACKF_mask_events)

#define CALLBACKOP_register 0	/* arg: struct callback_register */
#define CALLBACKOP_unregister 1 /* arg: struct callback_unregister */

#ifndef __ASSEMBLY__

struct callback_register {
	uint16_t type;	/* CALLBACKTYPE_* */
	uint16_t flags; /* CALLBACKF_* */
	xen_callback_t address;
};
_Static_assert(sizeof(struct callback_register) == 16, "callback_register is 16 bytes");
_Static_assert(offsetof(struct callback_register, address) == 8, "address at 8");

struct callback_unregister {
	uint16_t type;
	uint16_t _unused;
};
_Static_assert(sizeof(struct callback_unregister) == 4, "callback_unregister is 4 bytes");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_CALLBACK_H */
