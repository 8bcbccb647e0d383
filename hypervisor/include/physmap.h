/*
 * The pseudo-physical map sub-ops of memory_op (common/physmap.c), each
 * answering as Xen 4.17 answers for a domain that is not translated: every
 * domain here. start is the continuation index in the bits of cmd above
 * the sub-op, arg the guest address of the argument.
 */
#ifndef PALISADE_PHYSMAP_H
#define PALISADE_PHYSMAP_H

#include <types.h>

/* XENMEM_add_to_physmap: -EDOM, -EFAULT, -ENOSYS (gmfn_foreign), -ESRCH, else -EACCES. */
long physmap_add(uint64_t start, uint64_t arg);
/* XENMEM_add_to_physmap_batch: -EDOM, -EFAULT, -EOPNOTSUPP (gmfn_range), -ESRCH, else -EACCES. */
long physmap_add_batch(uint64_t start, uint64_t arg);
/* XENMEM_remove_from_physmap: -EINVAL (a continuation), -EFAULT, -ESRCH, else -EACCES. */
long physmap_remove(uint64_t start, uint64_t arg);

#endif /* PALISADE_PHYSMAP_H */
