/*
 * Domain and vcpu bookkeeping: creation, lookup, shutdown, destruction.
 *
 * Domains are kept on a short singly linked list; there are few of them
 * and lookups are rare outside DOMID_SELF, which never walks the list.
 * Locking: domain_list_lock guards the list (links and membership, hence
 * the domain ids in use); a domain is freed only by domain_reap, under
 * reap_lock, once it is dying and no CPU runs or is switching away from
 * one of its vcpus (vcpu->is_running), and after every CPU is out of its
 * timer tick (sched_quiesce), which may hold a vcpu pointer unlocked.
 * Lookups hand out a pointer without a reference: a domain dies only by
 * its own shutdown or its creator's, as on one CPU.
 */
#include <arch/domain.h>
#include <arch/idle.h>
#include <arch/power.h>
#include <arch/time.h>
#include <console.h>
#include <domain.h>
#include <event.h>
#include <event_fifo.h>
#include <frame.h>
#include <grant_table.h>
#include <heap.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <sched.h>
#include <spinlock.h>
#include <xencons.h>

#include <xsm/xsm.h>

struct domain *dom_xen, *dom_io;

static struct domain *domain_list;
static spinlock_t domain_list_lock;
static spinlock_t reap_lock;
/* Domains marked dying and not yet reaped: every switch asks, most find none. */
static unsigned int nr_dying;
static domain_shutdown_handler_t shutdown_handler;
static domain_restart_handler_t restart_handler;
/* No dom0: the machine ends with the last domain (domain_reap). */
static bool reap_poweroff;
/* A domain was preserved, or a CPU found reap_lock taken: the domain list must be looked at again.
 */
static bool reap_recheck;
/* Frames domain_reap gave back to the allocator, heap pages not counted. */
static uint64_t reaped_frames;

/* Under domain_list_lock. */
static struct domain *list_find(domid_t id)
{
	struct domain *d;

	for (d = domain_list; d; d = d->next) {
		if (d->domain_id == id) {
			return d;
		}
	}
	return NULL;
}

static struct domain *alloc_domain(domid_t id, bool privileged)
{
	struct domain *d = xzalloc(sizeof(*d));

	if (!d) {
		return NULL;
	}
	d->domain_id = id;
	d->is_privileged = privileged;
	d->shared_info_mfn = INVALID_MFN;
	d->max_grant_frames = GNTTAB_DEFAULT_MAX_FRAMES;
	console_line_init(&d->console, id);
	/* The control domain's output is not limited (nor is the hardware domain's on Xen). */
	d->console.rate_limited = !privileged;
	return d;
}

int domain_init(void)
{
	if (dom_xen) {
		return 0;
	}
	dom_xen = alloc_domain(DOMID_XEN, false);
	dom_io = alloc_domain(DOMID_IO, false);
	if (!dom_xen || !dom_io) {
		xfree(dom_xen);
		xfree(dom_io);
		dom_xen = dom_io = NULL;
		return -ENOMEM;
	}
	return 0;
}

struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
	return vcpu_create_on(d, id, 0);
}

struct vcpu *vcpu_create_on(struct domain *d, unsigned int id, cpumask_t affinity)
{
	struct vcpu *v;

	if (id >= MAX_VIRT_CPUS || d->vcpu[id]) {
		return NULL;
	}
	v = xzalloc(sizeof(*v));
	if (!v) {
		return NULL;
	}
	v->vcpu_id = id;
	v->domain = d;
	v->vcpu_info_mfn = INVALID_MFN;
	/* As on Xen: a guest vcpu is offline until it is started (the idle one runs). */
	v->runstate.state = d->domain_id == DOMID_IDLE ? RUNSTATE_running : RUNSTATE_offline;
	if (d->shared_info && id < XEN_LEGACY_MAX_VCPUS) {
		v->vcpu_info = &d->shared_info->vcpu_info[id];
	}
	v->cpu_affinity = affinity;
	if (arch_vcpu_init(v)) {
		xfree(v);
		return NULL;
	}
	d->vcpu[id] = v;
	if (id >= d->max_vcpus) {
		d->max_vcpus = id + 1;
	}
	sched_vcpu_add(v);
	return v;
}

int domain_add_vcpus(struct domain *d, unsigned int nr)
{
	unsigned int i, had = d->max_vcpus;

	if (nr < 1 || nr > MAX_VIRT_CPUS) {
		return -EINVAL;
	}
	for (i = 1; i < nr; i++) {
		if (!d->vcpu[i] && !vcpu_create(d, i)) {
			goto undo;
		}
	}
	return 0;

undo:
	for (i = had; i < MAX_VIRT_CPUS; i++) {
		if (d->vcpu[i]) {
			sched_vcpu_remove(d->vcpu[i]);
			arch_vcpu_destroy(d->vcpu[i]);
			xfree(d->vcpu[i]);
			d->vcpu[i] = NULL;
		}
	}
	d->max_vcpus = had;
	return -ENOMEM;
}

struct domain *domain_create(domid_t id, bool privileged)
{
	uint64_t t0 = arch_cycles();
	struct domain *d;
	bool was_on;

	if (id >= DOMID_FIRST_RESERVED || domain_lookup(id)) {
		return NULL;
	}
	d = alloc_domain(id, privileged);
	if (!d) {
		return NULL;
	}
	d->created_cycles = t0;
	/*
	 * The label exists before anything can look the domain up: no hook
	 * ever has to make one (or fail to) in the middle of a decision.
	 */
	if (xsm_alloc_security_domain(d)) {
		goto free_domain;
	}
	if (!vcpu_create(d, 0)) {
		goto free_security;
	}
	was_on = spin_lock_irqsave(&domain_list_lock);
	/* Checked again under the lock: the id is taken once, by whoever links first. */
	if (list_find(id)) {
		spin_unlock_irqrestore(&domain_list_lock, was_on);
		domain_destroy(d);
		return NULL;
	}
	d->next = domain_list;
	domain_list = d;
	spin_unlock_irqrestore(&domain_list_lock, was_on);
	return d;

free_security:
	xsm_free_security_domain(d);
free_domain:
	xfree(d);
	return NULL;
}

int domain_create_labelled(domid_t id, const char *label, struct domain **out)
{
	uint32_t ssidref = 0;
	struct domain *d;
	int rc;

	*out = NULL;
	if (label && label[0]) {
		rc = xsm_security_context_to_sid(label, &ssidref);
		if (rc) {
			return rc;
		}
	}
	/* An id stays taken until its domain is destroyed, dying or not. */
	if (domain_lookup(id)) {
		return -EEXIST;
	}
	d = domain_create(id, false);
	if (!d) {
		return -ENOMEM;
	}
	/* The same check a toolstack's createdomain gets: may the creator make this label? */
	rc = xsm_domain_create(d, ssidref);
	if (rc) {
		domain_destroy(d);
		return rc;
	}
	*out = d;
	return 0;
}

/* Out of line: the DOMID_SELF path of hypercalls stays a leaf, without the lock's frame. */
static struct domain *__attribute__((noinline)) lookup_listed(domid_t id)
{
	bool was_on = spin_lock_irqsave(&domain_list_lock);
	struct domain *d = list_find(id);

	spin_unlock_irqrestore(&domain_list_lock, was_on);
	return d;
}

struct domain *domain_lookup(domid_t id)
{
	if (id == DOMID_SELF) {
		return current ? current->domain : NULL;
	}
	if (id == DOMID_XEN) {
		return dom_xen;
	}
	if (id == DOMID_IO) {
		return dom_io;
	}
	return lookup_listed(id);
}

void domain_set_shutdown_handler(domain_shutdown_handler_t fn)
{
	shutdown_handler = fn;
}

void domain_set_restart_handler(domain_restart_handler_t fn)
{
	restart_handler = fn;
}

/*
 * VIRQ_DOM_EXC tells dom0 some domain needs its attention (shut down,
 * destroyed), as in Xen; dropped when dom0 is absent, going or has not
 * bound it.
 */
static void dom_exc_notify(const struct domain *d)
{
	struct domain *d0 = domain_lookup(0);

	if (!d0 || d0 == d || d0->is_shutting_down || !d0->vcpu[0]) {
		return;
	}
	vcpu_raise_virq(d0->vcpu[0], VIRQ_DOM_EXC);
}

static enum domain_exit_action exit_action(const struct domain *d)
{
	switch (d->shutdown_reason) {
	case SHUTDOWN_poweroff:
		return d->on_exit[0];
	case SHUTDOWN_reboot:
		return d->on_exit[1];
	case SHUTDOWN_crash:
		return d->on_exit[2];
	default:
		return DOMAIN_EXIT_DESTROY;
	}
}

/* d's vcpus leave the CPU for good; called on d itself, this never returns. */
static void take_off_cpus(struct domain *d)
{
	struct vcpu *self = current;
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if (d->vcpu[i]) {
			d->vcpu[i]->is_up = false;
			vcpu_sleep(d->vcpu[i]);
		}
	}
	if (self && self->domain == d) {
		arch_irq_disable();
		schedule();
		pr_err("d%u: a dead vcpu was scheduled again\n", d->domain_id);
		arch_crash_stop(1);
	}
}

/* on_*=preserve: shut down with its memory kept, never run or freed again. */
static void domain_preserve(struct domain *d)
{
	if (!d->is_preserved) {
		d->is_preserved = true;
		/* The next domain_reap looks at the list: it may be the last one going. */
		__atomic_store_n(&reap_recheck, true, __ATOMIC_RELEASE);
		pr_info("d%u: preserved: shut down, its %llu frames kept; it never runs again\n",
			d->domain_id, (unsigned long long)d->tot_pages);
	}
	take_off_cpus(d);
}

static const char *const reason_names[] = {
    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
    [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
    [SHUTDOWN_watchdog] = "watchdog", [SHUTDOWN_soft_reset] = "soft_reset",
};

const char *domain_shutdown_reason_name(uint8_t reason)
{
	if (reason < ARRAY_SIZE(reason_names) && reason_names[reason]) {
		return reason_names[reason];
	}
	return "unknown";
}

/*
 * Every vcpu of d but self leaves its CPU for good: taken down, and waited
 * for until no CPU runs it (their CPUs get a reschedule IPI). Nothing of a
 * vcpu is released while another CPU may still be running it.
 */
static void stop_other_vcpus(struct domain *d, struct vcpu *self)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if (d->vcpu[i] && d->vcpu[i] != self) {
			d->vcpu[i]->is_up = false;
			vcpu_sleep(d->vcpu[i]);
		}
	}
	for (i = 0; i < d->max_vcpus; i++) {
		while (d->vcpu[i] && d->vcpu[i] != self &&
		       __atomic_load_n(&d->vcpu[i]->is_running, __ATOMIC_ACQUIRE)) {
			arch_smp_spin_poll();
			arch_cpu_relax();
		}
	}
}

void domain_shutdown(struct domain *d, uint8_t reason)
{
	struct vcpu *self = current;
	unsigned int i;

	/*
	 * One caller does the shutdown, even when several of d's vcpus ask at
	 * once on several CPUs (a Linux panic stops its other CPUs while one
	 * of them shuts down). A later caller that is one of d's vcpus only
	 * leaves its CPU for good; anyone else has nothing left to do.
	 */
	if (__atomic_exchange_n(&d->is_shutting_down, true, __ATOMIC_SEQ_CST)) {
		if (self && self->domain == d) {
			take_off_cpus(d);
		}
		return;
	}
	/* A code latched by SCHEDOP_shutdown_code wins over the reason of the moment. */
	if (d->has_shutdown_code) {
		reason = (uint8_t)d->shutdown_code;
	}
	d->shutdown_reason = reason;
	stop_other_vcpus(d, self && self->domain == d ? self : NULL);
	/* What its console ring holds is read, even without a last signal. */
	xencons_drain(d, arch_now_ns());
	/* Its last words, even without their newline, come before the shutdown line. */
	console_line_flush(&d->console);
	xencons_detach(d);
	hypercall_refusals_flush(d);
	pr_info("d%u: shutdown, reason %u (%s)\n", d->domain_id, reason,
		domain_shutdown_reason_name(reason));
	for (i = 0; i < d->max_vcpus; i++) {
		if (d->vcpu[i]) {
			d->vcpu[i]->is_up = false;
			arch_vcpu_release(d->vcpu[i]);
		}
	}
	/* Its FIFO event pages are its frames: their references go before its memory does. */
	evtchn_fifo_release(d);
	dom_exc_notify(d);
	if (d->domain_id != 0) {
		enum domain_exit_action a = exit_action(d);

		if (a == DOMAIN_EXIT_PRESERVE) {
			domain_preserve(d);
			return;
		}
		if (a == DOMAIN_EXIT_RESTART && restart_handler) {
			d->restart_pending = true;
		}
		domain_kill(d);
	} else if (shutdown_handler) {
		shutdown_handler(d, d->shutdown_reason);
	} else {
		arch_domain_shutdown_default(d, d->shutdown_reason);
	}
}

/*
 * A domU's shutdown never ends the machine: its vcpus leave the CPU for
 * good and domain_reap frees it from another vcpu's stack (its own stack
 * is among what goes). Called on itself, this never returns.
 */
void domain_kill(struct domain *d)
{
	if (!__atomic_exchange_n(&d->is_dying, true, __ATOMIC_SEQ_CST)) {
		__atomic_fetch_add(&nr_dying, 1, __ATOMIC_SEQ_CST);
	}
	take_off_cpus(d);
}

uint64_t domain_reaped_frames(void)
{
	return reaped_frames;
}

void domain_note_frames_taken(const struct domain *d, uint64_t n)
{
	/* dom0's own are freed by its teardown, which does the counting, not by a reap. */
	if (d->domain_id != 0) {
		__atomic_fetch_sub(&reaped_frames, n, __ATOMIC_SEQ_CST);
	}
}

/* Frames the frame allocator gained since (free, heap) was taken, heap pages excluded. */
static uint64_t frames_gained(uint64_t free_before, uint64_t heap_before)
{
	struct heap_stats hs;

	heap_get_stats(&hs);
	return (frame_free_count() - free_before) - (heap_before - hs.pages);
}

/*
 * on_*=restart: the old domain is gone completely, so its id is free; the
 * handler rebuilds it as the hypervisor itself (no current vcpu while it
 * does), whichever vcpu's stack this is on (its label must not be the
 * creator's).
 */
static void restart(domid_t id, unsigned long cookie)
{
	struct vcpu *self = current;
	uint64_t free_before = frame_free_count();
	struct heap_stats hs;

	heap_get_stats(&hs);
	arch_set_current(NULL);
	restart_handler(id, cookie);
	arch_set_current(self);
	/* What the new domain took is no longer among the frames given back. */
	reaped_frames += frames_gained(free_before, hs.pages);
}

/* "0,1,3": the CPUs in mask, for the destruction line. */
static void cpus_string(cpumask_t mask, char *buf, size_t n)
{
	unsigned int cpu;
	size_t len = 0;

	buf[0] = 0;
	for (cpu = 0; cpu < NR_CPUS && len < n; cpu++) {
		if (mask & (1ULL << cpu)) {
			len += (size_t)snprintf(buf + len, n - len, "%s%u", len ? "," : "", cpu);
		}
	}
	if (!buf[0]) {
		snprintf(buf, n, "none");
	}
}

/*
 * Frees one dying domain, already off the domain list, and says so; the
 * machine's counts after it, for the tests; then its restart if due.
 */
static uint64_t orphans_freed(void)
{
	uint64_t live, freed;

	mm_orphan_counts(&live, &freed);
	return freed;
}

static void reap_one(struct domain *d)
{
	domid_t id = d->domain_id;
	bool again = d->restart_pending;
	unsigned long cookie = d->restart_cookie;
	uint64_t free_before = frame_free_count(), orphans_before = orphans_freed();
	struct heap_stats hs;

	domain_say_cpus_ran(d);
	heap_get_stats(&hs);
	/* Its frame references go before its frames do. */
	xencons_detach(d);
	mm_domain_teardown(d);
	pr_info("d%u: destroyed (%llu frames still owned)\n", id,
		(unsigned long long)mm_count_owned(id));
	domain_destroy(d);
	/*
	 * Heap pages freed with its bookkeeping are the heap's count, not ours;
	 * nor are orphans (mm.h) freed meanwhile, here or by another CPU: the
	 * frames a domain gave another were never counted as taken either.
	 */
	reaped_frames += frames_gained(free_before, hs.pages) - (orphans_freed() - orphans_before);
	heap_get_stats(&hs);
	pr_info("domains: d%u destroyed: %llu frames free, heap %llu blocks in %llu pages\n", id,
		(unsigned long long)frame_free_count(), (unsigned long long)hs.allocations,
		(unsigned long long)hs.pages);
	dom_exc_notify(NULL);
	if (again) {
		restart(id, cookie);
	}
}

void domain_say_cpus_ran(const struct domain *d)
{
	char cpus[3 * NR_CPUS + 8];

	cpus_string(d->cpus_ran, cpus, sizeof(cpus));
	pr_info("d%u: ran on CPUs %s\n", d->domain_id, cpus);
}

static bool any_vcpu_running(const struct domain *d)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if (d->vcpu[i] && __atomic_load_n(&d->vcpu[i]->is_running, __ATOMIC_ACQUIRE)) {
			return true;
		}
	}
	return false;
}

/*
 * The first dying domain no CPU runs, unlinked; NULL if none. *left: other
 * domains remain that are not preserved; *preserved: how many are.
 */
static struct domain *unlink_reapable(bool *left, unsigned int *preserved)
{
	struct domain **pp, *d;
	bool was_on = spin_lock_irqsave(&domain_list_lock);

	*left = false;
	*preserved = 0;
	for (pp = &domain_list; (d = *pp); pp = &d->next) {
		if (d->is_dying && !d->is_preserved && !any_vcpu_running(d)) {
			*pp = d->next;
			d->next = NULL;
			break;
		}
	}
	for (struct domain *o = domain_list; o; o = o->next) {
		if (o->is_preserved) {
			(*preserved)++;
		} else {
			*left = true;
		}
	}
	spin_unlock_irqrestore(&domain_list_lock, was_on);
	return d;
}

void domain_reap(void)
{
	unsigned int preserved = 0;
	struct domain *d;
	bool any_left = true;

	/* The common case, on every switch: nothing died (the list is read only for NULL). */
	if (!__atomic_load_n(&nr_dying, __ATOMIC_ACQUIRE) &&
	    !__atomic_load_n(&reap_recheck, __ATOMIC_ACQUIRE) &&
	    __atomic_load_n(&domain_list, __ATOMIC_RELAXED)) {
		return;
	}
	/*
	 * One CPU reaps at a time. The holder may have looked at a domain
	 * before this CPU's vcpu of it left: told to look again (reap_recheck,
	 * set before the second try), it does so after unlocking, or whoever
	 * takes the lock next does. Without that the last vcpu to leave could
	 * find the lock taken and nobody would ever reap (all CPUs idle).
	 */
	if (!spin_trylock(&reap_lock)) {
		__atomic_store_n(&reap_recheck, true, __ATOMIC_SEQ_CST);
		if (!spin_trylock(&reap_lock)) {
			return;
		}
	}
	do {
		__atomic_store_n(&reap_recheck, false, __ATOMIC_SEQ_CST);
		while ((d = unlink_reapable(&any_left, &preserved))) {
			__atomic_fetch_sub(&nr_dying, 1, __ATOMIC_SEQ_CST);
			reap_one(d);
		}
		spin_unlock(&reap_lock);
	} while (__atomic_load_n(&reap_recheck, __ATOMIC_SEQ_CST) && any_left &&
		 spin_trylock(&reap_lock));
	/* With dom0, its shutdown decides (its handler); without, the last domain does. */
	if (!any_left && reap_poweroff) {
		if (preserved) {
			pr_info("All domains are gone but %u preserved (shut down, memory kept): "
				"powering off\n",
				preserved);
		} else {
			pr_info("All domains are gone: powering off\n");
		}
		arch_poweroff(0); /* a clean power off */
	}
}

void domain_reap_wait(void)
{
	while (!spin_trylock(&reap_lock)) {
		arch_cpu_relax();
	}
	spin_unlock(&reap_lock);
}

void domain_set_poweroff_when_none(bool on)
{
	reap_poweroff = on;
}

void domain_destroy(struct domain *d)
{
	struct domain **pp;
	unsigned int i;
	bool was_on = spin_lock_irqsave(&domain_list_lock);

	for (pp = &domain_list; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	/* A device model of d has no target any more (its id may be given again). */
	for (struct domain *o = domain_list; o; o = o->next) {
		if (o->target == d) {
			o->target = NULL;
		}
	}
	spin_unlock_irqrestore(&domain_list_lock, was_on);
	for (i = 0; i < MAX_VIRT_CPUS; i++) {
		if (d->vcpu[i]) {
			sched_vcpu_remove(d->vcpu[i]);
		}
	}
	/* A timer tick elsewhere may have picked one of them before it left its CPU. */
	sched_quiesce();
	for (i = 0; i < MAX_VIRT_CPUS; i++) {
		if (d->vcpu[i]) {
			arch_vcpu_destroy(d->vcpu[i]);
			xfree(d->vcpu[i]);
			d->vcpu[i] = NULL;
		}
	}
	xfree(d->ioport_bitmap);
	console_line_flush(&d->console);
	/* Channels carry XSM labels: closed before the domain's own blob goes. */
	evtchn_destroy(d);
	gnttab_release(d);
	xsm_free_security_domain(d);
	xfree(d);
}
