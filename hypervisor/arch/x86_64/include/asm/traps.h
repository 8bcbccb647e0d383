/*
 * Exceptions and interrupts (x86_64).
 */
#ifndef PALISADE_ARCH_TRAPS_H
#define PALISADE_ARCH_TRAPS_H

#include <types.h>

/* The frame built by entry.S; the order matches its pushes. */
struct cpu_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	/* Pushed by the CPU. */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Entry stubs: 16 bytes each, vector v at trap_stubs + 16 * v. */
extern const char trap_stubs[];

void trap_dispatch(struct cpu_regs *regs);

/* Handler for TIMER_VECTOR (arch/time.c). */
void timer_interrupt(void);

/* Prints the fatal report for regs and powers off; does not return. */
void __attribute__((noreturn)) fatal_trap(const struct cpu_regs *regs);

/*
 * A fatal condition that is not an exception: prints why, the registers of
 * the caller's context and a backtrace, then powers off with EXIT_FAULT.
 */
void __attribute__((noreturn, format(printf, 1, 2))) panic(const char *fmt, ...);

/*
 * Prints a frame-pointer backtrace: rip first (a return address if
 * rip_is_return), then the return addresses saved in the frames from rbp up.
 */
void show_backtrace(uint64_t rip, uint64_t rbp, bool rip_is_return);

#endif /* PALISADE_ARCH_TRAPS_H */
