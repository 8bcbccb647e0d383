/*
 * Grant mappings between two boot-time domUs. One image plays either side:
 *
 *   grant self=S peer=N [die=1]
 *       Grants N page A (ref 8, read-write) and page B (ref 9, read-only),
 *       ref 10 to another domain, ref 13 naming a frame that is not its
 *       own. Waits until N has written page A through its mapping, checks
 *       the in-use flags (8: reading and writing, 9: reading only), then
 *       signals N through page B. With die=1 it then powers off while N
 *       still maps both pages; else it waits for N's unmaps (N marks page
 *       A by a copy afterwards) and checks the flags are clear again. With
 *       N dying (map die=1) it waits until N's death clears them.
 *   map self=S peer=N [die=1]
 *       Maps ref 8 read-write and ref 9 read-only (GNTMAP_host_map at a
 *       virtual address), checks every byte of both, writes page A. After
 *       the signal: contains_pte with the guest's available bits,
 *       application_map, unmap_and_replace, a grant to itself revoked
 *       while mapped, the hostile arguments (refs beyond the table,
 *       another grantee's ref, a frame not the granter's, a read-only grant
 *       mapped writable, bad and reserved domain ids (every sub-op that
 *       takes one) and flags, unaligned, non-canonical
 *       and hypervisor addresses, a PTE address that is not an L1 entry,
 *       double unmap, unmap of a frame it does not map there, bad handles,
 *       huge counts), then unmaps and marks page A. With die=1 it powers
 *       off holding both mappings. If the granter died meanwhile, it checks
 *       both pages survived it, then unmaps them.
 *   refused self=S peer=N
 *       Under a policy that forbids the pair: mapping N's ref 8 is
 *       GNTST_permission_denied (one AVC line, checked by the harness).
 *   linger self=S peer=N
 *       Stays up a few seconds doing nothing: the live peer the refused
 *       cases need (a gone domain would be GNTST_bad_domain instead).
 */
#include <public/errno.h>

#include "evtchn_util.h"
#include "gnt_util.h"
#include "sched_util.h"

#define REF_A 8
#define REF_B 9
#define REF_OTHER 10
#define REF_SELF 12
#define REF_FOREIGN 13
#define HV_MFN 0x9fULL
#define WATCHDOG_S 15
/* How long a lingering peer stays up (guest time; nothing is measured). */
#define LINGER_S 2
#define GO 0x474f474f474f474fULL
#define GO_DIE 0x444945444945ULL
#define DONE 0x444f4e45444f4e45ULL
#define AVAIL_BITS 5U /* written as flags bits 16-18, read back as PTE bits 9-11 */

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_own[4096] __attribute__((aligned(4096)));
static domid_t self_id, peer_id;

static uint8_t pat_a(unsigned i)
{
	return (uint8_t)(i * 7 + 3);
}

static uint8_t pat_b(unsigned i)
{
	return (uint8_t)(i * 11 + 1);
}

static uint8_t pat_final(unsigned i)
{
	return (uint8_t)(i * 13 + 5);
}

/* Free virtual pages for mappings: the padding under the window (own pages, unused). */
static uint64_t slot_va(unsigned k)
{
	return window_va - (uint64_t)k * PAGE;
}

static bool wait_until(bool (*cond)(void))
{
	/* A liveness watchdog far above any real answer time, not a measurement. */
	uint64_t deadline = sched_now() + WATCHDOG_S * 1000 * MS;

	while (!cond()) {
		if (sched_now() > deadline) {
			return false;
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	return true;
}

static volatile uint8_t *map_a, *map_b;
static struct grant_entry_v1 *table;

static bool page_a_final(void)
{
	for (unsigned i = 8; i < 4096; i++) {
		if (__atomic_load_n(&page_a[i], __ATOMIC_ACQUIRE) != pat_final(i)) {
			return false;
		}
	}
	return true;
}

static bool page_a_done(void)
{
	return __atomic_load_n((uint64_t *)page_a, __ATOMIC_ACQUIRE) == DONE;
}

static uint32_t port;

static bool port_bound(void)
{
	struct evtchn_status st;

	return status(port, &st) == 0 && st.status == EVTCHNSTAT_interdomain;
}

/* The peer's end closed by its destruction: ours is unbound again. */
static bool port_unbound(void)
{
	struct evtchn_status st;

	return status(port, &st) == 0 && st.status == EVTCHNSTAT_unbound;
}

static bool flags_clear(void)
{
	return !(gnt_flags(&table[REF_A]) & (GTF_reading | GTF_writing)) &&
	       !(gnt_flags(&table[REF_B]) & (GTF_reading | GTF_writing));
}

static void grant(bool die, bool peer_dies)
{
	uint64_t table_mfn;
	unsigned int i;

	for (i = 0; i < 4096; i++) {
		page_a[i] = pat_a(i);
		page_b[i] = pat_b(i);
	}
	table = gnt_map_own_table(&table_mfn);
	gnt_set(&table[REF_A], GTF_permit_access, peer_id, (uint32_t)va_to_mfn(gva(page_a)));
	gnt_set(&table[REF_B], GTF_permit_access | GTF_readonly, peer_id,
		(uint32_t)va_to_mfn(gva(page_b)));
	gnt_set(&table[REF_OTHER], GTF_permit_access, (domid_t)(peer_id + 7),
		(uint32_t)va_to_mfn(gva(page_b)));
	gnt_set(&table[REF_FOREIGN], GTF_permit_access, peer_id, (uint32_t)HV_MFN);
	gprintf("gnt_map: refs %u (rw) and %u (ro) granted to d%u\n", REF_A, REF_B, peer_id);
	if (!wait_until(page_a_final)) {
		test_report(TEST_FAILURE, "d%u never wrote page A through its mapping", peer_id);
	}
	test_check(gnt_flags(&table[REF_A]) == (GTF_permit_access | GTF_reading | GTF_writing),
		   "ref %u while mapped read-write: permit|reading|writing (%#x)", REF_A,
		   gnt_flags(&table[REF_A]));
	test_check(gnt_flags(&table[REF_B]) == (GTF_permit_access | GTF_readonly | GTF_reading),
		   "ref %u while mapped read-only: permit|readonly|reading (%#x)", REF_B,
		   gnt_flags(&table[REF_B]));
	gprintf("gnt_map: d%u wrote page A through its mapping\n", peer_id);
	if (die) {
		/*
		 * A channel to N tells it when this domain is destroyed completely:
		 * its end goes back to unbound only once the teardown is over.
		 */
		struct evtchn_alloc_unbound au = {.dom = DOMID_SELF, .remote_dom = peer_id};
		struct evtchn_status st;

		test_check(ev(EVTCHNOP_alloc_unbound, &au) == 0, "alloc_unbound for d%u", peer_id);
		port = au.port;
		__atomic_store_n((uint64_t *)page_b + 1, port, __ATOMIC_RELEASE);
		__atomic_store_n((uint64_t *)page_b, GO_DIE, __ATOMIC_RELEASE);
		if (!wait_until(port_bound)) {
			test_report(TEST_FAILURE, "d%u never bound port %u", peer_id, port);
		}
		test_check(status(port, &st) == 0 && st.status == EVTCHNSTAT_interdomain,
			   "port %u bound by d%u", port, peer_id);
		gprintf("gnt_map: powering off while d%u maps two of my pages\n", peer_id);
		test_finish();
	}
	__atomic_store_n((uint64_t *)page_b, GO, __ATOMIC_RELEASE);
	if (peer_dies) {
		if (!wait_until(flags_clear)) {
			test_report(TEST_FAILURE, "d%u died but refs %u/%u stay in use (%#x, %#x)",
				    peer_id, REF_A, REF_B, gnt_flags(&table[REF_A]),
				    gnt_flags(&table[REF_B]));
		}
		test_check(page_a_final(), "page A intact after d%u's death", peer_id);
		gprintf("gnt_map: d%u died mapping my pages; the flags are clear\n", peer_id);
		test_finish();
	}
	if (!wait_until(page_a_done)) {
		test_report(TEST_FAILURE, "d%u never marked page A after its unmaps", peer_id);
	}
	/* The marking copy's data lands before its own pin goes: wait for that too. */
	test_check(wait_until(flags_clear), "refs %u and %u not in use after the unmaps (%#x, %#x)",
		   REF_A, REF_B, gnt_flags(&table[REF_A]), gnt_flags(&table[REF_B]));
	gprintf("gnt_map: d%u unmapped; no entry in use\n", peer_id);
	test_finish();
}

static struct gnttab_map_grant_ref map_op(uint64_t addr, uint32_t flags, grant_ref_t ref,
					  domid_t dom)
{
	struct gnttab_map_grant_ref op = {
	    .host_addr = addr, .flags = flags, .ref = ref, .dom = dom};

	op.status = 99;
	op.handle = 0xdead;
	return op;
}

static long map1(struct gnttab_map_grant_ref *op)
{
	long rc = gnt(GNTTABOP_map_grant_ref, op, 1);

	return rc ? rc : op->status;
}

static long unmap1(uint64_t addr, grant_handle_t h)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = addr, .handle = h, .status = 99};
	long rc = gnt(GNTTABOP_unmap_grant_ref, &op, 1);

	return rc ? rc : op.status;
}

static grant_handle_t must_map(uint64_t addr, uint32_t flags, grant_ref_t ref, domid_t dom,
			       const char *what)
{
	struct gnttab_map_grant_ref op = map_op(addr, flags, ref, dom);
	long st = map1(&op);

	if (st != GNTST_okay) {
		test_report(TEST_FAILURE, "%s: map of ref %u of d%u: %ld", what, ref, dom, st);
	}
	return op.handle;
}

static void expect_map(uint64_t addr, uint32_t flags, grant_ref_t ref, domid_t dom, long want,
		       const char *what)
{
	struct gnttab_map_grant_ref op = map_op(addr, flags, ref, dom);
	long st = map1(&op);

	test_check(st == want, "%s: %ld (want %ld)", what, st, want);
	if (st == GNTST_okay) {
		unmap1(addr, op.handle);
	}
}

static unsigned int bytes_wrong(volatile const uint8_t *p, uint8_t (*pat)(unsigned), unsigned from)
{
	unsigned int bad = 0;

	for (unsigned i = from; i < 4096; i++) {
		bad += p[i] != pat(i);
	}
	return bad;
}

static void contains_pte(uint64_t mfn_a)
{
	uint64_t va = slot_va(3), pte_ma = l1e_maddr(va), e;
	uint32_t flags =
	    GNTMAP_host_map | GNTMAP_contains_pte | (AVAIL_BITS << _GNTMAP_guest_avail0);
	grant_handle_t h = must_map(pte_ma, flags, REF_A, peer_id, "contains_pte");

	e = l1e_of(va);
	test_check((e & PTE_ADDR) >> 12 == mfn_a && ((e >> 9) & 7) == AVAIL_BITS && (e & PTE_RW),
		   "contains_pte: the entry maps the granted frame with the guest's available "
		   "bits %u (pte %#llx)",
		   AVAIL_BITS, (unsigned long long)e);
	test_check(bytes_wrong((volatile uint8_t *)va, pat_final, 8) == 0,
		   "contains_pte: page A reads back through the PTE mapping");
	test_check(unmap1(pte_ma + 4, h) == GNTST_general_error,
		   "contains_pte unmap at an unaligned PTE address: general_error");
	test_check(unmap1(pte_ma, h) == GNTST_okay, "contains_pte unmap");
	test_check(!va_mapped(va), "contains_pte unmap cleared the entry");
	test_check(map1(&(struct gnttab_map_grant_ref){
		       .host_addr = pte_ma + 4, .flags = flags, .ref = REF_A, .dom = peer_id}) ==
		       GNTST_general_error,
		   "contains_pte at an unaligned PTE address: general_error");
	test_check(map1(&(struct gnttab_map_grant_ref){.host_addr = va_to_mfn(gva(page_own)) << 12,
						       .flags = flags,
						       .ref = REF_A,
						       .dom = peer_id}) == GNTST_general_error,
		   "contains_pte at an address in a data page (not an L1): general_error");
}

static void application_and_replace(void)
{
	uint64_t va = slot_va(4), other = slot_va(5);
	grant_handle_t h = must_map(va, GNTMAP_host_map | GNTMAP_application_map, REF_A, peer_id,
				    "application_map");
	struct gnttab_unmap_and_replace r;
	uint64_t e;

	test_check((l1e_of(va) & PTE_US) && bytes_wrong((volatile uint8_t *)va, pat_final, 8) == 0,
		   "application_map: a user mapping of page A (pte %#llx)",
		   (unsigned long long)l1e_of(va));
	/* slot 5 maps a page of our own; unmap_and_replace moves that entry into slot 4. */
	test_check(
	    hypercall_update_va_mapping(other, pte_rw(va_to_mfn(gva(page_own))), UVMF_INVLPG) == 0,
	    "map an own page at the replacement address");
	page_own[0] = 0x5a;
	r = (struct gnttab_unmap_and_replace){.host_addr = va, .new_addr = other, .handle = h};
	test_check(gnt(GNTTABOP_unmap_and_replace, &r, 1) == 0 && r.status == GNTST_okay,
		   "unmap_and_replace: okay (%d)", r.status);
	e = l1e_of(va);
	test_check((e & PTE_ADDR) >> 12 == va_to_mfn(gva(page_own)) && !va_mapped(other) &&
		       *(volatile uint8_t *)va == 0x5a,
		   "unmap_and_replace: the own page now at the grant's address, its old one empty");
	test_check(unmap1(va, h) == GNTST_bad_handle, "unmap after unmap_and_replace: bad_handle");
}

static void self_grant_revoked(void)
{
	uint64_t va = slot_va(6), table_mfn;
	struct grant_entry_v1 *t = gnt_map_own_table(&table_mfn);
	grant_handle_t h;

	for (unsigned i = 0; i < 4096; i++) {
		page_own[i] = pat_a(i);
	}
	gnt_set(&t[REF_SELF], GTF_permit_access, self_id, (uint32_t)va_to_mfn(gva(page_own)));
	expect_map(va, GNTMAP_host_map, REF_SELF, DOMID_SELF, GNTST_bad_domain,
		   "map with DOMID_SELF (Xen wants a real id)");
	h = must_map(va, GNTMAP_host_map, REF_SELF, self_id, "grant to itself");
	test_check(gnt_flags(&t[REF_SELF]) == (GTF_permit_access | GTF_reading | GTF_writing),
		   "grant to itself mapped: reading|writing (%#x)", gnt_flags(&t[REF_SELF]));
	/* Revoked while mapped: the granter may write the entry, the mapping stays. */
	__atomic_store_n(&t[REF_SELF].flags, 0, __ATOMIC_RELEASE);
	test_check(bytes_wrong((volatile uint8_t *)va, pat_a, 0) == 0,
		   "the revoked grant's mapping still reads its page");
	/* As on Xen: while pinned the pin's view holds, so the same grantee may map it again. */
	expect_map(slot_va(7), GNTMAP_host_map, REF_SELF, self_id, GNTST_okay,
		   "a new map of the revoked grant while still pinned");
	test_check(unmap1(va, h) == GNTST_okay, "unmap of the revoked grant");
	test_check(gnt_flags(&t[REF_SELF]) == 0, "the revoked entry is left as written (%#x)",
		   gnt_flags(&t[REF_SELF]));
	expect_map(slot_va(7), GNTMAP_host_map, REF_SELF, self_id, GNTST_general_error,
		   "a map of the revoked grant once unpinned");
	restore_window();
}

/*
 * The reserved ids name no domain for a grant op: as Xen's
 * rcu_lock_domain_by_any_id finds none, every sub-op answers as for a
 * missing domain before any XSM check (the cases forbid every AVC line).
 */
static void reserved_domids(uint64_t va)
{
	static const domid_t ids[] = {DOMID_XEN, DOMID_IO, DOMID_COW, DOMID_INVALID, 0x7FFF};
	uint64_t frames[1];

	for (unsigned int i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct gnttab_setup_table st = {.dom = ids[i], .nr_frames = 1};
		struct gnttab_query_size qs = {.dom = ids[i]};
		struct gnttab_get_version gv = {.dom = ids[i]};
		struct gnttab_get_status_frames gs = {.dom = ids[i], .nr_frames = 1};
		struct gnttab_copy cp = {.len = 1};
		long rc;

		expect_map(va, GNTMAP_host_map, REF_A, ids[i], GNTST_bad_domain,
			   "map of a grant of a reserved domain id");
		frames[0] = 0;
		st.frame_list = gva(frames);
		rc = gnt(GNTTABOP_setup_table, &st, 1);
		test_check(rc == 0 && st.status == GNTST_bad_domain && !frames[0],
			   "setup_table of d%#x: %ld, status %d (want bad_domain), frame %#lx",
			   ids[i], rc, st.status, frames[0]);
		rc = gnt(GNTTABOP_query_size, &qs, 1);
		test_check(rc == 0 && qs.status == GNTST_bad_domain,
			   "query_size of d%#x: %ld, status %d (want bad_domain)", ids[i], rc,
			   qs.status);
		rc = gnt(GNTTABOP_get_version, &gv, 1);
		test_check(rc == -XEN_ESRCH, "get_version of d%#x: %ld (want -ESRCH)", ids[i], rc);
		gs.frame_list = gva(frames);
		rc = gnt(GNTTABOP_get_status_frames, &gs, 1);
		test_check(rc == 0 && gs.status == GNTST_bad_domain,
			   "get_status_frames of d%#x: %ld, status %d (want bad_domain)", ids[i],
			   rc, gs.status);
		/* Copy: the reserved id on either side, by grant reference. */
		cp.flags = GNTCOPY_source_gref;
		cp.source.u.ref = REF_A;
		cp.source.domid = ids[i];
		cp.dest.u.gmfn = va_to_mfn(gva(page_own));
		cp.dest.domid = DOMID_SELF;
		rc = gnt_copy1(&cp);
		test_check(rc == GNTST_bad_domain, "copy from d%#x: %ld (want bad_domain)", ids[i],
			   rc);
		cp.flags = GNTCOPY_dest_gref;
		cp.source.u.gmfn = va_to_mfn(gva(page_own));
		cp.source.domid = DOMID_SELF;
		cp.dest.u.ref = REF_A;
		cp.dest.domid = ids[i];
		rc = gnt_copy1(&cp);
		test_check(rc == GNTST_bad_domain, "copy to d%#x: %ld (want bad_domain)", ids[i],
			   rc);
	}
}

static void hostile(grant_handle_t ha)
{
	uint64_t va = slot_va(7);
	struct gnttab_map_grant_ref *last;
	long rc;

	expect_map(va, GNTMAP_host_map, GNT_PER_FRAME, peer_id, GNTST_bad_gntref,
		   "ref beyond the granter's table");
	expect_map(va, GNTMAP_host_map, 0xffffffffU, peer_id, GNTST_bad_gntref, "ref 0xffffffff");
	expect_map(va, GNTMAP_host_map, REF_OTHER, peer_id, GNTST_general_error,
		   "ref granted to another domain");
	expect_map(va, GNTMAP_host_map, REF_FOREIGN, peer_id, GNTST_bad_page,
		   "a grant naming a frame that is not the granter's");
	expect_map(va, GNTMAP_host_map, REF_B, peer_id, GNTST_general_error,
		   "the read-only grant mapped writable");
	expect_map(va, GNTMAP_host_map, REF_A, 0x7fe0, GNTST_bad_domain, "no such domain");
	reserved_domids(va);
	expect_map(va, 0, REF_A, peer_id, GNTST_bad_gntref, "neither host_map nor device_map");
	expect_map(va, GNTMAP_device_map, REF_A, peer_id, GNTST_general_error,
		   "device_map alone (no devices here)");
	expect_map(0x0000800000000000ULL, GNTMAP_host_map, REF_A, peer_id, GNTST_general_error,
		   "non-canonical host_addr");
	expect_map(0xffff800000000000ULL, GNTMAP_host_map, REF_A, peer_id, GNTST_general_error,
		   "host_addr in the hypervisor's hole");
	expect_map(0x0000100000000000ULL, GNTMAP_host_map, REF_A, peer_id, GNTST_general_error,
		   "host_addr without an L1 table");
	/* An unaligned virtual address maps its page, as on Xen. */
	expect_map(va + 123, GNTMAP_host_map, REF_A, peer_id, GNTST_okay,
		   "unaligned virtual host_addr");
	test_check(!va_mapped(va), "the unaligned mapping was unmapped");

	test_check(unmap1((uint64_t)slot_va(5), ha) == GNTST_general_error,
		   "unmap of a frame the caller does not map there: general_error");
	test_check(unmap1(va, 4000) == GNTST_bad_handle, "unmap of a handle never given");
	test_check(unmap1(va, 0xffffffffU) == GNTST_bad_handle, "unmap of handle 0xffffffff");
	rc = gnt(GNTTABOP_map_grant_ref, NULL, 1);
	test_check(rc == -XEN_EFAULT, "map with a NULL array: EFAULT (%ld)", rc);
	rc = gnt(GNTTABOP_unmap_grant_ref, (void *)0x0000800000000000ULL, 1);
	test_check(rc == -XEN_EFAULT, "unmap with a non-canonical array: EFAULT (%ld)", rc);
	rc = gnt(GNTTABOP_map_grant_ref, page_own, 0x80000000U);
	test_check(rc == -XEN_EINVAL, "map with a negative count: EINVAL (%ld)", rc);
	restore_window();
	last = (struct gnttab_map_grant_ref *)(window_va + PAGE - sizeof(*last));
	*last = map_op(va, GNTMAP_host_map, GNT_PER_FRAME, peer_id);
	rc = gnt(GNTTABOP_map_grant_ref, last, 0x7fffffffU);
	test_check(rc == -XEN_EFAULT && last->status == GNTST_bad_gntref,
		   "count 0x7fffffff over one op: EFAULT after it (%ld, status %d)", rc,
		   last->status);
}

static bool granter_gone(void)
{
	struct gnttab_copy op = {.len = 1, .flags = GNTCOPY_source_gref};

	op.source.u.ref = REF_A;
	op.source.domid = peer_id;
	op.dest.u.gmfn = va_to_mfn(gva(page_own));
	op.dest.domid = DOMID_SELF;
	return gnt_copy1(&op) == GNTST_bad_domain;
}

static bool signalled(void)
{
	uint64_t v = __atomic_load_n((volatile uint64_t *)map_b, __ATOMIC_ACQUIRE);

	return v == GO || v == GO_DIE;
}

static void mapper(bool die)
{
	uint64_t va_a = slot_va(1), va_b = slot_va(2), mfn_a;
	struct gnttab_map_grant_ref ops[2];
	struct gnttab_copy mark = {.len = 8, .flags = GNTCOPY_dest_gref};
	unsigned int tries;
	long rc = 0;

	/* Until the granter has written its entries, a map is general_error. */
	for (tries = 0;; tries++) {
		ops[0] = map_op(va_a, GNTMAP_host_map, REF_A, peer_id);
		ops[1] = map_op(va_b, GNTMAP_host_map | GNTMAP_readonly, REF_B, peer_id);
		rc = gnt(GNTTABOP_map_grant_ref, ops, 2);
		if (rc || ops[0].status != GNTST_general_error) {
			break;
		}
		if (ops[1].status == GNTST_okay) {
			unmap1(va_b, ops[1].handle);
		}
		if (tries == 2000000) {
			test_report(TEST_FAILURE, "d%u never granted ref %u", peer_id, REF_A);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	if (rc || ops[0].status != GNTST_okay || ops[1].status != GNTST_okay) {
		test_report(TEST_FAILURE, "map of refs %u and %u: %ld, %d, %d", REF_A, REF_B, rc,
			    ops[0].status, ops[1].status);
	}
	map_a = (volatile uint8_t *)va_a;
	map_b = (volatile uint8_t *)va_b;
	mfn_a = ops[0].dev_bus_addr >> 12;
	test_check(bytes_wrong(map_a, pat_a, 0) == 0 && bytes_wrong(map_b, pat_b, 0) == 0,
		   "both granted pages read byte for byte through the mappings");
	test_check(!(l1e_of(va_b) & PTE_RW) && (l1e_of(va_a) & PTE_RW),
		   "ref %u mapped writable, ref %u read-only", REF_A, REF_B);
	for (unsigned i = 8; i < 4096; i++) {
		map_a[i] = pat_final(i);
	}
	gprintf("gnt_map: wrote page A of d%u through the mapping\n", peer_id);
	if (!wait_until(signalled)) {
		test_report(TEST_FAILURE, "no signal from d%u in page B", peer_id);
	}
	if (die) {
		gprintf("gnt_map: powering off while mapping two pages of d%u\n", peer_id);
		test_finish();
	}
	if (*(volatile uint64_t *)map_b == GO_DIE) {
		struct evtchn_bind_interdomain b = {.remote_dom = peer_id};

		b.remote_port = (uint32_t)((volatile uint64_t *)map_b)[1];
		rc = ev(EVTCHNOP_bind_interdomain, &b);
		if (rc) {
			test_report(TEST_FAILURE, "bind to d%u port %u: %ld", peer_id,
				    b.remote_port, rc);
		}
		port = b.local_port;
		/* Unbound again only when d1 is destroyed, its memory torn down. */
		if (!wait_until(port_unbound) || !granter_gone()) {
			test_report(TEST_FAILURE, "d%u was not destroyed", peer_id);
		}
		test_check(bytes_wrong(map_a, pat_final, 8) == 0 &&
			       bytes_wrong(map_b, pat_b, 16) == 0,
			   "both pages survive d%u's death, intact", peer_id);
		map_a[100] = 0x77;
		test_check(unmap1(va_a, ops[0].handle) == GNTST_okay &&
			       unmap1(va_b, ops[1].handle) == GNTST_okay,
			   "unmaps of the dead domain's pages");
		gprintf("gnt_map: d%u's pages outlived it until unmapped\n", peer_id);
		test_finish();
	}
	contains_pte(mfn_a);
	application_and_replace();
	self_grant_revoked();
	hostile(ops[0].handle);
	test_check(unmap1(va_a, ops[0].handle) == GNTST_okay, "unmap of ref %u", REF_A);
	test_check(!va_mapped(va_a), "the unmap cleared the entry");
	test_check(unmap1(va_a, ops[0].handle) == GNTST_bad_handle, "double unmap: bad_handle");
	test_check(unmap1(va_b, ops[1].handle) == GNTST_okay, "unmap of ref %u", REF_B);
	*(uint64_t *)page_own = DONE;
	mark.source.u.gmfn = va_to_mfn(gva(page_own));
	mark.source.domid = DOMID_SELF;
	mark.dest.u.ref = REF_A;
	mark.dest.domid = peer_id;
	test_check(gnt_copy1(&mark) == GNTST_okay, "mark page A by a copy");
	gprintf("gnt_map: contains_pte, application_map, replace, self grant and hostile ops "
		"done\n");
	test_finish();
}

static void refused(void)
{
	struct gnttab_map_grant_ref op = map_op(slot_va(1), GNTMAP_host_map, REF_A, peer_id);
	long st = map1(&op);

	test_check(st == GNTST_permission_denied && va_mapped(slot_va(1)),
		   "map of d%u's grant: permission_denied, nothing mapped (%ld)", peer_id, st);
	gprintf("gnt_map: the map of d%u's grant was refused\n", peer_id);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t self = 0, peer = 0, die = 0, peer_dies = 0;

	if (!sched_arg(cmd, "self", &self) || !sched_arg(cmd, "peer", &peer) || !self || !peer ||
	    self >= DOMID_FIRST_RESERVED || peer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs self=DOMID peer=DOMID on the command line");
	}
	sched_arg(cmd, "die", &die);
	sched_arg(cmd, "peer_dies", &peer_dies);
	self_id = (domid_t)self;
	peer_id = (domid_t)peer;
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "no window page");
	}
	if (runtime_has_word(cmd, "grant")) {
		grant(die != 0, peer_dies != 0);
	} else if (runtime_has_word(cmd, "map")) {
		mapper(die != 0);
	} else if (runtime_has_word(cmd, "refused")) {
		refused();
	} else if (runtime_has_word(cmd, "linger")) {
		uint64_t until = sched_now() + LINGER_S * 1000 * MS;

		while (sched_now() < until) {
			hypercall_sched_op(SCHEDOP_yield, NULL);
		}
		gprintf("gnt_map: lingered\n");
		test_finish();
	}
	test_report(TEST_ERROR, "needs grant, map or refused on the command line");
}
