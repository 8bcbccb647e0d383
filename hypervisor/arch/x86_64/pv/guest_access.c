/*
 * Fault-safe guest memory access (guest_access.h) for x86_64.
 *
 * The guest's page tables stay loaded while the hypervisor handles its
 * hypercalls (its L4 carries the hypervisor's slots), so a guest virtual
 * address is used directly. Three defences keep a bad pointer harmless:
 * the range check refuses non-canonical addresses and the hypervisor hole
 * (which is mapped, but never for the guest); SMAP is lifted only around
 * the copy instruction; and a fault on that instruction is turned into
 * -EFAULT through the fixup table below instead of a fatal report.
 */
#include <asm/cpu.h>
#include <asm/pv.h>
#include <guest_access.h>
#include <public/errno.h>

size_t uaccess_copy(void *dst, const void *src, size_t n);
size_t uaccess_clear(void *dst, size_t n);
extern const char uaccess_copy_insn[], uaccess_copy_fixup[];
extern const char uaccess_clear_insn[], uaccess_clear_fixup[];

static inline void stac(void)
{
	if (cpu_has_smap) {
		__asm__ volatile("stac" ::: "memory");
	}
}

static inline void clac(void)
{
	if (cpu_has_smap) {
		__asm__ volatile("clac" ::: "memory");
	}
}

bool uaccess_fixup(struct cpu_regs *r)
{
	if (r->rip == (uint64_t)uaccess_copy_insn) {
		r->rip = (uint64_t)uaccess_copy_fixup;
		return true;
	}
	if (r->rip == (uint64_t)uaccess_clear_insn) {
		r->rip = (uint64_t)uaccess_clear_fixup;
		return true;
	}
	return false;
}

int copy_from_guest(void *dst, uint64_t gva, size_t n)
{
	size_t left;

	if (n == 0) {
		return 0;
	}
	if (!guest_range_ok(gva, n)) {
		return -EFAULT;
	}
	stac();
	left = uaccess_copy(dst, (const void *)gva, n);
	clac();
	return left ? -EFAULT : 0;
}

int copy_to_guest(uint64_t gva, const void *src, size_t n)
{
	size_t left;

	if (n == 0) {
		return 0;
	}
	if (!guest_range_ok(gva, n)) {
		return -EFAULT;
	}
	stac();
	left = uaccess_copy((void *)gva, src, n);
	clac();
	return left ? -EFAULT : 0;
}

int clear_guest(uint64_t gva, size_t n)
{
	size_t left;

	if (n == 0) {
		return 0;
	}
	if (!guest_range_ok(gva, n)) {
		return -EFAULT;
	}
	stac();
	left = uaccess_clear((void *)gva, n);
	clac();
	return left ? -EFAULT : 0;
}
