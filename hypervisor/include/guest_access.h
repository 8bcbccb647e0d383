/*
 * Copying to and from guest virtual memory.
 *
 * Every pointer a guest passes in a hypercall is untrusted: it may be
 * non-canonical, point into the hypervisor hole, be unmapped, or be mapped
 * read-only. These helpers return -EFAULT for all of those and never let
 * the hypervisor fault: addresses are range-checked first and the access
 * itself runs under the exception-fixup table (arch/x86_64), with SMAP
 * lifted only for the duration of the copy (stac/clac).
 *
 * The fake arch (arch/fake/guest_access.c) backs guest memory with a host
 * buffer (fake/guest.h) so handlers can be unit-tested on the host.
 */
#ifndef PALISADE_GUEST_ACCESS_H
#define PALISADE_GUEST_ACCESS_H

#include <types.h>

/* Guest-visible ranges: canonical, not wrapping, outside [0xFFFF8000.., 0xFFFF8800..). */
static inline bool guest_range_ok(uint64_t gva, size_t n)
{
	uint64_t end = gva + n;

	if (n == 0) {
		return true;
	}
	if (end < gva) {
		return false;
	}
	/* Lower half: [0, 2^47). */
	if (end <= 0x0000800000000000ULL) {
		return true;
	}
	/* Upper half above the hole: [0xFFFF880000000000, 2^64), end may wrap to 0 only with n
	 * fitting. */
	return gva >= 0xFFFF880000000000ULL;
}

/* 0 or -EFAULT. */
int copy_from_guest(void *dst, uint64_t gva, size_t n);
int copy_to_guest(uint64_t gva, const void *src, size_t n);
int clear_guest(uint64_t gva, size_t n);

#endif /* PALISADE_GUEST_ACCESS_H */
