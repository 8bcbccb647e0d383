/*
 * Two boot-time domUs and GNTTABOP_copy. One image plays either side,
 * chosen on the command line:
 *
 *   grant self=S peer=N [max=M]
 *       The table: query_size (1 frame of M), setup_table beyond M refused,
 *       2 frames given, set_version/get_version. Then grants N page A
 *       (ref 8, read-write) and page B (ref 9, read-only), ref 10 to a
 *       domain that is not N, and waits until N has filled page A with
 *       the final pattern; checks both pages byte for byte and that no
 *       in-use flag (GTF_reading/GTF_writing) is left on any entry.
 *   copy self=S peer=N
 *       Waits for the grant, then copies out of ref 8 and into it at
 *       every length and offset edge (0, 1, 4095, 4096, crossing the page
 *       end: GNTST_bad_copy_arg), checking every byte on both sides; a
 *       batch with per-op status; the read-only grant; hostile arguments
 *       (refs beyond the table, another grantee's ref, an unused entry,
 *       a grant naming a frame its granter does not own, a frame that is
 *       not the caller's, a bad domain, a frame named for another domain,
 *       a grant to itself and its revocation, bad counts and pointers);
 *       last, fills page A with the final pattern.
 *   refused self=S peer=N
 *       Under a policy that forbids the pair: a copy each way is
 *       GNTST_permission_denied (one AVC line each, checked by the
 *       harness), and nothing is copied.
 */
#include <public/errno.h>
#include <public/memory.h>

#include "gnt_util.h"
#include "sched_util.h"

#define REF_RW 8
#define REF_RO 9
#define REF_OTHER 10
#define REF_UNUSED 11
#define REF_SELF 12
#define REF_FOREIGN 13
/* A frame below 1 MiB: never a domain's (the hypervisor's or firmware's). */
#define HV_MFN 0x9fULL
#define WAIT_TRIES 2000000
#define WATCHDOG_S 15
/* The largest max= this test takes (its frame list has room for max + 1). */
#define GNTTAB_TEST_MAX 8

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t buf[4096] __attribute__((aligned(4096)));
static uint8_t src[4096] __attribute__((aligned(4096)));
static domid_t self_id, peer_id;

/* Page A's first content, page B's, the copier's source, page A's final content. */
static uint8_t pat_a(unsigned i)
{
	return (uint8_t)(i * 7 + 3);
}

static uint8_t pat_b(unsigned i)
{
	return (uint8_t)(i * 11 + 1);
}

static uint8_t pat_src(unsigned i)
{
	return (uint8_t)(i * 5 + 0x40);
}

static uint8_t pat_final(unsigned i)
{
	return (uint8_t)(i * 13 + 5);
}

static bool has_word(const char *cmd, const char *w)
{
	return runtime_has_word(cmd, w);
}

static void check_table(uint64_t max)
{
	struct gnttab_query_size qs = {.dom = DOMID_SELF};
	struct gnttab_setup_table st = {.dom = DOMID_SELF};
	struct gnttab_set_version sv;
	struct gnttab_get_version gv = {.dom = DOMID_SELF};
	uint64_t frames[GNTTAB_TEST_MAX + 1] = {0};
	long rc;

	rc = gnt(GNTTABOP_query_size, &qs, 1);
	test_check(rc == 0 && qs.status == GNTST_okay && qs.nr_frames == 1 &&
		       qs.max_nr_frames == max,
		   "query_size: 1 frame of %llu (rc %ld, status %d, %u of %u)",
		   (unsigned long long)max, rc, qs.status, qs.nr_frames, qs.max_nr_frames);
	st.frame_list = (uint64_t)(uintptr_t)frames;
	st.nr_frames = (uint32_t)max + 1;
	rc = gnt(GNTTABOP_setup_table, &st, 1);
	test_check(rc == 0 && st.status == GNTST_general_error,
		   "setup_table of max+1 frames: general_error (rc %ld, status %d)", rc, st.status);
	rc = gnt(GNTTABOP_setup_table, &st, 2);
	test_check(rc == -XEN_EINVAL, "setup_table with count 2: EINVAL (%ld)", rc);
	st.nr_frames = 2;
	rc = gnt(GNTTABOP_setup_table, &st, 1);
	test_check(rc == 0 && st.status == GNTST_okay && frames[0] && frames[1] &&
		       frames[0] != frames[1] && !frames[2],
		   "setup_table of 2 frames: two machine frames (rc %ld, status %d)", rc,
		   st.status);
	test_check(m2p[frames[0]] == ~0ULL && m2p[frames[1]] == ~0ULL,
		   "table frames are outside the physmap (M2P invalid)");
	rc = gnt(GNTTABOP_query_size, &qs, 1);
	test_check(rc == 0 && qs.nr_frames == 2, "query_size after setup: 2 frames (%u)",
		   qs.nr_frames);
	st.frame_list = 0x0000800000000000ULL;
	rc = gnt(GNTTABOP_setup_table, &st, 1);
	test_check(rc == -XEN_EFAULT, "setup_table to a non-canonical frame list: EFAULT (%ld)",
		   rc);
	st.dom = 0x7fe0;
	st.frame_list = (uint64_t)(uintptr_t)frames;
	rc = gnt(GNTTABOP_setup_table, &st, 1);
	test_check(rc == 0 && st.status == GNTST_bad_domain,
		   "setup_table for no domain: bad_domain (%ld, %d)", rc, st.status);
	sv.version = 2;
	rc = gnt(GNTTABOP_set_version, &sv, 1);
	test_check(rc == -XEN_ENOSYS && sv.version == 1,
		   "set_version 2: ENOSYS, version 1 back (%ld, %u)", rc, sv.version);
	sv.version = 3;
	rc = gnt(GNTTABOP_set_version, &sv, 1);
	test_check(rc == -XEN_EINVAL && sv.version == 1, "set_version 3: EINVAL (%ld, %u)", rc,
		   sv.version);
	sv.version = 1;
	rc = gnt(GNTTABOP_set_version, &sv, 1);
	test_check(rc == 0 && sv.version == 1, "set_version 1: 0 (%ld)", rc);
	gv.version = 7;
	rc = gnt(GNTTABOP_get_version, &gv, 1);
	test_check(rc == 0 && gv.version == 1, "get_version: 1 (%ld, %u)", rc, gv.version);
	gv.dom = 0x7fe0;
	rc = gnt(GNTTABOP_get_version, &gv, 1);
	test_check(rc == -XEN_ESRCH, "get_version of no domain: ESRCH (%ld)", rc);
	rc = gnt(GNTTABOP_transfer, NULL, 0);
	test_check(rc == -XEN_EOPNOTSUPP, "transfer: EOPNOTSUPP (%ld)", rc);
	rc = gnt(GNTTABOP_setup_table, &st, 0x80000000U);
	test_check(rc == -XEN_EINVAL, "a negative count: EINVAL (%ld)", rc);
	rc = gnt(GNTTABOP_query_size | (1U << 12), &qs, 1);
	test_check(rc == -XEN_EINVAL, "bits above the sub-op: EINVAL (%ld)", rc);
}

/*
 * The physmap sub-ops, as Xen 4.17 answers a PV (untranslated) domain:
 * decoded, the domain found, then -EACCES before any XSM check; a
 * reserved domain id there and in the reservation queries is -ESRCH.
 */
static void check_physmap(void)
{
	struct xen_add_to_physmap xatp = {
	    .domid = DOMID_SELF, .space = XENMAPSPACE_grant_table, .idx = 0, .gpfn = 0x100};
	struct xen_add_to_physmap_batch xb = {.domid = DOMID_SELF,
					      .space = XENMAPSPACE_grant_table};
	struct xen_remove_from_physmap xr = {.domid = DOMID_SELF, .gpfn = 0x100};
	long rc;

	rc = hypercall_memory_op(XENMEM_add_to_physmap, &xatp);
	test_check(rc == -XEN_EACCES, "add_to_physmap(grant_table) of a PV domain: EACCES (%ld)",
		   rc);
	rc = hypercall_memory_op(XENMEM_add_to_physmap | (1U << 6), &xatp);
	test_check(rc == -XEN_EACCES, "add_to_physmap continued at 1: EACCES (%ld)", rc);
	rc = hypercall_memory_op(XENMEM_add_to_physmap | (0x10000U << 6), &xatp);
	test_check(rc == -XEN_EDOM, "add_to_physmap continued beyond 16 bits: EDOM (%ld)", rc);
	rc = hypercall_memory_op(XENMEM_add_to_physmap, NULL);
	test_check(rc == -XEN_EFAULT, "add_to_physmap from NULL: EFAULT (%ld)", rc);
	xatp.space = XENMAPSPACE_gmfn_foreign;
	rc = hypercall_memory_op(XENMEM_add_to_physmap, &xatp);
	test_check(rc == -XEN_ENOSYS, "add_to_physmap(gmfn_foreign): ENOSYS (%ld)", rc);
	xatp.space = XENMAPSPACE_grant_table;
	xatp.domid = 0x7fe0;
	rc = hypercall_memory_op(XENMEM_add_to_physmap, &xatp);
	test_check(rc == -XEN_ESRCH, "add_to_physmap for no domain: ESRCH (%ld)", rc);
	rc = hypercall_memory_op(XENMEM_add_to_physmap_batch, &xb);
	test_check(rc == -XEN_EACCES, "add_to_physmap_batch of a PV domain: EACCES (%ld)", rc);
	xb.space = XENMAPSPACE_gmfn_range;
	rc = hypercall_memory_op(XENMEM_add_to_physmap_batch, &xb);
	test_check(rc == -XEN_EOPNOTSUPP, "add_to_physmap_batch(gmfn_range): EOPNOTSUPP (%ld)", rc);
	rc = hypercall_memory_op(XENMEM_remove_from_physmap, &xr);
	test_check(rc == -XEN_EACCES, "remove_from_physmap of a PV domain: EACCES (%ld)", rc);
	rc = hypercall_memory_op(XENMEM_remove_from_physmap | (1U << 6), &xr);
	test_check(rc == -XEN_EINVAL, "remove_from_physmap continued: EINVAL (%ld)", rc);
	xr.domid = 0x7fe0;
	rc = hypercall_memory_op(XENMEM_remove_from_physmap, &xr);
	test_check(rc == -XEN_ESRCH, "remove_from_physmap for no domain: ESRCH (%ld)", rc);
	/* A reserved id is no domain, as for Xen's rcu_lock_domain_by_any_id: no XSM check. */
	for (unsigned int i = 0; i < 2; i++) {
		domid_t id = i ? DOMID_IO : DOMID_XEN;

		xatp.domid = id;
		rc = hypercall_memory_op(XENMEM_add_to_physmap, &xatp);
		test_check(rc == -XEN_ESRCH, "add_to_physmap for d%#x: ESRCH (%ld)", id, rc);
		xr.domid = id;
		rc = hypercall_memory_op(XENMEM_remove_from_physmap, &xr);
		test_check(rc == -XEN_ESRCH, "remove_from_physmap for d%#x: ESRCH (%ld)", id, rc);
		rc = hypercall_memory_op(XENMEM_current_reservation, &id);
		test_check(rc == -XEN_ESRCH, "current_reservation of d%#x: ESRCH (%ld)", id, rc);
		rc = hypercall_memory_op(XENMEM_maximum_reservation, &id);
		test_check(rc == -XEN_ESRCH, "maximum_reservation of d%#x: ESRCH (%ld)", id, rc);
	}
}

static void grant(uint64_t max)
{
	struct grant_entry_v1 *t;
	uint64_t table_mfn, deadline;
	unsigned int i, tries;
	bool done = false;

	check_table(max);
	check_physmap();
	for (i = 0; i < 4096; i++) {
		page_a[i] = pat_a(i);
		page_b[i] = pat_b(i);
	}
	t = gnt_map_own_table(&table_mfn);
	gnt_set(&t[REF_RW], GTF_permit_access, peer_id, (uint32_t)va_to_mfn(gva(page_a)));
	gnt_set(&t[REF_RO], GTF_permit_access | GTF_readonly, peer_id,
		(uint32_t)va_to_mfn(gva(page_b)));
	gnt_set(&t[REF_OTHER], GTF_permit_access, (domid_t)(peer_id + 7),
		(uint32_t)va_to_mfn(gva(page_b)));
	gnt_set(&t[REF_FOREIGN], GTF_permit_access, peer_id, (uint32_t)HV_MFN);
	gprintf("gnt_copy: refs %u (rw) and %u (ro) granted to d%u\n", REF_RW, REF_RO, peer_id);
	/* A liveness watchdog far above any real answer time, not a measurement. */
	deadline = sched_now() + WATCHDOG_S * 1000 * MS;
	while (!done && sched_now() < deadline) {
		done = true;
		for (i = 0; i < 4096 && done; i++) {
			done = __atomic_load_n(&page_a[i], __ATOMIC_ACQUIRE) == pat_final(i);
		}
		if (!done) {
			hypercall_sched_op(SCHEDOP_yield, NULL);
		}
	}
	test_check(done, "d%u filled page A with the final pattern", peer_id);
	for (i = 0; i < 4096; i++) {
		if (page_b[i] != pat_b(i)) {
			break;
		}
	}
	test_check(i == 4096, "the read-only page B is unchanged (first difference at %u)", i);
	/* The last copy's data lands before its pin goes: give the unpin a moment on SMP. */
	for (tries = 0; tries < WAIT_TRIES; tries++) {
		for (i = 0; i < GNT_PER_FRAME; i++) {
			if (gnt_flags(&t[i]) & (GTF_reading | GTF_writing)) {
				break;
			}
		}
		if (i == GNT_PER_FRAME) {
			break;
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_check(i == GNT_PER_FRAME, "no in-use flag left on any entry (entry %u: %#x)", i,
		   i < GNT_PER_FRAME ? gnt_flags(&t[i]) : 0);
	gprintf("gnt_copy: page A filled by d%u, page B intact, no entry in use\n", peer_id);
	test_finish();
}

static struct gnttab_copy from_ref(grant_ref_t ref, domid_t dom, uint16_t soff, uint16_t doff,
				   uint16_t len)
{
	struct gnttab_copy op = {.len = len, .flags = GNTCOPY_source_gref};

	op.source.u.ref = ref;
	op.source.domid = dom;
	op.source.offset = soff;
	op.dest.u.gmfn = va_to_mfn(gva(buf));
	op.dest.domid = DOMID_SELF;
	op.dest.offset = doff;
	return op;
}

static struct gnttab_copy to_ref(grant_ref_t ref, domid_t dom, uint16_t soff, uint16_t doff,
				 uint16_t len)
{
	struct gnttab_copy op = {.len = len, .flags = GNTCOPY_dest_gref};

	op.source.u.gmfn = va_to_mfn(gva(src));
	op.source.domid = DOMID_SELF;
	op.source.offset = soff;
	op.dest.u.ref = ref;
	op.dest.domid = dom;
	op.dest.offset = doff;
	return op;
}

static void wait_for_grant(void)
{
	unsigned int tries;

	for (tries = 0; tries < WAIT_TRIES; tries++) {
		struct gnttab_copy op = from_ref(REF_RW, peer_id, 0, 0, 1);
		long st = gnt_copy1(&op);

		if (st == GNTST_okay) {
			gprintf("gnt_copy: ref %u of d%u usable after %u tries\n", REF_RW, peer_id,
				tries);
			return;
		}
		/* Before the entry is written it names nobody: general_error, nothing else. */
		if (st != GNTST_general_error) {
			test_report(TEST_FAILURE, "copy from the unwritten ref %u: %ld", REF_RW,
				    st);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_report(TEST_FAILURE, "d%u never granted ref %u", peer_id, REF_RW);
}

struct edge {
	uint16_t off, len;
	int16_t status;
};

/* Offsets and lengths at the page's edges; the last ones cross its end. */
static const struct edge edges[] = {
    {0, 0, GNTST_okay},
    {0, 1, GNTST_okay},
    {0, 4095, GNTST_okay},
    {0, 4096, GNTST_okay},
    {1, 4095, GNTST_okay},
    {4095, 1, GNTST_okay},
    {4096, 0, GNTST_okay},
    {2048, 2048, GNTST_okay},
    {1, 4096, GNTST_bad_copy_arg},
    {4095, 2, GNTST_bad_copy_arg},
    {4096, 1, GNTST_bad_copy_arg},
    {0, 4097, GNTST_bad_copy_arg},
    {0xffff, 0xffff, GNTST_bad_copy_arg},
};
#define NR_EDGES (sizeof(edges) / sizeof(edges[0]))

/* Out of ref 8: the granted bytes land exactly at the destination offset, nothing else moves. */
static void copy_out_edges(void)
{
	for (unsigned int k = 0; k < NR_EDGES; k++) {
		const struct edge *e = &edges[k];
		/* The same offset on the other side too: a crossing on either side is refused. */
		for (unsigned int side = 0; side < 2; side++) {
			uint16_t soff = side ? 0 : e->off, doff = side ? e->off : 0;
			struct gnttab_copy op = from_ref(REF_RW, peer_id, soff, doff, e->len);
			unsigned int i, bad = 0;
			long st;

			memset(buf, 0xEE, sizeof(buf));
			st = gnt_copy1(&op);
			for (i = 0; i < 4096; i++) {
				bool in = e->status == GNTST_okay && i >= doff && i < doff + e->len;
				uint8_t want = in ? pat_a(soff + (i - doff)) : 0xEE;

				bad += buf[i] != want;
			}
			test_check(st == e->status && !bad,
				   "copy out of ref %u, %s offset %u len %u: status %ld (want %d), "
				   "%u bytes wrong",
				   REF_RW, side ? "dest" : "source", e->off, e->len, st, e->status,
				   bad);
		}
	}
}

/* Into ref 8, each checked by reading the whole granted page back. */
static void copy_in_edges(void)
{
	uint8_t shadow[4096];

	for (unsigned int i = 0; i < 4096; i++) {
		shadow[i] = pat_a(i);
		src[i] = pat_src(i);
	}
	for (unsigned int k = 0; k < NR_EDGES; k++) {
		const struct edge *e = &edges[k];

		for (unsigned int side = 0; side < 2; side++) {
			uint16_t soff = side ? e->off : 0, doff = side ? 0 : e->off;
			struct gnttab_copy op = to_ref(REF_RW, peer_id, soff, doff, e->len);
			struct gnttab_copy back = from_ref(REF_RW, peer_id, 0, 0, 4096);
			unsigned int i, bad = 0;
			long st = gnt_copy1(&op);

			if (st == GNTST_okay && e->status == GNTST_okay) {
				for (i = 0; i < e->len; i++) {
					shadow[doff + i] = pat_src(soff + i);
				}
			}
			memset(buf, 0, sizeof(buf));
			test_check(gnt_copy1(&back) == GNTST_okay, "read back of ref %u", REF_RW);
			for (i = 0; i < 4096; i++) {
				bad += buf[i] != shadow[i];
			}
			test_check(st == e->status && !bad,
				   "copy into ref %u, %s offset %u len %u: status %ld (want %d), "
				   "%u bytes wrong",
				   REF_RW, side ? "source" : "dest", e->off, e->len, st, e->status,
				   bad);
		}
	}
}

/* One call, many ops: each op gets its own status; the good ones are done. */
static void batch(void)
{
	static struct gnttab_copy ops[64];
	unsigned int i, bad = 0;
	long rc;

	for (i = 0; i < 64; i++) {
		ops[i] = from_ref(i % 4 == 3 ? 2 * GNT_PER_FRAME : REF_RW, peer_id, 0,
				  (uint16_t)(i * 64), 64);
		ops[i].status = 99;
	}
	memset(buf, 0xEE, sizeof(buf));
	rc = gnt(GNTTABOP_copy, ops, 64);
	for (i = 0; i < 64; i++) {
		int16_t want = i % 4 == 3 ? GNTST_bad_gntref : GNTST_okay;

		if (ops[i].status != want) {
			bad++;
		}
		for (unsigned int j = 0; j < 64; j++) {
			uint8_t w = want == GNTST_okay ? pat_a(j) : 0xEE;

			if (buf[i * 64 + j] != w) {
				bad++;
				break;
			}
		}
	}
	test_check(rc == 0 && !bad, "a batch of 64 (every 4th beyond the table): rc %ld, %u wrong",
		   rc, bad);
}

/*
 * A batch longer than the hypervisor does in one call (256 ops): it goes on
 * in continuations, and every op, on either side of each boundary, gets its
 * own status and does exactly its own copy.
 */
#define LONG_BATCH 1000

static void long_batch(void)
{
	static struct gnttab_copy ops[LONG_BATCH];
	unsigned int i, j, bad = 0, first_bad = ~0U;
	long rc;

	for (i = 0; i < LONG_BATCH; i++) {
		bool ok = i % 7 != 3;

		ops[i] = from_ref(ok ? REF_RW : 2 * GNT_PER_FRAME, peer_id, (uint16_t)(i * 4),
				  (uint16_t)(i * 4), 4);
		ops[i].status = 99;
	}
	memset(buf, 0xEE, sizeof(buf));
	rc = gnt(GNTTABOP_copy, ops, LONG_BATCH);
	for (i = 0; i < LONG_BATCH; i++) {
		bool ok = i % 7 != 3;
		bool wrong = ops[i].status != (ok ? GNTST_okay : GNTST_bad_gntref);

		for (j = 0; j < 4; j++) {
			wrong |= buf[i * 4 + j] != (ok ? pat_a(i * 4 + j) : 0xEE);
		}
		if (wrong && first_bad == ~0U) {
			first_bad = i;
		}
		bad += wrong;
	}
	test_check(rc == 0 && !bad,
		   "a batch of %u (continued every 256): rc %ld, %u ops wrong, "
		   "first %u",
		   LONG_BATCH, rc, bad, first_bad);
}

static void read_only(void)
{
	struct gnttab_copy in = to_ref(REF_RO, peer_id, 0, 0, 16);
	struct gnttab_copy out = from_ref(REF_RO, peer_id, 0, 0, 4096);
	unsigned int i;
	long st;

	st = gnt_copy1(&in);
	test_check(st == GNTST_general_error, "copy into the read-only ref %u: general_error (%ld)",
		   REF_RO, st);
	st = gnt_copy1(&out);
	for (i = 0; i < 4096 && buf[i] == pat_b(i); i++) {
	}
	test_check(st == GNTST_okay && i == 4096, "copy out of the read-only ref %u: %ld, %u exact",
		   REF_RO, st, i);
}

static void expect(struct gnttab_copy op, long want, const char *what)
{
	long st = gnt_copy1(&op);

	test_check(st == want, "%s: %ld (want %ld)", what, st, want);
}

static void hostile(void)
{
	struct gnttab_copy op;
	struct grant_entry_v1 *t;
	uint64_t table_mfn;
	long rc;

	expect(from_ref(2 * GNT_PER_FRAME, peer_id, 0, 0, 8), GNTST_bad_gntref,
	       "ref just beyond the 2-frame table");
	expect(from_ref(0xffffffffU, peer_id, 0, 0, 8), GNTST_bad_gntref, "ref 0xffffffff");
	expect(from_ref(REF_OTHER, peer_id, 0, 0, 8), GNTST_general_error,
	       "ref granted to another domain");
	expect(from_ref(REF_UNUSED, peer_id, 0, 0, 8), GNTST_general_error, "unused entry");
	expect(from_ref(REF_RW, 0x7fe0, 0, 0, 8), GNTST_bad_domain, "no such domain");
	op = from_ref(REF_RW, peer_id, 0, 0, 8);
	op.flags = 0;
	op.source.u.gmfn = va_to_mfn(gva(src));
	expect(op, GNTST_permission_denied, "a frame named for another domain (no gref flag)");
	op = from_ref(REF_RW, peer_id, 0, 0, 8);
	op.dest.u.gmfn = 0;
	expect(op, GNTST_bad_page, "destination frame 0 (not the caller's)");
	op = to_ref(REF_RW, peer_id, 0, 0, 8);
	op.source.u.gmfn = HV_MFN;
	expect(op, GNTST_bad_page, "source frame of the hypervisor");
	expect(from_ref(REF_FOREIGN, peer_id, 0, 0, 8), GNTST_bad_page,
	       "a grant naming a frame that is not the granter's");
	op = from_ref(REF_RW, peer_id, 0, 0, 8);
	/* Its own L4 as the destination: a page table never takes the writable type. */
	op.dest.u.gmfn = l4_mfn();
	expect(op, GNTST_general_error, "its own L4 as the destination frame");

	/* A grant to itself is a grant like any other (Xen allows it). */
	t = gnt_map_own_table(&table_mfn);
	gnt_set(&t[REF_SELF], GTF_permit_access, self_id, (uint32_t)va_to_mfn(gva(src)));
	memset(buf, 0, sizeof(buf));
	op = from_ref(REF_SELF, self_id, 100, 200, 300);
	expect(op, GNTST_okay, "copy out of a grant to itself");
	test_check(buf[200] == pat_src(100) && buf[499] == pat_src(399) && buf[500] == 0,
		   "the grant to itself copied bytes 100..399 to 200..499");
	test_check(!(gnt_flags(&t[REF_SELF]) & (GTF_reading | GTF_writing)),
		   "the grant to itself is not in use afterwards (%#x)", gnt_flags(&t[REF_SELF]));
	gnt_set(&t[REF_SELF], GTF_invalid, 0, 0);
	expect(from_ref(REF_SELF, self_id, 0, 0, 8), GNTST_general_error, "a revoked grant");
	restore_window();

	rc = gnt(GNTTABOP_copy, NULL, 1);
	test_check(rc == -XEN_EFAULT, "copy with a NULL array: EFAULT (%ld)", rc);
	rc = gnt(GNTTABOP_copy, (void *)0x0000800000000000ULL, 1);
	test_check(rc == -XEN_EFAULT, "copy with a non-canonical array: EFAULT (%ld)", rc);
	rc = gnt(GNTTABOP_copy, &op, 0x80000000U);
	test_check(rc == -XEN_EINVAL, "copy with a negative count: EINVAL (%ld)", rc);
	{
		/* A huge count over one good op at the end of the mapped region: that op, then
		 * EFAULT. */
		struct gnttab_copy *last = (struct gnttab_copy *)(window_va + PAGE - sizeof(*last));

		*last = from_ref(REF_RW, peer_id, 0, 0, 4);
		last->status = 99;
		rc = gnt(GNTTABOP_copy, last, 0x7fffffffU);
		test_check(rc == -XEN_EFAULT && last->status == GNTST_okay,
			   "count 0x7fffffff over one op: EFAULT after it (%ld, status %d)", rc,
			   last->status);
	}
}

static void copier(void)
{
	struct gnttab_copy fin;
	long st;

	wait_for_grant();
	copy_out_edges();
	batch();
	long_batch();
	copy_in_edges();
	read_only();
	hostile();
	for (unsigned int i = 0; i < 4096; i++) {
		src[i] = pat_final(i);
	}
	fin = to_ref(REF_RW, peer_id, 0, 0, 4096);
	st = gnt_copy1(&fin);
	test_check(st == GNTST_okay, "the final pattern into ref %u: %ld", REF_RW, st);
	gprintf("gnt_copy: %u edges both ways, batch, read-only and hostile ops done\n",
		(unsigned int)NR_EDGES);
	test_finish();
}

static void refused(void)
{
	struct gnttab_copy out = from_ref(REF_RW, peer_id, 0, 0, 16);
	struct gnttab_copy in = to_ref(REF_RW, peer_id, 0, 0, 16);
	long st;

	memset(buf, 0xEE, sizeof(buf));
	st = gnt_copy1(&out);
	test_check(st == GNTST_permission_denied && buf[0] == 0xEE,
		   "copy out of d%u's grant: permission_denied (%ld)", peer_id, st);
	st = gnt_copy1(&in);
	test_check(st == GNTST_permission_denied, "copy into d%u's grant: permission_denied (%ld)",
		   peer_id, st);
	gprintf("gnt_copy: both copies with d%u refused\n", peer_id);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t self = 0, peer = 0, max = 64;

	if (!sched_arg(cmd, "self", &self) || !sched_arg(cmd, "peer", &peer) || !self || !peer ||
	    self >= DOMID_FIRST_RESERVED || peer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs self=DOMID peer=DOMID on the command line");
	}
	sched_arg(cmd, "max", &max);
	if (has_word(cmd, "grant") && (max < 2 || max > GNTTAB_TEST_MAX)) {
		test_report(TEST_ERROR, "max=%llu: this test needs 2..%u", (unsigned long long)max,
			    GNTTAB_TEST_MAX);
	}
	self_id = (domid_t)self;
	peer_id = (domid_t)peer;
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "no window page");
	}
	if (has_word(cmd, "grant")) {
		grant(max);
	} else if (has_word(cmd, "copy")) {
		copier();
	} else if (has_word(cmd, "refused")) {
		refused();
	}
	test_report(TEST_ERROR, "needs grant, copy or refused on the command line");
}
