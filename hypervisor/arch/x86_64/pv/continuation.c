/*
 * Hypercall continuations for PV guests (arch/continuation.h). A PV
 * hypercall is a two-byte syscall in the hypercall page: moving the saved
 * rip back over it, with rax and the argument registers set to what is
 * left, makes the guest issue the rest itself on its way back, after the
 * scheduler and pending events have had their turn.
 */
#include <arch/continuation.h>
#include <asm/pv.h>
#include <asm/traps.h>
#include <domain.h>

/* The length of the syscall instruction (0f 05) every hypercall stub ends in. */
#define SYSCALL_INSN_LEN 2

bool arch_hypercall_continue(unsigned int nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct vcpu *v = current;
	struct cpu_regs *r;

	if (!v || v->in_multicall) {
		return false;
	}
	r = guest_regs();
	r->rip -= SYSCALL_INSN_LEN;
	r->rax = nr;
	r->rdi = a0;
	r->rsi = a1;
	r->rdx = a2;
	v->hypercall_no_result = true;
	return true;
}
