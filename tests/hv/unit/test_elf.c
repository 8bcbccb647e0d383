/*
 * Tests of hypervisor/common/elf.c: well-formed PV kernels in the shapes
 * that exist (our test guests, Linux's high VIRT_BASE, a kernel linked low
 * without VIRT_BASE, notes in sections only), then every refusal with the
 * message it must give, every truncation, and seeded random corruption.
 *
 * Images are built here byte by byte (an independent writer, not the
 * parser's own structures) and parsed from heap buffers of their exact
 * size, so that ASan sees any read past the end.
 */
#include "hvtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <elf.h>
#include <public/elfnote.h>
#include <public/errno.h>
#include <public/version.h>

#define IMG_MAX 0x3000
#define NOTES_AT 0x200
#define SHDRS_AT 0x800
#define TEXT_AT 0x1000
#define DATA_AT 0x2000
#define HV_FEATURES                                                                                \
	((1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_pae_pgdir_above_4gb) |              \
	 (1U << XENFEAT_dom0))

/* What to put in an image; the defaults describe a test guest. */
struct spec {
	uint64_t virt_base, paddr_offset, pbase; /* pbase: p_paddr of the text segment */
	uint64_t entry_off, hcall_off;		 /* relative to the text segment */
	bool no_virt_base, no_paddr_offset, no_entry, no_hcall;
	bool notes_in_section_only;
	const char *guest_os, *xen_version, *loader, *features;
	unsigned int note_align;
};

struct image {
	uint8_t b[IMG_MAX];
	size_t size;
	size_t notes_end;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

static void note(struct image *im, unsigned align, uint32_t type, const void *desc, uint32_t len)
{
	size_t at = im->notes_end;

	put32(im->b + at, 4);
	put32(im->b + at + 4, len);
	put32(im->b + at + 8, type);
	memcpy(im->b + at + 12, "Xen", 4);
	at = align_up(at + 16, align);
	memcpy(im->b + at, desc, len);
	im->notes_end = align_up(at + len, align);
}

static void note_str(struct image *im, unsigned align, uint32_t type, const char *s)
{
	if (s) {
		note(im, align, type, s, (uint32_t)strlen(s) + 1);
	}
}

static void note_num(struct image *im, unsigned align, uint32_t type, uint64_t v)
{
	uint8_t d[8];

	put64(d, v);
	note(im, align, type, d, 8);
}

static void phdr(uint8_t *p, uint32_t type, uint32_t flags, uint64_t off, uint64_t va, uint64_t pa,
		 uint64_t filesz, uint64_t memsz, uint64_t align)
{
	put32(p, type);
	put32(p + 4, flags);
	put64(p + 8, off);
	put64(p + 16, va);
	put64(p + 24, pa);
	put64(p + 32, filesz);
	put64(p + 40, memsz);
	put64(p + 48, align);
}

static struct spec default_spec(void)
{
	return (struct spec){
	    .virt_base = 0xffffffff80000000ULL,
	    .paddr_offset = 0,
	    .pbase = 0,
	    .entry_off = 0x10,
	    .hcall_off = 0,
	    .guest_os = "Palisade-test",
	    .xen_version = "xen-3.0",
	    .loader = "generic",
	    .features = "!writable_page_tables|pae_pgdir_above_4gb",
	    .note_align = 4,
	};
}

/*
 * Layout: ELF header, 3 program headers (text, data, notes), the notes at
 * 0x200, 3 section headers at 0x800 (null, .note.Xen, .shstrtab), text at
 * 0x1000 (one page), data at 0x2000 (0x100 bytes, 0x3000 in memory).
 */
static void build(const struct spec *s, struct image *im)
{
	uint64_t off = s->virt_base - s->paddr_offset; /* p_vaddr - p_paddr */
	uint64_t text_pa = s->pbase, data_pa = s->pbase + 0x1000;
	unsigned a = s->note_align;
	uint8_t *eh = im->b, *sh;

	memset(im, 0, sizeof(*im));
	im->notes_end = NOTES_AT;
	note_str(im, a, XEN_ELFNOTE_GUEST_OS, s->guest_os);
	note_str(im, a, XEN_ELFNOTE_GUEST_VERSION, "0.1");
	note_str(im, a, XEN_ELFNOTE_XEN_VERSION, s->xen_version);
	note_str(im, a, XEN_ELFNOTE_LOADER, s->loader);
	if (!s->no_virt_base) {
		note_num(im, a, XEN_ELFNOTE_VIRT_BASE, s->virt_base);
	}
	if (!s->no_paddr_offset) {
		note_num(im, a, XEN_ELFNOTE_PADDR_OFFSET, s->paddr_offset);
	}
	if (!s->no_entry) {
		note_num(im, a, XEN_ELFNOTE_ENTRY, text_pa + off + s->entry_off);
	}
	if (!s->no_hcall) {
		note_num(im, a, XEN_ELFNOTE_HYPERCALL_PAGE, text_pa + off + s->hcall_off);
	}
	note_str(im, a, XEN_ELFNOTE_FEATURES, s->features);
	note_str(im, a, XEN_ELFNOTE_PAE_MODE, "yes");

	memcpy(eh,
	       "\x7f"
	       "ELF",
	       4);
	eh[4] = ELFCLASS64;
	eh[5] = ELFDATA2LSB;
	eh[6] = EV_CURRENT;
	put16(eh + 16, ET_EXEC);
	put16(eh + 18, EM_X86_64);
	put32(eh + 20, EV_CURRENT);
	put64(eh + 24, text_pa + off + s->entry_off);
	put64(eh + 32, 64);	  /* e_phoff */
	put64(eh + 40, SHDRS_AT); /* e_shoff */
	put16(eh + 52, 64);
	put16(eh + 54, 56);
	put16(eh + 56, s->notes_in_section_only ? 2 : 3);
	put16(eh + 58, 64);
	put16(eh + 60, 3);
	put16(eh + 62, 2);
	phdr(eh + 64, PT_LOAD, PF_R | PF_X, TEXT_AT, text_pa + off, text_pa, 0x1000, 0x1000,
	     0x1000);
	phdr(eh + 64 + 56, PT_LOAD, PF_R | PF_W, DATA_AT, data_pa + off, data_pa, 0x100, 0x3000,
	     0x1000);
	if (!s->notes_in_section_only) {
		phdr(eh + 64 + 112, PT_NOTE, PF_R, NOTES_AT, 0, 0, im->notes_end - NOTES_AT,
		     im->notes_end - NOTES_AT, a);
	}
	sh = im->b + SHDRS_AT + 64;
	put32(sh, 1);
	put32(sh + 4, SHT_NOTE);
	put64(sh + 24, NOTES_AT);
	put64(sh + 32, im->notes_end - NOTES_AT);
	put64(sh + 48, a);
	sh += 64;
	put32(sh, 11);
	put32(sh + 4, 3); /* SHT_STRTAB */
	put64(sh + 24, SHDRS_AT + 3 * 64);
	put64(sh + 32, 21);
	memcpy(im->b + SHDRS_AT + 3 * 64, "\0.note.Xen\0.shstrtab", 21);
	memset(im->b + TEXT_AT, 0x90, 0x1000);
	memset(im->b + DATA_AT, 0xaa, 0x100);
	im->size = DATA_AT + 0x100;
}

static struct elf_image img;
static char err[256];

/* Parses the first size bytes of im from an exact-size heap copy. */
static int parse_n(const struct image *im, size_t size, uint32_t features)
{
	uint8_t *copy = malloc(size ? size : 1);
	int rc;

	memcpy(copy, im->b, size);
	rc = elf_parse(&img, copy, size, features, err, sizeof(err));
	/* Nothing may point into the buffer after this test is done with it. */
	free(copy);
	img.data = NULL;
	return rc;
}

static int parse(const struct image *im)
{
	return parse_n(im, im->size, HV_FEATURES);
}

static void t_good_guest(void)
{
	struct spec s = default_spec();
	struct image im;

	build(&s, &im);
	EXPECT_EQ(parse(&im), 0);
	EXPECT_STREQ(err, "");
	EXPECT_STREQ(img.xen.guest_os, "Palisade-test");
	EXPECT_STREQ(img.xen.guest_version, "0.1");
	EXPECT_STREQ(img.xen.xen_version, "xen-3.0");
	EXPECT_STREQ(img.xen.loader, "generic");
	EXPECT_STREQ(img.xen.pae_mode, "yes");
	EXPECT_EQ(img.virt_base, 0xffffffff80000000ULL);
	EXPECT_EQ(img.paddr_offset, 0);
	EXPECT_EQ(img.virt_kstart, 0xffffffff80000000ULL);
	EXPECT_EQ(img.virt_kend, 0xffffffff80004000ULL);
	EXPECT_EQ(img.entry, 0xffffffff80000010ULL);
	EXPECT_EQ(img.hypercall_page, 0xffffffff80000000ULL);
	EXPECT_EQ(img.nr_segs, 2);
	EXPECT_EQ(img.seg[0].va, 0xffffffff80000000ULL);
	EXPECT_EQ(img.seg[0].offset, TEXT_AT);
	EXPECT_EQ(img.seg[0].filesz, 0x1000);
	EXPECT_EQ(img.seg[1].va, 0xffffffff80001000ULL);
	EXPECT_EQ(img.seg[1].filesz, 0x100);
	EXPECT_EQ(img.seg[1].memsz, 0x3000);
	EXPECT_EQ(img.seg[1].flags, PF_R | PF_W);
	EXPECT_EQ(img.xen.features_required, 1U << XENFEAT_writable_page_tables);
	EXPECT_EQ(img.xen.features_supported,
		  (1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_pae_pgdir_above_4gb));
	EXPECT(!img.unmapped_initrd);
	EXPECT_EQ(img.xen.nr_notes, 10);
}

/* Linux: VIRT_BASE 0xffffffff80000000, PADDR_OFFSET 0, loaded at 16 MiB physical. */
static void t_linux_shape(void)
{
	struct spec s = default_spec();
	struct image im;

	s.pbase = 0x1000000;
	s.guest_os = "linux";
	s.loader = "none";
	s.hcall_off = 0;
	build(&s, &im);
	EXPECT_EQ(parse(&im), 0);
	EXPECT_EQ(img.virt_kstart, 0xffffffff81000000ULL);
	EXPECT_EQ(img.entry, 0xffffffff81000010ULL);
	EXPECT_EQ(img.hypercall_page, 0xffffffff81000000ULL);
	EXPECT_EQ(img.seg[0].va, 0xffffffff81000000ULL);
}

/* No VIRT_BASE, no PADDR_OFFSET, no ENTRY: linked at 1 MiB, entry from e_entry. */
static void t_low_kernel(void)
{
	struct spec s = default_spec();
	struct image im;

	s.virt_base = 0;
	s.pbase = 0x100000;
	s.no_virt_base = s.no_paddr_offset = s.no_entry = true;
	s.entry_off = 0x20;
	build(&s, &im);
	EXPECT_EQ(parse(&im), 0);
	EXPECT_EQ(img.virt_base, 0);
	EXPECT_EQ(img.virt_kstart, 0x100000);
	EXPECT_EQ(img.virt_kend, 0x104000);
	EXPECT_EQ(img.entry, 0x100020);
}

/* A non-zero PADDR_OFFSET: p_paddr = vaddr - VIRT_BASE + PADDR_OFFSET. */
static void t_paddr_offset(void)
{
	struct spec s = default_spec();
	struct image im;

	s.virt_base = 0x400000;
	s.paddr_offset = 0x200000;
	s.pbase = 0x200000 + 0x10000; /* 64 KiB above pseudo-physical 0 */
	build(&s, &im);
	EXPECT_EQ(parse(&im), 0);
	EXPECT_EQ(img.virt_kstart, 0x410000);
	EXPECT_EQ(img.seg[1].va, 0x411000);
}

static void t_section_notes(void)
{
	struct spec s = default_spec();
	struct image im;

	s.notes_in_section_only = true;
	build(&s, &im);
	EXPECT_EQ(parse(&im), 0);
	EXPECT_STREQ(img.xen.guest_os, "Palisade-test");
	EXPECT_EQ(img.hypercall_page, 0xffffffff80000000ULL);
}

static void t_notes_aligned_8(void)
{
	struct spec s = default_spec();
	struct image im;

	s.note_align = 8;
	build(&s, &im);
	EXPECT_EQ(parse(&im), 0);
	EXPECT_STREQ(img.xen.loader, "generic");
	EXPECT_EQ(img.entry, 0xffffffff80000010ULL);
}

static void t_features_and_mod_start_pfn(void)
{
	struct spec s = default_spec();
	struct image im;
	uint8_t d[4];

	s.features = "dom0|!pae_pgdir_above_4gb||no_such_thing|";
	build(&s, &im);
	note_num(&im, 4, XEN_ELFNOTE_MOD_START_PFN, 1);
	put32(d, 1U << XENFEAT_hvm_pirqs);
	note(&im, 4, XEN_ELFNOTE_SUPPORTED_FEATURES, d, 4);
	put64(im.b + 64 + 112 + 32, im.notes_end - NOTES_AT);
	EXPECT_EQ(parse(&im), 0);
	EXPECT_EQ(img.xen.features_required, 1U << XENFEAT_pae_pgdir_above_4gb);
	EXPECT_EQ(img.xen.features_supported, (1U << XENFEAT_dom0) |
						  (1U << XENFEAT_pae_pgdir_above_4gb) |
						  (1U << XENFEAT_hvm_pirqs));
	EXPECT(img.unmapped_initrd);
	EXPECT_STREQ(elf_xen_feature_name(XENFEAT_dom0), "dom0");
	EXPECT(elf_xen_feature_name(31) == NULL);
	EXPECT_STREQ(elf_xen_note_name(XEN_ELFNOTE_HYPERCALL_PAGE), "HYPERCALL_PAGE");
	EXPECT(elf_xen_note_name(99) == NULL);
}

/* One refusal: rc, and the message contains want. */
static void refused(const struct image *im, int rc_want, const char *want, const char *what)
{
	int rc = parse(im);

	if (rc != rc_want || !strstr(err, want)) {
		hvt_fail(__FILE__, __LINE__, "%s: rc %d, err \"%s\"; wanted %d and \"%s\"", what,
			 rc, err, rc_want, want);
	}
}

#define PH(i) (im.b + 64 + 56 * (i))

static void t_header_refusals(void)
{
	struct spec s = default_spec();
	struct image im;

	build(&s, &im);
	im.b[1] = 'X';
	refused(&im, -EINVAL, "not an ELF file (bad magic)", "magic");
	build(&s, &im);
	im.b[4] = 1;
	refused(&im, -EINVAL, "not ELF64 (class 1)", "class");
	build(&s, &im);
	im.b[5] = 2;
	refused(&im, -EINVAL, "not little-endian", "endianness");
	build(&s, &im);
	put32(im.b + 20, 2);
	refused(&im, -EINVAL, "unknown ELF version 2", "version");
	build(&s, &im);
	put16(im.b + 18, 3);
	refused(&im, -EINVAL, "not an x86_64 image (machine 3)", "machine");
	build(&s, &im);
	put16(im.b + 16, 1);
	refused(&im, -EINVAL, "not an executable (ELF type 1)", "type");
	build(&s, &im);
	put16(im.b + 52, 52);
	refused(&im, -EINVAL, "ELF header size 52", "ehsize");
	build(&s, &im);
	put16(im.b + 56, 0);
	refused(&im, -EINVAL, "no program headers", "phnum 0");
	build(&s, &im);
	put16(im.b + 56, 65);
	refused(&im, -E2BIG, "65 program headers", "phnum 65");
	build(&s, &im);
	put16(im.b + 54, 32);
	refused(&im, -EINVAL, "program header size 32", "phentsize");
	build(&s, &im);
	put64(im.b + 32, 0x20f0);
	refused(&im, -EINVAL, "program headers at 0x20f0 (3 of them) lie outside", "phoff");
	build(&s, &im);
	put64(im.b + 32, 0xffffffffffffffc0ULL);
	refused(&im, -EINVAL, "lie outside the file", "phoff wrapping");
	build(&s, &im);
	put64(im.b + 40, 0x2080);
	refused(&im, -EINVAL, "section headers at 0x2080 (3 of them) lie outside", "shoff");
	build(&s, &im);
	put16(im.b + 58, 40);
	refused(&im, -EINVAL, "section header size 40", "shentsize");
	build(&s, &im);
	put16(im.b + 62, 3);
	refused(&im, -EINVAL, "section name table index 3 out of range", "shstrndx");
	build(&s, &im);
	put16(im.b + 60, 5000);
	refused(&im, -E2BIG, "5000 section headers", "shnum");
}

static void t_segment_refusals(void)
{
	struct spec s = default_spec();
	struct image im;

	build(&s, &im);
	put64(PH(1) + 32, 0x4000); /* filesz > memsz */
	refused(&im, -EINVAL, "segment 1: file size 0x4000 exceeds memory size 0x3000", "filesz");
	build(&s, &im);
	put64(PH(1) + 8, 0x2080); /* data runs past the end */
	refused(&im, -EINVAL, "segment 1: file range 0x2080+0x100 lies outside the file", "offset");
	build(&s, &im);
	put64(PH(1) + 8, 0xffffffffffffff80ULL);
	refused(&im, -EINVAL, "lies outside the file", "offset wrapping");
	build(&s, &im);
	put64(PH(1) + 40, 0x80000000ULL);
	refused(&im, -E2BIG, "segment 1: memory size 0x80000000 is absurd", "memsz");
	build(&s, &im);
	put64(PH(1) + 24, 0xfffffffffffff000ULL);
	refused(&im, -EINVAL, "segment 1: address + size wraps around", "paddr wrap");
	build(&s, &im);
	put64(PH(1) + 24, 0x7fff0000ULL); /* paddr far above the text */
	refused(&im, -E2BIG, "loadable segments span", "span");
	build(&s, &im);
	put32(PH(0), 6);
	put32(PH(1), 6);
	refused(&im, -EINVAL, "no loadable segments", "no PT_LOAD");
	build(&s, &im);
	put64(PH(2) + 8, 0x2000);
	refused(&im, -EINVAL, "note segment 2 at 0x2000", "PT_NOTE range");
}

static void t_many_segments(void)
{
	struct spec s = default_spec();
	struct image im;
	unsigned int i;

	build(&s, &im);
	/* 18 headers moved to the text page: the 3 real ones and 15 copies of the data one. */
	memcpy(im.b + TEXT_AT, PH(0), 3 * 56);
	for (i = 3; i < 18; i++) {
		memcpy(im.b + TEXT_AT + 56 * i, PH(1), 56);
	}
	put64(im.b + 32, TEXT_AT);
	put16(im.b + 56, 18);
	refused(&im, -E2BIG, "more than 16 loadable segments", "segments");
}

static void t_address_refusals(void)
{
	struct spec s = default_spec();
	struct image im;

	s.virt_base = 0xffff800000000000ULL; /* the M2P at the start of the hole */
	build(&s, &im);
	refused(&im, -EINVAL, "overlaps the hypervisor hole or is not canonical", "hole start");
	s.virt_base = 0xffff87fffffff000ULL; /* last page of the hole */
	build(&s, &im);
	refused(&im, -EINVAL, "overlaps the hypervisor hole", "hole end");
	s.virt_base = 0x00007ffffffff000ULL; /* straddles the canonical boundary */
	build(&s, &im);
	refused(&im, -EINVAL, "not canonical", "non-canonical");
	s.virt_base = 0x0000900000000000ULL;
	build(&s, &im);
	refused(&im, -EINVAL, "not canonical", "non-canonical 2");
	s.virt_base = 0xfffffffffffff000ULL; /* wraps */
	build(&s, &im);
	refused(&im, -EINVAL, "segment 0: address + size wraps around", "wrap p_vaddr");
	/* p_vaddr is not used for placement: only p_paddr + VIRT_BASE - PADDR_OFFSET wraps. */
	put64(PH(0) + 16, 0x1000);
	put64(PH(1) + 16, 0x2000);
	refused(&im, -EINVAL, "image at 0xfffffffffffff000+0x4000 wraps around the address space",
		"wrap placement");
	s = default_spec();
	s.virt_base = 0x400000;
	s.paddr_offset = 0x200000;
	s.pbase = 0x100000; /* below PADDR_OFFSET: the image would start below VIRT_BASE */
	build(&s, &im);
	refused(&im, -EINVAL, "below VIRT_BASE 0x400000", "below base");
	s = default_spec();
	s.virt_base = 0;
	s.pbase = 0x7ff00000; /* 2 GiB above pseudo-physical 0 */
	build(&s, &im);
	refused(&im, -E2BIG, "bytes above VIRT_BASE", "far above base");
	s = default_spec();
	s.no_virt_base = true;
	build(&s, &im);
	refused(&im, -EINVAL, "PADDR_OFFSET given without VIRT_BASE", "paddr without base");
}

static void t_entry_and_hypercall_refusals(void)
{
	struct spec s = default_spec();
	struct image im;

	s.entry_off = 0x5000; /* past the bss */
	build(&s, &im);
	refused(&im, -EINVAL, "entry point 0xffffffff80005000 lies outside the loaded image",
		"entry");
	s = default_spec();
	s.entry_off = (uint64_t)-0x10;
	build(&s, &im);
	refused(&im, -EINVAL, "lies outside the loaded image", "entry below");
	s = default_spec();
	s.no_entry = true;
	s.entry_off = 0x4000; /* e_entry one past the end */
	build(&s, &im);
	refused(&im, -EINVAL, "entry point 0xffffffff80004000", "e_entry");
	s = default_spec();
	s.hcall_off = 0x10;
	build(&s, &im);
	refused(&im, -EINVAL, "hypercall page 0xffffffff80000010 is not page-aligned",
		"hcall align");
	s.hcall_off = 0x4000;
	build(&s, &im);
	refused(&im, -EINVAL, "hypercall page 0xffffffff80004000 lies outside the image",
		"hcall outside");
	s.hcall_off = (uint64_t)-0x1000;
	build(&s, &im);
	refused(&im, -EINVAL, "lies outside the image", "hcall below");
}

static void t_note_refusals(void)
{
	struct spec s = default_spec();
	struct image im;

	/* Notes without the owner "Xen" are no Xen notes. */
	build(&s, &im);
	for (size_t at = NOTES_AT; at < im.notes_end;) {
		uint32_t n = im.b[at + 4] | im.b[at + 5] << 8;

		im.b[at + 12] = 'x';
		at += 16 + align_up(n, 4);
	}
	refused(&im, -EINVAL, "no Xen ELF notes (not a Xen PV kernel)", "no notes");
	s.guest_os = NULL;
	build(&s, &im);
	refused(&im, -EINVAL, "Xen note GUEST_OS missing", "guest os");
	s.guest_os = "";
	build(&s, &im);
	refused(&im, -EINVAL, "Xen note GUEST_OS missing", "guest os empty");
	s = default_spec();
	s.xen_version = "xen-2.0";
	build(&s, &im);
	refused(&im, -EINVAL, "XEN_VERSION is \"xen-2.0\"", "xen version");
	s.xen_version = NULL;
	build(&s, &im);
	refused(&im, -EINVAL, "XEN_VERSION is \"\"", "xen version missing");
	s = default_spec();
	s.loader = "elf";
	build(&s, &im);
	refused(&im, -EINVAL, "LOADER is \"elf\"", "loader");
	s = default_spec();
	s.features = "!writable_page_tables|!supervisor_mode_kernel";
	build(&s, &im);
	refused(&im, -EINVAL,
		"kernel requires feature supervisor_mode_kernel, which Palisade lacks",
		"required feature");
	s.features = "!teleportation";
	build(&s, &im);
	refused(&im, -EINVAL, "kernel requires unknown feature 'teleportation'", "unknown feature");
	s.features =
	    "pae_pgdir_above_4gb|!a_required_name_longer_than_any_known_one_by_far_more_than_"
	    "sixty_four";
	build(&s, &im);
	refused(&im, -EINVAL, "kernel requires an unknown feature of 69 characters",
		"long unknown feature");
	s = default_spec();
	s.guest_os = "A guest OS name much longer than sixty-three characters, so refused";
	build(&s, &im);
	refused(&im, -EINVAL, "Xen note GUEST_OS is 67 bytes long", "long string");
}

/* Hand-made damage inside the notes. */
static void t_note_damage(void)
{
	struct spec s = default_spec();
	struct image im;
	size_t first_desc = NOTES_AT + 16;

	/* GUEST_OS's NUL replaced: the descriptor bounds the string (Linux's FEATURES has none). */
	build(&s, &im);
	im.b[first_desc + strlen("Palisade-test")] = 'X';
	EXPECT_EQ(parse(&im), 0);
	EXPECT_STREQ(img.xen.guest_os, "Palisade-testX");
	/* FEATURES without a NUL, longer than other strings may be. */
	s.features = "!writable_page_tables|pae_pgdir_above_4gb|writable_descriptor_tables|"
		     "auto_translated_physmap|hvm_callback_vector|a_name_longer_than_any_known_one_"
		     "by_far_and_more_than_sixty_four_characters";
	build(&s, &im);
	EXPECT_EQ(parse(&im), 0);
	EXPECT_EQ(img.xen.features_supported, (1U << XENFEAT_writable_page_tables) |
						  (1U << XENFEAT_pae_pgdir_above_4gb) |
						  (1U << XENFEAT_writable_descriptor_tables) |
						  (1U << XENFEAT_auto_translated_physmap) |
						  (1U << XENFEAT_hvm_callback_vector));
	s = default_spec();
	/* A numeric note of 3 bytes. */
	build(&s, &im);
	{
		uint8_t d[3] = {1, 2, 3};

		note(&im, 4, XEN_ELFNOTE_ENTRY, d, 3);
		put64(PH(2) + 32, im.notes_end - NOTES_AT);
	}
	refused(&im, -EINVAL, "Xen note ENTRY has a 3-byte value", "numeric size");
	/* SUPPORTED_FEATURES of 6 bytes. */
	build(&s, &im);
	{
		uint8_t d[6] = {0};

		note(&im, 4, XEN_ELFNOTE_SUPPORTED_FEATURES, d, 6);
		put64(PH(2) + 32, im.notes_end - NOTES_AT);
	}
	refused(&im, -EINVAL, "SUPPORTED_FEATURES has size 6", "supported size");
	/* The first note claims a descriptor larger than the segment. */
	build(&s, &im);
	put32(im.b + NOTES_AT + 4, 0x10000);
	refused(&im, -EINVAL, "ELF note at file offset 0x200 (name 4, desc 65536 bytes) runs past",
		"desc size");
	build(&s, &im);
	put32(im.b + NOTES_AT, 0xffffffffU);
	refused(&im, -EINVAL, "runs past its segment", "name size");
	/* The segment ends 5 bytes into a note header. */
	build(&s, &im);
	put64(PH(2) + 32, 5);
	refused(&im, -EINVAL, "ELF note header at file offset 0x200 is truncated", "header");
	/* Unknown note types are ignored, as in Xen. */
	build(&s, &im);
	note_num(&im, 4, 77, 5);
	put64(PH(2) + 32, im.notes_end - NOTES_AT);
	EXPECT_EQ(parse(&im), 0);
}

static void t_too_many_notes(void)
{
	struct spec s = default_spec();
	struct image im;
	unsigned int i, n = 0x1000 / 12;

	build(&s, &im);
	/* Empty notes (12 bytes each) over the text page, listed by 3 more PT_NOTEs. */
	for (i = 0; i < n; i++) {
		put32(im.b + TEXT_AT + 12 * i, 0);
		put32(im.b + TEXT_AT + 12 * i + 4, 0);
		put32(im.b + TEXT_AT + 12 * i + 8, 1);
	}
	for (i = 3; i < 6; i++) {
		phdr(PH(i), PT_NOTE, PF_R, TEXT_AT, 0, 0, 12 * n, 12 * n, 4);
	}
	put16(im.b + 56, 6);
	refused(&im, -E2BIG, "more than 1024 ELF notes", "notes");
}

/* Every prefix of a good image is refused, and read only within itself. */
static void t_truncations(void)
{
	struct spec s = default_spec();
	struct image im;
	size_t n;
	unsigned int accepted = 0;

	build(&s, &im);
	for (n = 0; n < im.size; n++) {
		if (parse_n(&im, n, HV_FEATURES) == 0) {
			accepted++;
		} else if (err[0] == '\0') {
			hvt_fail(__FILE__, __LINE__, "prefix %zu refused without a message", n);
			break;
		}
	}
	EXPECT_EQ(accepted, 0);
	EXPECT_EQ(parse_n(&im, im.size, HV_FEATURES), 0);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	return hvt_xorshift(&rng);
}

/* What an accepted image must satisfy, checked independently of the parser. */
static bool accepted_sane(const struct image *im)
{
	unsigned int i;
	bool entry_in = false;

	if (img.nr_segs == 0 || img.nr_segs > ELF_MAX_LOAD_SEGMENTS) {
		return false;
	}
	if (img.virt_kend <= img.virt_kstart || img.virt_kstart < img.virt_base) {
		return false;
	}
	if (img.virt_kend > 0x0000800000000000ULL && img.virt_base < 0xffff880000000000ULL) {
		return false;
	}
	for (i = 0; i < img.nr_segs; i++) {
		const struct elf_load_segment *sg = &img.seg[i];

		if (sg->filesz > sg->memsz || sg->offset > im->size ||
		    sg->filesz > im->size - sg->offset) {
			return false;
		}
		if (sg->va < img.virt_kstart || sg->va + sg->memsz > img.virt_kend) {
			return false;
		}
		if (img.entry >= sg->va && img.entry < sg->va + sg->memsz) {
			entry_in = true;
		}
	}
	if (img.hypercall_page &&
	    (img.hypercall_page & 0xfff || img.hypercall_page < img.virt_kstart ||
	     img.hypercall_page >= img.virt_kend)) {
		return false;
	}
	return entry_in && img.xen.guest_os[0] != '\0';
}

static void t_random_corruption(void)
{
	struct spec s = default_spec();
	struct image good, im;
	unsigned int round, k, accepted = 0, refused_n = 0;

	build(&s, &good);
	for (round = 0; round < 20000; round++) {
		im = good;
		/* 1-4 random bytes, mostly in the headers and notes where they matter. */
		for (k = 0; k <= next_rand() % 4; k++) {
			size_t at = next_rand() % 2 ? next_rand() % 0x300 : next_rand() % im.size;

			im.b[at] = (uint8_t)next_rand();
		}
		if (parse(&im) == 0) {
			accepted++;
			if (!accepted_sane(&im)) {
				hvt_fail(__FILE__, __LINE__, "round %u: accepted an insane image",
					 round);
				return;
			}
		} else {
			refused_n++;
			if (err[0] == '\0') {
				hvt_fail(__FILE__, __LINE__, "round %u: refused without a message",
					 round);
				return;
			}
		}
	}
	/* Both outcomes happen: the corruption neither always nor never matters. */
	EXPECT(accepted > 100);
	EXPECT(refused_n > 100);
}

static const struct hvt_case cases[] = {
    {"a test guest's image: notes, segments, addresses", t_good_guest},
    {"Linux shape: VIRT_BASE high, loaded at 16 MiB", t_linux_shape},
    {"kernel linked low without VIRT_BASE/ENTRY notes", t_low_kernel},
    {"non-zero PADDR_OFFSET", t_paddr_offset},
    {"notes found through SHT_NOTE sections only", t_section_notes},
    {"8-byte aligned notes", t_notes_aligned_8},
    {"FEATURES list, SUPPORTED_FEATURES, MOD_START_PFN", t_features_and_mod_start_pfn},
    {"refused: bad ELF headers (each with its message)", t_header_refusals},
    {"refused: bad loadable segments", t_segment_refusals},
    {"refused: too many loadable segments", t_many_segments},
    {"refused: the hypervisor hole, non-canonical, wrapping", t_address_refusals},
    {"refused: entry and hypercall page outside the image", t_entry_and_hypercall_refusals},
    {"refused: missing or wrong GUEST_OS, XEN_VERSION, LOADER, features", t_note_refusals},
    {"damaged notes: refused, or bounded by their descriptor", t_note_damage},
    {"refused: too many notes", t_too_many_notes},
    {"every truncation refused with a message", t_truncations},
    {"20000 random corruptions: refused or sane", t_random_corruption},
};

const struct hvt_group group_elf = HVT_GROUP("elf", cases);
