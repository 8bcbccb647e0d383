/*
 * Start of day of a PV test guest. head.S zeroes .bss, switches to the
 * guest's own stack and calls runtime_init(start_info), then
 * guest_main(start_info), which each test guest defines and which must end
 * with test_report() or test_finish().
 */
#ifndef GUEST_RUNTIME_H
#define GUEST_RUNTIME_H

#include <public/xen.h>

extern struct start_info *start_info;
/* The shared_info page, mapped by runtime_init; NULL if that failed. */
extern struct shared_info *shared_info;

/* A guest address as the integer hypercalls, frames and registers carry. */
static inline uint64_t gva(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;
}

void runtime_init(struct start_info *si);
void guest_main(struct start_info *si);
__attribute__((noreturn)) void guest_main_returned(void);

/*
 * Nanoseconds vcpu 0 has spent runnable but waiting for the CPU: proof
 * that another domain ran (the scheduler tests). An error report if the
 * hypervisor does not answer.
 */
uint64_t runtime_runnable_ns(void);

/*
 * System time in ns from one vcpu's time info: the pvclock formula a PV
 * kernel uses (retried while the hypervisor updates it; a stamp a little
 * ahead of this CPU's TSC counts as no time since).
 */
uint64_t runtime_system_time(const volatile struct vcpu_time_info *t);

/* True when w is one of the space-separated words of s (a command line). */
bool runtime_has_word(const char *s, const char *w);

#endif /* GUEST_RUNTIME_H */
