/*
 * x86_64 PV execution internals shared by arch/x86_64/pv_*.c, traps.c and
 * cpu.c. Not part of the portable contract.
 */
#ifndef PALISADE_ARCH_PV_H
#define PALISADE_ARCH_PV_H

#include <asm/layout.h>
#include <asm/traps.h>
#include <types.h>

struct domain;
struct vcpu;

/* cpu_regs.vector of a frame built by the syscall stub. */
#define PV_SYSCALL_VECTOR 0x100
/* ... and by the compat-mode (CSTAR) stub, and by the sysenter stub. */
#define PV_SYSCALL32_VECTOR 0x101
#define PV_SYSENTER_VECTOR 0x102

/* MSRs and the syscall entry of the running CPU (cpu_init calls this). */
void pv_cpu_init(void);

/*
 * pv/entry.S has one syscall stub (and one compat stub) per CPU, each
 * PV_STUB_SIZE bytes: the stub of CPU n parks the guest rsp in its own
 * slot and takes its own stack top (pv_stack_top[n]), which it could not
 * find otherwise without a free register. Its address, for LSTAR/CSTAR:
 */
uint64_t pv_syscall_stub(unsigned int cpu, bool compat);

/* The CPU whose syscall stub (either kind) starts at rip, or -1. */
int pv_syscall_stub_cpu(uint64_t rip);

/* The syscall stubs' stack tops and running vcpus, one per CPU, written by the context switch. */
extern uint64_t pv_stack_top[];
extern struct vcpu *pv_current[];

/*
 * A fault in the hypervisor on one of the guest-access instructions:
 * moves r->rip to its fixup and returns true; false for any other RIP.
 */
bool uaccess_fixup(struct cpu_regs *r);

/* An exception raised by the guest (ring 3 frame): bounce, emulate or crash. */
void pv_guest_exception(struct cpu_regs *r);

/* A ring-0 fault on the iretq of the exit path: the guest gave a bad frame. */
bool pv_exit_fault(struct cpu_regs *r);

/*
 * A #DB raised in the hypervisor (pv/debugreg.c): with a guest running it
 * is the guest's doing (TF on a syscall or sysenter entry, a watchpoint on
 * memory the hypervisor copies) and is absorbed: true. False (fatal) only
 * when no guest runs.
 */
bool pv_debug_hypervisor_trap(struct cpu_regs *r);

/* sysenter from ring 3 (pv/entry.S): the sysenter callback, or #GP(0). */
void pv_sysenter(struct cpu_regs *r);

/* The reset values of DR6 and DR7, which a new vcpu starts with. */
#define PV_DR6_DEFAULT 0xffff0ff0U
#define PV_DR7_DEFAULT 0x00000400U

/* Debug registers of a new vcpu. */
void pv_debug_init(struct vcpu *v);

/*
 * Guest debug register reg (0-7) with Xen's checks: 0 or -EPERM (an
 * address or DR7 setting the guest may not use), -EINVAL (reserved
 * upper bits), -ENODEV (no such register; DR4/5 with CR4.DE).
 */
int pv_set_debugreg(struct vcpu *v, unsigned int reg, uint64_t value);
int pv_get_debugreg(const struct vcpu *v, unsigned int reg, uint64_t *value);

/* Loads v's debug registers into the CPU (v is about to run). */
void pv_debug_load(struct vcpu *v);

/* v stops running: its breakpoints leave the CPU. */
void pv_debug_stop(struct vcpu *v);

/* A #DB raised by the guest: keeps what the CPU's DR6 says for the guest. */
void pv_debug_guest_trap(struct vcpu *v);

/* Raises #DB in the guest after an emulated instruction, adding dr6_bits to its DR6. */
void pv_debug_event(struct cpu_regs *r, uint32_t dr6_bits);

/* DR6 bits of the guest's enabled I/O breakpoints that cover [port, port + len). */
unsigned int pv_io_breakpoint(const struct vcpu *v, unsigned int port, unsigned int len);

/*
 * VMASST_TYPE_architectural_iopl is on for d: the iret hypercall sets the
 * virtual IOPL, bounce frames show it, the guest kernel counts as ring 0.
 */
bool pv_architectural_iopl(const struct domain *d);

/* Called with the guest frame before every return to ring 3. */
void pv_exit_prepare(struct cpu_regs *r);

/*
 * Builds Xen's bounce frame (rcx, r11, [error code,] rip, cs, rflags, rsp,
 * ss) on the guest kernel stack (kernel_sp if the guest was in user mode,
 * switching it to kernel mode) and points r at handler. mask_events sets
 * evtchn_upcall_mask. Crashes the domain if the frame cannot be written.
 */
void pv_bounce(struct cpu_regs *r, uint64_t handler, bool has_error, uint64_t error_code,
	       bool mask_events);

/* Bounce exception vector through the guest's trap table; crash if none. */
void pv_bounce_exception(struct cpu_regs *r, unsigned int vector, bool has_error,
			 uint64_t error_code);

void pv_toggle_guest_mode(struct vcpu *v);

/* Logs why and shuts the domain down with SHUTDOWN_crash. */
void __attribute__((noreturn, format(printf, 2, 3))) pv_crash(struct vcpu *v, const char *fmt, ...);

/* Forced-emulation prefix and privileged instructions (pv/emul.c); true if handled. */
bool pv_emulate_ud(struct cpu_regs *r);
bool pv_emulate_gp(struct cpu_regs *r);
/* A same-privilege iretq/lretq whose stack pops faulted as supervisor accesses. */
bool pv_emulate_ret(struct cpu_regs *r);

/*
 * A guest kernel write into one of its own L1 page tables (pv/ptwr.c):
 * emulated through mm_update_entry. True if done (rip advanced).
 */
bool pv_ptwr_emulate(struct cpu_regs *r, uint64_t addr);

/* Grants or revokes direct access to ports [first, last] (the hypervisor's own never). */
int pv_ioport_permit(struct domain *d, uint16_t first, uint16_t last, bool allow);

/* A guest write of CR4: keeps its own bits, applies them to the real CR4. */
void pv_write_cr4(struct vcpu *v, uint64_t val);

/* The CPUID policy of PV guests. */
void pv_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

/*
 * Takes the guest GDT frames list[0..] covering entries descriptors for
 * d: each typed PGT_seg_desc and every descriptor checked, code/data DPLs
 * raised to 3 in place. The number of frames (filled in frames[]), or
 * -EINVAL with nothing held (too many entries, a frame d does not own or
 * that is mapped writable, a descriptor that is refused).
 */
int pv_gdt_acquire(struct domain *d, const uint64_t *list, unsigned int entries, mfn_t *frames);
void pv_gdt_release(const mfn_t *frames, unsigned int nr);

/* Loads the right guest L4 for v's mode into CR3 (no-op if not current). */
void vcpu_update_cr3(struct vcpu *v);

/* The same for v being switched to (current is still the vcpu switched from). */
void vcpu_load_cr3(struct vcpu *v);

/*
 * Makes v runnable, to enter the guest as vcpu_start says at its first
 * switch-in. Without page tables or shared_info it crashes the domain.
 */
void vcpu_prepare_start(struct vcpu *v, uint64_t rip, uint64_t rsp, uint64_t rsi);

/*
 * Enters the guest in kernel mode at rip with rsp and rsi (start_info),
 * FLAT_RING3_CS64 / FLAT_RING3_SS64, event upcalls masked, CR3 the kernel
 * L4 (arch.guest_table, which must be set), through the scheduler, which
 * may run other runnable vcpus first. Never returns.
 */
void __attribute__((noreturn)) vcpu_start(struct vcpu *v, uint64_t rip, uint64_t rsp, uint64_t rsi);

/* The frame of the guest context of current, as saved by the entry stubs. */
struct cpu_regs *guest_regs(void);

/* The GS base the guest sees follows its mode, like swapgs would on hardware. */
void pv_load_gs_base(struct vcpu *v);

#endif /* PALISADE_ARCH_PV_H */
