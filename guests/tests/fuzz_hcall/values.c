/*
 * The PRNG and the argument values. Every value class the brief of the
 * fuzzer names is here: good pointers into its own buffers (some running
 * into the unmapped guard page), bad pointers (unmapped, non-canonical,
 * the hypervisor's hole, its own read-only page tables, a page it mapped
 * read-only), domain
 * ids (0..3, DOMID_SELF and the reserved ones), ports, counts (0, 1, huge),
 * its own frames (only the ones it gives away on purpose), guessed frames
 * of other domains, page-table entries built from both.
 */
#include "guest.h"

#include "fuzz.h"

struct fuzz_mem fm;

static uint64_t state;

/* splitmix64: any seed, 0 included, gives a full-period stream. */
void fuzz_seed(uint64_t seed)
{
	state = seed;
}

uint64_t rnd(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * FUZZ_ARG_PAGES pages, the guard page, then a spill page. A pointer into
 * the guard (or a list that runs into it) does not always stop the
 * hypervisor at the hole: as Xen's, setup_table writes every frame number
 * it can and answers GNTST_bad_virt_addr for the ones it could not, so a
 * list starting in the guard has its tail written to the page after it.
 * That page holds nothing of the fuzzer's (its PRNG state, shared_info and
 * start_info pointers lived there), and nothing reads it.
 */
static uint8_t arg_area[(FUZZ_ARG_PAGES + 2) * PAGE] __attribute__((aligned(4096)));
static uint8_t sac_area[FUZZ_SAC_PAGES * PAGE] __attribute__((aligned(4096)));
static uint8_t scratch_area[FUZZ_SCRATCH_PAGES * PAGE] __attribute__((aligned(4096)));

/* The frames the fuzzer owns: a bitmap over [own_lo, own_lo + OWN_SPAN). */
#define OWN_SPAN (1UL << 20)
static uint8_t own_bits[OWN_SPAN / 8];
static uint64_t own_lo;

/* Frames gained by increase_reservation/populate_physmap, as ranges. */
#define GAINED_MAX 512
static struct {
	uint64_t mfn, count;
} gained[GAINED_MAX];
static unsigned int nr_gained;

static uint64_t pfn_of(const void *va)
{
	return (gva(va) - 0xffffffff80000000ULL) >> 12;
}

static const uint64_t *p2m(void)
{
	return (const uint64_t *)(uintptr_t)start_info->mfn_list;
}

bool own_mfn(uint64_t mfn)
{
	unsigned int i;

	if (mfn >= own_lo && mfn - own_lo < OWN_SPAN &&
	    (own_bits[(mfn - own_lo) / 8] >> (mfn % 8) & 1)) {
		return true;
	}
	for (i = 0; i < nr_gained; i++) {
		if (mfn >= gained[i].mfn && mfn - gained[i].mfn < gained[i].count) {
			return true;
		}
	}
	return false;
}

bool own_pt_mfn(uint64_t mfn)
{
	uint64_t i, first = (fm.pt_base - 0xffffffff80000000ULL) >> 12;

	for (i = 0; i < fm.nr_pt_frames; i++) {
		if (p2m()[first + i] == mfn) {
			return true;
		}
	}
	return false;
}

void lose_track(const char *why)
{
	if (fm.own_known) {
		gprintf("fuzz: the frame oracles stop: %s\n", why);
	}
	fm.own_known = false;
}

void note_gained(uint64_t mfn, uint64_t count)
{
	if (nr_gained == GAINED_MAX) {
		/* Too many to follow: the foreign-frame oracles stop judging. */
		lose_track("more gained frame ranges than it records");
		return;
	}
	gained[nr_gained].mfn = mfn;
	gained[nr_gained].count = count;
	nr_gained++;
}

void values_init(void)
{
	uint64_t i, m, lo = ~0ULL;
	long rc;

	fm.arg = arg_area;
	fm.guard = gva(arg_area + FUZZ_ARG_PAGES * PAGE);
	fm.sac = sac_area;
	fm.scratch = scratch_area;
	fm.nr_pages = start_info->nr_pages;
	fm.pt_base = start_info->pt_base;
	fm.nr_pt_frames = start_info->nr_pt_frames;
	fm.ro_page = start_info->pt_base;
	fm.own_known = true;
	for (i = 0; i < fm.nr_pages; i++) {
		lo = p2m()[i] < lo ? p2m()[i] : lo;
	}
	own_lo = lo;
	for (i = 0; i < fm.nr_pages; i++) {
		m = p2m()[i];
		if (m - own_lo < OWN_SPAN) {
			own_bits[(m - own_lo) / 8] |= (uint8_t)(1u << (m % 8));
		} else {
			note_gained(m, 1);
		}
	}
	for (i = 0; i < FUZZ_SAC_PAGES; i++) {
		fm.sac_gfn[i] = pfn_of(sac_area + i * PAGE);
		fm.sac_mfn[i] = p2m()[fm.sac_gfn[i]];
	}
	fm.l4_mfn = p2m()[pfn_of((void *)(uintptr_t)fm.pt_base)];
	rc = hypercall_memory_op(XENMEM_maximum_ram_page, NULL);
	fm.max_mfn = rc > 0 ? (uint64_t)rc : 0x100000;
	/* Scratch page 0 starts as a read-only view of a sacrificial frame. */
	rc = hypercall_update_va_mapping(
	    gva(scratch_area), fm.sac_mfn[0] << 12 | _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,
	    UVMF_INVLPG);
	if (rc) {
		test_report(TEST_ERROR, "mapping a read-only page: %ld", rc);
	}
	/* The guard page: unmapped, so a good pointer near its start runs into a hole. */
	rc = hypercall_update_va_mapping(fm.guard, 0, UVMF_INVLPG);
	if (rc) {
		test_report(TEST_ERROR, "unmapping the guard page: %ld", rc);
	}
}

uint8_t *arg_page(unsigned int i)
{
	return fm.arg + (i % FUZZ_ARG_PAGES) * PAGE;
}

uint64_t v_domid(void)
{
	static const uint16_t ids[] = {0,	   1,	     2,		3,	   4,
				       DOMID_SELF, DOMID_IO, DOMID_XEN, DOMID_COW, DOMID_INVALID,
				       DOMID_ANY,  0x7fef,   0x7fff,	0xffff};

	return chance(4) ? fm.self : ids[rnd_below(ARRAY_SIZE(ids))];
}

uint64_t v_port(void)
{
	switch (rnd_below(4)) {
	case 0:
		return rnd_below(8);
	case 1:
		return rnd_below(64);
	case 2:
		return rnd_below(4096) + (chance(2) ? 4096 : 0);
	default:
		return rnd() & (chance(2) ? 0xffffffffULL : 0x1ffff);
	}
}

uint64_t v_count(void)
{
	static const uint64_t counts[] = {
	    0,	  1,	 2,	     3,		 16,	     255,	 256,	     512,
	    4096, 65535, 0x7fffffff, 0x80000000, 0xffffffff, 1ULL << 32, 1ULL << 63, ~0ULL};

	return chance(3) ? rnd_below(8) : counts[rnd_below(ARRAY_SIZE(counts))];
}

uint64_t v_good_ptr(void)
{
	uint64_t base = gva(fm.arg);

	switch (rnd_below(6)) {
	case 0: /* runs into the guard page */
		return fm.guard - 8 * (1 + rnd_below(16));
	case 1: /* unaligned */
		return base + rnd_below(FUZZ_ARG_PAGES * PAGE - 64);
	default:
		return base + (rnd_below(FUZZ_ARG_PAGES * PAGE / 8 - 64) * 8);
	}
}

uint64_t v_bad_ptr(void)
{
	static const uint64_t edges[] = {
	    0,
	    0x18,
	    0x1000,
	    0x00007ffffffffff8ULL, /* runs over the canonical boundary */
	    0x0000800000000000ULL, /* non-canonical */
	    0x8000000000000000ULL,
	    0xffff7ffffffffff8ULL,
	    0xffff800000000000ULL, /* the hole: the M2P, read-only */
	    0xffff82d040000000ULL, /* the hypervisor image */
	    0xffff830000000000ULL, /* the direct map */
	    0xffff87fffffffff8ULL, /* runs out of the hole */
	    0xfffffffffffffff8ULL,
	};

	switch (rnd_below(6)) {
	case 0:
		return edges[rnd_below(ARRAY_SIZE(edges))];
	case 1: /* its own page tables, mapped read-only */
		return fm.pt_base + rnd_below(fm.nr_pt_frames * PAGE);
	case 2: /* a page it mapped read-only (its text is writable, as Xen's builder maps it) */
		return gva(scratch_area) + rnd_below(PAGE);
	case 3:
		return fm.guard + rnd_below(PAGE);
	case 4:
		return 0xffff800000000000ULL + (rnd() & 0x7fffffffff8ULL);
	default:
		return rnd();
	}
}

uint64_t v_unreadable_ptr(void)
{
	static const uint64_t u[] = {0,
				     0x18,
				     0x00007ffffffff000ULL,
				     0x0000800000000000ULL,
				     0x8000000000000000ULL,
				     0xffff82d040000000ULL,
				     0xffff830000000000ULL};

	return chance(4) ? fm.guard + rnd_below(PAGE) : u[rnd_below(ARRAY_SIZE(u))];
}

uint64_t v_ptr(void)
{
	return chance(4) ? v_bad_ptr() : v_good_ptr();
}

uint64_t v_foreign_mfn(void)
{
	switch (rnd_below(3)) {
	case 0: /* near its own frames: the neighbours' */
		return own_lo + rnd_below(OWN_SPAN / 16) - OWN_SPAN / 32;
	case 1:
		return rnd_below(fm.max_mfn + 1);
	default:
		return rnd_below(0x100);
	}
}

uint64_t v_mfn(void)
{
	switch (rnd_below(8)) {
	case 0:
	case 1:
		return fm.sac_mfn[rnd_below(FUZZ_SAC_PAGES)];
	case 2:
		return fm.max_mfn + rnd_below(16);
	case 3:
		return rnd() >> (rnd() & 63);
	default:
		return v_foreign_mfn();
	}
}

uint64_t v_gfn(void)
{
	switch (rnd_below(4)) {
	case 0:
		return fm.sac_gfn[rnd_below(FUZZ_SAC_PAGES)];
	case 1:
		return fm.nr_pages + rnd_below(64);
	case 2:
		return rnd() >> (rnd() & 63) | (1ULL << 40);
	default:
		return fm.nr_pages + rnd_below(1ULL << 24);
	}
}

uint64_t v_pte(void)
{
	static const uint64_t flags[] = {
	    0x67, 0x65, 0x63, 0x61, 0x27,  0x25,  0x07,
	    0x05, 0x01, 0x00, 0xe7, 0x167, 0x865, 0x8000000000000065ULL};
	uint64_t f =
	    chance(4) ? rnd() & 0x8000000000000fffULL : flags[rnd_below(ARRAY_SIZE(flags))];

	if (chance(16)) {
		f |= 1ULL << (52 + rnd_below(11)); /* the available and reserved high bits */
	}
	return (v_mfn() << 12 & 0x000ffffffffff000ULL) | f;
}

uint64_t v_plausible(void)
{
	switch (rnd_below(12)) {
	case 0:
		return 0;
	case 1:
		return rnd_below(16);
	case 2:
		return v_port();
	case 3:
		return v_domid() | v_port() << 32;
	case 4:
		return v_count();
	case 5:
		return v_good_ptr();
	case 6:
		return v_bad_ptr();
	case 7:
		return v_mfn();
	case 8:
		return v_gfn();
	case 9:
		return v_pte();
	case 10:
		return (rnd() & 0xffffffff) | v_domid() << 32;
	default:
		return rnd();
	}
}

void fill_plausible(void *buf, unsigned int words)
{
	uint64_t *w = buf;
	unsigned int i;

	for (i = 0; i < words; i++) {
		if (gva(&w[i]) + 8 > fm.guard && gva(&w[i]) < fm.guard + PAGE) {
			break;
		}
		w[i] = v_plausible();
	}
}
