/*
 * Contexts for secondary vcpus, which vcpu runs this code, and the system
 * time of a vcpu (vcpus.h).
 */
#include <lib.h>

#include "layout.h"
#include "runtime.h"
#include "traps.h"
#include "vcpus.h"

extern const char event_callback_entry[], failsafe_callback_entry[];

static struct {
	uint64_t lo, hi;
} stacks[VCPUS_MAX];

void vcpu_context(struct vcpu_guest_context *ctx, unsigned int id, void (*entry)(unsigned int),
		  void *stack, size_t size)
{
	uint64_t top = ((uint64_t)(uintptr_t)stack + size) & ~15ULL;
	uint64_t l4_pfn = (start_info->pt_base - GUEST_VIRT_BASE) >> 12;

	memset(ctx, 0, sizeof(*ctx));
	ctx->flags = VGCF_in_kernel;
	ctx->user_regs.rip = (uint64_t)(uintptr_t)entry;
	/* As after a call: the ABI's alignment at a function's first instruction. */
	ctx->user_regs.rsp = top - 8;
	ctx->user_regs.rdi = id;
	ctx->user_regs.cs = FLAT_KERNEL_CS64;
	ctx->user_regs.ss = FLAT_KERNEL_SS64;
	ctx->user_regs.rflags = 0x200;
	ctx->kernel_ss = FLAT_KERNEL_SS64;
	ctx->kernel_sp = ctx->user_regs.rsp;
	ctx->ctrlreg[3] = xen_pfn_to_cr3(((const uint64_t *)start_info->mfn_list)[l4_pfn]);
	ctx->event_callback_eip = (uint64_t)(uintptr_t)event_callback_entry;
	ctx->failsafe_callback_eip = (uint64_t)(uintptr_t)failsafe_callback_entry;
	ctx->debugreg[6] = 0xffff0ff0;
	ctx->debugreg[7] = 0x400;
	traps_fill_context(ctx->trap_ctxt);
	if (id > 0 && id < VCPUS_MAX) {
		stacks[id].lo = (uint64_t)(uintptr_t)stack;
		stacks[id].hi = (uint64_t)(uintptr_t)stack + size;
	}
}

unsigned int vcpu_self(void)
{
	uint64_t sp = (uint64_t)(uintptr_t)__builtin_frame_address(0);
	unsigned int id;

	for (id = 1; id < VCPUS_MAX; id++) {
		if (sp >= stacks[id].lo && sp < stacks[id].hi) {
			return id;
		}
	}
	return 0;
}

uint64_t vcpu_time_ns(unsigned int id)
{
	return runtime_system_time(&shared_info->vcpu_info[id].time);
}
