/*
 * Hypercalls from a PV guest: a call into the hypercall page, which the
 * hypervisor filled with one 32-byte stub per hypercall number. Arguments
 * in rdi, rsi, rdx, r10, r8; the result (or a negative Xen errno) in rax.
 * The argument registers may come back changed, so they are outputs too.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include <public/callback.h>
#include <public/event_channel.h>
#include <public/flask_op.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

/* The page itself (guests/lib/head.S); starts out as 4096 "ret" bytes. */
extern uint8_t hypercall_page[4096];

#define HYPERCALL_ASM "call hypercall_page + %c[hc_off]"
#define HYPERCALL_OFF(nr) [hc_off] "i"((nr)*HYPERCALL_STUB_SIZE)
#define HYPERCALL_ARG(x) ((uint64_t)(uintptr_t)(x))

/* nr must be a constant: it becomes the offset of a direct call. */
#define HYPERCALL0(nr)                                                                             \
	({                                                                                         \
		long hc_res_;                                                                      \
		asm volatile(HYPERCALL_ASM                                                         \
			     : "=a"(hc_res_)                                                       \
			     : HYPERCALL_OFF(nr)                                                   \
			     : "memory", "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8");          \
		hc_res_;                                                                           \
	})

#define HYPERCALL1(nr, a1)                                                                         \
	({                                                                                         \
		uint64_t hc_v1_ = HYPERCALL_ARG(a1);                                               \
		register uint64_t hc_a1_ asm("rdi") = hc_v1_;                                      \
		long hc_res_;                                                                      \
		asm volatile(HYPERCALL_ASM                                                         \
			     : "=a"(hc_res_), "+r"(hc_a1_)                                         \
			     : HYPERCALL_OFF(nr)                                                   \
			     : "memory", "rcx", "r11", "rsi", "rdx", "r10", "r8");                 \
		hc_res_;                                                                           \
	})

#define HYPERCALL2(nr, a1, a2)                                                                     \
	({                                                                                         \
		uint64_t hc_v1_ = HYPERCALL_ARG(a1), hc_v2_ = HYPERCALL_ARG(a2);                   \
		register uint64_t hc_a1_ asm("rdi") = hc_v1_;                                      \
		register uint64_t hc_a2_ asm("rsi") = hc_v2_;                                      \
		long hc_res_;                                                                      \
		asm volatile(HYPERCALL_ASM                                                         \
			     : "=a"(hc_res_), "+r"(hc_a1_), "+r"(hc_a2_)                           \
			     : HYPERCALL_OFF(nr)                                                   \
			     : "memory", "rcx", "r11", "rdx", "r10", "r8");                        \
		hc_res_;                                                                           \
	})

#define HYPERCALL3(nr, a1, a2, a3)                                                                 \
	({                                                                                         \
		uint64_t hc_v1_ = HYPERCALL_ARG(a1), hc_v2_ = HYPERCALL_ARG(a2);                   \
		uint64_t hc_v3_ = HYPERCALL_ARG(a3);                                               \
		register uint64_t hc_a1_ asm("rdi") = hc_v1_;                                      \
		register uint64_t hc_a2_ asm("rsi") = hc_v2_;                                      \
		register uint64_t hc_a3_ asm("rdx") = hc_v3_;                                      \
		long hc_res_;                                                                      \
		asm volatile(HYPERCALL_ASM                                                         \
			     : "=a"(hc_res_), "+r"(hc_a1_), "+r"(hc_a2_), "+r"(hc_a3_)             \
			     : HYPERCALL_OFF(nr)                                                   \
			     : "memory", "rcx", "r11", "r10", "r8");                               \
		hc_res_;                                                                           \
	})

#define HYPERCALL4(nr, a1, a2, a3, a4)                                                             \
	({                                                                                         \
		uint64_t hc_v1_ = HYPERCALL_ARG(a1), hc_v2_ = HYPERCALL_ARG(a2);                   \
		uint64_t hc_v3_ = HYPERCALL_ARG(a3), hc_v4_ = HYPERCALL_ARG(a4);                   \
		register uint64_t hc_a1_ asm("rdi") = hc_v1_;                                      \
		register uint64_t hc_a2_ asm("rsi") = hc_v2_;                                      \
		register uint64_t hc_a3_ asm("rdx") = hc_v3_;                                      \
		register uint64_t hc_a4_ asm("r10") = hc_v4_;                                      \
		long hc_res_;                                                                      \
		asm volatile(HYPERCALL_ASM                                                         \
			     : "=a"(hc_res_), "+r"(hc_a1_), "+r"(hc_a2_), "+r"(hc_a3_),            \
			       "+r"(hc_a4_)                                                        \
			     : HYPERCALL_OFF(nr)                                                   \
			     : "memory", "rcx", "r11", "r8");                                      \
		hc_res_;                                                                           \
	})

#define HYPERCALL5(nr, a1, a2, a3, a4, a5)                                                         \
	({                                                                                         \
		uint64_t hc_v1_ = HYPERCALL_ARG(a1), hc_v2_ = HYPERCALL_ARG(a2);                   \
		uint64_t hc_v3_ = HYPERCALL_ARG(a3), hc_v4_ = HYPERCALL_ARG(a4);                   \
		uint64_t hc_v5_ = HYPERCALL_ARG(a5);                                               \
		register uint64_t hc_a1_ asm("rdi") = hc_v1_;                                      \
		register uint64_t hc_a2_ asm("rsi") = hc_v2_;                                      \
		register uint64_t hc_a3_ asm("rdx") = hc_v3_;                                      \
		register uint64_t hc_a4_ asm("r10") = hc_v4_;                                      \
		register uint64_t hc_a5_ asm("r8") = hc_v5_;                                       \
		long hc_res_;                                                                      \
		asm volatile(HYPERCALL_ASM                                                         \
			     : "=a"(hc_res_), "+r"(hc_a1_), "+r"(hc_a2_), "+r"(hc_a3_),            \
			       "+r"(hc_a4_), "+r"(hc_a5_)                                          \
			     : HYPERCALL_OFF(nr)                                                   \
			     : "memory", "rcx", "r11");                                            \
		hc_res_;                                                                           \
	})

/* True once the hypervisor has written its stubs over the initial "ret" bytes. */
bool hypercall_page_filled(void);

/* Typed wrappers: each returns the hypercall's rax. */
long hypercall_set_trap_table(const struct trap_info *table);
long hypercall_mmu_update(const struct mmu_update *reqs, unsigned int count, unsigned int *done,
			  domid_t foreigndom);
long hypercall_stack_switch(uint64_t ss, uint64_t sp);
long hypercall_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall);
long hypercall_memory_op(unsigned int cmd, void *arg);
long hypercall_multicall(struct multicall_entry *calls, unsigned int nr_calls);
long hypercall_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags);
long hypercall_set_timer_op(uint64_t timeout_abs_ns);
long hypercall_xen_version(unsigned int cmd, void *arg);
long hypercall_console_io(unsigned int cmd, unsigned int count, const char *buf);
long hypercall_grant_table_op(unsigned int cmd, void *uops, unsigned int count);
long hypercall_vm_assist(unsigned int cmd, unsigned int type);
long hypercall_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg);
long hypercall_set_segment_base(unsigned int which, uint64_t base);
long hypercall_mmuext_op(const struct mmuext_op *ops, unsigned int count, unsigned int *done,
			 domid_t foreigndom);
long hypercall_xsm_op(struct xen_flask_op *op);
long hypercall_sched_op(unsigned int cmd, void *arg);
long hypercall_callback_op(unsigned int cmd, const void *arg);
long hypercall_event_channel_op(unsigned int cmd, void *arg);

/*
 * iret (23): return to the context described by ctx (rax, r11, rcx are
 * loaded into registers, the rest is the frame the stub expects on the
 * stack). ctx must be writable: the stub stores rax, r11, rcx over the
 * first three fields (with the same values). Never returns.
 */
__attribute__((noreturn)) void hypercall_iret(struct iret_context *ctx);

#endif /* GUEST_HYPERCALL_H */
