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
 * asm/layout.h are the hypervisor's own). SHUTDOWN_reboot resets the
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

struct elf_image;

/*
 * The bootstrap region, guest-virtual [v_start, v_end): pseudo-physical
 * frame N at v_start + N pages. Each part starts on a page boundary, in
 * this order; the initrd is absent (0, 0) when there is none or the kernel
 * asked for it by pfn (MOD_START_PFN: then it follows v_end, unmapped).
 */
struct dom0_layout {
	uint64_t v_start;
	uint64_t kern_start, kern_end;
	uint64_t initrd_start, initrd_end;
	uint64_t p2m_start, p2m_end; /* 8 bytes per page of dom0 */
	uint64_t si_start;	     /* one page: start_info */
	uint64_t pt_start, pt_end;   /* nr_pt page-table frames, the L4 first */
	uint64_t stack_start, stack_end;
	uint64_t v_end; /* 4 MiB aligned, at least 512 KiB above stack_end */
	uint64_t nr_pt;
};

#define DOM0_REGION_ALIGN (4ULL << 20)
#define DOM0_PADDING_MIN (512ULL << 10)

/*
 * Xen's layout for img with nr_pages of memory and an initrd of initrd_len
 * bytes (0: none). The page-table count depends on the region's size,
 * which includes the tables: nr_pt is the smallest count that maps the
 * region it ends up in. Returns 0; -EINVAL (the region wraps, leaves the
 * canonical lower or upper half, or touches the hypervisor hole) or
 * -ENOMEM (nr_pages cannot hold the region, plus an unmapped initrd), with
 * err saying which.
 */
int dom0_layout(struct dom0_layout *l, const struct elf_image *img, uint64_t nr_pages,
		uint64_t initrd_len, char *err, size_t errlen);

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
 * mem_bytes of memory (0: the default share) and nr_vcpus vcpus (vcpu 0
 * starts, the others wait down for the guest). Returns 0, or a negative
 * errno with err (errlen bytes) naming the problem; the caller ends the
 * boot then.
 */
int dom0_build(const struct dom0_module *kernel, const struct dom0_module *initrd,
	       uint64_t mem_bytes, unsigned int nr_vcpus, struct dom0_entry *entry, char *err,
	       size_t errlen);

struct bootdom_desc;

/*
 * Builds the boot-time domU id from its description (bootdomain.h) the
 * way dom0 is built, as an unprivileged domain labelled desc->seclabel
 * (desc->init_seclabel when given: the caller relabels it before it runs)
 * through domain_create_labelled (the XSM domain_create check). Returns 0
 * with entry filled, or a negative errno with err saying why; nothing of
 * the domain is left then.
 */
int domu_build(uint16_t id, const struct bootdom_desc *desc, const struct dom0_module *kernel,
	       const struct dom0_module *initrd, struct dom0_entry *entry, char *err,
	       size_t errlen);

struct mb2_module;

/*
 * Builds and makes runnable every boot-time domain the modules describe
 * (pv/bootdom_build.c); returns how many were built. The modules must stay
 * in place: a domain with an on_*=restart action is rebuilt from them.
 */
unsigned int bootdom_start_all(const struct mb2_module *mods, size_t nr);

/* Enters dom0 (vcpu_start); never returns. */
void __attribute__((noreturn)) dom0_start(const struct dom0_entry *entry);

#endif /* PALISADE_DOM0_BUILD_H */
