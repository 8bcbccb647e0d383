/*
 * vcpu_op (hypercall 24): a PV domain's vcpus brought up and down, their
 * one-shot timers, runstates and vcpu_info placement.
 *
 * A domain has max_vcpus vcpus from its creation; vcpu 0 is started by
 * the domain builder and the others stay down, uninitialised, until the
 * guest gives one a context (VCPUOP_initialise, the arch's decoding) and
 * starts it (VCPUOP_up). A vcpu that goes down (VCPUOP_down, by itself or
 * by another vcpu) leaves the CPU with its state kept, and VCPUOP_up
 * resumes it where it stopped; the last one going down powers the domain
 * off. Every sub-op acts on the caller's own domain, as on Xen, which has
 * no XSM hook on vcpu_op.
 *
 * Facts from Xen 4.17's xen/common/domain.c (do_vcpu_op, map_vcpu_info,
 * default_initialise_vcpu) and public/vcpu.h.
 */
#include <arch/domain.h>
#include <arch/mm.h>
#include <arch/time.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <mm.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>
#include <sched.h>

static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_vcpu_info info;
	struct vcpu_info *new_vi;
	mfn_t mfn;

	if (copy_from_guest(&info, arg, sizeof(info))) {
		return -EFAULT;
	}
	if (info.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (info.offset & 7) || info.rsvd) {
		return -EINVAL;
	}
	/* Once moved it stays: Xen refuses a second registration too. */
	if (!mfn_eq(v->vcpu_info_mfn, INVALID_MFN)) {
		return -EINVAL;
	}
	/* The caller's own vcpu, or one that is down (Linux places every vcpu's from vcpu 0). */
	if (v != current && v->is_up) {
		return -EINVAL;
	}
	mfn = _mfn(info.mfn);
	/* The guest keeps writing it: it must be its own frame, typed writable. */
	if (get_page_and_type(mfn, v->domain, PGT_writable)) {
		return -EINVAL;
	}
	new_vi = (struct vcpu_info *)((char *)arch_mfn_to_virt(mfn) + info.offset);
	if (v->vcpu_info) {
		memcpy(new_vi, v->vcpu_info, sizeof(*new_vi));
	} else {
		memset(new_vi, 0, sizeof(*new_vi));
		new_vi->evtchn_upcall_mask = 1;
	}
	v->vcpu_info = new_vi;
	v->vcpu_info_mfn = mfn;
	vcpu_update_time(v);
	return 0;
}

/* True when some vcpu of d other than v is up. */
static bool others_up(const struct domain *d, const struct vcpu *v)
{
	unsigned int i;

	for (i = 0; i < d->max_vcpus; i++) {
		if (d->vcpu[i] && d->vcpu[i] != v && d->vcpu[i]->is_up) {
			return true;
		}
	}
	return false;
}

static long vcpu_up(struct vcpu *v)
{
	if (!v->is_initialised) {
		return -EINVAL;
	}
	if (v->is_up || v->domain->is_shutting_down) {
		return 0;
	}
	v->is_up = true;
	runstate_set(v, RUNSTATE_runnable);
	/* Its time info went stale while it was down. */
	vcpu_update_time(v);
	pr_debug("d%u: vcpu %u up\n", v->domain->domain_id, v->vcpu_id);
	vcpu_wake(v);
	return 0;
}

/*
 * Down: off the CPU (at the next schedule() when it is the caller, on the
 * way back to the guest) until VCPUOP_up, its registers kept. The last vcpu
 * going down is a power off, as Xen decides.
 */
static long vcpu_down(struct vcpu *v)
{
	struct domain *d = v->domain;

	if (!others_up(d, v)) {
		domain_shutdown(d, SHUTDOWN_poweroff);
		return 0;
	}
	if (!v->is_up) {
		return 0;
	}
	v->is_up = false;
	v->is_blocked = false;
	vcpu_sleep(v);
	runstate_set(v, RUNSTATE_offline);
	pr_debug("d%u: vcpu %u down\n", d->domain_id, v->vcpu_id);
	return 0;
}

long do_vcpu_op(uint32_t cmd, uint32_t vcpuid, uint64_t arg)
{
	struct domain *d = current->domain;
	struct vcpu *v;

	if (vcpuid >= MAX_VIRT_CPUS || vcpuid >= d->max_vcpus || !(v = d->vcpu[vcpuid])) {
		return -ENOENT;
	}
	switch (cmd) {
	case VCPUOP_initialise:
		/* A vcpu beyond the legacy slots needs its vcpu_info placed first. */
		if (!v->vcpu_info) {
			return -EINVAL;
		}
		return arch_vcpu_initialise(v, arg);
	case VCPUOP_up:
		return vcpu_up(v);
	case VCPUOP_down:
		return vcpu_down(v);
	case VCPUOP_is_up:
		return v->is_up ? 1 : 0;
	case VCPUOP_get_runstate_info: {
		struct vcpu_runstate_info ri;

		runstate_set(v, v->runstate.state);
		runstate_fill(v, &ri);
		return copy_to_guest(arg, &ri, sizeof(ri)) ? -EFAULT : 0;
	}
	case VCPUOP_register_runstate_memory_area: {
		struct vcpu_register_runstate_memory_area area;

		if (copy_from_guest(&area, arg, sizeof(area))) {
			return -EFAULT;
		}
		/* 0 unregisters; anything else must at least be a guest range. */
		if (area.addr && !guest_range_ok(area.addr, sizeof(struct vcpu_runstate_info))) {
			return -EFAULT;
		}
		v->runstate_guest = area.addr;
		runstate_set(v, v->runstate.state);
		return 0;
	}
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, arg);
	case VCPUOP_set_singleshot_timer: {
		struct vcpu_set_singleshot_timer t;

		if (v != current) {
			return -EINVAL;
		}
		if (copy_from_guest(&t, arg, sizeof(t))) {
			return -EFAULT;
		}
		if ((t.flags & VCPU_SSHOTTMR_future) && t.timeout_abs_ns < arch_now_ns()) {
			return -ETIME;
		}
		v->timer_deadline = t.timeout_abs_ns ? t.timeout_abs_ns : 1;
		return 0;
	}
	case VCPUOP_stop_singleshot_timer:
		if (v != current) {
			return -EINVAL;
		}
		v->timer_deadline = 0;
		return 0;
	case VCPUOP_set_periodic_timer: {
		struct vcpu_set_periodic_timer t;

		if (copy_from_guest(&t, arg, sizeof(t))) {
			return -EFAULT;
		}
		/* Xen's bounds: at least 1 ms, and a time the signed system clock can hold. */
		if (t.period_ns < PERIODIC_MIN_NS || t.period_ns > (uint64_t)INT64_MAX) {
			return -EINVAL;
		}
		sched_set_periodic(v, t.period_ns, arch_now_ns());
		return 0;
	}
	case VCPUOP_stop_periodic_timer:
		sched_set_periodic(v, 0, 0);
		return 0;
	default:
		return -ENOSYS;
	}
}
