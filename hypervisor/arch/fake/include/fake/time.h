/* The fake clock (arch/fake/time.c): arch_now_ns() returns this. */
#ifndef PALISADE_FAKE_TIME_H
#define PALISADE_FAKE_TIME_H

#include <stdint.h>

extern uint64_t fake_now_ns;

#endif /* PALISADE_FAKE_TIME_H */
