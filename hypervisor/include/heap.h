/*
 * The hypervisor heap: xmalloc/xfree.
 *
 * Small sizes come from power-of-two size classes carved from single frames;
 * larger ones get whole contiguous frames. Pages come from frame_alloc
 * (owner DOMID_XEN) through arch_mfn_to_virt. Returned memory is aligned to
 * at least 16 bytes.
 *
 * Allocation state is kept in per-page bitmaps, so a double free or a
 * pointer that was never returned by xmalloc is always detected (pr_err,
 * counted, ignored). With heap_debug (chosen at link time by linking
 * heap_debug.o or heap_ndebug.o) freed memory is poisoned and checked
 * when reused, and each block carries guard bytes checked on xfree.
 */
#ifndef PALISADE_HEAP_H
#define PALISADE_HEAP_H

#include <types.h>

extern const bool heap_debug;

/* Largest size xmalloc accepts. */
#define XMALLOC_MAX (64UL << 20)

int heap_init(void);
void *xmalloc(size_t size);
void *xzalloc(size_t size);
/* NULL if n * size overflows. */
void *xmalloc_array(size_t n, size_t size);
void *xzalloc_array(size_t n, size_t size);
void xfree(void *p);

struct heap_stats {
	uint64_t bytes_in_use;	  /* bytes of live blocks, rounded up to slot or block size */
	uint64_t allocations;	  /* live blocks */
	uint64_t pages;		  /* frames held by the heap */
	uint64_t errors_detected; /* double frees, bad pointers, corruption */
};
void heap_get_stats(struct heap_stats *st);

#endif /* PALISADE_HEAP_H */
