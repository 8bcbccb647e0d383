/*
 * User mode and low pages for test guests (usermode.h).
 */
#include <lib.h>

#include "hypercall.h"
#include "layout.h"
#include "report.h"
#include "runtime.h"
#include "usermode.h"

#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_U 0x4ULL
#define TABLE (PTE_P | PTE_RW | PTE_U)

static uint64_t user_kstack[1024] __attribute__((aligned(16)));
static struct iret_context user_ctx;
/* Frames are filled through this page, remapped for the time it takes. */
static uint8_t window[4096] __attribute__((aligned(4096), section(".bss.page_aligned")));

static uint64_t mfn_of_pfn(uint64_t pfn)
{
	return ((const uint64_t *)start_info->mfn_list)[pfn];
}

static uint64_t mfn_of_va(uint64_t va)
{
	return mfn_of_pfn((va - GUEST_VIRT_BASE) >> 12);
}

void user_mode_init(void)
{
	struct mmuext_op op = {.cmd = MMUEXT_NEW_USER_BASEPTR};
	long rc;

	op.arg1.mfn = mfn_of_va(start_info->pt_base);
	rc = hypercall_mmuext_op(&op, 1, NULL, DOMID_SELF);
	rc = rc ? rc
		: hypercall_stack_switch(FLAT_KERNEL_SS, (uint64_t)(uintptr_t)&user_kstack[1024]);
	if (rc) {
		test_report(TEST_ERROR, "user mode: new_user_baseptr or stack_switch: %ld", rc);
	}
}

void user_enter(uint64_t rip, uint16_t cs, uint64_t rsp, uint64_t rflags)
{
	memset(&user_ctx, 0, sizeof(user_ctx));
	user_ctx.rip = rip;
	user_ctx.cs = cs | 3;
	user_ctx.rflags = rflags;
	user_ctx.rsp = rsp;
	user_ctx.ss = FLAT_USER_SS32;
	hypercall_iret(&user_ctx);
}

static long window_on(uint64_t mfn)
{
	return hypercall_update_va_mapping((uint64_t)(uintptr_t)window,
					   (mfn << 12) | PTE_P | PTE_RW | PTE_U, UVMF_INVLPG);
}

/* Frame mfn, zeroed, then n bytes of src at byte off. */
static long fill(uint64_t mfn, size_t off, const void *src, size_t n)
{
	long rc = window_on(mfn);

	if (rc == 0) {
		memset(window, 0, sizeof(window));
		if (n) {
			memcpy(window + off, src, n);
		}
	}
	return rc;
}

void low_pages_map(const void *code, size_t len)
{
	uint64_t base = start_info->nr_pages - 16;
	uint64_t l3 = mfn_of_pfn(base), l2 = mfn_of_pfn(base + 1), l1 = mfn_of_pfn(base + 2);
	uint64_t cf = mfn_of_pfn(base + 3), sf = mfn_of_pfn(base + 4);
	unsigned int slot = (LOW_CODE_VA >> 12) & 511;
	uint64_t e3 = (l2 << 12) | TABLE, e2 = (l1 << 12) | TABLE;
	uint64_t e1[2] = {(cf << 12) | PTE_P | PTE_U, (sf << 12) | TABLE};
	struct mmu_update u;
	long rc;

	if (len > sizeof(window)) {
		test_report(TEST_ERROR, "low pages: %zu bytes of code do not fit a page", len);
	}
	rc = fill(l3, 0, &e3, sizeof(e3));
	rc = rc ? rc : fill(l2, ((LOW_CODE_VA >> 21) & 511) * 8, &e2, sizeof(e2));
	rc = rc ? rc : fill(l1, slot * 8, e1, sizeof(e1));
	rc = rc ? rc : fill(sf, 0, NULL, 0);
	rc = rc ? rc : fill(cf, 0, code, len);
	/* The window's own frame back, so none of these stays mapped writable. */
	rc = rc ? rc : window_on(mfn_of_va((uint64_t)(uintptr_t)window));
	u.ptr = (mfn_of_va(start_info->pt_base) << 12) | MMU_NORMAL_PT_UPDATE;
	u.val = (l3 << 12) | TABLE;
	rc = rc ? rc : hypercall_mmu_update(&u, 1, NULL, DOMID_SELF);
	if (rc) {
		test_report(TEST_ERROR, "low pages: mapping the 32-bit code and stack: %ld", rc);
	}
}
