/*
 * ELF64 x86_64 kernel images and their Xen notes (see elf.h).
 *
 * The image comes from a boot module and is as untrusted as any guest
 * input: nothing is dereferenced before its range is known to lie inside
 * the buffer, sizes are compared rather than added where a sum could wrap,
 * and the first problem found ends the parse with a message naming it.
 */
#include <elf.h>
#include <lib.h>
#include <public/elfnote.h>
#include <public/errno.h>
#include <public/version.h>

/* The hypervisor hole of the x86_64 PV ABI, and the canonical halves. */
#define ELF_HOLE_START 0xFFFF800000000000ULL
#define ELF_HOLE_END 0xFFFF880000000000ULL
#define ELF_LOWER_END 0x0000800000000000ULL

struct parse {
	struct elf_image *img;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 3, 4))) fail(struct parse *p, int rc, const char *fmt, ...)
{
	va_list ap;

	if (p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* [off, off + len) inside the file, without overflow. */
static bool in_file(const struct elf_image *img, uint64_t off, uint64_t len)
{
	return off <= img->size && len <= img->size - off;
}

static const char *const note_names[] = {
    [XEN_ELFNOTE_INFO] = "INFO",
    [XEN_ELFNOTE_ENTRY] = "ENTRY",
    [XEN_ELFNOTE_HYPERCALL_PAGE] = "HYPERCALL_PAGE",
    [XEN_ELFNOTE_VIRT_BASE] = "VIRT_BASE",
    [XEN_ELFNOTE_PADDR_OFFSET] = "PADDR_OFFSET",
    [XEN_ELFNOTE_XEN_VERSION] = "XEN_VERSION",
    [XEN_ELFNOTE_GUEST_OS] = "GUEST_OS",
    [XEN_ELFNOTE_GUEST_VERSION] = "GUEST_VERSION",
    [XEN_ELFNOTE_LOADER] = "LOADER",
    [XEN_ELFNOTE_PAE_MODE] = "PAE_MODE",
    [XEN_ELFNOTE_FEATURES] = "FEATURES",
    [XEN_ELFNOTE_BSD_SYMTAB] = "BSD_SYMTAB",
    [XEN_ELFNOTE_HV_START_LOW] = "HV_START_LOW",
    [XEN_ELFNOTE_L1_MFN_VALID] = "L1_MFN_VALID",
    [XEN_ELFNOTE_SUSPEND_CANCEL] = "SUSPEND_CANCEL",
    [XEN_ELFNOTE_INIT_P2M] = "INIT_P2M",
    [XEN_ELFNOTE_MOD_START_PFN] = "MOD_START_PFN",
    [XEN_ELFNOTE_SUPPORTED_FEATURES] = "SUPPORTED_FEATURES",
    [XEN_ELFNOTE_PHYS32_ENTRY] = "PHYS32_ENTRY",
    [XEN_ELFNOTE_PHYS32_RELOC] = "PHYS32_RELOC",
};

const char *elf_xen_note_name(unsigned int type)
{
	if (type >= sizeof(note_names) / sizeof(note_names[0])) {
		return NULL;
	}
	return note_names[type];
}

static const char *const feature_names[] = {
    [XENFEAT_writable_page_tables] = "writable_page_tables",
    [XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
    [XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
    [XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
    [XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
    [XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
    [XENFEAT_highmem_assist] = "highmem_assist",
    [XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
    [XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
    [XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
    [XENFEAT_hvm_pirqs] = "hvm_pirqs",
    [XENFEAT_dom0] = "dom0",
};

const char *elf_xen_feature_name(unsigned int bit)
{
	if (bit >= sizeof(feature_names) / sizeof(feature_names[0])) {
		return NULL;
	}
	return feature_names[bit];
}

/*
 * The length of a string note: up to its NUL, or the whole descriptor when
 * there is none (Linux's FEATURES note is written with .ascii; Xen reads
 * on into the zero padding, here the descriptor is the bound).
 */
static size_t note_strlen(const uint8_t *desc, uint32_t descsz)
{
	const uint8_t *nul = memchr(desc, 0, descsz);

	return nul ? (size_t)(nul - desc) : descsz;
}

/* String notes: kept if short enough (longer ones are refused, not truncated). */
static int note_string(struct parse *p, const char *name, const uint8_t *desc, uint32_t descsz,
		       char *out)
{
	size_t len = note_strlen(desc, descsz);

	if (len >= ELF_NOTE_STR_MAX) {
		return fail(p, -EINVAL, "Xen note %s is %zu bytes long (limit %d)", name, len,
			    ELF_NOTE_STR_MAX - 1);
	}
	memcpy(out, desc, len);
	out[len] = '\0';
	return 0;
}

/* Numeric notes: 1, 2, 4 or 8 bytes, little-endian, as Xen reads them. */
static int note_number(struct parse *p, const char *name, const uint8_t *desc, uint32_t descsz,
		       uint64_t *out)
{
	uint64_t v = 0;
	uint32_t i;

	if (descsz != 1 && descsz != 2 && descsz != 4 && descsz != 8) {
		return fail(p, -EINVAL, "Xen note %s has a %u-byte value (1, 2, 4 or 8 expected)",
			    name, descsz);
	}
	for (i = 0; i < descsz; i++) {
		v |= (uint64_t)desc[i] << (8 * i);
	}
	*out = v;
	return 0;
}

/*
 * FEATURES: names separated by '|', a leading '!' marks a requirement.
 * Unknown names are ignored unless required: a kernel that insists on
 * something this hypervisor has never heard of cannot be run correctly.
 */
static int parse_features(struct parse *p, const char *s, size_t n, uint32_t *supported,
			  uint32_t *required)
{
	char word[ELF_NOTE_STR_MAX];
	size_t len, pos = 0;
	unsigned int i;
	bool req;

	while (pos < n) {
		for (len = 0; pos + len < n && s[pos + len] != '|'; len++) {
		}
		req = len > 0 && s[pos] == '!';
		/* Longer than any name: unknown. */
		if (len - req >= sizeof(word)) {
			if (req) {
				return fail(p, -EINVAL,
					    "kernel requires an unknown feature of %zu "
					    "characters",
					    len - 1);
			}
			pos += len + 1;
			continue;
		}
		memcpy(word, s + pos + req, len - req);
		word[len - req] = '\0';
		pos += len + 1;
		if (word[0] == '\0') {
			continue;
		}
		for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++) {
			if (feature_names[i] && strcmp(word, feature_names[i]) == 0) {
				break;
			}
		}
		if (i == sizeof(feature_names) / sizeof(feature_names[0])) {
			if (req) {
				return fail(p, -EINVAL, "kernel requires unknown feature '%s'",
					    word);
			}
			continue;
		}
		*supported |= 1U << i;
		if (req) {
			*required |= 1U << i;
		}
	}
	return 0;
}

static int xen_note(struct parse *p, uint32_t type, const uint8_t *desc, uint32_t descsz)
{
	struct elf_xen_notes *x = &p->img->xen;
	const char *name = elf_xen_note_name(type);
	uint64_t v = 0;
	int rc = 0;

	if (!name) {
		/* Newer notes than this hypervisor knows: harmless, as in Xen. */
		return 0;
	}
	x->nr_notes++;
	x->has_note |= 1U << type;
	switch (type) {
	case XEN_ELFNOTE_GUEST_OS:
		return note_string(p, name, desc, descsz, x->guest_os);
	case XEN_ELFNOTE_GUEST_VERSION:
		return note_string(p, name, desc, descsz, x->guest_version);
	case XEN_ELFNOTE_XEN_VERSION:
		return note_string(p, name, desc, descsz, x->xen_version);
	case XEN_ELFNOTE_LOADER:
		return note_string(p, name, desc, descsz, x->loader);
	case XEN_ELFNOTE_PAE_MODE:
		return note_string(p, name, desc, descsz, x->pae_mode);
	case XEN_ELFNOTE_BSD_SYMTAB:
		return note_string(p, name, desc, descsz, x->bsd_symtab);
	case XEN_ELFNOTE_FEATURES:
		/* No length limit: PVH-era kernels list many features. */
		return parse_features(p, (const char *)desc, note_strlen(desc, descsz),
				      &x->features_supported, &x->features_required);
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		/* An array of 32-bit maps; only the first exists (XENFEAT_NR_SUBMAPS). */
		if (descsz < 4 || descsz % 4) {
			return fail(p, -EINVAL,
				    "Xen note %s has size %u (a multiple of 4 expected)", name,
				    descsz);
		}
		x->features_supported |= (uint32_t)desc[0] | (uint32_t)desc[1] << 8 |
					 (uint32_t)desc[2] << 16 | (uint32_t)desc[3] << 24;
		return 0;
	case XEN_ELFNOTE_INFO:
	case XEN_ELFNOTE_L1_MFN_VALID:
	case XEN_ELFNOTE_PHYS32_ENTRY:
	case XEN_ELFNOTE_PHYS32_RELOC:
		/* Legacy or HVM-only: nothing for a PV builder to do. */
		return 0;
	default:
		break;
	}
	rc = note_number(p, name, desc, descsz, &v);
	if (rc) {
		return rc;
	}
	switch (type) {
	case XEN_ELFNOTE_ENTRY:
		x->entry = v;
		break;
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		x->hypercall_page = v;
		break;
	case XEN_ELFNOTE_VIRT_BASE:
		x->virt_base = v;
		break;
	case XEN_ELFNOTE_PADDR_OFFSET:
		x->paddr_offset = v;
		break;
	case XEN_ELFNOTE_HV_START_LOW:
		x->hv_start_low = v;
		break;
	case XEN_ELFNOTE_INIT_P2M:
		x->init_p2m = v;
		break;
	case XEN_ELFNOTE_MOD_START_PFN:
		x->mod_start_pfn = v;
		break;
	case XEN_ELFNOTE_SUSPEND_CANCEL:
		x->suspend_cancel = v;
		break;
	}
	return 0;
}

/*
 * Walks the notes in [off, off + len) of the file (already range-checked).
 * align is the region's alignment: 8-aligned note sections pad to 8.
 */
static int parse_notes(struct parse *p, uint64_t off, uint64_t len, uint64_t align,
		       unsigned int *count)
{
	const uint8_t *base = p->img->data + off;
	uint64_t pos = 0, pad = align == 8 ? 8 : 4;
	uint64_t name_at, desc_at, next;
	uint32_t namesz, descsz, type;
	int rc;

	while (pos < len) {
		if (++*count > ELF_MAX_NOTES) {
			return fail(p, -E2BIG, "more than %d ELF notes", ELF_MAX_NOTES);
		}
		if (len - pos < 12) {
			return fail(p, -EINVAL, "ELF note header at file offset %#llx is truncated",
				    (unsigned long long)(off + pos));
		}
		memcpy(&namesz, base + pos, 4);
		memcpy(&descsz, base + pos + 4, 4);
		memcpy(&type, base + pos + 8, 4);
		/* pos < len <= file size: these sums of 32-bit sizes cannot wrap. */
		name_at = pos + 12;
		desc_at = (name_at + namesz + pad - 1) & ~(pad - 1);
		next = (desc_at + descsz + pad - 1) & ~(pad - 1);
		if (desc_at > len || descsz > len - desc_at) {
			return fail(
			    p, -EINVAL,
			    "ELF note at file offset %#llx (name %u, desc %u bytes) runs past "
			    "its segment",
			    (unsigned long long)(off + pos), namesz, descsz);
		}
		if (namesz == XEN_ELFNOTE_OWNER_SIZE &&
		    memcmp(base + name_at, XEN_ELFNOTE_OWNER, XEN_ELFNOTE_OWNER_SIZE) == 0) {
			rc = xen_note(p, type, base + desc_at, descsz);
			if (rc) {
				return rc;
			}
		}
		/* The last note may lack its padding. */
		pos = MIN(next, len);
	}
	return 0;
}

static int check_header(struct parse *p, const struct elf64_ehdr *eh)
{
	static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
	struct elf_image *img = p->img;

	if (img->size < sizeof(*eh)) {
		return fail(p, -EINVAL, "not an ELF file (%zu bytes, shorter than an ELF header)",
			    img->size);
	}
	if (memcmp(eh->e_ident, magic, 4) != 0) {
		return fail(p, -EINVAL, "not an ELF file (bad magic)");
	}
	if (eh->e_ident[4] != ELFCLASS64) {
		return fail(p, -EINVAL, "not ELF64 (class %u)", eh->e_ident[4]);
	}
	if (eh->e_ident[5] != ELFDATA2LSB) {
		return fail(p, -EINVAL, "not little-endian (data encoding %u)", eh->e_ident[5]);
	}
	if (eh->e_ident[6] != EV_CURRENT || eh->e_version != EV_CURRENT) {
		return fail(p, -EINVAL, "unknown ELF version %u", eh->e_version);
	}
	if (eh->e_machine != EM_X86_64) {
		return fail(p, -EINVAL, "not an x86_64 image (machine %u)", eh->e_machine);
	}
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) {
		return fail(p, -EINVAL, "not an executable (ELF type %u)", eh->e_type);
	}
	if (eh->e_ehsize < sizeof(*eh)) {
		return fail(p, -EINVAL, "ELF header size %u is too small", eh->e_ehsize);
	}
	if (eh->e_phnum == 0) {
		return fail(p, -EINVAL, "no program headers");
	}
	if (eh->e_phnum > ELF_MAX_PHDRS) {
		return fail(p, -E2BIG, "%u program headers (limit %d)", eh->e_phnum, ELF_MAX_PHDRS);
	}
	if (eh->e_phentsize != sizeof(struct elf64_phdr)) {
		return fail(p, -EINVAL, "program header size %u (56 expected)", eh->e_phentsize);
	}
	if (!in_file(img, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr))) {
		return fail(p, -EINVAL,
			    "program headers at %#llx (%u of them) lie outside the file",
			    (unsigned long long)eh->e_phoff, eh->e_phnum);
	}
	if (eh->e_shnum == 0) {
		return 0;
	}
	if (eh->e_shnum > ELF_MAX_SHDRS) {
		return fail(p, -E2BIG, "%u section headers (limit %d)", eh->e_shnum, ELF_MAX_SHDRS);
	}
	if (eh->e_shentsize != sizeof(struct elf64_shdr)) {
		return fail(p, -EINVAL, "section header size %u (64 expected)", eh->e_shentsize);
	}
	if (!in_file(img, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(struct elf64_shdr))) {
		return fail(p, -EINVAL,
			    "section headers at %#llx (%u of them) lie outside the file",
			    (unsigned long long)eh->e_shoff, eh->e_shnum);
	}
	if (eh->e_shstrndx >= eh->e_shnum) {
		return fail(p, -EINVAL, "section name table index %u out of range (%u sections)",
			    eh->e_shstrndx, eh->e_shnum);
	}
	return 0;
}

static int check_load_segment(struct parse *p, unsigned int i, const struct elf64_phdr *ph)
{
	if (ph->p_filesz > ph->p_memsz) {
		return fail(p, -EINVAL, "segment %u: file size %#llx exceeds memory size %#llx", i,
			    (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
	}
	if (!in_file(p->img, ph->p_offset, ph->p_filesz)) {
		return fail(p, -EINVAL, "segment %u: file range %#llx+%#llx lies outside the file",
			    i, (unsigned long long)ph->p_offset, (unsigned long long)ph->p_filesz);
	}
	if (ph->p_memsz > ELF_MAX_IMAGE_SPAN) {
		return fail(p, -E2BIG, "segment %u: memory size %#llx is absurd", i,
			    (unsigned long long)ph->p_memsz);
	}
	if (ph->p_paddr + ph->p_memsz < ph->p_paddr || ph->p_vaddr + ph->p_memsz < ph->p_vaddr) {
		return fail(p, -EINVAL, "segment %u: address + size wraps around", i);
	}
	return 0;
}

/* The part of [s, e) that a PV guest may not have: non-canonical or the hole. */
static bool range_forbidden(uint64_t s, uint64_t e)
{
	if (e <= ELF_LOWER_END) {
		return false;
	}
	return s < ELF_HOLE_END;
}

static int program_headers(struct parse *p, const struct elf64_ehdr *eh, uint64_t *pstart,
			   uint64_t *pend, unsigned int *notes)
{
	struct elf_image *img = p->img;
	struct elf64_phdr ph;
	unsigned int i;
	int rc;

	*pstart = UINT64_MAX;
	*pend = 0;
	for (i = 0; i < eh->e_phnum; i++) {
		memcpy(&ph, img->data + eh->e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_NOTE) {
			if (!in_file(img, ph.p_offset, ph.p_filesz)) {
				return fail(p, -EINVAL,
					    "note segment %u at %#llx+%#llx lies outside the file",
					    i, (unsigned long long)ph.p_offset,
					    (unsigned long long)ph.p_filesz);
			}
			rc = parse_notes(p, ph.p_offset, ph.p_filesz, ph.p_align, notes);
			if (rc) {
				return rc;
			}
			continue;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0) {
			continue;
		}
		rc = check_load_segment(p, i, &ph);
		if (rc) {
			return rc;
		}
		if (img->nr_segs == ELF_MAX_LOAD_SEGMENTS) {
			return fail(p, -E2BIG, "more than %d loadable segments",
				    ELF_MAX_LOAD_SEGMENTS);
		}
		img->seg[img->nr_segs++] = (struct elf_load_segment){
		    .offset = ph.p_offset,
		    .filesz = ph.p_filesz,
		    .memsz = ph.p_memsz,
		    .va = ph.p_paddr, /* made virtual once the notes are known */
		    .flags = ph.p_flags,
		};
		*pstart = MIN(*pstart, ph.p_paddr);
		*pend = MAX(*pend, ph.p_paddr + ph.p_memsz);
	}
	if (img->nr_segs == 0) {
		return fail(p, -EINVAL, "no loadable segments");
	}
	return 0;
}

/* Section notes are read only when no PT_NOTE carried Xen notes (as Xen does). */
static int section_notes(struct parse *p, const struct elf64_ehdr *eh, unsigned int *notes)
{
	struct elf_image *img = p->img;
	struct elf64_shdr sh;
	unsigned int i;
	int rc;

	for (i = 0; i < eh->e_shnum; i++) {
		memcpy(&sh, img->data + eh->e_shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
		if (sh.sh_type != SHT_NOTE) {
			continue;
		}
		if (!in_file(img, sh.sh_offset, sh.sh_size)) {
			return fail(
			    p, -EINVAL, "note section %u at %#llx+%#llx lies outside the file", i,
			    (unsigned long long)sh.sh_offset, (unsigned long long)sh.sh_size);
		}
		rc = parse_notes(p, sh.sh_offset, sh.sh_size, sh.sh_addralign, notes);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

static int check_notes(struct parse *p, uint32_t hv_features)
{
	const struct elf_xen_notes *x = &p->img->xen;
	uint32_t missing;
	unsigned int bit;

	if (x->nr_notes == 0) {
		return fail(p, -EINVAL, "no Xen ELF notes (not a Xen PV kernel)");
	}
	if (!(x->has_note & (1U << XEN_ELFNOTE_GUEST_OS)) || x->guest_os[0] == '\0') {
		return fail(p, -EINVAL, "Xen note GUEST_OS missing");
	}
	if (strncmp(x->xen_version, "xen-3.0", 7) != 0) {
		return fail(p, -EINVAL, "Xen note XEN_VERSION is \"%s\", \"xen-3.0\" expected",
			    x->xen_version);
	}
	/* Xen's rule: the generic loader, or a Linux kernel. */
	if (strncmp(x->loader, "generic", 7) != 0 && strncmp(x->guest_os, "linux", 5) != 0) {
		return fail(p, -EINVAL,
			    "Xen note LOADER is \"%s\" (\"generic\" expected) for "
			    "GUEST_OS \"%s\"",
			    x->loader, x->guest_os);
	}
	if ((x->has_note & (1U << XEN_ELFNOTE_PADDR_OFFSET)) &&
	    !(x->has_note & (1U << XEN_ELFNOTE_VIRT_BASE))) {
		return fail(p, -EINVAL, "Xen note PADDR_OFFSET given without VIRT_BASE");
	}
	missing = x->features_required & ~hv_features;
	if (missing) {
		for (bit = 0; !(missing & (1U << bit)); bit++) {
		}
		return fail(p, -EINVAL, "kernel requires feature %s, which Palisade lacks",
			    elf_xen_feature_name(bit));
	}
	return 0;
}

/* True when [va, va + len) lies inside one loadable segment. */
static bool in_segment(const struct elf_image *img, uint64_t va, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < img->nr_segs; i++) {
		const struct elf_load_segment *s = &img->seg[i];

		if (va >= s->va && va - s->va < s->memsz && len <= s->memsz - (va - s->va)) {
			return true;
		}
	}
	return false;
}

static int place(struct parse *p, uint64_t pstart, uint64_t pend, uint64_t e_entry)
{
	struct elf_image *img = p->img;
	const struct elf_xen_notes *x = &img->xen;
	uint64_t offset, kend;
	unsigned int i;

	img->virt_base = (x->has_note & (1U << XEN_ELFNOTE_VIRT_BASE)) ? x->virt_base : 0;
	img->paddr_offset = (x->has_note & (1U << XEN_ELFNOTE_PADDR_OFFSET)) ? x->paddr_offset : 0;
	if (pend - pstart > ELF_MAX_IMAGE_SPAN) {
		return fail(p, -E2BIG, "loadable segments span %#llx bytes (limit %#llx)",
			    (unsigned long long)(pend - pstart),
			    (unsigned long long)ELF_MAX_IMAGE_SPAN);
	}
	/* Modulo 2^64 as in Xen: VIRT_BASE is usually "above" the physical addresses. */
	offset = img->virt_base - img->paddr_offset;
	img->virt_kstart = pstart + offset;
	kend = pend + offset;
	if (kend < img->virt_kstart || kend > UINT64_MAX - PAGE_SIZE + 1) {
		return fail(p, -EINVAL, "image at %#llx+%#llx wraps around the address space",
			    (unsigned long long)img->virt_kstart,
			    (unsigned long long)(pend - pstart));
	}
	img->virt_kend = (kend + PAGE_SIZE - 1) & PAGE_MASK;
	if (img->virt_kstart < img->virt_base) {
		return fail(p, -EINVAL, "image starts at %#llx, below VIRT_BASE %#llx",
			    (unsigned long long)img->virt_kstart,
			    (unsigned long long)img->virt_base);
	}
	if (img->virt_kstart - img->virt_base > ELF_MAX_IMAGE_SPAN) {
		return fail(p, -E2BIG, "image starts %#llx bytes above VIRT_BASE (limit %#llx)",
			    (unsigned long long)(img->virt_kstart - img->virt_base),
			    (unsigned long long)ELF_MAX_IMAGE_SPAN);
	}
	if (range_forbidden(img->virt_base, img->virt_kend)) {
		return fail(p, -EINVAL,
			    "image %#llx-%#llx overlaps the hypervisor hole or is not canonical",
			    (unsigned long long)img->virt_base, (unsigned long long)img->virt_kend);
	}
	for (i = 0; i < img->nr_segs; i++) {
		img->seg[i].va += offset;
	}
	img->entry = (x->has_note & (1U << XEN_ELFNOTE_ENTRY)) ? x->entry : e_entry;
	if (!in_segment(img, img->entry, 1)) {
		return fail(p, -EINVAL, "entry point %#llx lies outside the loaded image",
			    (unsigned long long)img->entry);
	}
	img->hypercall_page = 0;
	if (x->has_note & (1U << XEN_ELFNOTE_HYPERCALL_PAGE)) {
		if (x->hypercall_page & (PAGE_SIZE - 1)) {
			return fail(p, -EINVAL, "hypercall page %#llx is not page-aligned",
				    (unsigned long long)x->hypercall_page);
		}
		if (x->hypercall_page < img->virt_kstart ||
		    x->hypercall_page - img->virt_kstart >= img->virt_kend - img->virt_kstart) {
			return fail(p, -EINVAL, "hypercall page %#llx lies outside the image",
				    (unsigned long long)x->hypercall_page);
		}
		img->hypercall_page = x->hypercall_page;
	}
	img->unmapped_initrd = x->mod_start_pfn != 0;
	return 0;
}

int elf_parse(struct elf_image *img, const void *data, size_t size, uint32_t hv_features, char *err,
	      size_t errlen)
{
	struct parse p = {.img = img, .err = err, .errlen = errlen};
	struct elf64_ehdr eh;
	uint64_t pstart, pend;
	unsigned int notes = 0;
	int rc;

	memset(img, 0, sizeof(*img));
	if (errlen) {
		err[0] = '\0';
	}
	img->data = data;
	img->size = size;
	if (!data) {
		return fail(&p, -EINVAL, "no image");
	}
	if (size >= sizeof(eh)) {
		memcpy(&eh, data, sizeof(eh));
	}
	rc = check_header(&p, &eh);
	if (rc) {
		return rc;
	}
	rc = program_headers(&p, &eh, &pstart, &pend, &notes);
	if (rc) {
		return rc;
	}
	if (img->xen.nr_notes == 0) {
		rc = section_notes(&p, &eh, &notes);
		if (rc) {
			return rc;
		}
	}
	rc = check_notes(&p, hv_features);
	if (rc) {
		return rc;
	}
	return place(&p, pstart, pend, eh.e_entry);
}
