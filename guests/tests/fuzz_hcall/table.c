/*
 * What there is to call. The hypercalls and sub-ops this hypervisor knows
 * come from its own lists (hypercalls.def, xsm/sysctl.def, xsm/domctl.def),
 * so a sub-op added there is fuzzed from the next build on. Xen's sub-op
 * ranges (its public headers, 4.17) cover the numbers the lists do not have
 * yet, and a few past the end of each range are tried as well.
 */
#include <public/callback.h>
#include <public/event_channel.h>
#include <public/flask_op.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/physdev.h>
#include <public/sched.h>
#include <public/sysctl.h>
#include <public/vcpu.h>
#include <public/version.h>
#include <public/xen.h>

#include "fuzz.h"

const struct fuzz_subop fuzz_def_subops[] = {
#define HYPERCALL(name, nr, args, rows)
#define SUBOP(name, subop, hooks) {__HYPERVISOR_##name, subop},
#define SUBOP_SELF(name, subop, why) {__HYPERVISOR_##name, subop},
#define SUBOP_NONE(name, subop, err, why, ...) {__HYPERVISOR_##name, subop},
#include <hypercalls.def>
#define XSM_SYSCTL(name, nr, cls, perm, status) {__HYPERVISOR_sysctl, nr},
#define XSM_SYSCTL_BY(name, nr, hook, status) {__HYPERVISOR_sysctl, nr},
#include <xsm/sysctl.def>
#undef XSM_SYSCTL
#undef XSM_SYSCTL_BY
#define XSM_DOMCTL(name, nr, action, cls, perm, status) {__HYPERVISOR_domctl, nr},
#define XSM_DOMCTL_BY(name, nr, action, hook, status) {__HYPERVISOR_domctl, nr},
#include <xsm/domctl.def>
#undef XSM_DOMCTL
#undef XSM_DOMCTL_BY
};
const unsigned int fuzz_nr_def_subops = sizeof(fuzz_def_subops) / sizeof(fuzz_def_subops[0]);

/* Every hypercall of the list, implemented or only declared. */
const uint8_t fuzz_def_hypercalls[] = {
#define HYPERCALL(name, nr, args, rows) nr,
#define HYPERCALL_NONE(name, nr, rows) nr,
#include <hypercalls.def>
};
const unsigned int fuzz_nr_def_hypercalls =
    sizeof(fuzz_def_hypercalls) / sizeof(fuzz_def_hypercalls[0]);

static const char *const names[FUZZ_NR_MAX] = {
#define HYPERCALL(name, nr, args, rows) [nr] = #name,
#define HYPERCALL_NONE(name, nr, rows) [nr] = #name,
#include <hypercalls.def>
};

const char *fuzz_name(uint64_t nr)
{
	return nr < FUZZ_NR_MAX && names[nr] ? names[nr] : "-";
}

/*
 * Sub-op counts of Xen 4.17, rounded up (its public headers as Debian's
 * libxen-dev installs them: memory.h up to XENMEM_acquire_resource (28),
 * grant_table.h up to GNTTABOP_cache_flush (12), event_channel.h up to
 * EVTCHNOP_reset_cont (14), vcpu.h up to register_vcpu_time_memory_area
 * (13), sched.h up to SCHEDOP_pin_override (7), physdev.h (31),
 * hvm/hvm_op.h (25), xsm/flask_op.h (25), sysctl.h (29), domctl.h (below
 * 90, and 1000..1003), platform.h (63), xen.h's MMUEXT_ (20), kexec.h,
 * argo.h, hypfs.h, pmu.h). pick_subop tries 4 past each count as well.
 */
uint32_t fuzz_xen_subops(uint64_t nr)
{
	switch (nr) {
	case __HYPERVISOR_memory_op:
		return 30;
	case __HYPERVISOR_xen_version:
		return 15;
	case __HYPERVISOR_console_io:
		return 3;
	case __HYPERVISOR_grant_table_op:
		return 13;
	case __HYPERVISOR_vm_assist:
		return 2;
	case __HYPERVISOR_vcpu_op:
		return 16;
	case __HYPERVISOR_sched_op:
	case __HYPERVISOR_sched_op_compat:
		return 8;
	case __HYPERVISOR_callback_op:
		return 3;
	case __HYPERVISOR_event_channel_op:
	case __HYPERVISOR_event_channel_op_compat:
		return 15;
	case __HYPERVISOR_physdev_op:
	case __HYPERVISOR_physdev_op_compat:
		return 31;
	case __HYPERVISOR_hvm_op:
		return 25;
	case __HYPERVISOR_xsm_op:
		return 28;
	case __HYPERVISOR_sysctl:
		return 30;
	case __HYPERVISOR_domctl:
		return 90;
	case __HYPERVISOR_platform_op:
		return 70;
	case __HYPERVISOR_mmuext_op:
		return 21;
	case __HYPERVISOR_nmi_op:
		return 2;
	case __HYPERVISOR_kexec_op:
		return 8;
	case __HYPERVISOR_argo_op:
		return 6;
	case __HYPERVISOR_hypfs_op:
		return 4;
	case __HYPERVISOR_xenpmu_op:
		return 8;
	case __HYPERVISOR_xenoprof_op:
		return 20;
	case __HYPERVISOR_dm_op:
		return 1;
	default:
		return 0;
	}
}

int fuzz_subop_style(uint64_t nr)
{
	switch (nr) {
	case __HYPERVISOR_xsm_op:
	case __HYPERVISOR_sysctl:
	case __HYPERVISOR_domctl:
	case __HYPERVISOR_platform_op:
	case __HYPERVISOR_event_channel_op_compat:
	case __HYPERVISOR_physdev_op_compat:
		return SUBOP_STRUCT;
	case __HYPERVISOR_mmuext_op:
		return SUBOP_NONE_; /* its ops are inside the list it is given */
	default:
		return fuzz_xen_subops(nr) ? SUBOP_ARG0 : SUBOP_NONE_;
	}
}
