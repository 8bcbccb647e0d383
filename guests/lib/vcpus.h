/*
 * Secondary vcpus of a PV test guest. vcpu 0 builds a context for vcpu id
 * (VCPUOP_initialise) that starts it at entry(id) in kernel mode on a stack
 * of its own, with the FLAT selectors, the bootstrap page tables, the
 * runtime's trap table and callbacks. The stack is remembered, so code
 * running on it (an exception handler, say) can tell which vcpu it is.
 */
#ifndef GUEST_VCPUS_H
#define GUEST_VCPUS_H

#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>

/* Vcpus whose stacks vcpu_self() knows (ids 1..VCPUS_MAX-1; vcpu 0 is the rest). */
#define VCPUS_MAX 8

/*
 * Fills *ctx so that VCPUOP_initialise(id) starts entry(id) on the stack
 * [stack, stack + size). Events reach the runtime's callbacks (which end
 * the test: a vcpu that wants events registers its own in the context).
 */
void vcpu_context(struct vcpu_guest_context *ctx, unsigned int id, void (*entry)(unsigned int),
		  void *stack, size_t size);

/* The vcpu running this code: the one whose stack holds the stack pointer, else 0. */
unsigned int vcpu_self(void);

/* System time in ns as a PV kernel computes it from vcpu id's time info. */
uint64_t vcpu_time_ns(unsigned int id);

#endif /* GUEST_VCPUS_H */
