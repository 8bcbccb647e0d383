/*
 * Hypercall handlers and the dispatch table.
 *
 * Every handler is typed and returns long: 0 or a positive result, or a
 * negative Xen errno (public/errno.h). The arch entry code collects the
 * guest's rdi, rsi, rdx, r10, r8 (and r9) into args[] and calls
 * hypercall_dispatch; numbers without a handler answer -ENOSYS.
 *
 * A handler decodes (copy_from_guest, checks sizes, ranges and ownership,
 * returns an errno on bad input without touching state), checks (XSM),
 * then invokes. Owners are in brackets; hypercall.c carries weak -ENOSYS
 * defaults so the table links before each owner's file exists.
 */
#ifndef PALISADE_HYPERCALL_H
#define PALISADE_HYPERCALL_H

#include <types.h>

#define NR_HYPERCALLS 64

long do_set_trap_table(uint64_t traps);							 /* EXEC */
long do_mmu_update(uint64_t ureqs, uint32_t count, uint64_t pdone, uint32_t foreigndom); /* MM */
long do_set_gdt(uint64_t frame_list, uint32_t entries);					 /* EXEC */
long do_stack_switch(uint64_t ss, uint64_t esp);					 /* EXEC */
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall);		 /* EXEC */
long do_fpu_taskswitch(uint32_t set);							 /* EXEC */
long do_update_descriptor(uint64_t maddr, uint64_t desc);				 /* EXEC */
long do_memory_op(uint32_t cmd, uint64_t arg);						 /* MM */
long do_multicall(uint64_t call_list, uint32_t nr_calls);				 /* EXEC */
long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags);			 /* MM */
long do_set_timer_op(uint64_t timeout);							 /* EXEC */
long do_xen_version(uint32_t cmd, uint64_t arg);					 /* EXEC */
long do_console_io(uint32_t cmd, uint32_t count, uint64_t buffer);			 /* EXEC */
long do_vm_assist(uint32_t cmd, uint32_t type);						 /* EXEC */
long do_iret(void);									 /* EXEC */
long do_vcpu_op(uint32_t cmd, uint32_t vcpuid, uint64_t arg);				 /* EXEC */
long do_set_segment_base(uint32_t which, uint64_t base);				 /* EXEC */
long do_mmuext_op(uint64_t uops, uint32_t count, uint64_t pdone, uint32_t foreigndom);	 /* MM */
long do_xsm_op(uint64_t op);								 /* XSM */
long do_sched_op(uint32_t cmd, uint64_t arg);						 /* EXEC */
long do_callback_op(uint32_t cmd, uint64_t arg);					 /* EXEC */
long do_sysctl(uint64_t op);
long do_event_channel_op(uint32_t cmd, uint64_t arg); /* EVTCHN */
long do_physdev_op(uint32_t cmd, uint64_t arg); /* EXEC: set_iopl only so far */ /* XSM */

/* The table entry: every handler is called through an args[6] thunk. */
typedef long (*hypercall_thunk_t)(const uint64_t args[6]);

/*
 * Runs hypercall nr with the guest's argument registers. -ENOSYS for an
 * unknown number. multicall uses the same entry for each element.
 */
long hypercall_dispatch(uint64_t nr, const uint64_t args[6]);

/*
 * True while a multicall is running its entries (nested multicall and
 * iret inside one are refused).
 */
extern bool in_multicall;

/*
 * Set by a handler that has already written the guest's registers itself
 * (iret, a bounce, a blocking call resumed): the entry path then does not
 * store the return value in rax.
 */
extern bool hypercall_no_result;

#endif /* PALISADE_HYPERCALL_H */
