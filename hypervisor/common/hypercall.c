/*
 * The hypercall dispatch table and multicall.
 *
 * Handlers are typed (hypercall.h); the table holds thunks that narrow the
 * six 64-bit argument registers to each handler's parameter types, the way
 * Xen truncates 32-bit arguments. Handlers not yet written by their owner
 * resolve to the weak -ENOSYS defaults at the end of this file, so the
 * table always links; a strong definition elsewhere replaces the default.
 */
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/xen.h>

bool in_multicall;
bool hypercall_no_result;

#define THUNK0(name)                                                                               \
	static long thunk_##name(const uint64_t a[6])                                              \
	{                                                                                          \
		return do_##name();                                                                \
	}
#define THUNK1(name, t0)                                                                           \
	static long thunk_##name(const uint64_t a[6])                                              \
	{                                                                                          \
		return do_##name((t0)a[0]);                                                        \
	}
#define THUNK2(name, t0, t1)                                                                       \
	static long thunk_##name(const uint64_t a[6])                                              \
	{                                                                                          \
		return do_##name((t0)a[0], (t1)a[1]);                                              \
	}
#define THUNK3(name, t0, t1, t2)                                                                   \
	static long thunk_##name(const uint64_t a[6])                                              \
	{                                                                                          \
		return do_##name((t0)a[0], (t1)a[1], (t2)a[2]);                                    \
	}
#define THUNK4(name, t0, t1, t2, t3)                                                               \
	static long thunk_##name(const uint64_t a[6])                                              \
	{                                                                                          \
		return do_##name((t0)a[0], (t1)a[1], (t2)a[2], (t3)a[3]);                          \
	}

THUNK1(set_trap_table, uint64_t)
THUNK4(mmu_update, uint64_t, uint32_t, uint64_t, uint32_t)
THUNK2(set_gdt, uint64_t, uint32_t)
THUNK2(stack_switch, uint64_t, uint64_t)
THUNK3(set_callbacks, uint64_t, uint64_t, uint64_t)
THUNK1(fpu_taskswitch, uint32_t)
THUNK2(update_descriptor, uint64_t, uint64_t)
THUNK2(memory_op, uint32_t, uint64_t)
THUNK2(multicall, uint64_t, uint32_t)
THUNK3(update_va_mapping, uint64_t, uint64_t, uint64_t)
THUNK1(set_timer_op, uint64_t)
THUNK2(xen_version, uint32_t, uint64_t)
THUNK3(console_io, uint32_t, uint32_t, uint64_t)
THUNK2(vm_assist, uint32_t, uint32_t)
THUNK0(iret)
THUNK3(vcpu_op, uint32_t, uint32_t, uint64_t)
THUNK2(set_segment_base, uint32_t, uint64_t)
THUNK4(mmuext_op, uint64_t, uint32_t, uint64_t, uint32_t)
THUNK1(xsm_op, uint64_t)
THUNK2(sched_op, uint32_t, uint64_t)
THUNK2(callback_op, uint32_t, uint64_t)
THUNK1(sysctl, uint64_t)
THUNK2(event_channel_op, uint32_t, uint64_t)
THUNK2(physdev_op, uint32_t, uint64_t)

static const hypercall_thunk_t hypercall_table[NR_HYPERCALLS] = {
    [__HYPERVISOR_set_trap_table] = thunk_set_trap_table,
    [__HYPERVISOR_mmu_update] = thunk_mmu_update,
    [__HYPERVISOR_set_gdt] = thunk_set_gdt,
    [__HYPERVISOR_stack_switch] = thunk_stack_switch,
    [__HYPERVISOR_set_callbacks] = thunk_set_callbacks,
    [__HYPERVISOR_fpu_taskswitch] = thunk_fpu_taskswitch,
    [__HYPERVISOR_update_descriptor] = thunk_update_descriptor,
    [__HYPERVISOR_memory_op] = thunk_memory_op,
    [__HYPERVISOR_multicall] = thunk_multicall,
    [__HYPERVISOR_update_va_mapping] = thunk_update_va_mapping,
    [__HYPERVISOR_set_timer_op] = thunk_set_timer_op,
    [__HYPERVISOR_xen_version] = thunk_xen_version,
    [__HYPERVISOR_console_io] = thunk_console_io,
    [__HYPERVISOR_vm_assist] = thunk_vm_assist,
    [__HYPERVISOR_iret] = thunk_iret,
    [__HYPERVISOR_vcpu_op] = thunk_vcpu_op,
    [__HYPERVISOR_set_segment_base] = thunk_set_segment_base,
    [__HYPERVISOR_mmuext_op] = thunk_mmuext_op,
    [__HYPERVISOR_xsm_op] = thunk_xsm_op,
    [__HYPERVISOR_sched_op] = thunk_sched_op,
    [__HYPERVISOR_callback_op] = thunk_callback_op,
    [__HYPERVISOR_sysctl] = thunk_sysctl,
    [__HYPERVISOR_event_channel_op] = thunk_event_channel_op,
    [__HYPERVISOR_physdev_op] = thunk_physdev_op,
};

long hypercall_dispatch(uint64_t nr, const uint64_t args[6])
{
	if (nr >= NR_HYPERCALLS || !hypercall_table[nr]) {
		return -ENOSYS;
	}
	return hypercall_table[nr](args);
}

/*
 * Each entry goes through the same table. A nested multicall, and iret
 * (which rewrites the guest frame and never returns a result), are
 * refused per entry with -EINVAL as their result, like Xen does for the
 * nested case; the batch carries on.
 */
long do_multicall(uint64_t call_list, uint32_t nr_calls)
{
	struct multicall_entry e;
	uint32_t i;

	if (in_multicall) {
		return -EINVAL;
	}
	in_multicall = true;
	for (i = 0; i < nr_calls; i++) {
		uint64_t gva = call_list + (uint64_t)i * sizeof(e);

		if (copy_from_guest(&e, gva, sizeof(e))) {
			in_multicall = false;
			return -EFAULT;
		}
		if (e.op == __HYPERVISOR_multicall || e.op == __HYPERVISOR_iret) {
			e.result = (uint64_t)-EINVAL;
		} else {
			e.result = (uint64_t)hypercall_dispatch(e.op, e.args);
		}
		if (copy_to_guest(gva + offsetof(struct multicall_entry, result), &e.result,
				  sizeof(e.result))) {
			in_multicall = false;
			return -EFAULT;
		}
	}
	in_multicall = false;
	return 0;
}

/* Weak defaults: replaced by each owner's strong definition. */
#define WEAK __attribute__((weak))
WEAK long do_set_trap_table(uint64_t traps)
{
	return -ENOSYS;
}
WEAK long do_mmu_update(uint64_t ureqs, uint32_t count, uint64_t pdone, uint32_t foreigndom)
{
	return -ENOSYS;
}
WEAK long do_set_gdt(uint64_t frame_list, uint32_t entries)
{
	return -ENOSYS;
}
WEAK long do_stack_switch(uint64_t ss, uint64_t esp)
{
	return -ENOSYS;
}
WEAK long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
	return -ENOSYS;
}
WEAK long do_fpu_taskswitch(uint32_t set)
{
	return -ENOSYS;
}
WEAK long do_update_descriptor(uint64_t maddr, uint64_t desc)
{
	return -ENOSYS;
}
WEAK long do_memory_op(uint32_t cmd, uint64_t arg)
{
	return -ENOSYS;
}
WEAK long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags)
{
	return -ENOSYS;
}
WEAK long do_set_timer_op(uint64_t timeout)
{
	return -ENOSYS;
}
WEAK long do_xen_version(uint32_t cmd, uint64_t arg)
{
	return -ENOSYS;
}
WEAK long do_console_io(uint32_t cmd, uint32_t count, uint64_t buffer)
{
	return -ENOSYS;
}
WEAK long do_vm_assist(uint32_t cmd, uint32_t type)
{
	return -ENOSYS;
}
WEAK long do_iret(void)
{
	return -ENOSYS;
}
WEAK long do_vcpu_op(uint32_t cmd, uint32_t vcpuid, uint64_t arg)
{
	return -ENOSYS;
}
WEAK long do_set_segment_base(uint32_t which, uint64_t base)
{
	return -ENOSYS;
}
WEAK long do_mmuext_op(uint64_t uops, uint32_t count, uint64_t pdone, uint32_t foreigndom)
{
	return -ENOSYS;
}
WEAK long do_xsm_op(uint64_t op)
{
	return -ENOSYS;
}
WEAK long do_sched_op(uint32_t cmd, uint64_t arg)
{
	return -ENOSYS;
}
WEAK long do_callback_op(uint32_t cmd, uint64_t arg)
{
	return -ENOSYS;
}
WEAK long do_sysctl(uint64_t op)
{
	return -ENOSYS;
}
WEAK long do_event_channel_op(uint32_t cmd, uint64_t arg)
{
	return -ENOSYS;
}
WEAK long do_physdev_op(uint32_t cmd, uint64_t arg)
{
	return -ENOSYS;
}
