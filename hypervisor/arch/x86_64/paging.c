/*
 * The hypervisor's page tables: built once at boot from a static pool (the
 * frame allocator does not exist yet when they are needed), see
 * asm/paging.h for what is mapped and how.
 */
#include <arch/mm.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/paging.h>
#include <console.h>
#include <frame.h>
#include <lib.h>
#include <public/errno.h>

/*
 * Enough for the image, the fixmap and a direct map of 64 GiB (the frame
 * table's limit) even without 1 GiB pages: 64 L2 tables plus edges.
 */
#define PT_POOL_PAGES 96

static uint64_t pt_pool[PT_POOL_PAGES][512]
    __attribute__((aligned(4096), section(".bss.page_aligned")));
static unsigned int pt_pool_used;
static uint64_t *idle_pml4;
static uint64_t *fixmap_l1;
static uint64_t *vstack_l1;
static uint32_t vstack_used; /* bit i: slot i holds a stack */
_Static_assert(VCPU_STACK_SLOTS <= 32, "vstack_used has 32 bits");
_Static_assert(VCPU_STACK_SLOTS *VCPU_STACK_SLOT_SIZE <= (1UL << 21), "one L1 table");
_Static_assert(VCPU_STACK_SLOT_SIZE >= STACK_SIZE + GUARD_SIZE, "room for a guard");

static inline unsigned int pt_index(uint64_t va, unsigned int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

paddr_t image_phys_start(void)
{
	/* A constant: the .boot section is out of RIP-relative reach from here. */
	return HV_LOAD_PHYS;
}

paddr_t image_phys_end(void)
{
	return image_virt_to_phys(__image_end);
}

void *arch_mfn_to_virt(mfn_t mfn)
{
	return (void *)(DIRECTMAP_VIRT_START + mfn_to_paddr(mfn));
}

mfn_t arch_virt_to_mfn(const void *va)
{
	uint64_t v = (uint64_t)(uintptr_t)va;

	if (v >= DIRECTMAP_VIRT_START && v < DIRECTMAP_VIRT_END) {
		return paddr_to_mfn(v - DIRECTMAP_VIRT_START);
	}
	if (v >= HV_VIRT_OFFSET && v < HV_VIRT_OFFSET + HV_IMAGE_WINDOW) {
		return paddr_to_mfn(v - HV_VIRT_OFFSET);
	}
	return INVALID_MFN;
}

/*
 * A table page's virtual address. Tables come from the pool (inside the
 * image) now; the direct map covers anything else, e.g. the boot tables.
 */
static uint64_t *pt_virt(paddr_t pa)
{
	if (pa >= image_virt_to_phys(__image_start) && pa < image_phys_end()) {
		return (uint64_t *)(pa + HV_VIRT_OFFSET);
	}
	return (uint64_t *)(DIRECTMAP_VIRT_START + pa);
}

static uint64_t *pt_alloc(void)
{
	uint64_t *t;

	if (pt_pool_used >= PT_POOL_PAGES) {
		return NULL;
	}
	t = pt_pool[pt_pool_used++];
	memset(t, 0, PAGE_SIZE);
	return t;
}

/*
 * Intermediate entries are permissive (present, writable, executable,
 * supervisor): the leaf alone decides, which keeps the walker's view and
 * the CPU's the same.
 */
#define PT_TABLE_FLAGS (PTE_P | PTE_W)

static uint64_t *next_table(uint64_t *table, unsigned int idx)
{
	uint64_t *t;

	if (table[idx] & PTE_P) {
		if (table[idx] & PTE_PS) {
			/* A large page is in the way: a layout bug, never input-driven. */
			return NULL;
		}
		return pt_virt(table[idx] & PTE_ADDR_MASK);
	}
	t = pt_alloc();
	if (!t) {
		return NULL;
	}
	table[idx] = image_virt_to_phys(t) | PT_TABLE_FLAGS;
	return t;
}

/* level 1: 4 KiB, 2: 2 MiB, 3: 1 GiB leaf. */
static int map_one(uint64_t va, paddr_t pa, unsigned int level, uint64_t flags)
{
	uint64_t *t = idle_pml4;
	unsigned int l;

	for (l = 4; l > level; l--) {
		t = next_table(t, pt_index(va, l));
		if (!t) {
			return -ENOMEM;
		}
	}
	t[pt_index(va, level)] = pa | flags | PTE_P | (level > 1 ? PTE_PS : 0);
	return 0;
}

static int map_range_4k(uint64_t va, uint64_t va_end, uint64_t flags)
{
	int rc;

	for (; va < va_end; va += PAGE_SIZE) {
		rc = map_one(va, va - HV_VIRT_OFFSET, 1, flags);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

static bool is_guard_page(uint64_t va)
{
	unsigned int i;

	for (i = 0; i < nr_stack_guard_pages; i++) {
		if (stack_guard_pages[i] == va) {
			return true;
		}
	}
	return false;
}

static int map_image(void)
{
	uint64_t va;
	int rc;

	rc = map_range_4k((uint64_t)__text_start, (uint64_t)__text_end, PTE_G);
	if (rc) {
		return rc;
	}
	rc = map_range_4k((uint64_t)__rodata_start, (uint64_t)__rodata_end, PTE_G | PTE_NX);
	if (rc) {
		return rc;
	}
	rc = map_range_4k((uint64_t)__data_start, (uint64_t)__data_end, PTE_G | PTE_W | PTE_NX);
	if (rc) {
		return rc;
	}
	for (va = (uint64_t)__bss_start; va < (uint64_t)__bss_end; va += PAGE_SIZE) {
		if (is_guard_page(va)) {
			continue;
		}
		rc = map_one(va, va - HV_VIRT_OFFSET, 1, PTE_G | PTE_W | PTE_NX);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct mem_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

#define DMAP_FLAGS (PTE_G | PTE_W | PTE_NX)

static int map_direct(paddr_t start, paddr_t end)
{
	const uint64_t two_m = 1UL << 21, one_g = 1UL << 30;
	paddr_t pa = start;
	int rc;

	while (pa < end) {
		if (cpu_features.pdpe1gb && IS_ALIGNED(pa, one_g) && end - pa >= one_g) {
			rc = map_one(DIRECTMAP_VIRT_START + pa, pa, 3, DMAP_FLAGS);
			pa += one_g;
		} else if (IS_ALIGNED(pa, two_m) && end - pa >= two_m) {
			rc = map_one(DIRECTMAP_VIRT_START + pa, pa, 2, DMAP_FLAGS);
			pa += two_m;
		} else {
			rc = map_one(DIRECTMAP_VIRT_START + pa, pa, 1, DMAP_FLAGS);
			pa += PAGE_SIZE;
		}
		if (rc) {
			return rc;
		}
	}
	return 0;
}

/*
 * Ranges are page-rounded outwards, sorted and merged first so that a
 * 2 MiB block is either entirely inside one range (one large page) or
 * mapped with 4 KiB pages, never both.
 */
#define MAX_DMAP_RANGES 160

static int map_all_ram(const struct mem_range *ram, size_t nr_ram)
{
	static struct mem_range r[MAX_DMAP_RANGES];
	size_t n = 0, i, out;
	int rc;

	for (i = 0; i < nr_ram && n < MAX_DMAP_RANGES; i++) {
		paddr_t s = ALIGN_DOWN(ram[i].start, PAGE_SIZE);
		paddr_t e = ALIGN_UP(ram[i].end, PAGE_SIZE);

		if (e > DIRECTMAP_SIZE) {
			e = DIRECTMAP_SIZE;
		}
		if (s < e) {
			r[n].start = s;
			r[n].end = e;
			n++;
		}
	}
	if (i < nr_ram) {
		pr_warn("paging: more than %d RAM ranges, the rest is not mapped\n",
			MAX_DMAP_RANGES);
	}
	sort(r, n, sizeof(r[0]), cmp_range);
	for (i = 1, out = 0; i < n; i++) {
		if (r[i].start <= r[out].end) {
			r[out].end = MAX(r[out].end, r[i].end);
		} else {
			r[++out] = r[i];
		}
	}
	n = n ? out + 1 : 0;
	for (i = 0; i < n; i++) {
		rc = map_direct(r[i].start, r[i].end);
		if (rc) {
			return rc;
		}
	}
	return 0;
}

int paging_init(const struct mem_range *ram, size_t nr_ram)
{
	uint64_t *l2;
	int rc;

	idle_pml4 = pt_alloc();
	if (!idle_pml4) {
		return -ENOMEM;
	}
	rc = map_image();
	if (rc) {
		return rc;
	}
	rc = map_all_ram(ram, nr_ram);
	if (rc) {
		return rc;
	}
	/* The fixmap's L1 exists from the start, so fixmap_map cannot fail. */
	l2 = next_table(next_table(idle_pml4, pt_index(FIXMAP_VIRT_START, 4)),
			pt_index(FIXMAP_VIRT_START, 3));
	if (!l2) {
		return -ENOMEM;
	}
	fixmap_l1 = next_table(l2, pt_index(FIXMAP_VIRT_START, 2));
	if (!fixmap_l1) {
		return -ENOMEM;
	}
	/*
	 * The vcpu stack area's L1 too: same L2 (the same 1 GiB), and no
	 * table to allocate later, when a domain is created.
	 */
	vstack_l1 = next_table(l2, pt_index(VCPU_STACK_VIRT_START, 2));
	if (!vstack_l1) {
		return -ENOMEM;
	}
	write_cr3(image_virt_to_phys(idle_pml4));
	/* Global pages only now: the boot tables' identity map must not linger in the TLB. */
	write_cr4(read_cr4() | X86_CR4_PGE);
	return 0;
}

paddr_t paging_hv_root(void)
{
	return image_virt_to_phys(idle_pml4);
}

void *fixmap_map(unsigned int slot, paddr_t pa, uint64_t flags)
{
	uint64_t va = FIXMAP_VIRT_START + (uint64_t)slot * PAGE_SIZE;

	if (slot >= FIXMAP_SLOTS || !fixmap_l1) {
		return NULL;
	}
	fixmap_l1[slot] = (pa & PTE_ADDR_MASK) | flags | PTE_P;
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	return (void *)va;
}

void fixmap_unmap(unsigned int slot)
{
	uint64_t va = FIXMAP_VIRT_START + (uint64_t)slot * PAGE_SIZE;

	if (slot < FIXMAP_SLOTS && fixmap_l1) {
		fixmap_l1[slot] = 0;
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	}
}

static uint64_t canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16);
}

uint64_t paging_lookup(uint64_t va)
{
	uint64_t *t = pt_virt(read_cr3() & PTE_ADDR_MASK);
	uint64_t eff_w = PTE_W, eff_u = PTE_U, eff_nx = 0, e = 0;
	unsigned int l;

	for (l = 4; l >= 1; l--) {
		e = t[pt_index(va, l)];
		if (!(e & PTE_P)) {
			return 0;
		}
		eff_w &= e;
		eff_u &= e;
		eff_nx |= e & PTE_NX;
		if (l == 1 || (e & PTE_PS)) {
			break;
		}
		t = pt_virt(e & PTE_ADDR_MASK);
	}
	return PTE_P | eff_w | eff_u | eff_nx | (e & (PTE_G | PTE_PCD | PTE_PWT));
}

static void walk_level(uint64_t *t, unsigned int level, uint64_t base, uint64_t w, uint64_t u,
		       uint64_t nx, struct paging_walk_result *res)
{
	unsigned int i;

	res->pt_pages++;
	for (i = 0; i < 512; i++) {
		uint64_t e = t[i];
		uint64_t va = canonical(base | ((uint64_t)i << (12 + 9 * (level - 1))));
		uint64_t ew = w & e, eu = u & e, enx = nx | (e & PTE_NX);

		if (!(e & PTE_P)) {
			continue;
		}
		if (level > 1 && !(e & PTE_PS)) {
			walk_level(pt_virt(e & PTE_ADDR_MASK), level - 1, va, ew, eu, enx, res);
			continue;
		}
		res->leaves++;
		if (ew && !enx) {
			if (!res->wx) {
				res->first_wx = va;
			}
			res->wx++;
		}
		if (eu) {
			res->user++;
		}
		if (!(va >> 63)) {
			res->lower++;
		}
	}
}

void paging_walk(struct paging_walk_result *res)
{
	memset(res, 0, sizeof(*res));
	walk_level(pt_virt(read_cr3() & PTE_ADDR_MASK), 4, 0, PTE_W, PTE_U, 0, res);
}

#define VSTACK_PAGES (STACK_SIZE / PAGE_SIZE)
#define SLOT_PAGES (VCPU_STACK_SLOT_SIZE / PAGE_SIZE)

static void vstack_unmap(unsigned int slot)
{
	unsigned int p;

	for (p = SLOT_PAGES - VSTACK_PAGES; p < SLOT_PAGES; p++) {
		uint64_t *pte = &vstack_l1[slot * SLOT_PAGES + p];
		uint64_t va = VCPU_STACK_VIRT_START + slot * VCPU_STACK_SLOT_SIZE + p * PAGE_SIZE;

		if (*pte & PTE_P) {
			mfn_t m = paddr_to_mfn(*pte & PTE_ADDR_MASK);

			*pte = 0;
			__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
			frame_free(m);
		}
	}
}

void *vcpu_stack_alloc(void)
{
	unsigned int slot, p;

	if (!vstack_l1) {
		return NULL;
	}
	for (slot = 0; slot < VCPU_STACK_SLOTS; slot++) {
		if (!(vstack_used & (1U << slot))) {
			break;
		}
	}
	if (slot == VCPU_STACK_SLOTS) {
		return NULL;
	}
	/* Only the top of the slot: the pages below it stay unmapped (the guard). */
	for (p = SLOT_PAGES - VSTACK_PAGES; p < SLOT_PAGES; p++) {
		mfn_t m = frame_alloc(DOMID_XEN);

		if (mfn_eq(m, INVALID_MFN)) {
			vstack_unmap(slot);
			return NULL;
		}
		vstack_l1[slot * SLOT_PAGES + p] = mfn_to_paddr(m) | PTE_P | PTE_W | PTE_NX | PTE_G;
	}
	vstack_used |= 1U << slot;
	return (void *)(VCPU_STACK_VIRT_START + (slot + 1) * VCPU_STACK_SLOT_SIZE - STACK_SIZE);
}

void vcpu_stack_free(void *stack)
{
	uint64_t va = (uint64_t)(uintptr_t)stack;
	unsigned int slot;

	if (!stack) {
		return;
	}
	slot = (va - VCPU_STACK_VIRT_START) / VCPU_STACK_SLOT_SIZE;
	if (va < VCPU_STACK_VIRT_START || va >= VCPU_STACK_VIRT_END ||
	    va != VCPU_STACK_VIRT_START + (slot + 1) * VCPU_STACK_SLOT_SIZE - STACK_SIZE ||
	    !(vstack_used & (1U << slot))) {
		pr_err("vcpu_stack_free: %#llx is not a vcpu stack\n", (unsigned long long)va);
		return;
	}
	vstack_unmap(slot);
	vstack_used &= ~(1U << slot);
}

int vcpu_stack_guard_slot(uint64_t va)
{
	uint64_t off;

	if (va < VCPU_STACK_VIRT_START || va >= VCPU_STACK_VIRT_END) {
		return -1;
	}
	off = (va - VCPU_STACK_VIRT_START) % VCPU_STACK_SLOT_SIZE;
	if (off >= VCPU_STACK_SLOT_SIZE - STACK_SIZE) {
		return -1;
	}
	return (int)((va - VCPU_STACK_VIRT_START) / VCPU_STACK_SLOT_SIZE);
}
