/*
 * Issue 11's grant-table benchmark, the guest half, written against Xen's
 * grant-table ABI v1 (public/grant_table.h); part of make bench
 * (tests/hv/bench/bench-gnttab) and run short by hv-qemu
 * bench-gnttab-short.
 *
 * Two boot-time domUs, the same image, the role on the command line:
 *
 *   grant peer=N [rounds=R]   d1: sets up a one-frame grant table (the PV
 *                             way: setup_table, then the frame mapped
 *                             with update_va_mapping, as Linux does),
 *                             grants NR_PAGES of its pages to N, each
 *                             holding a pattern, at refs FIRST_REF..,
 *                             offers N an event channel and waits until N
 *                             is done; then checks that no grant is left
 *                             in use (GTF_reading/GTF_writing clear) and
 *                             revokes them.
 *   map peer=N [rounds=R]     d2: binds, waits for "granted", measures,
 *                             says "done".
 *
 * The mapper measures, with rdtsc (TSC ticks are guest instructions under
 * -icount shift=0), for batches of 1, 16 and 256 ops per hypercall, R
 * rounds over all NR_PAGES refs after one warm-up round:
 *   - map+unmap: GNTTABOP_map_grant_ref (GNTMAP_host_map, writable) of the
 *     batch at NR_PAGES page-aligned addresses of ours, then
 *     GNTTABOP_unmap_grant_ref of the same: ticks per page;
 *   - copy: GNTTABOP_copy of 4096 bytes from the granted page (source by
 *     ref) into a page of ours (dest by gmfn, which is the mfn for PV):
 *     ticks per copy, to be set against the hypervisor's own memcpy of
 *     4 KiB ("bench: hypervisor memcpy of 4096 bytes" in the log).
 * Every op's status is checked; outside the timed loops a mapped page and
 * every copied page are checked against the granter's pattern.
 */
#include <public/grant_table.h>

#include "bench_evtchn_util.h"
#include "layout.h"

#define NR_PAGES 256
#define FIRST_REF GNTTAB_NR_RESERVED_ENTRIES
#define DEFAULT_ROUNDS 4
#define MAX_ROUNDS 1000
#define PTE_P 0x1ULL
#define PTE_RW 0x2ULL
#define PTE_A 0x20ULL
#define PTE_D 0x40ULL

static const unsigned int batches[] = {1, 16, 256};

/* The granter's granted pages; the mapper's host addresses for the maps. */
static uint8_t pages[NR_PAGES][4096] __attribute__((aligned(4096), section(".bss.page_aligned")));
/* The mapper's copy destinations. */
static uint8_t copies[NR_PAGES][4096] __attribute__((aligned(4096), section(".bss.page_aligned")));
/* Where the granter maps its grant-table frame. */
static uint8_t table_va[4096] __attribute__((aligned(4096), section(".bss.page_aligned")));

static struct gnttab_map_grant_ref map_ops[NR_PAGES];
static struct gnttab_unmap_grant_ref unmap_ops[NR_PAGES];
static struct gnttab_copy copy_ops[NR_PAGES];

static uint64_t pattern(unsigned int page, unsigned int word)
{
	return 0x6772616e74000000ULL ^ ((uint64_t)page << 16) ^ word;
}

/* Our machine frame of a page of the image (the p2m). */
static uint64_t mfn_of(const struct start_info *si, const void *va)
{
	uint64_t pfn = ((uint64_t)(uintptr_t)va - GUEST_VIRT_BASE) / 4096;

	return ((const uint64_t *)si->mfn_list)[pfn];
}

static void grant(const struct start_info *si, domid_t peer)
{
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = 1};
	struct grant_entry_v1 *gt = (struct grant_entry_v1 *)table_va;
	uint64_t frame = 0, *w;
	unsigned int i, k, left = 0;
	uint32_t port;
	long rc;

	st.frame_list = (uint64_t)(uintptr_t)&frame;
	rc = hypercall_grant_table_op(GNTTABOP_setup_table, &st, 1);
	if (rc || st.status != GNTST_okay || frame == 0) {
		test_report(TEST_FAILURE, "setup_table of 1 frame: rc %ld, status %d, frame %#llx",
			    rc, st.status, (unsigned long long)frame);
	}
	rc = hypercall_update_va_mapping((uint64_t)(uintptr_t)table_va,
					 frame << 12 | PTE_P | PTE_RW | PTE_A | PTE_D, UVMF_INVLPG);
	if (rc) {
		test_report(TEST_FAILURE, "mapping grant frame %#llx: %ld",
			    (unsigned long long)frame, rc);
	}
	for (i = 0; i < NR_PAGES; i++) {
		w = (uint64_t *)pages[i];
		for (k = 0; k < 512; k++) {
			w[k] = pattern(i, k);
		}
		gt[FIRST_REF + i].domid = peer;
		gt[FIRST_REF + i].frame = (uint32_t)mfn_of(si, pages[i]);
		/* The flags last: the entry is complete before it is valid. */
		__atomic_store_n(&gt[FIRST_REF + i].flags, (uint16_t)GTF_permit_access,
				 __ATOMIC_RELEASE);
	}
	port = bench_offer(peer);
	bench_send(port, "granted", 0);
	bench_wait(port);
	for (i = 0; i < NR_PAGES; i++) {
		uint16_t f = __atomic_load_n(&gt[FIRST_REF + i].flags, __ATOMIC_ACQUIRE);

		left += (f & (GTF_reading | GTF_writing)) != 0;
		__atomic_store_n(&gt[FIRST_REF + i].flags, (uint16_t)0, __ATOMIC_RELEASE);
	}
	test_check(left == 0, "no grant left in use after the mapper's unmaps (%u in use)", left);
	gprintf("bench_gnttab: %u pages granted to d%u and revoked\n", NR_PAGES, peer);
	test_finish();
}

/* Maps refs [first, first + n) of peer at pages[first..]: every status okay. */
static void map_batch(domid_t peer, unsigned int first, unsigned int n)
{
	unsigned int i;
	long rc;

	for (i = 0; i < n; i++) {
		map_ops[i].host_addr = (uint64_t)(uintptr_t)pages[first + i];
		map_ops[i].flags = GNTMAP_host_map;
		map_ops[i].ref = FIRST_REF + first + i;
		map_ops[i].dom = peer;
	}
	rc = hypercall_grant_table_op(GNTTABOP_map_grant_ref, map_ops, n);
	for (i = 0; i < n; i++) {
		if (rc || map_ops[i].status != GNTST_okay) {
			test_report(TEST_FAILURE, "map of ref %u (batch of %u): rc %ld, status %d",
				    FIRST_REF + first + i, n, rc, map_ops[i].status);
		}
		unmap_ops[i].host_addr = map_ops[i].host_addr;
		unmap_ops[i].dev_bus_addr = 0;
		unmap_ops[i].handle = map_ops[i].handle;
	}
}

static void unmap_batch(unsigned int n)
{
	unsigned int i;
	long rc = hypercall_grant_table_op(GNTTABOP_unmap_grant_ref, unmap_ops, n);

	for (i = 0; i < n; i++) {
		if (rc || unmap_ops[i].status != GNTST_okay) {
			test_report(TEST_FAILURE,
				    "unmap of handle %u (batch of %u): rc %ld, status %d",
				    unmap_ops[i].handle, n, rc, unmap_ops[i].status);
		}
	}
}

static void copy_batch(const struct start_info *si, domid_t peer, unsigned int first,
		       unsigned int n)
{
	unsigned int i;
	long rc;

	for (i = 0; i < n; i++) {
		memset(&copy_ops[i], 0, sizeof(copy_ops[i]));
		copy_ops[i].source.u.ref = FIRST_REF + first + i;
		copy_ops[i].source.domid = peer;
		copy_ops[i].dest.u.gmfn = mfn_of(si, copies[first + i]);
		copy_ops[i].dest.domid = DOMID_SELF;
		copy_ops[i].len = 4096;
		copy_ops[i].flags = GNTCOPY_source_gref;
	}
	rc = hypercall_grant_table_op(GNTTABOP_copy, copy_ops, n);
	for (i = 0; i < n; i++) {
		if (rc || copy_ops[i].status != GNTST_okay) {
			test_report(TEST_FAILURE,
				    "copy from ref %u (batch of %u): rc %ld, status %d",
				    FIRST_REF + first + i, n, rc, copy_ops[i].status);
		}
	}
}

static void check_page(const uint8_t *p, unsigned int page, const char *what)
{
	const uint64_t *w = (const uint64_t *)p;
	unsigned int k;

	for (k = 0; k < 512; k++) {
		if (w[k] != pattern(page, k)) {
			test_report(TEST_FAILURE, "%s of page %u: word %u is %#llx, not %#llx",
				    what, page, k, (unsigned long long)w[k],
				    (unsigned long long)pattern(page, k));
		}
	}
}

static void map(const struct start_info *si, domid_t peer, uint64_t rounds)
{
	uint32_t port = bench_bind(peer);
	unsigned int b, first, n, i;
	uint64_t r, t0 = 0, t;
	char what[48];

	bench_wait(port);
	/* One mapping read through, outside the timed loops. */
	map_batch(peer, 0, 1);
	check_page(pages[0], 0, "the mapping");
	unmap_batch(1);
	for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		n = batches[b];
		for (r = 0; r <= rounds; r++) {
			if (r == 1) {
				t0 = bench_tsc();
			}
			for (first = 0; first < NR_PAGES; first += n) {
				map_batch(peer, first, n);
				unmap_batch(n);
			}
		}
		t = bench_tsc() - t0;
		snprintf(what, sizeof(what), "map+unmap, batch %u, per page", n);
		bench_print("bench_gnttab", what, t, rounds * NR_PAGES);
	}
	for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		n = batches[b];
		memset(copies, 0, sizeof(copies));
		for (r = 0; r <= rounds; r++) {
			if (r == 1) {
				t0 = bench_tsc();
			}
			for (first = 0; first < NR_PAGES; first += n) {
				copy_batch(si, peer, first, n);
			}
		}
		t = bench_tsc() - t0;
		for (i = 0; i < NR_PAGES; i++) {
			check_page(copies[i], i, "the copy");
		}
		snprintf(what, sizeof(what), "copy 4096 bytes, batch %u, per copy", n);
		bench_print("bench_gnttab", what, t, rounds * NR_PAGES);
	}
	bench_send(port, "done", 0);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t peer = 0, rounds = DEFAULT_ROUNDS;

	if (!shared_info) {
		test_report(TEST_ERROR, "no shared_info mapping");
	}
	if (!sched_arg(cmd, "peer", &peer) || peer == 0 || peer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs peer=DOMID on the command line");
	}
	if (bench_has_key(cmd, "rounds") &&
	    (!sched_arg(cmd, "rounds", &rounds) || rounds == 0 || rounds > MAX_ROUNDS)) {
		test_report(TEST_ERROR, "rounds=N needs 1 <= N <= %u", MAX_ROUNDS);
	}
	shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	if (bench_has_word(cmd, "grant")) {
		grant(si, (domid_t)peer);
	} else if (bench_has_word(cmd, "map")) {
		map(si, (domid_t)peer, rounds);
	}
	test_report(TEST_ERROR, "needs grant or map on the command line");
}
