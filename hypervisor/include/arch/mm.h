/*
 * Arch contract, memory: implemented by arch/x86_64 (the direct map) and by
 * arch/fake (a host buffer standing in for physical memory).
 */
#ifndef PALISADE_ARCH_MM_H
#define PALISADE_ARCH_MM_H

#include <types.h>

/*
 * Virtual address of machine frame mfn in the direct map. Contiguous frames
 * map to contiguous addresses. Valid for every RAM frame given to
 * frame_alloc_init.
 */
void *arch_mfn_to_virt(mfn_t mfn);

/*
 * Inverse of arch_mfn_to_virt for any address inside a direct-mapped frame;
 * INVALID_MFN for an address that is not (xfree relies on this to reject
 * pointers that never came from the heap).
 */
mfn_t arch_virt_to_mfn(const void *va);

#endif /* PALISADE_ARCH_MM_H */
