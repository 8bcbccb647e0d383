/*
 * Guest ABI: vcpu_op (24) - bring vcpus up and down, timers, runstate and
 * where the hypervisor writes vcpu_info. Facts of Xen's public vcpu.h.
 *
 * Usable from assembly (numbers only).
 */
#ifndef PALISADE_PUBLIC_VCPU_H
#define PALISADE_PUBLIC_VCPU_H

#include "xen.h"

/* vcpu_op(cmd, vcpuid, extra_arg) */
#define VCPUOP_initialise 0 /* arg: struct vcpu_guest_context */
#define VCPUOP_up 1
#define VCPUOP_down 2
#define VCPUOP_is_up 3		   /* returns 1 if up */
#define VCPUOP_get_runstate_info 4 /* arg: struct vcpu_runstate_info */
/* arg: struct vcpu_register_runstate_memory_area */
#define VCPUOP_register_runstate_memory_area 5
#define VCPUOP_set_periodic_timer 6 /* arg: struct vcpu_set_periodic_timer */
#define VCPUOP_stop_periodic_timer 7
#define VCPUOP_set_singleshot_timer 8 /* arg: struct vcpu_set_singleshot_timer */
#define VCPUOP_stop_singleshot_timer 9
#define VCPUOP_register_vcpu_info 10 /* arg: struct vcpu_register_vcpu_info */
#define VCPUOP_send_nmi 11
#define VCPUOP_get_physid 12			 /* arg: struct vcpu_get_physid */
#define VCPUOP_register_vcpu_time_memory_area 13 /* arg: struct vcpu_register_time_memory_area */

#define RUNSTATE_running 0
#define RUNSTATE_runnable 1
#define RUNSTATE_blocked 2
#define RUNSTATE_offline 3

/* Set in state_entry_time while the hypervisor updates a registered runstate area. */
#define XEN_RUNSTATE_UPDATE (1ULL << 63)

/* VCPUOP_set_singleshot_timer flags: -ETIME if the deadline already passed. */
#define _VCPU_SSHOTTMR_future 0
#define VCPU_SSHOTTMR_future (1U << _VCPU_SSHOTTMR_future)

#ifndef __ASSEMBLY__

struct vcpu_runstate_info {
	int32_t state; /* RUNSTATE_* */
	uint64_t state_entry_time;
	uint64_t time[4]; /* ns spent in each RUNSTATE_* */
};
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "vcpu_runstate_info is 48 bytes");
_Static_assert(offsetof(struct vcpu_runstate_info, state_entry_time) == 8, "entry time at 8");
_Static_assert(offsetof(struct vcpu_runstate_info, time) == 16, "time at 16");

struct vcpu_register_runstate_memory_area {
	uint64_t addr; /* guest virtual address of a vcpu_runstate_info */
};
_Static_assert(sizeof(struct vcpu_register_runstate_memory_area) == 8, "runstate area");

struct vcpu_set_periodic_timer {
	uint64_t period_ns;
};
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "periodic timer");

struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns; /* absolute system time */
	uint32_t flags;		 /* VCPU_SSHOTTMR_* */
};
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "singleshot timer is 16 bytes");

/* vcpu_info may be moved anywhere that does not cross a page boundary. */
struct vcpu_register_vcpu_info {
	uint64_t mfn;	 /* frame holding the new vcpu_info */
	uint32_t offset; /* offset in that frame */
	uint32_t rsvd;
};
_Static_assert(sizeof(struct vcpu_register_vcpu_info) == 16, "register_vcpu_info is 16 bytes");
_Static_assert(offsetof(struct vcpu_register_vcpu_info, offset) == 8, "offset at 8");

struct vcpu_get_physid {
	uint64_t phys_id; /* x86: [31:0] APIC id, [63:32] ACPI id */
};
_Static_assert(sizeof(struct vcpu_get_physid) == 8, "get_physid");

struct vcpu_register_time_memory_area {
	uint64_t addr; /* guest virtual address of a vcpu_time_info */
};
_Static_assert(sizeof(struct vcpu_register_time_memory_area) == 8, "time area");

#endif /* !__ASSEMBLY__ */

#endif /* PALISADE_PUBLIC_VCPU_H */
