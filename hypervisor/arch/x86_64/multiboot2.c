/*
 * Multiboot2 information parser. The boot loader is trusted to be honest
 * but not to be careful (nor is a crafted image): every length is checked
 * against the space it claims to live in before anything is read.
 */
#include <asm/multiboot2.h>
#include <lib.h>
#include <public/errno.h>

struct tag_hdr {
	uint32_t type, size;
};

struct mmap_tag {
	uint32_t type, size;
	uint32_t entry_size, entry_version;
};

struct mmap_raw {
	uint64_t addr, len;
	uint32_t type, reserved;
};

struct module_tag {
	uint32_t type, size;
	uint32_t mod_start, mod_end;
	/* NUL-terminated command line follows */
};

const char *mb2_mem_type_name(uint32_t type)
{
	switch (type) {
	case MB2_MEM_AVAILABLE:
		return "RAM";
	case MB2_MEM_ACPI_RECLAIM:
		return "ACPI";
	case MB2_MEM_NVS:
		return "ACPI NVS";
	case MB2_MEM_BAD:
		return "bad";
	default:
		return "reserved";
	}
}

#define fail(...)                                                                                  \
	do {                                                                                       \
		snprintf(err, errlen, __VA_ARGS__);                                                \
		return -EINVAL;                                                                    \
	} while (0)

/* A string field must be NUL-terminated inside its tag. */
static int copy_string(char *dst, size_t dstlen, const char *src, size_t room)
{
	if (!memchr(src, '\0', room)) {
		return -EINVAL;
	}
	strlcpy(dst, src, dstlen);
	return 0;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, struct boot_info *bi, char *err,
		      size_t errlen)
{
	const struct mmap_tag *mt = (const void *)tag;
	uint32_t off;

	if (size < sizeof(*mt)) {
		fail("memory map tag too short (%u bytes)", size);
	}
	if (mt->entry_size < sizeof(struct mmap_raw) || (mt->entry_size & 7)) {
		fail("memory map entry size %u is invalid", mt->entry_size);
	}
	if (bi->have_mmap) {
		fail("more than one memory map tag");
	}
	bi->have_mmap = true;
	for (off = sizeof(*mt); off + mt->entry_size <= size; off += mt->entry_size) {
		struct mmap_raw e;

		memcpy(&e, tag + off, sizeof(e));
		if (e.len == 0) {
			continue;
		}
		if (e.addr + e.len < e.addr) {
			fail("memory map entry %#llx+%#llx wraps around",
			     (unsigned long long)e.addr, (unsigned long long)e.len);
		}
		if (bi->nr_mmap >= MB2_MAX_MMAP) {
			fail("memory map has more than %d entries", MB2_MAX_MMAP);
		}
		bi->mmap[bi->nr_mmap].addr = e.addr;
		bi->mmap[bi->nr_mmap].len = e.len;
		bi->mmap[bi->nr_mmap].type = e.type;
		bi->nr_mmap++;
		if (e.type == MB2_MEM_AVAILABLE) {
			bi->total_ram += e.len;
		}
	}
	return 0;
}

static int parse_module(const uint8_t *tag, uint32_t size, struct boot_info *bi, char *err,
			size_t errlen)
{
	const struct module_tag *m = (const void *)tag;
	struct mb2_module *mod;

	if (size < sizeof(*m) + 1) {
		fail("module tag %zu too short (%u bytes)", bi->nr_modules, size);
	}
	if (bi->nr_modules >= MB2_MAX_MODULES) {
		fail("more than %d modules", MB2_MAX_MODULES);
	}
	mod = &bi->modules[bi->nr_modules];
	if (copy_string(mod->cmdline, sizeof(mod->cmdline), (const char *)tag + sizeof(*m),
			size - sizeof(*m))) {
		fail("module %zu command line is not terminated", bi->nr_modules);
	}
	mod->start = m->mod_start;
	mod->end = m->mod_end;
	if (mod->end < mod->start) {
		fail("module %zu ends (%#llx) before it starts (%#llx)", bi->nr_modules,
		     (unsigned long long)mod->end, (unsigned long long)mod->start);
	}
	if (mod->end == mod->start) {
		fail("module %zu (%s) is empty", bi->nr_modules, mod->cmdline);
	}
	bi->nr_modules++;
	return 0;
}

static bool overlaps(paddr_t s1, paddr_t e1, paddr_t s2, paddr_t e2)
{
	return s1 < e2 && s2 < e1;
}

static bool inside_ram(const struct boot_info *bi, paddr_t s, paddr_t e)
{
	size_t i;

	for (i = 0; i < bi->nr_mmap; i++) {
		const struct mb2_mmap_entry *m = &bi->mmap[i];

		if (m->type == MB2_MEM_AVAILABLE && s >= m->addr && e <= m->addr + m->len) {
			return true;
		}
	}
	return false;
}

static int check_layout(struct boot_info *bi, paddr_t img_start, paddr_t img_end, char *err,
			size_t errlen)
{
	size_t i, j;

	if (!bi->have_mmap) {
		fail("no memory map from the boot loader");
	}
	if (bi->total_ram == 0) {
		fail("the memory map lists no usable RAM");
	}
	if (!inside_ram(bi, img_start, img_end)) {
		fail("the image [%#llx, %#llx) is not inside usable RAM",
		     (unsigned long long)img_start, (unsigned long long)img_end);
	}
	for (i = 0; i < bi->nr_modules; i++) {
		const struct mb2_module *m = &bi->modules[i];

		if (overlaps(m->start, m->end, img_start, img_end)) {
			fail("module %zu [%#llx, %#llx) overlaps the hypervisor image [%#llx, "
			     "%#llx)",
			     i, (unsigned long long)m->start, (unsigned long long)m->end,
			     (unsigned long long)img_start, (unsigned long long)img_end);
		}
		if (overlaps(m->start, m->end, bi->info_start, bi->info_end)) {
			fail("module %zu overlaps the boot information", i);
		}
		if (!inside_ram(bi, m->start, m->end)) {
			fail("module %zu [%#llx, %#llx) is not inside usable RAM", i,
			     (unsigned long long)m->start, (unsigned long long)m->end);
		}
		for (j = 0; j < i; j++) {
			if (overlaps(m->start, m->end, bi->modules[j].start, bi->modules[j].end)) {
				fail("modules %zu and %zu overlap", j, i);
			}
		}
	}
	return 0;
}

int mb2_parse(const void *info, size_t avail, paddr_t info_pa, paddr_t img_start, paddr_t img_end,
	      struct boot_info *bi, char *err, size_t errlen)
{
	const uint8_t *p = info;
	uint32_t total, off;
	bool ended = false;
	int rc;

	memset(bi, 0, sizeof(*bi));
	if (!info || avail < 8) {
		fail("no boot information");
	}
	memcpy(&total, p, sizeof(total));
	if (total < 16 || total > avail || total > MB2_MAX_INFO_SIZE) {
		fail("boot information total_size %u is invalid", total);
	}
	bi->info_start = info_pa;
	bi->info_end = info_pa + total;

	/* Tags start after total_size and reserved, each 8-byte aligned. */
	for (off = 8; off + sizeof(struct tag_hdr) <= total;) {
		struct tag_hdr h;

		memcpy(&h, p + off, sizeof(h));
		if (h.size < sizeof(h) || h.size > total - off) {
			fail("tag type %u at offset %u has size %u beyond the %u bytes of boot "
			     "information",
			     h.type, off, h.size, total);
		}
		switch (h.type) {
		case MB2_TAG_END:
			ended = true;
			break;
		case MB2_TAG_CMDLINE:
			if (copy_string(bi->cmdline, sizeof(bi->cmdline), (const char *)p + off + 8,
					h.size - 8)) {
				fail("command line is not terminated");
			}
			bi->have_cmdline = true;
			break;
		case MB2_TAG_LOADER:
			if (copy_string(bi->loader, sizeof(bi->loader), (const char *)p + off + 8,
					h.size - 8)) {
				fail("boot loader name is not terminated");
			}
			bi->have_loader = true;
			break;
		case MB2_TAG_MODULE:
			rc = parse_module(p + off, h.size, bi, err, errlen);
			if (rc) {
				return rc;
			}
			break;
		case MB2_TAG_MMAP:
			rc = parse_mmap(p + off, h.size, bi, err, errlen);
			if (rc) {
				return rc;
			}
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			/* Kept as given: acpi_madt.c checks it before trusting a byte. */
			if (h.type == MB2_TAG_ACPI_NEW || !bi->rsdp_new) {
				bi->rsdp_len = MIN((size_t)h.size - 8, sizeof(bi->rsdp));
				memcpy(bi->rsdp, p + off + 8, bi->rsdp_len);
				bi->rsdp_new = h.type == MB2_TAG_ACPI_NEW;
			}
			break;
		default:
			break;
		}
		if (ended) {
			break;
		}
		/* Cannot overflow: h.size <= total - off and total is bounded. */
		off = ALIGN_UP(off + h.size, 8U);
	}
	if (!ended) {
		fail("boot information has no end tag within its %u bytes", total);
	}
	return check_layout(bi, img_start, img_end, err, errlen);
}
