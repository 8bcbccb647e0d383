/*
 * The start of day that the dom0 builder promises, checked from inside:
 * start_info's fields, Xen's bootstrap layout (kernel, initrd, p2m list,
 * start_info, page tables, stack, padding to a 4 MiB boundary with at
 * least 512 KiB), the p2m list against the read-only M2P table, the
 * initial page tables entry by entry (4 KiB leaves mapping pfn N at
 * VIRT_BASE + N pages, the tables read-only, nothing beyond the region),
 * the 128 hypercall stubs byte by byte, and event upcalls masked.
 *
 * Command-line words (the harness passes them as dom0's arguments):
 *   pages=N   nr_pages must be N (dom0_mem= given to the hypervisor)
 *   initrd    an initrd from the harness must be there (see check_initrd)
 * Without "initrd", there must be no module.
 */
#include "guest.h"
#include "layout.h"

#ifndef WANT_MOD_START_PFN
#define WANT_MOD_START_PFN 0
#endif

#define PAGE 4096ULL
#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_US 0x4ULL
#define PTE_PS 0x80ULL
#define ADDR_MASK 0x000ffffffffff000ULL
#define REGION_ALIGN (4ULL << 20)
#define PADDING_MIN (512ULL << 10)

/* The harness's initrd file: this header, then byte i = (i * 13 + 5) & 0xff. */
#define INITRD_MAGIC "PALISADE-INITRD\n"

extern char _image_start[], _image_end[];

static const uint64_t *const m2p = (const uint64_t *)MACH2PHYS_VIRT_START;

static uint64_t opt_pages;
static bool opt_initrd;

/* A page of our image to look at frames through (update_va_mapping). */
static uint8_t window[4096] __attribute__((aligned(4096), section(".bss.page_aligned")));

static uint64_t round_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t parse_dec(const char *s)
{
	uint64_t v = 0;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (uint64_t)(*s++ - '0');
	}
	return v;
}

static void parse_cmdline(const char *s)
{
	while (*s) {
		while (*s == ' ') {
			s++;
		}
		if (strncmp(s, "pages=", 6) == 0) {
			opt_pages = parse_dec(s + 6);
		} else if (strncmp(s, "initrd", 6) == 0 && (s[6] == ' ' || s[6] == '\0')) {
			opt_initrd = true;
		}
		while (*s && *s != ' ') {
			s++;
		}
	}
}

/* Where the builder must have put things, from start_info and Xen's rules. */
struct layout {
	uint64_t base, kern_end, p2m, si, pt, pt_end, stack_end, end;
};

static void check_start_info(const struct start_info *si, struct layout *l)
{
	uint64_t want_flags = SIF_PRIVILEGED | SIF_INITDOMAIN;
	uint64_t p2m_end;

	test_check(strcmp(si->magic, XEN_START_INFO_MAGIC) == 0,
		   "magic is exactly \"%s\" (\"%.32s\")", XEN_START_INFO_MAGIC, si->magic);
	if (WANT_MOD_START_PFN && opt_initrd) {
		want_flags |= SIF_MOD_START_PFN;
	}
	test_check(si->flags == want_flags, "flags 0x%x, expected 0x%llx", si->flags,
		   (unsigned long long)want_flags);
	test_check(si->nr_pages > 0, "nr_pages > 0");
	if (opt_pages) {
		test_check(si->nr_pages == opt_pages, "nr_pages %llu, expected %llu from dom0_mem",
			   (unsigned long long)si->nr_pages, (unsigned long long)opt_pages);
	}
	test_check(si->store_mfn == 0 && si->store_evtchn == 0, "no xenstore for dom0");
	test_check(si->console.dom0.info_off == 0 && si->console.dom0.info_size == 0,
		   "no VGA console info");
	test_check((si->shared_info & (PAGE - 1)) == 0, "shared_info maddr is page-aligned");

	l->base = GUEST_VIRT_BASE;
	l->kern_end = round_up((uint64_t)(uintptr_t)_image_end, PAGE);
	if (opt_initrd && !WANT_MOD_START_PFN) {
		test_check(si->mod_start == l->kern_end,
			   "initrd at 0x%llx, right after the kernel (0x%llx)",
			   (unsigned long long)si->mod_start, (unsigned long long)l->kern_end);
		l->p2m = round_up(si->mod_start + si->mod_len, PAGE);
	} else {
		if (!opt_initrd) {
			test_check(si->mod_start == 0 && si->mod_len == 0,
				   "no module (0x%llx, %llu)", (unsigned long long)si->mod_start,
				   (unsigned long long)si->mod_len);
		}
		l->p2m = l->kern_end;
	}
	test_check(si->mfn_list == l->p2m, "mfn_list 0x%llx, expected 0x%llx",
		   (unsigned long long)si->mfn_list, (unsigned long long)l->p2m);
	p2m_end = l->p2m + si->nr_pages * 8;
	l->si = round_up(p2m_end, PAGE);
	test_check((uint64_t)(uintptr_t)si == l->si, "start_info at %p, expected 0x%llx",
		   (void *)si, (unsigned long long)l->si);
	l->pt = l->si + PAGE;
	test_check(si->pt_base == l->pt, "pt_base 0x%llx, expected 0x%llx",
		   (unsigned long long)si->pt_base, (unsigned long long)l->pt);
	test_check(si->nr_pt_frames >= 4 && si->nr_pt_frames < 64, "nr_pt_frames %llu plausible",
		   (unsigned long long)si->nr_pt_frames);
	l->pt_end = l->pt + si->nr_pt_frames * PAGE;
	l->stack_end = l->pt_end + PAGE;
	l->end = round_up(l->stack_end, REGION_ALIGN);
	if (l->end - l->stack_end < PADDING_MIN) {
		l->end += REGION_ALIGN;
	}
	test_check(si->first_p2m_pfn == (l->p2m - l->base) / PAGE,
		   "first_p2m_pfn 0x%llx is the p2m list's first page",
		   (unsigned long long)si->first_p2m_pfn);
	test_check(si->nr_p2m_frames == (round_up(p2m_end, PAGE) - l->p2m) / PAGE,
		   "nr_p2m_frames %llu covers the p2m list", (unsigned long long)si->nr_p2m_frames);
	test_check(si->cmd_line[MAX_GUEST_CMDLINE - 1] == 0, "cmd_line is NUL-terminated");
	gprintf("layout: kernel end 0x%llx, p2m 0x%llx, start_info 0x%llx, tables 0x%llx-0x%llx, "
		"stack end 0x%llx, region end 0x%llx\n",
		(unsigned long long)l->kern_end, (unsigned long long)l->p2m,
		(unsigned long long)l->si, (unsigned long long)l->pt, (unsigned long long)l->pt_end,
		(unsigned long long)l->stack_end, (unsigned long long)l->end);
}

static void check_p2m(const struct start_info *si)
{
	const uint64_t *p2m = (const uint64_t *)si->mfn_list;
	uint64_t pfn, bad = 0, first_bad = 0;

	for (pfn = 0; pfn < si->nr_pages; pfn++) {
		if (m2p[p2m[pfn]] != pfn) {
			if (!bad++) {
				first_bad = pfn;
			}
		}
	}
	test_check(bad == 0, "p2m and M2P agree for every pfn (%llu disagree, first pfn 0x%llx)",
		   (unsigned long long)bad, (unsigned long long)first_bad);
}

/* The guest-virtual address of a table an entry points to (via M2P), or NULL. */
static const uint64_t *table_va(const struct start_info *si, const struct layout *l, uint64_t e)
{
	uint64_t pfn = m2p[(e & ADDR_MASK) >> 12];

	if (pfn >= si->nr_pages) {
		return NULL;
	}
	return (const uint64_t *)(l->base + pfn * PAGE);
}

static bool in_tables(const struct layout *l, const uint64_t *t)
{
	uint64_t va = (uint64_t)(uintptr_t)t;

	return va >= l->pt && va < l->pt_end;
}

static void check_page_tables(const struct start_info *si, const struct layout *l)
{
	const uint64_t *p2m = (const uint64_t *)si->mfn_list;
	const uint64_t *l4 = (const uint64_t *)si->pt_base, *t;
	uint64_t va, e = 0, bad = 0, first_bad = 0, shared = 0;
	uint64_t si_mfn = si->shared_info >> 12;
	const uint64_t *seen[64];
	unsigned int nseen = 0, level, i;
	bool ro;

	test_check(l4[256] & PTE_P, "L4 slot 256 (the M2P) is present");
	for (va = l->base; va < l->end; va += PAGE) {
		t = l4;
		for (level = 4; level > 1; level--) {
			e = t[(va >> (12 + 9 * (level - 1))) & 511];
			if (!(e & PTE_P) || (e & PTE_PS) || !(e & PTE_US)) {
				break;
			}
			t = table_va(si, l, e);
			if (!t || !in_tables(l, t)) {
				break;
			}
			for (i = 0; i < nseen && seen[i] != t; i++) {
			}
			if (i == nseen && nseen < 64) {
				seen[nseen++] = t;
			}
		}
		if (level > 1) {
			if (!bad++) {
				first_bad = va;
			}
			continue;
		}
		e = t[(va >> 12) & 511];
		ro = va >= l->pt && va < l->pt_end;
		if ((e & ADDR_MASK) >> 12 == si_mfn && !ro) {
			/* The runtime's shared_info window replaced one page. */
			shared++;
			continue;
		}
		if (!(e & PTE_P) || !(e & PTE_US) || !!(e & PTE_RW) == ro ||
		    (e & ADDR_MASK) >> 12 != p2m[(va - l->base) / PAGE]) {
			if (!bad++) {
				first_bad = va;
			}
		}
	}
	test_check(bad == 0,
		   "every page of the region is a 4 KiB leaf of its pfn, tables read-only "
		   "(%llu bad, first 0x%llx, entry 0x%llx)",
		   (unsigned long long)bad, (unsigned long long)first_bad, (unsigned long long)e);
	test_check(shared == 1, "exactly one page remapped to shared_info (%llu)",
		   (unsigned long long)shared);
	test_check(nseen + 1 <= si->nr_pt_frames, "%u tables in use, at most nr_pt_frames %llu",
		   nseen + 1, (unsigned long long)si->nr_pt_frames);
	/* Nothing mapped right after the region (same L1 if the region ends inside one). */
	t = l4;
	for (level = 4; level > 1; level--) {
		e = t[(l->end >> (12 + 9 * (level - 1))) & 511];
		if (!(e & PTE_P)) {
			break;
		}
		t = table_va(si, l, e);
		if (!t) {
			break;
		}
	}
	test_check(level > 1 || !(t[(l->end >> 12) & 511] & PTE_P),
		   "the page after the region (0x%llx) is not mapped", (unsigned long long)l->end);
}

static void check_stack(const struct layout *l)
{
	volatile uint8_t *top = (volatile uint8_t *)(uintptr_t)(l->stack_end - 1);

	/* Writable: the bootstrap stack, which head.S has left by now. */
	*top = 0x5a;
	test_check(*top == 0x5a, "the bootstrap stack page below 0x%llx is writable",
		   (unsigned long long)l->stack_end);
}

static void check_hypercall_page(void)
{
	static const uint8_t stub[] = {0x51, 0x41, 0x53, 0xb8, 0,    0,	   0,
				       0,    0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3};
	static const uint8_t iret[] = {0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05};
	unsigned int i, bad = 0, first = 0;
	uint8_t want[sizeof(stub)];

	for (i = 0; i < 128; i++) {
		const uint8_t *p = hypercall_page + 32 * i;

		if (i == __HYPERVISOR_iret) {
			if (memcmp(p, iret, sizeof(iret)) != 0 && !bad++) {
				first = i;
			}
			continue;
		}
		memcpy(want, stub, sizeof(stub));
		want[4] = (uint8_t)i;
		if (memcmp(p, want, sizeof(want)) != 0 && !bad++) {
			first = i;
		}
	}
	test_check(bad == 0, "all 128 hypercall stubs as Xen writes them (%u differ, first %u)",
		   bad, first);
}

static void check_events_masked(void)
{
	unsigned int i, unmasked = 0;

	if (!test_check(shared_info != NULL, "shared_info mapped by the runtime")) {
		return;
	}
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++) {
		unmasked += shared_info->vcpu_info[i].evtchn_upcall_mask != 1;
	}
	test_check(unmasked == 0, "every vcpu_info starts with upcalls masked (%u not)", unmasked);
	test_check(shared_info->arch.max_pfn == start_info->nr_pages, "shared_info max_pfn %llu",
		   (unsigned long long)shared_info->arch.max_pfn);
}

/* Maps frame mfn read-only at the window; the window's bytes or NULL. */
static const uint8_t *map_frame(uint64_t mfn)
{
	uint64_t pte = (mfn << 12) | _PAGE_PRESENT | _PAGE_ACCESSED;
	long rc = hypercall_update_va_mapping((uint64_t)(uintptr_t)window, pte, UVMF_INVLPG);

	if (!test_check(rc == 0, "update_va_mapping of mfn 0x%llx (%ld)", (unsigned long long)mfn,
			rc)) {
		return NULL;
	}
	return window;
}

static void check_initrd(const struct start_info *si, const struct layout *l)
{
	const uint64_t *p2m = (const uint64_t *)si->mfn_list;
	uint64_t i, bad = 0, pfn = 0;
	const uint8_t *page = NULL;

	if (!test_check(si->mod_len > sizeof(INITRD_MAGIC), "initrd present (%llu bytes)",
			(unsigned long long)si->mod_len)) {
		return;
	}
	if (WANT_MOD_START_PFN) {
		pfn = si->mod_start;
		test_check(pfn == (l->end - l->base) / PAGE,
			   "initrd at pfn 0x%llx, right after the "
			   "region",
			   (unsigned long long)pfn);
		if (!test_check(pfn + si->mod_len / PAGE < si->nr_pages,
				"initrd inside dom0's memory")) {
			return;
		}
	}
	for (i = 0; i < si->mod_len; i++) {
		uint8_t b;

		if (WANT_MOD_START_PFN) {
			if (i % PAGE == 0) {
				page = map_frame(p2m[pfn + i / PAGE]);
				if (!page) {
					return;
				}
			}
			b = page[i % PAGE];
		} else {
			b = ((const uint8_t *)si->mod_start)[i];
		}
		if (i < sizeof(INITRD_MAGIC) - 1) {
			bad += b != (uint8_t)INITRD_MAGIC[i];
		} else {
			bad += b != (uint8_t)(i * 13 + 5);
		}
	}
	test_check(bad == 0, "initrd contents as the harness wrote them (%llu bytes differ)",
		   (unsigned long long)bad);
}

void guest_main(struct start_info *si)
{
	struct layout l;

	parse_cmdline((const char *)si->cmd_line);
	gprintf("boot state: nr_pages %llu, cmdline \"%s\"\n", (unsigned long long)si->nr_pages,
		(const char *)si->cmd_line);
	check_start_info(si, &l);
	check_p2m(si);
	check_page_tables(si, &l);
	check_stack(&l);
	check_hypercall_page();
	check_events_masked();
	if (opt_initrd) {
		check_initrd(si, &l);
	}
	test_finish();
}
