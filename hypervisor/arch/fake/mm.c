/*
 * Host stand-in for the direct map: "physical memory" is one host buffer,
 * frame n at fake_mem + n * PAGE_SIZE. Unit tests size it to the RAM map
 * they pass to frame_alloc_init. Built without tests/hv/unit/hostprefix.h:
 * this file is host code and uses libc.
 */
#include <arch/mm.h>
#include <fake/mem.h>
#include <lib.h>

#include <stdlib.h>
#include <string.h>

static unsigned char *fake_mem;
static size_t fake_mem_bytes;

int fake_mem_init(size_t bytes)
{
	fake_mem_free();
	bytes = ALIGN_UP(bytes, PAGE_SIZE);
	fake_mem = aligned_alloc(PAGE_SIZE, bytes);
	if (!fake_mem) {
		return -1;
	}
	fake_mem_bytes = bytes;
	/* Garbage, not zeroes: code must not rely on memory it did not clear. */
	memset(fake_mem, 0xCC, bytes);
	return 0;
}

void fake_mem_free(void)
{
	free(fake_mem);
	fake_mem = NULL;
	fake_mem_bytes = 0;
}

size_t fake_mem_size(void)
{
	return fake_mem_bytes;
}

void *arch_mfn_to_virt(mfn_t mfn)
{
	if (!fake_mem || mfn_x(mfn) >= fake_mem_bytes / PAGE_SIZE) {
		fake_fatal("arch_mfn_to_virt: mfn outside fake memory");
	}
	return fake_mem + mfn_x(mfn) * PAGE_SIZE;
}

mfn_t arch_virt_to_mfn(const void *va)
{
	uintptr_t p = (uintptr_t)va, base = (uintptr_t)fake_mem;

	/* Like the real direct map: anything else is not a frame. */
	if (!fake_mem || p < base || p >= base + fake_mem_bytes) {
		return INVALID_MFN;
	}
	return _mfn((p - base) / PAGE_SIZE);
}
