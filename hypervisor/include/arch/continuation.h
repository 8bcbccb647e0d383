/*
 * Arch contract, hypercall continuations: how a long batch gives the CPU
 * back and carries on where it stopped, as Xen's
 * hypercall_create_continuation does.
 */
#ifndef PALISADE_ARCH_CONTINUATION_H
#define PALISADE_ARCH_CONTINUATION_H

#include <types.h>

/*
 * Makes the current vcpu issue hypercall nr again, with arguments a0..a2,
 * when it next runs (x86_64 PV: its saved rip goes back over the syscall
 * instruction, rax and the argument registers are rewritten, and the
 * handler's own result is not stored). The handler then returns at once;
 * everything since the last continuation is done and stays done. false
 * inside a multicall, where the entry cannot be issued again: the handler
 * must then finish the batch itself.
 */
bool arch_hypercall_continue(unsigned int nr, uint64_t a0, uint64_t a1, uint64_t a2);

#endif /* PALISADE_ARCH_CONTINUATION_H */
