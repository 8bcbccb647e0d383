/*
 * Boot-time self-measurement of the bare cost that every PV hypercall
 * pays: a syscall from ring 3 into a handler that does nothing but sysretq.
 * Issue 4's benchmark compares the null hypercall against it.
 */
#ifndef PALISADE_ARCH_BENCH_H
#define PALISADE_ARCH_BENCH_H

#include <types.h>

/*
 * Runs iters syscall/sysret round trips from a ring-3 stub in a private
 * address space (one user code page plus the hypervisor's own slots), with
 * interrupts off and LSTAR pointing at a bare sysretq for the duration.
 * *cycles gets the TSC cycles of the whole loop as the stub measured them.
 * 0, or -ENOMEM (no frames for the address space); -EINVAL for iters 0.
 */
int arch_bench_bare_syscall(uint32_t iters, uint64_t *cycles);

#endif /* PALISADE_ARCH_BENCH_H */
