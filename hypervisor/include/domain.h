/*
 * Domains and virtual CPUs.
 *
 * A domain owns memory (accounted in tot_pages, typed through PV-MM's
 * page_info) and up to MAX_VIRT_CPUS vcpus. Palisade runs one physical CPU
 * for now, so "current" is a plain global; it is only ever read through the
 * macro so that a per-CPU variable can replace it later.
 *
 * The guest register state of a vcpu that is not running lives in
 * arch.regs; while it runs, the entry stubs save the frame at the top of
 * the vcpu's hypervisor stack (arch.stack_top - sizeof(struct cpu_regs)),
 * which is where guest_regs() points.
 */
#ifndef PALISADE_DOMAIN_H
#define PALISADE_DOMAIN_H

#include <arch/traps.h>
/* PV-MM's mm.h defines struct domain_mm; it must not include this file. */
#if __has_include(<mm.h>)
#include <mm.h>
#else
/* Only until PV-MM's mm.h is committed. */
struct domain_mm {
	int placeholder;
};
#endif
#include <types.h>

typedef uint16_t domid_t;

/* XEN_LEGACY_MAX_VCPUS: the vcpu_info slots in shared_info. */
#define MAX_VIRT_CPUS 32

struct shared_info;
struct evtchn_table;
struct vcpu_info;

/* One virtual IDT entry, set by set_trap_table. address 0 means "none". */
struct pv_trap_entry {
	uint64_t address;
	uint16_t cs;
	uint8_t flags; /* TI_* of public/arch_x86_64.h: DPL bits 0-1, mask events bit 2 */
};

/* Guest GDT as given to set_gdt: at most 14 pages (the rest is ours). */
#define PV_GDT_MAX_FRAMES 14

struct arch_vcpu {
	/* Kernel and user L4 (mfn); INVALID_MFN when the guest has none. */
	mfn_t guest_table;
	mfn_t guest_table_user;
	/* Guest kernel mode (true) or guest user mode. */
	bool in_kernel;

	/* Hypervisor stack of this vcpu: TSS.RSP0 and the syscall stack. */
	void *stack;
	uint64_t stack_top;

	/* Virtual IDT. */
	struct pv_trap_entry traps[256];
	/* stack_switch: where a bounce from guest user mode lands. */
	uint64_t kernel_ss, kernel_sp;

	/* Callbacks (set_callbacks / callback_op). */
	uint64_t event_callback;
	uint64_t failsafe_callback;
	uint64_t syscall_callback;
	uint64_t nmi_callback;
	bool failsafe_disables_events;
	bool syscall_disables_events;

	/* Segment bases (set_segment_base). */
	uint64_t fs_base;
	uint64_t gs_base_kernel;
	uint64_t gs_base_user;
	uint16_t gs_sel_user;

	/* Virtual CR0.TS (fpu_taskswitch, clts). */
	bool fpu_ts;
	/* The guest-owned CR4 bits (OSFXSR, OSXMMEXCPT), see pv_emul.c. */
	uint64_t cr4;

	/* set_gdt: frames typed PGT_seg_desc while installed. */
	mfn_t gdt_frames[PV_GDT_MAX_FRAMES];
	unsigned int gdt_nr_frames;
	unsigned int gdt_ents;

	/* set_ldt (mmuext_op, PV-MM): guest linear base and entry count. */
	uint64_t ldt_base;
	unsigned int ldt_ents;

	/* Virtual IOPL (physdev later); 0 = no direct port access. */
	unsigned int iopl;

	/* Saved guest registers while the vcpu is not on the CPU. */
	struct cpu_regs regs;
};

/* Runstates as in public/vcpu.h (RUNSTATE_running ..). */
struct vcpu_runstate {
	int state;
	uint64_t state_entry_time;
	uint64_t time[4];
};

struct vcpu {
	unsigned int vcpu_id;
	struct domain *domain;

	/* The guest-visible vcpu_info: in shared_info until register_vcpu_info moves it. */
	struct vcpu_info *vcpu_info;
	mfn_t vcpu_info_mfn; /* INVALID_MFN while in shared_info */

	bool is_up;
	bool is_blocked;

	/* One-shot timer (set_timer_op, VCPUOP_set_singleshot_timer), ns since boot; 0 = off. */
	uint64_t timer_deadline;

	struct vcpu_runstate runstate;
	/* Guest virtual address the runstate is copied to (0 = none registered). */
	uint64_t runstate_guest;

	struct arch_vcpu arch;
};

struct domain {
	domid_t domain_id;
	bool is_privileged;

	struct vcpu *vcpu[MAX_VIRT_CPUS];
	unsigned int max_vcpus;

	uint64_t tot_pages;
	uint64_t max_pages;

	struct shared_info *shared_info;
	mfn_t shared_info_mfn;

	/* VMASST_TYPE_* bits enabled by vm_assist. */
	uint32_t vm_assist;

	bool is_shutting_down;
	uint8_t shutdown_reason; /* SHUTDOWN_* */
	uint32_t shutdown_code;	 /* SCHEDOP_shutdown_code: reason for a later crash/suspend */
	bool has_shutdown_code;

	/* I/O port access: a bitmap of permitted ports (NULL = none). dom0 by policy. */
	uint8_t *ioport_bitmap;

	void *ssid; /* XSM security blob */

	/* Event channels (event_channel.c); NULL until first used. */
	struct evtchn_table *evtchn;

	struct domain_mm mm; /* PV-MM's per-domain state */

	struct domain *next; /* list of all domains */
};

/* The running vcpu (NULL in the hypervisor's own context). */
extern struct vcpu *current_vcpu;
#define current (current_vcpu)

/* Pseudo-domains that own hypervisor frames and I/O frames. */
extern struct domain *dom_xen, *dom_io;

/* Pseudo-domain setup; called once at boot before any domain_create. */
int domain_init(void);

/*
 * A new domain with vcpu 0 allocated (not up). NULL on bad id, duplicate,
 * or out of memory.
 */
struct domain *domain_create(domid_t id, bool privileged);

/* DOMID_SELF -> current->domain; NULL when there is no such domain. */
struct domain *domain_lookup(domid_t id);

/*
 * Marks d shut down with reason (SHUTDOWN_*), takes its vcpus off the CPU
 * and calls the registered shutdown handler (teardown and power off for
 * dom0: PV-BUILD). Safe to call more than once; the first reason wins.
 */
void domain_shutdown(struct domain *d, uint8_t reason);

/*
 * Who acts on a domain shutdown: PV-BUILD registers the teardown / power
 * off policy. Without a handler the hypervisor powers off with the reason.
 */
typedef void (*domain_shutdown_handler_t)(struct domain *d, uint8_t reason);
void domain_set_shutdown_handler(domain_shutdown_handler_t fn);

/* Frees d's vcpus and bookkeeping (memory through mm_domain_teardown first). */
void domain_destroy(struct domain *d);

/* Allocates vcpu id of d (its hypervisor stack too); NULL on failure. */
struct vcpu *vcpu_create(struct domain *d, unsigned int id);

/* Loads the right guest L4 for v's mode into CR3 (no-op if not current). */
void vcpu_update_cr3(struct vcpu *v);

/*
 * Enters the guest in kernel mode at rip with rsp and rsi (start_info),
 * FLAT_RING3_CS64 / FLAT_RING3_SS64, event upcalls masked, CR3 the kernel
 * L4 (arch.guest_table, which must be set). Never returns.
 */
void __attribute__((noreturn)) vcpu_start(struct vcpu *v, uint64_t rip, uint64_t rsp, uint64_t rsi);

/* The frame of the guest context of current, as saved by the entry stubs. */
struct cpu_regs *guest_regs(void);

/* Refreshes the vcpu_time_info guests compute the system time from. */
void vcpu_update_time(struct vcpu *v);

/* The APIC timer tick: fires due one-shot guest timers, refreshes time. */
void sched_timer_tick(void);

/* "crash", "poweroff", ... for log lines. */
const char *domain_shutdown_reason_name(uint8_t reason);

/* Raise a VIRQ on v through its bound event channel (dropped when unbound). */
void vcpu_raise_virq(struct vcpu *v, unsigned int virq);

#endif /* PALISADE_DOMAIN_H */
