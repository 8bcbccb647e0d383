/*
 * The first PV test guest: start of day as a Xen PV kernel sees it. It
 * checks what a kernel relies on before anything else (magic, hypercall
 * page, a page-aligned start_info, events masked, sane bootstrap
 * pointers), prints the start_info fields and succeeds.
 */
#include "guest.h"
#include "layout.h"

#define PAGE_OFFSET_MASK 0xfffULL

static void print_start_info(const struct start_info *si)
{
	gprintf("start_info at %p:\n", (const void *)si);
	gprintf("  magic         \"%.32s\"\n", si->magic);
	gprintf("  nr_pages      %llu\n", (unsigned long long)si->nr_pages);
	gprintf("  shared_info   0x%llx (machine)\n", (unsigned long long)si->shared_info);
	gprintf("  flags         0x%x%s%s\n", si->flags,
		si->flags & SIF_PRIVILEGED ? " privileged" : "",
		si->flags & SIF_INITDOMAIN ? " initdomain" : "");
	gprintf("  store         mfn 0x%llx evtchn %u\n", (unsigned long long)si->store_mfn,
		si->store_evtchn);
	gprintf("  console       mfn 0x%llx evtchn %u\n", (unsigned long long)si->console.domU.mfn,
		si->console.domU.evtchn);
	gprintf("  pt_base       0x%llx (%llu frames)\n", (unsigned long long)si->pt_base,
		(unsigned long long)si->nr_pt_frames);
	gprintf("  mfn_list      0x%llx\n", (unsigned long long)si->mfn_list);
	gprintf("  module        0x%llx, %llu bytes\n", (unsigned long long)si->mod_start,
		(unsigned long long)si->mod_len);
	gprintf("  cmd_line      \"%.*s\"\n", MAX_GUEST_CMDLINE, (const char *)si->cmd_line);
	gprintf("  p2m frames    first pfn 0x%llx, %llu frames\n",
		(unsigned long long)si->first_p2m_pfn, (unsigned long long)si->nr_p2m_frames);
}

void guest_main(struct start_info *si)
{
	uint64_t base = GUEST_VIRT_BASE;
	uint64_t si_va = (uint64_t)(uintptr_t)si;

	gprintf("hello from a PV guest\n");
	print_start_info(si);

	test_check(strncmp(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC) - 1) == 0,
		   "start_info magic \"%.32s\"", si->magic);
	test_check(strnlen(si->magic, sizeof(si->magic)) < sizeof(si->magic),
		   "start_info magic is NUL-terminated");
	test_check(hypercall_page_filled(), "the hypercall page was filled");
	test_check((si_va & PAGE_OFFSET_MASK) == 0, "start_info 0x%llx is page aligned",
		   (unsigned long long)si_va);
	test_check(si_va > base, "start_info 0x%llx lies above the image base",
		   (unsigned long long)si_va);
	test_check(si->nr_pages > 0, "nr_pages %llu > 0", (unsigned long long)si->nr_pages);
	test_check((si->shared_info & PAGE_OFFSET_MASK) == 0, "shared_info maddr is page aligned");
	test_check(si->pt_base > base && (si->pt_base & PAGE_OFFSET_MASK) == 0,
		   "pt_base 0x%llx is a page in the bootstrap region",
		   (unsigned long long)si->pt_base);
	test_check(si->nr_pt_frames > 0, "nr_pt_frames > 0");
	test_check(si->mfn_list > base && (si->mfn_list & 7) == 0, "mfn_list 0x%llx is plausible",
		   (unsigned long long)si->mfn_list);
	test_check(si->cmd_line[MAX_GUEST_CMDLINE - 1] == 0 ||
		       strnlen((const char *)si->cmd_line, MAX_GUEST_CMDLINE) < MAX_GUEST_CMDLINE,
		   "cmd_line is NUL-terminated");
	if (test_check(shared_info != NULL, "shared_info could be mapped")) {
		test_check(shared_info->vcpu_info[0].evtchn_upcall_mask == 1,
			   "event upcalls are masked at entry (mask %u)",
			   shared_info->vcpu_info[0].evtchn_upcall_mask);
	}
	test_finish();
}
