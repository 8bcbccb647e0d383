/*
 * The dom0 builder (see asm/dom0_build.h) and dom0's teardown.
 *
 * The bootstrap region follows Xen's x86_64 PV layout, because PV kernels
 * hard-code assumptions about it (Linux walks the initial page tables it
 * finds at pt_base and expects the p2m list and start_info right after the
 * kernel): pseudo-physical frame N is mapped at VIRT_BASE + N * 4 KiB, and
 * from VIRT_BASE up come the kernel image, the initrd (unless the kernel
 * asked for it by pfn), the p2m list, start_info, the page tables (mapped
 * read-only), one page of stack, and padding up to a 4 MiB boundary with at
 * least 512 KiB to spare. Everything is a 4 KiB mapping.
 *
 * dom0's frames are zeroed before use: no hypervisor data may leak into it.
 * The page tables are built as plain frames and then typed and pinned
 * through mm_pin_table(.., 4), which validates every entry with the
 * same code that checks the guest's own updates later; the builder is
 * trusted with nothing that validation does not confirm.
 */
#include <arch/mm.h>
#include <arch/power.h>
#include <asm/cpu.h>
#include <asm/dom0_build.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <asm/pv.h>
#include <asm/pv_mm.h>
#include <asm/setup.h>
#include <bootdomain.h>
#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <elf.h>
#include <frame.h>
#include <heap.h>
#include <lib.h>
#include <public/elfnote.h>
#include <public/errno.h>
#include <public/sched.h>
#include <public/version.h>
#include <public/xen.h>
#include <sched.h>
#include <xencons.h>

#include <xsm/xsm.h>

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

#define DOM0_MEM_DEFAULT_MAX (1 * GiB)
/* Kept back for the hypervisor when dom0_mem is not given: 16 MiB + 1/16. */
#define HV_RESERVE_FRAMES(free) ((16 * MiB) / PAGE_SIZE + (free) / 16)

/*
 * XENFEAT_* a kernel may require. writable_page_tables: Linux marks it
 * required, and Xen's dom0 builder has never enforced it (it only refuses
 * supervisor_mode_kernel); page-table writes go through mmu_update here.
 */
#define DOM0_FEATURES                                                                              \
	((1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_pae_pgdir_above_4gb) |              \
	 (1U << XENFEAT_dom0))

/* Entries of the initial tables. Guest kernels run in ring 3: everything is user. */
#define L1_RW (MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_A | MM_PTE_D)
#define L1_RO (MM_PTE_P | MM_PTE_US | MM_PTE_A)
#define LN_FLAGS (MM_PTE_P | MM_PTE_RW | MM_PTE_US | MM_PTE_A)

struct builder {
	struct domain *d;
	const struct elf_image *img;
	struct dom0_layout l;
	uint64_t nr_pages;
	mfn_t *p2m; /* pfn -> mfn while building */
	uint64_t pt_used;
	uint64_t initrd_size;
	char *err;
	size_t errlen;
};

/* Free frames before dom0 existed: the teardown must get back to this. */
static uint64_t frames_before_build;
/*
 * Frames the hypervisor's heap held when dom0 was built: what dom0 makes the
 * hypervisor keep (a loaded policy, AVC nodes) stays in the heap after the
 * teardown and is not a leak of dom0's frames.
 */
static uint64_t heap_pages_before_build;
/* domain_reaped_frames() then: domUs freed during dom0's life are not dom0's. */
static uint64_t reaped_before_build;
static uint64_t hv_cr3;

static int __attribute__((format(printf, 3, 4)))
fail(struct builder *b, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	return rc;
}

static uint64_t round_page(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & PAGE_MASK;
}

static uint64_t va_to_pfn(const struct builder *b, uint64_t va)
{
	return (va - b->l.v_start) >> PAGE_SHIFT;
}

static void *pfn_ptr(const struct builder *b, uint64_t pfn)
{
	return arch_mfn_to_virt(b->p2m[pfn]);
}

/* Copies into dom0's memory at guest virtual va (inside the region). */
static void dom_copy(const struct builder *b, uint64_t va, const void *src, size_t n)
{
	const uint8_t *s = src;

	while (n) {
		size_t off = va & (PAGE_SIZE - 1);
		size_t chunk = MIN(n, PAGE_SIZE - off);

		memcpy((uint8_t *)pfn_ptr(b, va_to_pfn(b, va)) + off, s, chunk);
		va += chunk;
		s += chunk;
		n -= chunk;
	}
}

static int alloc_memory(struct builder *b)
{
	uint64_t pfn;
	mfn_t mfn;

	b->p2m = xmalloc_array(b->nr_pages, sizeof(*b->p2m));
	if (!b->p2m) {
		return fail(b, -ENOMEM, "no memory for the p2m of %llu pages",
			    (unsigned long long)b->nr_pages);
	}
	for (pfn = 0; pfn < b->nr_pages; pfn++) {
		mfn = mm_alloc_domain_frame(b->d);
		if (mfn_eq(mfn, INVALID_MFN)) {
			return fail(b, -ENOMEM, "out of memory after %llu of %llu pages",
				    (unsigned long long)pfn, (unsigned long long)b->nr_pages);
		}
		memset(arch_mfn_to_virt(mfn), 0, PAGE_SIZE);
		m2p_set(mfn, pfn);
		b->p2m[pfn] = mfn;
	}
	return 0;
}

/* The next page-table frame of the region (already zeroed). */
static int next_table(struct builder *b, uint64_t *entry)
{
	uint64_t pfn;

	if (b->pt_used == b->l.nr_pt) {
		return fail(b, -EINVAL, "internal: %llu page-table frames are not enough",
			    (unsigned long long)b->l.nr_pt);
	}
	pfn = va_to_pfn(b, b->l.pt_start) + b->pt_used++;
	*entry = (mfn_x(b->p2m[pfn]) << PAGE_SHIFT) | LN_FLAGS;
	return 0;
}

static uint64_t *table_of(uint64_t entry)
{
	return arch_mfn_to_virt(_mfn((entry & MM_PTE_ADDR) >> PAGE_SHIFT));
}

static int build_page_tables(struct builder *b)
{
	const struct dom0_layout *l = &b->l;
	uint64_t l4e, *l4, *t, va, pfn;
	unsigned int level, idx;
	int rc;

	b->pt_used = 0;
	rc = next_table(b, &l4e);
	if (rc) {
		return rc;
	}
	l4 = table_of(l4e);
	for (va = l->v_start; va < l->v_end; va += PAGE_SIZE) {
		t = l4;
		for (level = 4; level > 1; level--) {
			idx = (va >> (12 + 9 * (level - 1))) & 511;
			if (!(t[idx] & MM_PTE_P)) {
				rc = next_table(b, &t[idx]);
				if (rc) {
					return rc;
				}
			}
			t = table_of(t[idx]);
		}
		pfn = va_to_pfn(b, va);
		t[(va >> 12) & 511] = (mfn_x(b->p2m[pfn]) << PAGE_SHIFT) |
				      (va >= l->pt_start && va < l->pt_end ? L1_RO : L1_RW);
	}
	return 0;
}

/*
 * Xen's hypercall page: 128 stubs of 32 bytes, "push %rcx; push %r11;
 * mov $N, %eax; syscall; pop %r11; pop %rcx; ret". The iret stub saves rax
 * as well and never returns. The rest of the page is int3.
 */
static void fill_hypercall_page(uint8_t *p)
{
	static const uint8_t stub[] = {0x51, 0x41, 0x53, 0xb8, 0,    0,	   0,
				       0,    0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3};
	static const uint8_t iret[] = {0x51, 0x41, 0x53, 0x50, 0xb8, 0, 0, 0, 0, 0x0f, 0x05};
	unsigned int i;
	uint8_t *s;

	memset(p, 0xcc, PAGE_SIZE);
	for (i = 0; i < PAGE_SIZE / 32; i++) {
		s = p + 32 * i;
		if (i == __HYPERVISOR_iret) {
			memcpy(s, iret, sizeof(iret));
			s[5] = (uint8_t)i;
		} else {
			memcpy(s, stub, sizeof(stub));
			s[4] = (uint8_t)i;
		}
	}
}

static int setup_shared_info(struct builder *b)
{
	struct domain *d = b->d;
	unsigned int i;
	mfn_t mfn;

	/* Owned by dom0 (it maps it) but not one of its pseudo-physical pages, as in Xen. */
	mfn = frame_alloc(d->domain_id);
	if (mfn_eq(mfn, INVALID_MFN)) {
		return fail(b, -ENOMEM, "no frame for shared_info");
	}
	d->shared_info = arch_mfn_to_virt(mfn);
	d->shared_info_mfn = mfn;
	memset(d->shared_info, 0, PAGE_SIZE);
	for (i = 0; i < XEN_LEGACY_MAX_VCPUS; i++) {
		d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
		/* Every vcpu has its slot from the start, down or not: events may name it. */
		if (i < d->max_vcpus && d->vcpu[i]) {
			d->vcpu[i]->vcpu_info = &d->shared_info->vcpu_info[i];
		}
	}
	d->shared_info->arch.max_pfn = b->nr_pages;
	return 0;
}

static void setup_start_info(struct builder *b, const char *cmdline, uint32_t flags,
			     const struct dom0_module *initrd, uint64_t initrd_pfn)
{
	const struct dom0_layout *l = &b->l;
	struct start_info *si = pfn_ptr(b, va_to_pfn(b, l->si_start));

	memset(si, 0, PAGE_SIZE);
	strlcpy(si->magic, XEN_START_INFO_MAGIC, sizeof(si->magic));
	si->nr_pages = b->nr_pages;
	si->shared_info = mfn_x(b->d->shared_info_mfn) << PAGE_SHIFT;
	si->flags = flags;
	/* No xenstore; a domU's console ring is added by domu_console. */
	si->pt_base = l->pt_start;
	si->nr_pt_frames = l->nr_pt;
	si->mfn_list = l->p2m_start;
	if (initrd) {
		if (l->initrd_start) {
			si->mod_start = l->initrd_start;
		} else {
			si->mod_start = initrd_pfn;
			si->flags |= SIF_MOD_START_PFN;
		}
		si->mod_len = initrd->size;
	}
	strlcpy((char *)si->cmd_line, cmdline ? cmdline : "", sizeof(si->cmd_line));
	si->first_p2m_pfn = va_to_pfn(b, l->p2m_start);
	si->nr_p2m_frames = (round_page(l->p2m_end) - l->p2m_start) / PAGE_SIZE;
}

static int load_images(struct builder *b, const struct dom0_module *initrd, uint64_t *initrd_pfn)
{
	const struct elf_image *img = b->img;
	const struct dom0_layout *l = &b->l;
	unsigned int i;
	uint64_t pfn, done, n;

	for (i = 0; i < img->nr_segs; i++) {
		/* The bss part stays as allocated: zero. */
		dom_copy(b, img->seg[i].va, img->data + img->seg[i].offset, img->seg[i].filesz);
	}
	if (img->hypercall_page) {
		fill_hypercall_page(pfn_ptr(b, va_to_pfn(b, img->hypercall_page)));
	}
	*initrd_pfn = 0;
	if (!initrd) {
		return 0;
	}
	if (l->initrd_start) {
		dom_copy(b, l->initrd_start, initrd->data, initrd->size);
		return 0;
	}
	/* MOD_START_PFN: the first pages after the region, unmapped. */
	*initrd_pfn = va_to_pfn(b, l->v_end);
	for (done = 0, pfn = *initrd_pfn; done < initrd->size; done += n, pfn++) {
		n = MIN(PAGE_SIZE, initrd->size - done);
		memcpy(pfn_ptr(b, pfn), (const uint8_t *)initrd->data + done, n);
	}
	return 0;
}

static uint64_t default_pages(uint64_t mem_bytes, char *note, size_t notelen)
{
	uint64_t free = frame_free_count();
	uint64_t reserve = HV_RESERVE_FRAMES(free);
	uint64_t avail = free > reserve ? free - reserve : 0;
	uint64_t want;

	note[0] = '\0';
	if (mem_bytes == 0) {
		return MIN(avail, DOM0_MEM_DEFAULT_MAX / PAGE_SIZE);
	}
	want = mem_bytes / PAGE_SIZE;
	if (want > avail) {
		snprintf(note, notelen, " (dom0_mem=%lluM is more than the %lluM available)",
			 (unsigned long long)(mem_bytes >> 20),
			 (unsigned long long)(avail * PAGE_SIZE >> 20));
		return avail;
	}
	return want;
}

static void print_layout(const struct builder *b)
{
	const struct dom0_layout *l = &b->l;
	const struct elf_image *img = b->img;

	pr_info("dom0: kernel \"%s\" %s, entry %#llx, hypercall page %#llx\n", img->xen.guest_os,
		img->xen.guest_version, (unsigned long long)img->entry,
		(unsigned long long)img->hypercall_page);
	pr_info("dom0: memory %llu MiB (%llu pages)\n",
		(unsigned long long)(b->nr_pages * PAGE_SIZE >> 20),
		(unsigned long long)b->nr_pages);
	pr_info("dom0: layout: kernel %#llx-%#llx, initrd %#llx-%#llx, p2m %#llx-%#llx\n",
		(unsigned long long)l->kern_start, (unsigned long long)l->kern_end,
		(unsigned long long)l->initrd_start, (unsigned long long)l->initrd_end,
		(unsigned long long)l->p2m_start, (unsigned long long)l->p2m_end);
	pr_info("dom0: layout: start_info %#llx, page tables %#llx-%#llx (%llu frames), "
		"stack %#llx-%#llx, end %#llx\n",
		(unsigned long long)l->si_start, (unsigned long long)l->pt_start,
		(unsigned long long)l->pt_end, (unsigned long long)l->nr_pt,
		(unsigned long long)l->stack_start, (unsigned long long)l->stack_end,
		(unsigned long long)l->v_end);
}

/*
 * Fills b->d (created, with b->l laid out for b->nr_pages) from the image:
 * memory, shared_info, kernel and initrd, page tables, p2m list and
 * start_info, then pins and installs the tables. entry says where vcpu 0
 * starts. On failure b->err says why; the caller frees the domain.
 */
static int build_into(struct builder *b, const char *cmdline, uint32_t si_flags,
		      const struct dom0_module *initrd, struct dom0_entry *entry)
{
	uint64_t initrd_pfn;
	mfn_t l4;
	int rc;

	b->d->max_pages = b->nr_pages;
	rc = alloc_memory(b);
	if (!rc) {
		rc = setup_shared_info(b);
	}
	if (!rc) {
		rc = load_images(b, initrd, &initrd_pfn);
	}
	if (!rc) {
		rc = build_page_tables(b);
	}
	if (rc) {
		return rc;
	}
	/* The p2m list, from the builder's copy. */
	dom_copy(b, b->l.p2m_start, b->p2m, b->nr_pages * sizeof(uint64_t));
	setup_start_info(b, cmdline, si_flags, initrd, initrd_pfn);

	l4 = b->p2m[va_to_pfn(b, b->l.pt_start)];
	rc = mm_pin_table(b->d, l4, 4);
	if (rc) {
		return fail(b, rc, "the initial page tables failed validation (%d)", rc);
	}
	rc = mm_new_guest_baseptr(b->d->vcpu[0], l4, false);
	if (rc) {
		return fail(b, rc, "cannot install the initial page tables (%d)", rc);
	}
	entry->d = b->d;
	entry->rip = b->img->entry;
	entry->rsp = b->l.stack_end;
	entry->rsi = b->l.si_start;
	return 0;
}

static void dom0_shutdown(struct domain *d, uint8_t reason);

int dom0_build(const struct dom0_module *kernel, const struct dom0_module *initrd,
	       uint64_t mem_bytes, unsigned int nr_vcpus, struct dom0_entry *entry, char *err,
	       size_t errlen)
{
	struct builder b = {.err = err, .errlen = errlen};
	struct elf_image img;
	struct heap_stats hs;
	char note[96];
	int rc;

	rc = elf_parse(&img, kernel->data, kernel->size, DOM0_FEATURES, err, errlen);
	if (rc) {
		return rc;
	}
	b.img = &img;
	if ((img.xen.has_note & (1U << XEN_ELFNOTE_SUPPORTED_FEATURES)) &&
	    !(img.xen.features_supported & (1U << XENFEAT_dom0))) {
		return fail(&b, -EINVAL,
			    "kernel does not support running as dom0 "
			    "(SUPPORTED_FEATURES lacks dom0)");
	}
	if (img.xen.has_note & (1U << XEN_ELFNOTE_INIT_P2M)) {
		pr_info("dom0: INIT_P2M %#llx ignored: the p2m list follows the kernel\n",
			(unsigned long long)img.xen.init_p2m);
	}

	frames_before_build = frame_free_count();
	heap_get_stats(&hs);
	heap_pages_before_build = hs.pages;
	reaped_before_build = domain_reaped_frames();
	b.nr_pages = default_pages(mem_bytes, note, sizeof(note));
	rc = dom0_layout(&b.l, &img, b.nr_pages, initrd ? initrd->size : 0, err, errlen);
	if (rc) {
		return rc;
	}
	b.d = domain_create(0, true);
	if (!b.d) {
		return fail(&b, -ENOMEM, "cannot create domain 0");
	}
	rc = domain_add_vcpus(b.d, nr_vcpus);
	if (rc) {
		return fail(&b, rc, "cannot give domain 0 %u vcpus (%d)", nr_vcpus, rc);
	}
	if (note[0]) {
		pr_warn("dom0: %llu MiB%s\n", (unsigned long long)(b.nr_pages * PAGE_SIZE >> 20),
			note);
	}
	rc = build_into(&b, kernel->cmdline, SIF_PRIVILEGED | SIF_INITDOMAIN, initrd, entry);
	if (rc) {
		goto out;
	}
	print_layout(&b);
	pr_info("dom0: start_info at %#llx, entry %#llx, stack %#llx, command line \"%s\"\n",
		(unsigned long long)entry->rsi, (unsigned long long)entry->rip,
		(unsigned long long)entry->rsp, kernel->cmdline ? kernel->cmdline : "");
	domain_set_shutdown_handler(dom0_shutdown);
out:
	/* The image lives in the boot module; nothing of img may outlive this call. */
	xfree(b.p2m);
	return rc;
}

/*
 * A domU's console ring: its last page, which is outside the bootstrap
 * region and the initrd (a PV kernel finds it by start_info and keeps its
 * pfn reserved, as Linux does for the page a toolstack gives), zeroed by
 * alloc_memory. The hypervisor is its back end (xencons.h). dom0 has
 * none: it writes through console_io, as on Xen. A domU without room or
 * whose channel XSM refuses runs without a ring, and one line says so.
 */
static void domu_console(struct builder *b, const char *name)
{
	struct start_info *si = pfn_ptr(b, va_to_pfn(b, b->l.si_start));
	uint64_t used = (b->l.v_end - b->l.v_start) / PAGE_SIZE;
	uint64_t pfn = b->nr_pages - 1;
	uint32_t port;
	int rc;

	if (b->img->unmapped_initrd && b->l.initrd_end == 0) {
		used += round_page(b->initrd_size) / PAGE_SIZE;
	}
	if (pfn < used) {
		pr_warn("d%u (%s): no console ring: all %llu pages are in the bootstrap region\n",
			b->d->domain_id, name, (unsigned long long)b->nr_pages);
		return;
	}
	rc = xencons_attach(b->d, b->p2m[pfn], &port);
	if (rc) {
		pr_warn("d%u (%s): no console ring: its event channel was refused (%d)\n",
			b->d->domain_id, name, rc);
		return;
	}
	si->console.domU.mfn = mfn_x(b->p2m[pfn]);
	si->console.domU.evtchn = port;
}

/* What a domU kernel may require: dom0's set without dom0 itself. */
#define DOMU_FEATURES ((1U << XENFEAT_writable_page_tables) | (1U << XENFEAT_pae_pgdir_above_4gb))

int domu_build(domid_t id, const struct bootdom_desc *desc, const struct dom0_module *kernel,
	       const struct dom0_module *initrd, struct dom0_entry *entry, char *err, size_t errlen)
{
	struct builder b = {.err = err, .errlen = errlen};
	const char *label, *key;
	struct elf_image img;
	uint32_t sid;
	int rc;

	rc = elf_parse(&img, kernel->data, kernel->size, DOMU_FEATURES, err, errlen);
	if (rc) {
		return rc;
	}
	b.img = &img;
	b.nr_pages = desc->memory / PAGE_SIZE;
	if (b.nr_pages + HV_RESERVE_FRAMES(0) > frame_free_count()) {
		return fail(&b, -ENOMEM, "memory=%lluM is more than is free",
			    (unsigned long long)(desc->memory >> 20));
	}
	rc = dom0_layout(&b.l, &img, b.nr_pages, initrd ? initrd->size : 0, err, errlen);
	if (rc) {
		return rc;
	}
	/* Built under init_seclabel= when given (relabelled before it runs: bootdom_build.c). */
	label = desc->init_seclabel[0] ? desc->init_seclabel : desc->seclabel;
	key = desc->init_seclabel[0] ? "init_seclabel" : "seclabel";
	if (label[0] && xsm_security_context_to_sid(label, &sid)) {
		return fail(&b, -EINVAL, "%s=%s is not a context of the policy", key, label);
	}
	rc = domain_create_labelled(id, label, &b.d);
	if (rc == -EEXIST || rc == -ENOMEM) {
		return fail(&b, rc, "%s (%d)",
			    rc == -EEXIST ? "its domain id is still in use" : "out of memory", rc);
	}
	if (rc) {
		/* -EINVAL from XSM itself: a label only one domain may hold (dom0's). */
		return fail(&b, rc, "XSM refused to create it as %s (%d%s)",
			    label[0] ? label : "the default label", rc,
			    rc == -EINVAL ? ": a label only one domain may have" : "");
	}
	b.d->max_evtchn_port = desc->max_evtchn_port;
	rc = sched_set_params(b.d, desc->weight ? desc->weight : SCHED_WEIGHT_DEFAULT, desc->cap);
	if (!rc) {
		rc = domain_add_vcpus(b.d, desc->vcpus);
		if (rc) {
			fail(&b, rc, "cannot give it %u vcpus (%d)", desc->vcpus, rc);
		}
	}
	if (!rc) {
		b.initrd_size = initrd ? initrd->size : 0;
		rc = build_into(&b, desc->cmdline, 0, initrd, entry);
	}
	if (rc) {
		mm_domain_teardown(b.d);
		domain_destroy(b.d);
	} else {
		domu_console(&b, desc->name);
	}
	xfree(b.p2m);
	return rc;
}

void dom0_start(const struct dom0_entry *entry)
{
	hv_cr3 = read_cr3();
	vcpu_start(entry->d->vcpu[0], entry->rip, entry->rsp, entry->rsi);
}

/* ---- shutdown --------------------------------------------------------------- */

/* The teardown frees the vcpu's own stack, so it runs on this one. */
static uint8_t teardown_stack[16 * 1024] __attribute__((aligned(16)));
static struct domain *dying;
static uint8_t dying_reason;

static void __attribute__((noreturn)) finish(int status, uint8_t reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff:
		if (status == 0) {
			pr_info("Powering off (dom0 shut down: poweroff)\n");
			arch_poweroff(status);
		}
		break;
	case SHUTDOWN_reboot:
		if (status == 0 && boot_opts.noreboot) {
			/* As Xen does: the operator asked to keep the machine as it is. */
			pr_info("Reboot disabled by noreboot: halting\n");
			for (;;) {
				local_irq_disable();
				halt();
			}
		}
		if (status == 0) {
			pr_info("Rebooting the machine (dom0 asked for a reboot)\n");
			arch_reboot();
		}
		break;
	default:
		break;
	}
	pr_info("Stopping (status %d)\n", status);
	arch_poweroff(status);
}

static void __attribute__((noreturn, noinline)) teardown(void)
{
	struct domain *d = dying;
	uint8_t reason = dying_reason;
	uint32_t id = d->domain_id;
	uint64_t held, left, free_now, expected;
	struct heap_stats hs;
	int status;

	held = mm_count_owned(id);
	domain_say_cpus_ran(d);
	mm_domain_teardown(d);
	left = mm_count_owned(id);
	domain_destroy(d);
	test_hook_dom0_teardown();
	free_now = frame_free_count();
	heap_get_stats(&hs);
	/* Unsigned wrap-around makes a shrunken heap come out right too. */
	expected = frames_before_build - (hs.pages - heap_pages_before_build) +
		   (domain_reaped_frames() - reaped_before_build);
	pr_info("dom0: freed %llu frames (%llu free now, %llu before dom0 was built)\n",
		(unsigned long long)held, (unsigned long long)free_now,
		(unsigned long long)frames_before_build);

	switch (reason) {
	case SHUTDOWN_poweroff:
	case SHUTDOWN_reboot:
		status = DOM0_EXIT_POWEROFF;
		break;
	case SHUTDOWN_crash:
		status = DOM0_EXIT_CRASH;
		break;
	case SHUTDOWN_watchdog:
		status = DOM0_EXIT_WATCHDOG;
		break;
	case SHUTDOWN_suspend:
		status = DOM0_EXIT_SUSPEND;
		break;
	case SHUTDOWN_soft_reset:
		status = DOM0_EXIT_SOFT_RESET;
		break;
	default:
		status = DOM0_EXIT_UNKNOWN;
		break;
	}
	if (hs.pages != heap_pages_before_build) {
		pr_info("dom0: the hypervisor heap holds %lld frames more than before dom0\n",
			(long long)(hs.pages - heap_pages_before_build));
	}
	if (left || free_now != expected) {
		pr_err("dom0: teardown leaked: %llu frames still owned, %lld missing from the free "
		       "count\n",
		       (unsigned long long)left, (long long)(expected - free_now));
		status = DOM0_EXIT_LEAK;
	}
	finish(status, reason);
}

static void dom0_shutdown(struct domain *d, uint8_t reason)
{
	local_irq_disable();
	dying = d;
	dying_reason = reason;
	/* Off dom0's page tables (about to be freed) and off its vcpu's stack. */
	if (hv_cr3) {
		write_cr3(hv_cr3);
	}
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "call *%1\n\t"
			 "ud2"
			 :
			 : "r"(teardown_stack + sizeof(teardown_stack)), "r"(teardown)
			 : "memory");
	__builtin_unreachable();
}
