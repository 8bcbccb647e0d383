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
#include <public/xen.h>
#include <ratelimit.h>
#include <spinlock.h>
#include <types.h>

typedef uint16_t domid_t;

/* XEN_LEGACY_MAX_VCPUS: the vcpu_info slots in shared_info. */
#define MAX_VIRT_CPUS 32

struct shared_info;
struct evtchn_table;
struct evtchn_fifo_domain;
struct xencons_backend;
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
	/* Its guest context is set (domain builder or VCPUOP_initialise): VCPUOP_up may start it.
	 */
	bool is_initialised;

	/* One-shot timer (set_timer_op, VCPUOP_set_singleshot_timer), ns since boot; 0 = off. */
	uint64_t timer_deadline;
	/*
	 * Periodic timer (VCPUOP_set_periodic_timer): VIRQ_TIMER every
	 * periodic_period ns (0 = off, as every vcpu starts), next due at
	 * periodic_next. Both under the run queue lock of the vcpu's CPU.
	 */
	uint64_t periodic_period;
	uint64_t periodic_next;

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
	/* Shut down and kept (DOMAIN_EXIT_PRESERVE): memory held, never runs again. */
	bool is_preserved;
	/* What its shutdown leads to, by reason (DOMAIN_EXIT_* per DOMAIN_EXIT_REASONS). */
	uint8_t on_exit[3];
	/* DOMAIN_EXIT_RESTART: rebuilt once destroyed (domain_set_restart_handler). */
	bool restart_pending;
	unsigned long restart_cookie;
	uint8_t shutdown_reason; /* SHUTDOWN_* */
	uint32_t shutdown_code;	 /* SCHEDOP_shutdown_code: reason for a later crash/suspend */
	bool has_shutdown_code;

	/* I/O port access: a bitmap of permitted ports (NULL = none). dom0 by policy. */
	uint8_t *ioport_bitmap;

	void *ssid; /* XSM security blob */
	/*
	 * The domain this one is device model for (Xen's d->target, set by
	 * XEN_DOMCTL_set_target; here by target= on a boot-time domain's
	 * description): XSM_TARGET and XSM_DM_PRIV decisions let it act on
	 * that domain. Cleared when the target is destroyed.
	 */
	struct domain *target;

	/*
	 * Event channels (event_channel.c); NULL until first used. The table
	 * and its channels change only under evtchn_lock; an operation on
	 * two domains' channels holds both locks, taken in address order.
	 */
	struct evtchn_table *evtchn;
	spinlock_t evtchn_lock;
	/* FIFO ABI state (event_fifo.h), NULL while the domain uses 2-level; under evtchn_lock. */
	struct evtchn_fifo_domain *evtchn_fifo;
	/* Highest port it may bind, set at creation; 0 = the default (event.h). */
	uint32_t max_evtchn_port;
	/*
	 * Grant table and maptrack (grant_table.c); NULL until first used.
	 * Changed only under the grant tables' one lock.
	 */
	struct grant_table *grant_table;
	/* Its table's size limit in frames (boot key max_grant_frames=). */
	unsigned int max_grant_frames;

	struct domain_mm mm; /* memory model state (mm.h) */

	/* arch_cycles() when domain_create began; its first console line is logged
	 * (loglvl=debug) with the ticks since, for make bench-domain-build. */
	uint64_t created_cycles;
	bool first_line_seen;

	/* Its console_io output, gathered into whole lines (console.h). */
	struct console_line console;
	/* Its refused hypercalls logged at loglvl=debug (hypercall.c). */
	struct ratelimit refusals;
	/* The hypervisor as its console ring's back end (xencons.h); NULL for none. */
	struct xencons_backend *xencons;
	/* Guards xencons and its ring: two of its vcpus may signal it on two CPUs. */
	spinlock_t xencons_lock;

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

/*
 * Xen's on_poweroff / on_reboot / on_crash: on_exit[] holds one of these
 * for SHUTDOWN_poweroff, SHUTDOWN_reboot and SHUTDOWN_crash (in that
 * order); other reasons, and domains that set nothing, are destroyed.
 * dom0's shutdown is its handler's (domain_set_shutdown_handler).
 */
enum domain_exit_action {
	DOMAIN_EXIT_DESTROY,
	DOMAIN_EXIT_RESTART,
	DOMAIN_EXIT_PRESERVE,
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
 * (the label means nothing to the policy, or XSM keeps it for one domain
 * that has it), -EACCES/-EPERM (denied), -EEXIST (id in use, by a dying
 * domain too), -ENOMEM.
 */
int domain_create_labelled(domid_t id, const char *label, struct domain **out);

/*
 * Takes a shut-down domU off the CPUs for good (never returns when it is
 * the caller's own domain); domain_reap frees it afterwards, and rebuilds
 * it when restart_pending says so.
 */
void domain_kill(struct domain *d);

/*
 * Frees every dying domain none of whose vcpus is running (the scheduler
 * calls it on the next vcpu's stack); powers off when that was the last
 * domain and domain_set_poweroff_when_none(true) was said.
 */
void domain_reap(void);

/*
 * Returns once no other CPU is in the middle of reaping a domain (for a
 * frame count that must not see half of one, dom0's teardown check).
 */
void domain_reap_wait(void);

/*
 * Frames domain_reap has returned to the frame allocator so far, less
 * those its restarts took again (heap pages excluded either way): dom0's
 * teardown check counts them as freed by someone else. Wraps below zero
 * when restarts took more: the check's unsigned sum still comes out right.
 */
uint64_t domain_reaped_frames(void);
/*
 * d took n frames from the allocator outside its build (its grant table's):
 * they come back with its reap, so they are not among the frames a reap
 * gives back to the count above (as a restart's are not).
 */
void domain_note_frames_taken(const struct domain *d, uint64_t n);

/* Logs "dN: ran on CPUs 0,2": every CPU one of d's vcpus was switched in on. */
void domain_say_cpus_ran(const struct domain *d);

/*
 * Without dom0 the machine powers off when the last domain is gone;
 * preserved domains do not keep it up (the power-off line counts them).
 */
void domain_set_poweroff_when_none(bool on);

/*
 * DOMID_SELF -> current->domain; NULL when there is no such domain.
 * DOMID_XEN and DOMID_IO name the hypervisor's pseudo-domains (for its own
 * callers and the few guest paths that take them, e.g. a foreign owner).
 */
struct domain *domain_lookup(domid_t id);

/*
 * A domain id a guest passed, as Xen's rcu_lock_domain_by_any_id answers
 * it: DOMID_SELF is the caller; a reserved id (DOMID_XEN, DOMID_IO and the
 * rest from DOMID_FIRST_RESERVED) names no domain, so the call fails as for
 * a missing one, before any XSM check sees a pseudo-domain.
 */
static inline struct domain *domain_lookup_guest(domid_t id)
{
	return id != DOMID_SELF && id >= DOMID_FIRST_RESERVED ? NULL : domain_lookup(id);
}

/*
 * Marks d shut down with reason (SHUTDOWN_*), takes its vcpus off the CPU,
 * raises VIRQ_DOM_EXC to dom0 (when dom0 is up and bound it; again when d
 * is destroyed), then for dom0 calls the registered shutdown handler
 * (teardown and power off: the dom0 builder) and for a domU does what its
 * on_exit[] says: destroy (domain_kill), restart (domain_kill, then
 * rebuilt by domain_reap) or preserve (kept shut down, never run again).
 * Safe to call more than once; the first reason wins.
 */
void domain_shutdown(struct domain *d, uint8_t reason);

/*
 * Who acts on a domain shutdown: the dom0 builder registers the teardown / power
 * off policy. Without a handler the hypervisor powers off with the reason.
 */
typedef void (*domain_shutdown_handler_t)(struct domain *d, uint8_t reason);
void domain_set_shutdown_handler(domain_shutdown_handler_t fn);

/*
 * Who rebuilds a domain whose shutdown asked for DOMAIN_EXIT_RESTART:
 * domain_reap calls it with the old id and restart_cookie once the old
 * domain is completely destroyed (so the id is free again), as the
 * hypervisor itself (no vcpu's label). It returns 0 or a negative errno
 * and says why itself; a failed rebuild leaves nothing behind.
 */
typedef int (*domain_restart_handler_t)(domid_t id, unsigned long cookie);
void domain_set_restart_handler(domain_restart_handler_t fn);

/* Frees d's vcpus and bookkeeping (memory through mm_domain_teardown first). */
void domain_destroy(struct domain *d);

/* Allocates vcpu id of d (its hypervisor stack too); NULL on failure. */
struct vcpu *vcpu_create(struct domain *d, unsigned int id);

/*
 * Gives d vcpus 1..nr-1 besides vcpu 0 (1 <= nr <= MAX_VIRT_CPUS), all
 * down and uninitialised until the guest brings them up, as Xen does for
 * PV. 0, -EINVAL (nr out of range) or -ENOMEM (then d keeps only the vcpus
 * it had: nothing half made is left).
 */
int domain_add_vcpus(struct domain *d, unsigned int nr);

/* Runstate bookkeeping (sched.c): v enters state (RUNSTATE_*) now; published if current. */
void runstate_set(struct vcpu *v, int state);
struct vcpu_runstate_info;
void runstate_fill(const struct vcpu *v, struct vcpu_runstate_info *ri);
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
