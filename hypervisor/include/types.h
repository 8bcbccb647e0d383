/*
 * Basic types of the hypervisor: address and frame-number types kept
 * distinct so that a machine frame can never be passed where a guest frame
 * (or a byte address) is expected without an explicit conversion.
 *
 * Freestanding headers only: this file is also compiled into host unit tests.
 */
#ifndef PALISADE_TYPES_H
#define PALISADE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;
typedef uint64_t vaddr_t;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

/* Machine frame number: index of a 4 KiB frame of host physical memory. */
typedef struct {
	uint64_t m;
} mfn_t;

/* Guest frame number: a frame in a guest's pseudo-physical space. */
typedef struct {
	uint64_t g;
} gfn_t;

static inline mfn_t _mfn(uint64_t m)
{
	return (mfn_t){m};
}

static inline uint64_t mfn_x(mfn_t m)
{
	return m.m;
}

static inline bool mfn_eq(mfn_t a, mfn_t b)
{
	return a.m == b.m;
}

static inline gfn_t _gfn(uint64_t g)
{
	return (gfn_t){g};
}

static inline uint64_t gfn_x(gfn_t g)
{
	return g.g;
}

static inline bool gfn_eq(gfn_t a, gfn_t b)
{
	return a.g == b.g;
}

/* Compound literals so that these can also appear in static initialisers. */
#define INVALID_MFN ((mfn_t){~0ULL})
#define INVALID_GFN ((gfn_t){~0ULL})

#define pfn_to_paddr(pfn) ((paddr_t)(pfn) << PAGE_SHIFT)
#define paddr_to_pfn(pa) ((uint64_t)(pa) >> PAGE_SHIFT)

static inline paddr_t mfn_to_paddr(mfn_t m)
{
	return pfn_to_paddr(mfn_x(m));
}

static inline mfn_t paddr_to_mfn(paddr_t pa)
{
	return _mfn(paddr_to_pfn(pa));
}

#endif /* PALISADE_TYPES_H */
