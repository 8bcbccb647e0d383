/*
 * The hypervisor's own reference for issue 11's grant copy benchmark: what
 * one memcpy of a 4 KiB page costs it, frame to frame through the direct
 * map, which is the data movement of a GNTTABOP_copy of 4 KiB. Measured
 * once per boot with domains (setup) and printed as a "bench:" line that
 * the grant copy figure is set against.
 */
#ifndef PALISADE_BENCH_MEMCPY_H
#define PALISADE_BENCH_MEMCPY_H

#include <types.h>

/*
 * Takes two frames of the hypervisor's own, fills one with a pattern,
 * copies it once to warm up, then iters times with arch_cycles() around
 * the loop, and checks that the destination holds the pattern. 0 and
 * *cycles = the cycles of the iters copies; -EINVAL for iters 0; -ENOMEM
 * when two frames cannot be had; -EIO when the copy is not byte-exact.
 * Both frames are given back in every case.
 */
int bench_memcpy_page(uint32_t iters, uint64_t *cycles);

#endif /* PALISADE_BENCH_MEMCPY_H */
