/*
 * Extras of the host (fake) arch used by the unit tests; not part of the
 * arch contract and never included by hypervisor/common.
 */
#ifndef PALISADE_ARCH_FAKE_H
#define PALISADE_ARCH_FAKE_H

#include <stddef.h>

/* (Re)allocates the fake physical memory: frames 0 .. bytes/PAGE_SIZE-1. */
int fake_mem_init(size_t bytes);
void fake_mem_free(void);
size_t fake_mem_size(void);

/* Depth of arch_console_lock; 0 outside the console code. */
extern int fake_console_lock_depth;

/* Prints a FAIL line and aborts. */
void fake_fatal(const char *why) __attribute__((noreturn));

#endif /* PALISADE_ARCH_FAKE_H */
