/*
 * The hypervisor's memcpy of one page, timed (bench_memcpy.h).
 */
#include <arch/mm.h>
#include <arch/time.h>
#include <bench_memcpy.h>
#include <frame.h>
#include <lib.h>
#include <public/errno.h>

/* Byte i of the pattern: not periodic in any small power of two. */
static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + (i >> 8) * 13 + 1);
}

int bench_memcpy_page(uint32_t iters, uint64_t *cycles)
{
	mfn_t src, dst;
	uint8_t *s, *d;
	uint64_t t0;
	uint32_t i;
	size_t k;
	int rc = 0;

	if (iters == 0) {
		return -EINVAL;
	}
	src = frame_alloc(DOMID_XEN);
	if (mfn_eq(src, INVALID_MFN)) {
		return -ENOMEM;
	}
	dst = frame_alloc(DOMID_XEN);
	if (mfn_eq(dst, INVALID_MFN)) {
		frame_free(src);
		return -ENOMEM;
	}
	s = arch_mfn_to_virt(src);
	d = arch_mfn_to_virt(dst);
	for (k = 0; k < PAGE_SIZE; k++) {
		s[k] = pattern(k);
	}
	memset(d, 0, PAGE_SIZE);
	memcpy(d, s, PAGE_SIZE);
	memset(d, 0, PAGE_SIZE);
	t0 = arch_cycles();
	for (i = 0; i < iters; i++) {
		/* A call the compiler keeps: -ffreestanding, memcpy is lib/string.c's. */
		memcpy(d, s, PAGE_SIZE);
	}
	*cycles = arch_cycles() - t0;
	for (k = 0; k < PAGE_SIZE; k++) {
		if (d[k] != pattern(k)) {
			rc = -EIO;
			break;
		}
	}
	frame_free(dst);
	frame_free(src);
	return rc;
}
