/*
 * Writes straight into one's own L1 page table, which is mapped read-only:
 * the hypervisor emulates them as Xen's ptwr does (Linux's vunmap relies
 * on it). A 64-bit mov, mov of an imm32, xchg (old value returned), lock
 * cmpxchg (both outcomes) change the window page's mapping as mmu_update
 * would; a PTE mmu_update would refuse (a writable mapping of a page
 * table) comes back as the #PF it was, the entry unchanged.
 */
#include "mm_util.h"

static volatile uint64_t *slot;
static uint64_t bad_pte;

static void write_bad(void *arg)
{
	(void)arg;
	asm volatile("movq %1, %0" : "=m"(*slot) : "r"(bad_pte) : "memory");
}

void guest_main(struct start_info *si)
{
	uint64_t s0, s1, old, expect;
	uint8_t zf;
	struct trap_record rec;

	(void)si;
	gprintf("mm_ptwr: direct writes into our own L1\n");
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "no window page");
	}
	slot = window_slot();
	s0 = scratch_tagged(0, 0x1111);
	s1 = scratch_tagged(1, 0x2222);

	asm volatile("movq %1, %0" : "=m"(*slot) : "r"(pte_rw(s0)) : "memory");
	flush_window();
	test_check(pte_same(*slot, pte_rw(s0)) && *(volatile uint64_t *)window_va == 0x1111,
		   "mov r64 into the L1 maps the new frame");

	old = pte_rw(s1);
	asm volatile("xchgq %0, %1" : "+r"(old), "+m"(*slot) : : "memory");
	flush_window();
	test_check(pte_same(old, pte_rw(s0)), "xchg returns the old entry");
	test_check(*(volatile uint64_t *)window_va == 0x2222, "xchg installed the new one");

	expect = pte_rw(s1) & ~PTE_US; /* stale: differs in the user bit at least */
	if (expect == *slot) {
		expect = 0;
	}
	asm volatile("lock cmpxchgq %3, %1; sete %2"
		     : "+a"(expect), "+m"(*slot), "=q"(zf)
		     : "r"(pte_rw(s0))
		     : "memory", "cc");
	test_check(!zf && expect == *slot && pte_same(*slot, pte_rw(s1)),
		   "cmpxchg with a stale expected value: ZF clear, rax gets the entry");
	asm volatile("lock cmpxchgq %3, %1; sete %2"
		     : "+a"(expect), "+m"(*slot), "=q"(zf)
		     : "r"(pte_rw(s0))
		     : "memory", "cc");
	flush_window();
	test_check(zf && *(volatile uint64_t *)window_va == 0x1111, "cmpxchg that matches writes");

	asm volatile("movq $0, %0" : "=m"(*slot) : : "memory");
	flush_window();
	test_check(*slot == 0 && !va_mapped(window_va), "mov imm32 0 unmaps");

	/* A writable mapping of a page table: refused, the guest sees its #PF. */
	bad_pte = pte_rw(table_mfn(window_va, 1));
	test_check(trap_catch(TRAP_PF, write_bad, NULL, &rec), "a writable L1 mapping faults");
	test_check(*slot == 0, "and leaves the entry as it was");

	asm volatile("movq %1, %0" : "=m"(*slot) : "r"(window_pte) : "memory");
	flush_window();
	test_check(window_intact(), "the window is back");
	test_finish();
}
