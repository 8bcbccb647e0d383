/*
 * The PV domain builder for dom0, and what happens when dom0 shuts down.
 *
 * dom0_build() loads dom0's kernel (an ELF64 Xen PV image, elf.h) from the
 * first boot module and its initrd from the second, lays out the bootstrap
 * region as Xen does (kernel, initrd, p2m list, start_info, page tables,
 * stack, then at least 512 KiB of padding, all mapped with 4 KiB pages),
 * types and pins the page tables through mm.h and returns the entry state
 * that dom0_start() hands to vcpu_start().
 *
 * When dom0 shuts down, the registered handler frees everything it held
 * (checking that the frame counts come back), then ends the machine with
 * the reason as status (see DOM0_EXIT_* and scripts/qemu-boot).
 */
#ifndef PALISADE_DOM0_BUILD_H
#define PALISADE_DOM0_BUILD_H

#include <types.h>

struct domain;

/*
 * Exit statuses after a dom0 shutdown (arch_poweroff; EXIT_* 0..3 in
 * arch/layout.h are the hypervisor's own). SHUTDOWN_reboot resets the
 * machine instead, after printing "Rebooting the machine".
 */
#define DOM0_EXIT_POWEROFF 0
#define DOM0_EXIT_CRASH 4
#define DOM0_EXIT_WATCHDOG 5
#define DOM0_EXIT_SUSPEND 6 /* suspend of dom0 is not supported: the machine stops */
#define DOM0_EXIT_SOFT_RESET 7
#define DOM0_EXIT_UNKNOWN 8 /* a reason outside SHUTDOWN_* */
/* Teardown found frames still owned by dom0 or missing from the free count. */
#define DOM0_EXIT_LEAK 9

/* A boot module as the builder needs it (hypervisor-virtual, read-only). */
struct dom0_module {
	const void *data;
	size_t size;
	const char *cmdline;
};

/* Where dom0 starts; filled by dom0_build. */
struct dom0_entry {
	struct domain *d;
	uint64_t rip, rsp, rsi;
};

/*
 * Builds dom0 from kernel (required) and initrd (NULL if none) with
 * mem_bytes of memory (0: the default share). Returns 0, or a negative
 * errno with err (errlen bytes) naming the problem; the caller ends the
 * boot then.
 */
int dom0_build(const struct dom0_module *kernel, const struct dom0_module *initrd,
	       uint64_t mem_bytes, struct dom0_entry *entry, char *err, size_t errlen);

/* Enters dom0 (vcpu_start); never returns. */
void __attribute__((noreturn)) dom0_start(const struct dom0_entry *entry);

#endif /* PALISADE_DOM0_BUILD_H */
