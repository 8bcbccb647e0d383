/*
 * Guest ABI: sched_op (29) - yield, block, shut down, poll event ports.
 * Facts of Xen's public sched.h.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_SCHED_H
#define PALISADE_PUBLIC_SCHED_H

#include "event_channel.h"

#define SCHEDOP_yield 0
#define SCHEDOP_block 1		  /* re-enables event delivery atomically */
#define SCHEDOP_shutdown 2	  /* arg: struct sched_shutdown */
#define SCHEDOP_poll 3		  /* arg: struct sched_poll */
#define SCHEDOP_remote_shutdown 4 /* arg: struct sched_remote_shutdown */
#define SCHEDOP_shutdown_code 5	  /* latch a reason for a later shutdown */
#define SCHEDOP_watchdog 6	  /* arg: struct sched_watchdog */
#define SCHEDOP_pin_override 7	  /* arg: struct sched_pin_override (hardware domain) */

/* Shutdown reasons, reported to the control domain. */
#define SHUTDOWN_poweroff 0
#define SHUTDOWN_reboot 1
#define SHUTDOWN_suspend 2
#define SHUTDOWN_crash 3
#define SHUTDOWN_watchdog 4
#define SHUTDOWN_soft_reset 5
#define SHUTDOWN_MAX 5

#ifndef __ASSEMBLY__

struct sched_shutdown {
	uint32_t reason; /* SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_shutdown) == 4, "sched_shutdown is 4 bytes");

struct sched_poll {
	uint64_t ports; /* guest address of an evtchn_port_t array */
	uint32_t nr_ports;
	uint64_t timeout; /* absolute system time in ns, 0 = none */
};
_Static_assert(sizeof(struct sched_poll) == 24, "sched_poll is 24 bytes");
_Static_assert(offsetof(struct sched_poll, nr_ports) == 8, "sched_poll.nr_ports at 8");
_Static_assert(offsetof(struct sched_poll, timeout) == 16, "sched_poll.timeout at 16");

struct sched_remote_shutdown {
	domid_t domain_id;
	uint32_t reason; /* SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "sched_remote_shutdown is 8 bytes");

struct sched_watchdog {
	uint32_t id;	  /* 0: create one; else the id to poke or destroy */
	uint32_t timeout; /* seconds; 0 with an id destroys it */
};
_Static_assert(sizeof(struct sched_watchdog) == 8, "sched_watchdog is 8 bytes");

struct sched_pin_override {
	int32_t pcpu; /* negative: undo the override */
};
_Static_assert(sizeof(struct sched_pin_override) == 4, "sched_pin_override is 4 bytes");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_SCHED_H */
