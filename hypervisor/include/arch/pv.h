/*
 * x86_64 PV execution internals shared by arch/x86_64/pv_*.c and traps.c.
 */
#ifndef PALISADE_ARCH_PV_H
#define PALISADE_ARCH_PV_H

#include <arch/traps.h>
#include <types.h>

/*
 * A fault in the hypervisor on one of the guest-access instructions:
 * moves r->rip to its fixup and returns true; false for any other RIP.
 */
bool uaccess_fixup(struct cpu_regs *r);

#endif /* PALISADE_ARCH_PV_H */
