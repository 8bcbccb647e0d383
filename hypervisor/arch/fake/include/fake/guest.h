/*
 * Fake arch extra for host unit tests of hypercall handlers: guest virtual
 * memory is one host buffer seen by the guest at [gva, gva + len). Any
 * access outside it fails with -EFAULT, like an unmapped guest page.
 */
#ifndef PALISADE_ARCH_FAKE_GUEST_H
#define PALISADE_ARCH_FAKE_GUEST_H

#include <types.h>

/* buf NULL removes the window. Read-only windows refuse copy_to_guest. */
void fake_guest_map(void *buf, uint64_t gva, size_t len, bool writable);

#endif /* PALISADE_ARCH_FAKE_GUEST_H */
