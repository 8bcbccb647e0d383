/*
 * Stand-in handlers for hv-unit (tests/hv/unit/hcall_stubs.c): every
 * hypercall of hypercalls.def whose real handler hv-unit does not link.
 */
#ifndef HCALL_STUBS_H
#define HCALL_STUBS_H

#include <stdint.h>

/* What a stub returns; it also sets hcall_stub_called to its number. */
#define HCALL_STUB_RESULT 0x57ab
extern long hcall_stub_called;

/* The stub of hypercall nr, or NULL if the list has no handler for nr. */
const void *hcall_stub(uint32_t nr);

#endif /* HCALL_STUBS_H */
