/*
 * Arch contract, domains: what the core's domain and vcpu life cycle asks
 * of the arch. The state behind it is struct arch_vcpu (asm/domain.h).
 */
#ifndef PALISADE_ARCH_DOMAIN_H
#define PALISADE_ARCH_DOMAIN_H

#include <types.h>

struct domain;
struct vcpu;

/*
 * A new vcpu's arch state: its hypervisor stack and initial register and
 * page-table state (no guest tables yet, kernel mode). 0 or -ENOMEM.
 */
int arch_vcpu_init(struct vcpu *v);

/*
 * Drops the references a vcpu holds on its domain's frames (installed
 * descriptor tables, a registered vcpu_info page), so that the domain's
 * memory teardown finds them free of outside references.
 */
void arch_vcpu_release(struct vcpu *v);

/*
 * VCPUOP_initialise: gives v, a vcpu that never ran, the guest context
 * (struct vcpu_guest_context) at guest address arg, to be entered when it
 * is first made runnable. 0 (v->is_initialised is then true), -EFAULT
 * (unreadable context), -EEXIST (v already initialised), -EINVAL (an
 * address, selector, GDT frame, page table or debug register refused),
 * -ENOMEM; after an error v is as it was.
 */
int arch_vcpu_initialise(struct vcpu *v, uint64_t arg);

/* Frees what arch_vcpu_init allocated. */
void arch_vcpu_destroy(struct vcpu *v);

/* A shutdown nobody registered a handler for: power off, the reason as the status. */
void __attribute__((noreturn)) arch_domain_shutdown_default(struct domain *d, uint8_t reason);

#endif /* PALISADE_ARCH_DOMAIN_H */
