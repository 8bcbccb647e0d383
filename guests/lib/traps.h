/*
 * Exceptions in a PV test guest. The runtime installs a trap table for
 * every exception vector; an exception nobody expected ends the test with
 * ERROR and a report of the frame. A test that wants to provoke a fault
 * runs the faulting code through trap_catch(), which returns after the
 * fault with the recorded frame, or reports FAILURE if a different vector
 * arrived.
 */
#ifndef GUEST_TRAPS_H
#define GUEST_TRAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRAP_DE 0
#define TRAP_DB 1
#define TRAP_NMI 2
#define TRAP_BP 3
#define TRAP_OF 4
#define TRAP_BR 5
#define TRAP_UD 6
#define TRAP_NM 7
#define TRAP_DF 8
#define TRAP_TS 10
#define TRAP_NP 11
#define TRAP_SS 12
#define TRAP_GP 13
#define TRAP_PF 14
#define TRAP_MF 16
#define TRAP_AC 17
#define TRAP_MC 18
#define TRAP_XM 19
#define TRAP_VE 20
#define TRAP_CP 21
#define TRAP_NR_VECTORS 32

/*
 * Saved state of an exception, as traps_entry.S lays it out on the stack
 * (lowest address first). rip..ss are what the hypervisor bounced to us;
 * the handler may change any field and the state is restored with iret.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code; /* 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(offsetof(struct trap_frame, rax) == 112, "traps_entry.S push order");
_Static_assert(offsetof(struct trap_frame, rip) == 136, "traps_entry.S frame");
_Static_assert(sizeof(struct trap_frame) == 176, "traps_entry.S frame size");

/* What a caught exception looked like. */
struct trap_record {
	unsigned int vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
	uint64_t rax, rcx, r11; /* registers at the exception, for iret tests */
	uint64_t cr2;		/* from vcpu_info.arch.cr2; valid for #PF when cr2_valid */
	bool cr2_valid;		/* false if shared_info could not be mapped */
};

/* Installs the trap table (called by runtime_init). Returns the hypercall's result. */
long traps_init(void);

/* Copies the trap table into a vcpu context's trap_ctxt (indexed by vector). */
struct trap_info;
void traps_fill_context(struct trap_info ctxt[256]);

/* Name of a vector ("#PF"), or "#??" for one without a name. */
const char *trap_name(unsigned int vector);

/*
 * Runs fn(arg). If it raises exception @vector, fn is abandoned, *rec is
 * filled and trap_catch returns true (callee-saved registers and the stack
 * pointer are those of the trap_catch call). If fn returns normally,
 * trap_catch returns false. Any other exception inside fn ends the test
 * with FAILURE. Not reentrant: one catch at a time per vcpu (vcpus.h tells
 * them apart by their stacks; cr2 is the faulting vcpu's own).
 */
bool trap_catch(unsigned int vector, void (*fn)(void *), void *arg, struct trap_record *rec);

/* C side of traps_entry.S. */
void trap_handle(struct trap_frame *frame);
__attribute__((noreturn)) void callback_unexpected(unsigned int kind);

#endif /* GUEST_TRAPS_H */
