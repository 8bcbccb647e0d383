/*
 * Arch contract, time: the clock the core and the guests' time info read.
 */
#ifndef PALISADE_ARCH_TIME_H
#define PALISADE_ARCH_TIME_H

#include <types.h>

/* Nanoseconds since the clock was calibrated at boot; monotonic. */
uint64_t arch_now_ns(void);

/*
 * Ticks per second of the cycle counter guests read themselves (the TSC on
 * x86_64), for the scale factors of their time info; 0 if not calibrated.
 */
uint64_t arch_tsc_hz(void);

/*
 * The cycle counter itself (the TSC on x86_64), for benchmark figures:
 * under QEMU -icount shift=0 one tick per guest instruction, so path
 * lengths compare as ratios within one run.
 */
uint64_t arch_cycles(void);

#endif /* PALISADE_ARCH_TIME_H */
