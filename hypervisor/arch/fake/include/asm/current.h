/*
 * current for host tests (shadows arch/x86_64's asm/current.h: the host
 * builds put arch/fake/include first): the global current_vcpu the tests
 * set, through arch/fake/smp.c.
 */
#ifndef PALISADE_ASM_CURRENT_H
#define PALISADE_ASM_CURRENT_H

#include <types.h>

struct vcpu;

struct vcpu_stack_info {
	struct vcpu *vcpu;
	uint64_t reserved;
};

struct vcpu *arch_current_slow(void);

static inline struct vcpu *arch_current(void)
{
	return arch_current_slow();
}

extern struct vcpu *current_vcpu;

/* Makes v this CPU's current vcpu (NULL: the hypervisor's own context). */
static inline void arch_set_current(struct vcpu *v)
{
	current_vcpu = v;
}

#endif /* PALISADE_ASM_CURRENT_H */
