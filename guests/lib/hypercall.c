/*
 * Typed hypercall wrappers. They are out of line so a test can set a
 * breakpoint or count calls; the cost is one call per hypercall.
 */
#include "hypercall.h"

bool hypercall_page_filled(void)
{
	/*
	 * Every stub starts with "push %rcx" or a mov, never with "ret": if
	 * the first byte of stub 0 and of stub 29 (sched_op) are still 0xc3,
	 * nobody filled the page.
	 */
	return hypercall_page[0] != 0xc3 &&
	       hypercall_page[__HYPERVISOR_sched_op * HYPERCALL_STUB_SIZE] != 0xc3;
}

long hypercall_set_trap_table(const struct trap_info *table)
{
	return HYPERCALL1(__HYPERVISOR_set_trap_table, table);
}

long hypercall_mmu_update(const struct mmu_update *reqs, unsigned int count, unsigned int *done,
			  domid_t foreigndom)
{
	return HYPERCALL4(__HYPERVISOR_mmu_update, reqs, count, done, foreigndom);
}

long hypercall_stack_switch(uint64_t ss, uint64_t sp)
{
	return HYPERCALL2(__HYPERVISOR_stack_switch, ss, sp);
}

long hypercall_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
	return HYPERCALL3(__HYPERVISOR_set_callbacks, event, failsafe, syscall);
}

long hypercall_memory_op(unsigned int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_memory_op, cmd, arg);
}

long hypercall_multicall(struct multicall_entry *calls, unsigned int nr_calls)
{
	return HYPERCALL2(__HYPERVISOR_multicall, calls, nr_calls);
}

long hypercall_update_va_mapping(uint64_t va, uint64_t pte, uint64_t flags)
{
	return HYPERCALL3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

long hypercall_set_timer_op(uint64_t timeout_abs_ns)
{
	return HYPERCALL1(__HYPERVISOR_set_timer_op, timeout_abs_ns);
}

long hypercall_xen_version(unsigned int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_xen_version, cmd, arg);
}

long hypercall_console_io(unsigned int cmd, unsigned int count, const char *buf)
{
	return HYPERCALL3(__HYPERVISOR_console_io, cmd, count, buf);
}

long hypercall_grant_table_op(unsigned int cmd, void *uops, unsigned int count)
{
	return HYPERCALL3(__HYPERVISOR_grant_table_op, cmd, uops, count);
}

long hypercall_vm_assist(unsigned int cmd, unsigned int type)
{
	return HYPERCALL2(__HYPERVISOR_vm_assist, cmd, type);
}

long hypercall_vcpu_op(unsigned int cmd, unsigned int vcpu, void *arg)
{
	return HYPERCALL3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

long hypercall_set_segment_base(unsigned int which, uint64_t base)
{
	return HYPERCALL2(__HYPERVISOR_set_segment_base, which, base);
}

long hypercall_mmuext_op(const struct mmuext_op *ops, unsigned int count, unsigned int *done,
			 domid_t foreigndom)
{
	return HYPERCALL4(__HYPERVISOR_mmuext_op, ops, count, done, foreigndom);
}

long hypercall_xsm_op(struct xen_flask_op *op)
{
	return HYPERCALL1(__HYPERVISOR_xsm_op, op);
}

long hypercall_sched_op(unsigned int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_sched_op, cmd, arg);
}

long hypercall_callback_op(unsigned int cmd, const void *arg)
{
	return HYPERCALL2(__HYPERVISOR_callback_op, cmd, arg);
}

long hypercall_event_channel_op(unsigned int cmd, void *arg)
{
	return HYPERCALL2(__HYPERVISOR_event_channel_op, cmd, arg);
}
