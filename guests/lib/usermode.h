/*
 * Guest user mode for test guests, as a PV kernel sets it up: its own L4
 * doubles as the user page table (every PV mapping is user-accessible),
 * bounces from user mode land on a kernel stack of the runtime's
 * (stack_switch), and user_enter() gets to user mode with the iret
 * hypercall. User code never comes back by itself: it ends in an
 * exception, which trap_catch() catches (and returns in kernel mode), or
 * in a syscall or sysenter to a callback of the test's.
 *
 * 32-bit (compat) code must run below 4 GiB, where the bootstrap tables
 * map nothing: low_pages_map() maps one code page there, filled with the
 * given bytes, and a stack page right above it.
 */
#ifndef GUEST_USERMODE_H
#define GUEST_USERMODE_H

#include <stddef.h>
#include <stdint.h>

#define LOW_CODE_VA 0x400000ULL
#define LOW_STACK_TOP 0x402000ULL

/* New user base pointer (the kernel's L4) and the kernel stack; ERROR if refused. */
void user_mode_init(void);

/*
 * Enters guest user mode at rip (cs FLAT_USER_CS64 or FLAT_USER_CS32,
 * the RPL is forced to 3) on rsp with rflags; IF clear in rflags keeps
 * event upcalls masked.
 */
__attribute__((noreturn)) void user_enter(uint64_t rip, uint16_t cs, uint64_t rsp, uint64_t rflags);

/*
 * Maps len bytes of code (at most a page) at LOW_CODE_VA and a zeroed
 * stack page below LOW_STACK_TOP, from the domain's top frames and its L4
 * slot 0. Once per guest; ERROR if a hypercall refuses.
 */
void low_pages_map(const void *code, size_t len);

#endif /* GUEST_USERMODE_H */
