/*
 * Domains and virtual CPUs.
 *
 * A domain owns memory (accounted in tot_pages, typed through
 * page_info) and up to MAX_VIRT_CPUS vcpus. "current" is the vcpu running
 * on the CPU that reads it (each CPU its own; the arch finds it, see
 * asm/current.h on x86_64).
 *
 * What a vcpu holds for its architecture (registers, virtual IDT, page
 * table bases) is struct arch_vcpu, defined by the arch in asm/domain.h;
 * the core never looks inside it.
 */
#ifndef PALISADE_DOMAIN_H
#define PALISADE_DOMAIN_H

#include <arch/smp.h>
#include <asm/current.h>
#include <asm/domain.h>
#include <console.h>
#include <mm.h>
#include <ratelimit.h>
#include <spinlock.h>
#include <types.h>

typedef uint16_t domid_t;

/* XEN_LEGACY_MAX_VCPUS: the vcpu_info slots in shared_info. */
#define MAX_VIRT_CPUS 32

struct shared_info;
struct evtchn_table;
struct sched_cpu;
struct vcpu_info;

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

	/* Scheduler state (sched_credit.c): the policy's fields, nobody else's. */
	struct vcpu *runq_next;
	struct vcpu *sched_next; /* all vcpus the policy knows */
	bool on_runq;
	bool yielded;
	unsigned int processor;	   /* the CPU whose run queue holds it (sched_cpus[]) */
	struct sched_cpu *run_cpu; /* &sched_cpus[processor]: one load on the exit path */
	/* Hard affinity: the CPUs it may run on (boot key cpus=); never empty of online CPUs. */
	cpumask_t cpu_affinity;
	/*
	 * On a CPU, or still being switched away from (its stack in use): set
	 * by the switch to it, cleared on the next vcpu's stack once the
	 * switch is over. Another CPU neither runs nor frees it meanwhile.
	 */
	volatile bool is_running;
	int64_t credit; /* ns */
	/* When a blocked or polling vcpu is woken regardless of events (ns; 0 = never). */
	uint64_t wake_deadline;

	/* Guest virtual address the runstate is copied to (0 = none registered). */
	uint64_t runstate_guest;

	/*
	 * Its hypercall in progress (hypercall.c): inside a multicall; and a
	 * handler that wrote the guest's registers itself (no result to store).
	 * Per vcpu: a vcpu may block inside one while others run.
	 */
	bool in_multicall;
	bool hypercall_no_result;

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

	/* Scheduler parameters (sched.h) and the capped time used this period. */
	unsigned int weight;
	unsigned int cap;
	uint64_t cap_used;
	/* A paused domain's vcpus never run (created domains start paused). */
	unsigned int pause_count;

	bool is_shutting_down;
	/* Shut down for good: its vcpus never run again, domain_reap frees it. */
	bool is_dying;
	uint8_t shutdown_reason; /* SHUTDOWN_* */
	uint32_t shutdown_code;	 /* SCHEDOP_shutdown_code: reason for a later crash/suspend */
	bool has_shutdown_code;

	/* I/O port access: a bitmap of permitted ports (NULL = none). dom0 by policy. */
	uint8_t *ioport_bitmap;

	void *ssid; /* XSM security blob */

	/*
	 * Event channels (event_channel.c); NULL until first used. The table
	 * and its channels change only under evtchn_lock; an operation on
	 * two domains' channels holds both locks, taken in address order.
	 */
	struct evtchn_table *evtchn;
	spinlock_t evtchn_lock;

	struct domain_mm mm; /* memory model state (mm.h) */

	/* Its console_io output, gathered into whole lines (console.h). */
	struct console_line console;
	/* Its refused hypercalls logged at loglvl=debug (hypercall.c). */
	struct ratelimit refusals;

	/*
	 * CPUs any of its vcpus was switched in on: since creation (the
	 * "ran on CPUs" line at destruction), and since its last TLB flush
	 * there (dirty_cpus: who may hold its translations; see flush in
	 * mm.h). Set under the run queue lock of the CPU switching to it.
	 */
	volatile cpumask_t cpus_ran;
	volatile cpumask_t dirty_cpus;

	struct domain *next; /* list of all domains (domain_list_lock) */
};

/* This CPU's running vcpu (NULL in the hypervisor's own context before the scheduler starts). */
#define current (arch_current())

/* Pseudo-domains that own hypervisor frames and I/O frames. */
extern struct domain *dom_xen, *dom_io;

/* Pseudo-domain setup; called once at boot before any domain_create. */
int domain_init(void);

/*
 * A new domain with vcpu 0 allocated (not up). NULL on bad id, duplicate,
 * or out of memory.
 */
struct domain *domain_create(domid_t id, bool privileged);

/*
 * An unprivileged domain labelled label (a security context; NULL or ""
 * for the default), created only if XSM's domain_create check lets the
 * caller create that label. 0 and *out, or a negative errno: -EINVAL
 * (the label means nothing to the policy), -EACCES/-EPERM (denied),
 * -ENOMEM.
 */
int domain_create_labelled(domid_t id, const char *label, struct domain **out);

/*
 * Takes a shut-down domU off the CPUs for good (never returns when it is
 * the caller's own domain); domain_reap frees it afterwards.
 */
void domain_kill(struct domain *d);

/*
 * Frees every dying domain none of whose vcpus is running (the scheduler
 * calls it on the next vcpu's stack); powers off when that was the last
 * domain and domain_set_poweroff_when_none(true) was said.
 */
void domain_reap(void);

/*
 * Frames domain_reap has returned to the frame allocator so far (heap pages
 * excluded): dom0's teardown check counts them as freed by someone else.
 */
uint64_t domain_reaped_frames(void);

/* Without dom0 the machine powers off when the last domain is gone. */
void domain_set_poweroff_when_none(bool on);

/* DOMID_SELF -> current->domain; NULL when there is no such domain. */
struct domain *domain_lookup(domid_t id);

/*
 * Marks d shut down with reason (SHUTDOWN_*), takes its vcpus off the CPU
 * and calls the registered shutdown handler (teardown and power off for
 * dom0: the dom0 builder). Safe to call more than once; the first reason wins.
 */
void domain_shutdown(struct domain *d, uint8_t reason);

/*
 * Who acts on a domain shutdown: the dom0 builder registers the teardown / power
 * off policy. Without a handler the hypervisor powers off with the reason.
 */
typedef void (*domain_shutdown_handler_t)(struct domain *d, uint8_t reason);
void domain_set_shutdown_handler(domain_shutdown_handler_t fn);

/* Frees d's vcpus and bookkeeping (memory through mm_domain_teardown first). */
void domain_destroy(struct domain *d);

/* Allocates vcpu id of d (its hypervisor stack too); NULL on failure. */
struct vcpu *vcpu_create(struct domain *d, unsigned int id);

/* The same, placed on a CPU of affinity (0: any CPU). */
struct vcpu *vcpu_create_on(struct domain *d, unsigned int id, cpumask_t affinity);

/* Refreshes the vcpu_time_info guests compute the system time from. */
void vcpu_update_time(struct vcpu *v);

/* The APIC timer tick: fires due one-shot guest timers, refreshes time. */
void sched_timer_tick(void);

/* Returns once no other CPU is inside sched_timer_tick (domain_reap, before freeing vcpus). */
void sched_quiesce(void);

/* "crash", "poweroff", ... for log lines. */
const char *domain_shutdown_reason_name(uint8_t reason);

/* Raise a VIRQ on v through its bound event channel (dropped when unbound). */
void vcpu_raise_virq(struct vcpu *v, unsigned int virq);

#endif /* PALISADE_DOMAIN_H */
