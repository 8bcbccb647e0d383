/*
 * syscall from 32-bit (compat mode) code. On AMD CPUs and under QEMU it
 * enters the hypervisor through MSR_CSTAR: left at 0, that would run ring 0
 * at address 0 and bring the machine down. Palisade offers no 32-bit PV
 * ABI and answers with the #UD an Intel CPU raises there.
 *
 * 32-bit code must sit below 4 GiB, where the bootstrap tables map
 * nothing, so the guest first builds a mapping of one code page at
 * 0x400000 with its own frames (filled through a scratch mapping, then
 * hooked into L4 slot 0 with mmu_update), far-returns to the
 * FLAT_RING3_CS32 selector there (with a stack page above it), and runs
 * "syscall; ud2".
 */
#include <public/errno.h>

#include "guest.h"

#define CODE_VA 0x400000ULL
#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_U 0x4ULL

static uint8_t scratch[4096] __attribute__((aligned(4096)));
static const struct start_info *si_;

static uint64_t mfn_of_pfn(uint64_t pfn)
{
	return ((const uint64_t *)si_->mfn_list)[pfn];
}

static uint64_t mfn_of_va(const void *va)
{
	return mfn_of_pfn(((uint64_t)(uintptr_t)va - 0xffffffff80000000ULL) >> 12);
}

static bool map_scratch(uint64_t mfn)
{
	return hypercall_update_va_mapping((uint64_t)(uintptr_t)scratch,
					   (mfn << 12) | PTE_P | PTE_RW | PTE_U, UVMF_INVLPG) == 0;
}

/* Fills frame mfn (zeroed) with one 64-bit entry at index idx, or code bytes. */
static bool fill(uint64_t mfn, unsigned int idx, uint64_t entry, const uint8_t *code, size_t n)
{
	if (!map_scratch(mfn)) {
		return false;
	}
	memset(scratch, 0, sizeof(scratch));
	if (code) {
		memcpy(scratch, code, n);
	} else {
		((uint64_t *)scratch)[idx] = entry;
	}
	return true;
}

/*
 * enter_compat() iretqs to the 32-bit code with a stack page below 4 GiB
 * (a bounce lands there); the #UD entry (64-bit again, the bounce switched
 * to FLAT_KERNEL_CS) records the frame and returns from enter_compat with
 * the saved callee-saved registers. Then the same again through the
 * runtime's trap_catch, which must come back in 64-bit mode although the
 * fault's frame holds the 32-bit code selector.
 */
uint64_t compat_ksp;
volatile uint64_t ud_rip, ud_cs;
long enter_compat(void);
extern const char compat_ud[];
asm(".pushsection .text\n"
    ".globl enter_compat\n"
    "enter_compat:\n"
    "	push %rbx\n	push %rbp\n	push %r12\n	push %r13\n	push %r14\n	push %r15\n"
    "	mov %rsp, compat_ksp(%rip)\n"
    "	pushq $0xe02b\n"
    "	pushq $0x402000\n"
    "	pushfq\n"
    "	pushq $0xe023\n"
    "	pushq $0x400000\n"
    "	iretq\n"
    ".globl compat_ud\n"
    "compat_ud:\n"
    "	mov 16(%rsp), %rax\n	mov %rax, ud_rip(%rip)\n"
    "	mov 24(%rsp), %rax\n	mov %rax, ud_cs(%rip)\n"
    "	mov compat_ksp(%rip), %rsp\n"
    "	pop %r15\n	pop %r14\n	pop %r13\n	pop %r12\n	pop %rbp\n	pop %rbx\n"
    "	mov $1, %eax\n"
    "	ret\n"
    ".popsection");

static void run_compat(void *arg)
{
	(void)arg;
	asm volatile("pushq $0xe02b\n\tpushq $0x402000\n\tpushfq\n\t"
		     "pushq $0xe023\n\tpushq $0x400000\n\tiretq" ::
			 : "memory");
}

void guest_main(struct start_info *si)
{
	static const uint8_t code[] = {0x0f, 0x05, 0x0f, 0x0b}; /* syscall; ud2 */
	uint64_t base = si->nr_pages - 16, l3, l2, l1, cf, sf, own, l4;
	const struct trap_info ud_entry[] = {
	    {.vector = 6, .cs = FLAT_KERNEL_CS, .address = (uint64_t)(uintptr_t)compat_ud},
	    {0},
	};
	struct mmu_update u;
	long rc;

	si_ = si;
	l3 = mfn_of_pfn(base);
	l2 = mfn_of_pfn(base + 1);
	l1 = mfn_of_pfn(base + 2);
	cf = mfn_of_pfn(base + 3);
	sf = mfn_of_pfn(base + 4);
	own = mfn_of_va(scratch);
	l4 = mfn_of_va((const void *)si->pt_base);
	gprintf("exec_compat: syscall from 32-bit code\n");
	if (!fill(l3, 0, (l2 << 12) | PTE_P | PTE_RW | PTE_U, NULL, 0) ||
	    !fill(l2, (CODE_VA >> 21) & 511, (l1 << 12) | PTE_P | PTE_RW | PTE_U, NULL, 0) ||
	    !fill(l1, (CODE_VA >> 12) & 511, (cf << 12) | PTE_P | PTE_U, NULL, 0) ||
	    !map_scratch(l1) ||
	    !(((uint64_t *)scratch)[((CODE_VA >> 12) & 511) + 1] =
		  (sf << 12) | PTE_P | PTE_RW | PTE_U) ||
	    !fill(sf, 0, 0, NULL, 0) || !fill(cf, 0, 0, code, sizeof(code)) || !map_scratch(own)) {
		test_report(TEST_ERROR, "could not prepare the frames");
	}
	u.ptr = (l4 << 12) | MMU_NORMAL_PT_UPDATE;
	u.val = (l3 << 12) | PTE_P | PTE_RW | PTE_U;
	rc = hypercall_mmu_update(&u, 1, NULL, DOMID_SELF);
	if (rc) {
		test_report(TEST_ERROR, "mmu_update of L4 slot 0 failed: %ld", rc);
	}
	rc = hypercall_set_trap_table(ud_entry);
	if (rc) {
		test_report(TEST_ERROR, "set_trap_table failed: %ld", rc);
	}
	rc = enter_compat();
	traps_init();
	if (test_check(rc == 1, "syscall in compat mode raises #UD")) {
		test_check(ud_rip == CODE_VA, "#UD at the syscall (rip 0x%llx)",
			   (unsigned long long)ud_rip);
		test_check((ud_cs & 0xfffc) == (FLAT_RING3_CS32 & 0xfffc),
			   "the frame shows the compat code selector (0x%llx)",
			   (unsigned long long)ud_cs);
	}
	{
		struct trap_record rec;

		if (test_check(trap_catch(6, run_compat, NULL, &rec),
			       "trap_catch catches #UD raised in 32-bit code")) {
			test_check(rec.rip == CODE_VA &&
				       (rec.cs & 0xfffc) == (FLAT_RING3_CS32 & 0xfffc),
				   "trap_catch's record: rip 0x%llx cs 0x%llx",
				   (unsigned long long)rec.rip, (unsigned long long)rec.cs);
		}
	}
	test_finish();
}
