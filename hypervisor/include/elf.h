/*
 * ELF64 x86_64 kernel images for PV domains, and their Xen ELF notes.
 *
 * elf_parse() treats the image as hostile: every header, table, segment
 * and note is bounds-checked against the buffer before it is read, every
 * address sum is checked for overflow, and anything the domain builder
 * could not honour safely (no Xen notes, a required feature Palisade
 * lacks, an image reaching into the hypervisor hole, an entry point
 * outside the loaded image, absurd sizes) is refused with a message that
 * names the problem. It never writes to the image.
 *
 * Addresses follow Xen's libelf rules: with VIRT_BASE (default 0) and
 * PADDR_OFFSET (default 0 when notes exist), a segment whose p_paddr is P
 * is loaded at virtual address P - PADDR_OFFSET + VIRT_BASE, and pseudo-
 * physical frame 0 sits at VIRT_BASE.
 *
 * Freestanding: also compiled into the host unit tests.
 */
#ifndef PALISADE_ELF_H
#define PALISADE_ELF_H

#include <types.h>

/* ELF64 file layout (System V gABI, x86_64 psABI). */
struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");

struct elf64_shdr {
	uint32_t sh_name;
	uint32_t sh_type;
	uint64_t sh_flags;
	uint64_t sh_addr;
	uint64_t sh_offset;
	uint64_t sh_size;
	uint32_t sh_link;
	uint32_t sh_info;
	uint64_t sh_addralign;
	uint64_t sh_entsize;
};
_Static_assert(sizeof(struct elf64_shdr) == 64, "ELF64 section header is 64 bytes");

#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62
#define PT_LOAD 1
#define PT_NOTE 4
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define SHT_NOTE 7

/* Limits beyond which an image is "absurd" rather than merely large. */
#define ELF_MAX_PHDRS 64
#define ELF_MAX_SHDRS 4096
#define ELF_MAX_LOAD_SEGMENTS 16
#define ELF_MAX_NOTES 1024
/* Span of the loaded image (first to last byte of all PT_LOAD segments). */
#define ELF_MAX_IMAGE_SPAN (1ULL << 30)

/* Longest string note kept (longer ones are refused, not truncated). */
#define ELF_NOTE_STR_MAX 64

struct elf_load_segment {
	uint64_t offset; /* in the file */
	uint64_t filesz;
	uint64_t memsz;
	uint64_t va;	/* where the builder puts it: p_paddr + virt_offset */
	uint32_t flags; /* PF_* */
};

/* What the Xen notes said; has_note bit n is set when note type n was seen. */
struct elf_xen_notes {
	uint32_t has_note;
	char guest_os[ELF_NOTE_STR_MAX];
	char guest_version[ELF_NOTE_STR_MAX];
	char xen_version[ELF_NOTE_STR_MAX];
	char loader[ELF_NOTE_STR_MAX];
	char pae_mode[ELF_NOTE_STR_MAX];
	char bsd_symtab[ELF_NOTE_STR_MAX];
	uint64_t entry;
	uint64_t hypercall_page;
	uint64_t virt_base;
	uint64_t paddr_offset;
	uint64_t hv_start_low;
	uint64_t init_p2m;
	uint64_t mod_start_pfn;
	uint64_t suspend_cancel;
	/* XENFEAT_* bits: named in FEATURES (required = with '!'), or SUPPORTED_FEATURES. */
	uint32_t features_supported;
	uint32_t features_required;
	unsigned int nr_notes; /* Xen notes read */
};

struct elf_image {
	const uint8_t *data;
	size_t size;

	struct elf_xen_notes xen;

	struct elf_load_segment seg[ELF_MAX_LOAD_SEGMENTS];
	unsigned int nr_segs;

	/* Results of the address calculation. */
	uint64_t virt_base; /* pseudo-physical 0 */
	uint64_t paddr_offset;
	uint64_t virt_kstart;	 /* lowest loaded byte */
	uint64_t virt_kend;	 /* one past the highest, page-aligned up */
	uint64_t entry;		 /* ENTRY note, else e_entry */
	uint64_t hypercall_page; /* 0: none asked for */
	bool unmapped_initrd;	 /* MOD_START_PFN: pass the initrd as a pfn */
};

/*
 * Parses and checks an image of size bytes at data (which must stay valid
 * while img is used). hv_features: the XENFEAT_* bits the hypervisor can
 * honour; a kernel requiring another is refused. Returns 0, or -EINVAL
 * (malformed or unsupported: err says why) / -E2BIG (absurd sizes).
 * err (errlen bytes) always receives a NUL-terminated message on failure.
 */
int elf_parse(struct elf_image *img, const void *data, size_t size, uint32_t hv_features, char *err,
	      size_t errlen);

/* Name of a Xen note type ("ENTRY", ...), or NULL if unknown. */
const char *elf_xen_note_name(unsigned int type);

/* Name of a XENFEAT_* bit ("writable_page_tables", ...), or NULL if unknown. */
const char *elf_xen_feature_name(unsigned int bit);

#endif /* PALISADE_ELF_H */
