/*
 * guest-elf-check IMAGE [NAME]: checks that a PV guest image carries what
 * the domain builder reads, the way Xen's loader reads it: the ELF notes
 * (owner "Xen") in PT_NOTE segments, the PT_LOAD segments and their
 * virtual/physical relation, the hypercall page. Expected values come from
 * guests/lib/layout.h and public/elfnote.h.
 *
 * One line per property ("PASS: elf NAME: ..." / "FAIL: elf NAME: ... (why)");
 * exit status 1 if any failed, 2 if the file cannot be read as ELF64.
 */
#include <elf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/elfnote.h>

#include "layout.h"

#define PAGE 4096ULL
#define MAX_NOTES 64

struct note {
	uint32_t type;
	const uint8_t *desc;
	uint32_t descsz;
};

static const char *name = "guest";
static int failures;

static void result(bool ok, const char *what, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS: elf %s: %s\n", name, what);
		return;
	}
	failures++;
	printf("FAIL: elf %s: %s (", name, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f) {
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static bool in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static size_t collect_notes(const uint8_t *img, size_t len, const Elf64_Phdr *ph, int phnum,
			    struct note *notes, int *pt_notes, bool *malformed)
{
	size_t n = 0;

	*pt_notes = 0;
	*malformed = false;
	for (int i = 0; i < phnum; i++) {
		uint64_t off, end;

		if (ph[i].p_type != PT_NOTE) {
			continue;
		}
		(*pt_notes)++;
		if (!in_file(ph[i].p_offset, ph[i].p_filesz, len)) {
			*malformed = true;
			continue;
		}
		off = ph[i].p_offset;
		end = off + ph[i].p_filesz;
		while (off + sizeof(Elf64_Nhdr) <= end) {
			const Elf64_Nhdr *nh = (const void *)(img + off);
			uint64_t name_off = off + sizeof(*nh);
			uint64_t desc_off = name_off + ((nh->n_namesz + 3ULL) & ~3ULL);
			uint64_t next = desc_off + ((nh->n_descsz + 3ULL) & ~3ULL);

			if (next > end) {
				*malformed = true;
				break;
			}
			if (nh->n_namesz == XEN_ELFNOTE_OWNER_SIZE &&
			    memcmp(img + name_off, XEN_ELFNOTE_OWNER, XEN_ELFNOTE_OWNER_SIZE) ==
				0 &&
			    n < MAX_NOTES) {
				notes[n].type = nh->n_type;
				notes[n].desc = img + desc_off;
				notes[n].descsz = nh->n_descsz;
				n++;
			}
			off = next;
		}
	}
	return n;
}

/* The one note of a type; reports absence and duplicates. */
static const struct note *find_note(const struct note *notes, size_t n, uint32_t type,
				    const char *label)
{
	const struct note *found = NULL;
	int count = 0;
	char what[96];

	for (size_t i = 0; i < n; i++) {
		if (notes[i].type == type) {
			found = &notes[i];
			count++;
		}
	}
	if (count != 1) {
		snprintf(what, sizeof(what), "note %s (type %u) present once", label, type);
		result(false, what, "found %d", count);
		return NULL;
	}
	return found;
}

static void check_string(const struct note *notes, size_t n, uint32_t type, const char *label,
			 const char *want)
{
	const struct note *nt = find_note(notes, n, type, label);
	char what[160];

	if (!nt) {
		return;
	}
	snprintf(what, sizeof(what), "note %s = \"%s\"", label, want);
	if (nt->descsz != strlen(want) + 1 || memcmp(nt->desc, want, nt->descsz) != 0) {
		result(false, what, "got %u bytes \"%.*s\"", nt->descsz, (int)nt->descsz,
		       (const char *)nt->desc);
	} else {
		result(true, what, NULL);
	}
}

/* Numeric notes are 4 or 8 bytes (elfnote.h). */
static bool note_number(const struct note *nt, uint64_t *val)
{
	if (nt->descsz == 8) {
		memcpy(val, nt->desc, 8);
		return true;
	}
	if (nt->descsz == 4) {
		uint32_t v;

		memcpy(&v, nt->desc, 4);
		*val = v;
		return true;
	}
	return false;
}

static bool get_number(const struct note *notes, size_t n, uint32_t type, const char *label,
		       uint64_t *val)
{
	const struct note *nt = find_note(notes, n, type, label);
	char what[96];

	if (!nt) {
		return false;
	}
	if (!note_number(nt, val)) {
		snprintf(what, sizeof(what), "note %s is a 4- or 8-byte number", label);
		result(false, what, "descsz %u", nt->descsz);
		return false;
	}
	return true;
}

/* The PT_LOAD whose file-backed part holds [va, va + size), or NULL. */
static const Elf64_Phdr *load_holding(const Elf64_Phdr *ph, int phnum, uint64_t va, uint64_t size)
{
	for (int i = 0; i < phnum; i++) {
		if (ph[i].p_type == PT_LOAD && va >= ph[i].p_vaddr &&
		    va - ph[i].p_vaddr <= ph[i].p_filesz &&
		    size <= ph[i].p_filesz - (va - ph[i].p_vaddr)) {
			return &ph[i];
		}
	}
	return NULL;
}

static void check_segments(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, int phnum)
{
	uint64_t delta = (uint64_t)GUEST_VIRT_BASE - (uint64_t)GUEST_PADDR_OFFSET;
	bool interp = false, dynamic = false, wx = false, rel = true, align = true, high = true;
	int loads = 0;

	for (int i = 0; i < phnum; i++) {
		interp |= ph[i].p_type == PT_INTERP;
		dynamic |= ph[i].p_type == PT_DYNAMIC;
		if (ph[i].p_type != PT_LOAD) {
			continue;
		}
		loads++;
		wx |= (ph[i].p_flags & (PF_W | PF_X)) == (PF_W | PF_X);
		rel &= ph[i].p_vaddr - ph[i].p_paddr == delta;
		align &= ph[i].p_vaddr % PAGE == 0 && ph[i].p_offset % PAGE == ph[i].p_vaddr % PAGE;
		/* Above the image base, hence above the hypervisor hole too. */
		high &= ph[i].p_vaddr >= (uint64_t)GUEST_VIRT_BASE &&
			ph[i].p_vaddr + ph[i].p_memsz >= ph[i].p_vaddr;
	}
	result(eh->e_type == ET_EXEC && !interp && !dynamic, "static non-PIE executable",
	       "e_type %u%s%s", eh->e_type, interp ? ", PT_INTERP" : "",
	       dynamic ? ", PT_DYNAMIC" : "");
	result(loads > 0, "has PT_LOAD segments", "none");
	result(rel, "every PT_LOAD has p_vaddr - p_paddr = VIRT_BASE - PADDR_OFFSET",
	       "a segment breaks it");
	result(align, "PT_LOAD segments are page aligned in memory and file", "misaligned");
	result(high, "PT_LOAD segments lie at or above VIRT_BASE", "one lies below");
	result(!wx, "no PT_LOAD segment is both writable and executable", "found one");
}

int main(int argc, char **argv)
{
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	struct note notes[MAX_NOTES];
	size_t len = 0, nnotes;
	int pt_notes;
	bool malformed;
	uint8_t *img;
	uint64_t v;

	if (argc < 2) {
		fprintf(stderr, "usage: %s IMAGE [NAME]\n", argv[0]);
		return 2;
	}
	if (argc > 2) {
		name = argv[2];
	}
	img = read_file(argv[1], &len);
	if (!img || len < sizeof(Elf64_Ehdr) || memcmp(img, ELFMAG, SELFMAG) != 0) {
		printf("FAIL: elf %s: readable ELF file (%s)\n", name, argv[1]);
		return 2;
	}
	eh = (const void *)img;
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64 || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    !in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), len)) {
		printf("FAIL: elf %s: ELF64 x86-64 little-endian with program headers\n", name);
		return 2;
	}
	printf("PASS: elf %s: ELF64 x86-64 little-endian with program headers\n", name);
	ph = (const void *)(img + eh->e_phoff);

	check_segments(eh, ph, eh->e_phnum);

	nnotes = collect_notes(img, len, ph, eh->e_phnum, notes, &pt_notes, &malformed);
	result(pt_notes > 0 && !malformed, "PT_NOTE segments are present and well formed",
	       "%d PT_NOTE, %s", pt_notes, malformed ? "malformed" : "ok");

	check_string(notes, nnotes, XEN_ELFNOTE_GUEST_OS, "GUEST_OS", "Palisade-test");
	check_string(notes, nnotes, XEN_ELFNOTE_GUEST_VERSION, "GUEST_VERSION",
		     GUEST_VERSION_STRING);
	check_string(notes, nnotes, XEN_ELFNOTE_XEN_VERSION, "XEN_VERSION", "xen-3.0");
	check_string(notes, nnotes, XEN_ELFNOTE_LOADER, "LOADER", "generic");
	check_string(notes, nnotes, XEN_ELFNOTE_FEATURES, "FEATURES", GUEST_FEATURES_STRING);
	check_string(notes, nnotes, XEN_ELFNOTE_PAE_MODE, "PAE_MODE", "yes");

	if (get_number(notes, nnotes, XEN_ELFNOTE_VIRT_BASE, "VIRT_BASE", &v)) {
		result(v == (uint64_t)GUEST_VIRT_BASE, "note VIRT_BASE = 0xffffffff80000000",
		       "got 0x%llx", (unsigned long long)v);
	}
	if (get_number(notes, nnotes, XEN_ELFNOTE_PADDR_OFFSET, "PADDR_OFFSET", &v)) {
		result(v == (uint64_t)GUEST_PADDR_OFFSET, "note PADDR_OFFSET = 0", "got 0x%llx",
		       (unsigned long long)v);
	}
	if (get_number(notes, nnotes, XEN_ELFNOTE_ENTRY, "ENTRY", &v)) {
		const Elf64_Phdr *seg = load_holding(ph, eh->e_phnum, v, 1);

		result(v == eh->e_entry, "note ENTRY equals the ELF entry point",
		       "note 0x%llx, e_entry 0x%llx", (unsigned long long)v,
		       (unsigned long long)eh->e_entry);
		result(seg && (seg->p_flags & PF_X), "ENTRY lies in an executable PT_LOAD",
		       "0x%llx", (unsigned long long)v);
	}
	if (get_number(notes, nnotes, XEN_ELFNOTE_HYPERCALL_PAGE, "HYPERCALL_PAGE", &v)) {
		const Elf64_Phdr *seg = load_holding(ph, eh->e_phnum, v, PAGE);
		bool rets = seg != NULL;

		result(v % PAGE == 0, "HYPERCALL_PAGE is page aligned", "0x%llx",
		       (unsigned long long)v);
		result(seg != NULL, "HYPERCALL_PAGE lies inside the file part of a PT_LOAD",
		       "0x%llx", (unsigned long long)v);
		for (uint64_t i = 0; seg && i < PAGE; i++) {
			rets &= img[seg->p_offset + (v - seg->p_vaddr) + i] == 0xc3;
		}
		result(rets, "HYPERCALL_PAGE is initialised to 4096 ret (0xc3) bytes",
		       "other bytes found");
	}
	free(img);
	return failures ? 1 : 0;
}
