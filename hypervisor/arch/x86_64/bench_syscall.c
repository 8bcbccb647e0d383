/*
 * Boot-time measurement of a bare syscall/sysret round trip (asm/bench.h).
 *
 * The stub runs in an address space of its own, built here from five
 * frames: an L4 holding the hypervisor's slots (copied from the current
 * L4, so this code, its stack and the console stay mapped) plus one path
 * to a single user page, read-only and executable, at BENCH_VA. Nothing of
 * a guest is involved, and everything is given back afterwards.
 */
#include <arch/mm.h>
#include <asm/bench.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <frame.h>
#include <lib.h>
#include <public/errno.h>

#define BENCH_VA 0x400000UL
#define NR_FRAMES 5 /* L4, L3, L2, L1, code */

uint64_t bench_syscall_run(uint64_t cr3, uint64_t user_rip, uint64_t iters);
extern const char bench_syscall_handler[];
extern const char bench_stub_start[], bench_stub_end[];

int arch_bench_bare_syscall(uint32_t iters, uint64_t *cycles)
{
	const uint64_t *hv_l4 = arch_mfn_to_virt(_mfn((read_cr3() & PTE_ADDR_MASK) >> PAGE_SHIFT));
	mfn_t f[NR_FRAMES];
	uint64_t *t[NR_FRAMES];
	uint64_t old_cr3, old_lstar, flags;
	unsigned int i, n;
	int rc = 0;

	if (iters == 0) {
		return -EINVAL;
	}
	for (n = 0; n < NR_FRAMES; n++) {
		f[n] = frame_alloc(DOMID_XEN);
		if (mfn_eq(f[n], INVALID_MFN)) {
			rc = -ENOMEM;
			goto out;
		}
		t[n] = arch_mfn_to_virt(f[n]);
		memset(t[n], 0, PAGE_SIZE);
	}
	for (i = 256; i < 512; i++) {
		t[0][i] = hv_l4[i];
	}
	t[0][(BENCH_VA >> 39) & 511] = (mfn_x(f[1]) << PAGE_SHIFT) | PTE_P | PTE_W | PTE_U;
	t[1][(BENCH_VA >> 30) & 511] = (mfn_x(f[2]) << PAGE_SHIFT) | PTE_P | PTE_W | PTE_U;
	t[2][(BENCH_VA >> 21) & 511] = (mfn_x(f[3]) << PAGE_SHIFT) | PTE_P | PTE_W | PTE_U;
	t[3][(BENCH_VA >> 12) & 511] = (mfn_x(f[4]) << PAGE_SHIFT) | PTE_P | PTE_U;
	memcpy(t[4], bench_stub_start, (size_t)(bench_stub_end - bench_stub_start));

	flags = read_flags();
	local_irq_disable();
	old_cr3 = read_cr3();
	old_lstar = rdmsr(MSR_LSTAR);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)bench_syscall_handler);
	*cycles = bench_syscall_run(mfn_x(f[0]) << PAGE_SHIFT, BENCH_VA, iters);
	wrmsr(MSR_LSTAR, old_lstar);
	write_cr3(old_cr3);
	if (flags & (1UL << 9)) {
		local_irq_enable();
	}
out:
	while (n--) {
		frame_free(f[n]);
	}
	return rc;
}
