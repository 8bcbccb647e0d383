/*
 * Multiboot2 boot information: the parser's result.
 *
 * mb2_parse checks everything against total_size before use, copies what
 * the hypervisor keeps (strings are truncated to the buffers here), and
 * then validates the whole: a memory map is present and has RAM, every
 * module is non-empty, inside RAM, and overlaps neither the image nor the
 * boot information nor another module.
 */
#ifndef PALISADE_ARCH_MULTIBOOT2_H
#define PALISADE_ARCH_MULTIBOOT2_H

#include <types.h>

#define MB2_LOADER_MAGIC 0x36d76289

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER 2
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

#define MB2_MEM_AVAILABLE 1
#define MB2_MEM_ACPI_RECLAIM 3
#define MB2_MEM_NVS 4
#define MB2_MEM_BAD 5

#define MB2_MAX_INFO_SIZE (1U << 20)
#define MB2_MAX_MMAP 128
#define MB2_MAX_MODULES 16

struct mb2_mmap_entry {
	uint64_t addr, len;
	uint32_t type;
};

struct mb2_module {
	paddr_t start, end; /* [start, end) */
	char cmdline[512];
};

struct boot_info {
	paddr_t info_start, info_end;
	bool have_cmdline, have_loader, have_mmap;
	char cmdline[1024];
	char loader[128];
	size_t nr_mmap;
	struct mb2_mmap_entry mmap[MB2_MAX_MMAP];
	size_t nr_modules;
	struct mb2_module modules[MB2_MAX_MODULES];
	uint64_t total_ram;
	/* A copy of the RSDP from the ACPI tag (the newer one wins); rsdp_len 0: none. */
	uint8_t rsdp[36];
	size_t rsdp_len;
	bool rsdp_new;
};

/*
 * info: the boot information as the hypervisor sees it (mapped at least
 * "avail" bytes; its total_size is checked against that), info_pa its
 * physical address; [img_start, img_end) the image's physical range. On
 * error returns -EINVAL and leaves a one-line reason in err.
 */
int mb2_parse(const void *info, size_t avail, paddr_t info_pa, paddr_t img_start, paddr_t img_end,
	      struct boot_info *bi, char *err, size_t errlen);

const char *mb2_mem_type_name(uint32_t type);

#endif /* PALISADE_ARCH_MULTIBOOT2_H */
