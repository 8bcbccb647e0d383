/*
 * A granted page between two boot-time domUs under the MLS policy, where
 * the domains' levels decide.  As in mls_evtchn.c the harness asks
 * libsepol what the policy says (guest-tests.list, sepol=) and passes the
 * answer on the command line; this guest checks the hypervisor does that:
 *
 *   grant peer=N ro|rw written=allow|deny
 *        Fills a page with a pattern and grants it to N as ref 8
 *        (read-only with ro), then stays until N is gone.  written=allow:
 *        N must have overwritten every byte (a writable mapping or a copy
 *        into the grant); deny: the page must be intact.  Either way ref 8
 *        must no longer be in use.
 *   map peer=N ro|rw expect=allow|deny
 *        Maps N's ref 8 (GNTMAP_host_map, read-only with ro).  allow:
 *        GNTST_okay, every byte read back, overwritten with rw, unmapped.
 *        deny: GNTST_permission_denied and the page-table entry unchanged.
 *   copy peer=N from|to expect=allow|deny
 *        GNTTABOP_copy of a whole page from N's ref 8 into an own frame
 *        (from) or from an own frame into N's ref 8 (to).  allow:
 *        GNTST_okay and (from) every byte arrived; deny:
 *        GNTST_permission_denied and (from) the own frame untouched.
 *
 * Until N has written its entry a map or copy is GNTST_general_error (an
 * entry without GTF_permit_access): the mapper retries while it gets that.
 * A refusal comes before the entry is looked at, so it is the first answer.
 * Each side prints one "mls_grant: ..." line the harness matches with the
 * AVC lines the hypervisor logged.
 */
#include <public/errno.h>

#include "evtchn_util.h"
#include "gnt_util.h"
#include "mls_util.h"
#include "sched_util.h"

#define REF 8
#define MAP_TRIES 2000000
#define UNTOUCHED 0xee

static uint8_t page[4096] __attribute__((aligned(4096)));

/* What the granter puts in its page, and what a writing peer puts there instead. */
static uint8_t pat_grant(unsigned i)
{
	return (uint8_t)(i * 7 + 3);
}

static uint8_t pat_peer(unsigned i)
{
	return (uint8_t)(i * 13 + 5);
}

static unsigned int bytes_wrong(volatile const uint8_t *p, uint8_t (*pat)(unsigned))
{
	unsigned int bad = 0;

	for (unsigned i = 0; i < 4096; i++) {
		bad += p[i] != pat(i);
	}
	return bad;
}

static void grant(domid_t peer, bool ro, bool written)
{
	uint64_t table_mfn;
	struct grant_entry_v1 *table = gnt_map_own_table(&table_mfn);
	uint16_t flags = GTF_permit_access | (ro ? GTF_readonly : 0);
	unsigned int bad;

	for (unsigned i = 0; i < 4096; i++) {
		page[i] = pat_grant(i);
	}
	gnt_set(&table[REF], flags, peer, (uint32_t)va_to_mfn(gva(page)));
	gprintf("mls_grant: ref %u (%s) granted to d%u\n", REF, ro ? "ro" : "rw", peer);
	mls_wait_gone(peer);
	test_check(gnt_flags(&table[REF]) == flags, "ref %u not in use once d%u is gone (%#x)", REF,
		   peer, gnt_flags(&table[REF]));
	bad = bytes_wrong(page, written ? pat_peer : pat_grant);
	test_check(bad == 0, "d%u gone: %u bytes of the page differ from %s", peer, bad,
		   written ? "the peer's pattern (the policy lets it write)"
			   : "what was granted (the policy lets nobody write)");
	/* What the page holds, whatever was expected: the harness matches this line. */
	gprintf("mls_grant: d%u gone; page %s, ref %u not in use\n", peer,
		!bytes_wrong(page, pat_peer)	? "written"
		: !bytes_wrong(page, pat_grant) ? "intact"
						: "garbled",
		REF);
	test_finish();
}

/* Free virtual page for the mapping: under the mm_util window (an own page, unused). */
static uint64_t map_va(void)
{
	return window_va - PAGE;
}

static long map_ref(domid_t peer, bool ro, grant_handle_t *h)
{
	struct gnttab_map_grant_ref op = {.host_addr = map_va(),
					  .flags = GNTMAP_host_map | (ro ? GNTMAP_readonly : 0),
					  .ref = REF,
					  .dom = peer};
	unsigned int tries;
	long rc;

	for (tries = 0; tries < MAP_TRIES; tries++) {
		op.status = 99;
		rc = gnt(GNTTABOP_map_grant_ref, &op, 1);
		if (rc) {
			return rc;
		}
		if (op.status != GNTST_general_error) {
			*h = op.handle;
			return op.status;
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_report(TEST_FAILURE, "d%u never granted ref %u", peer, REF);
}

static void map(domid_t peer, bool ro, bool allow)
{
	uint64_t va = map_va(), before = l1e_of(va);
	volatile uint8_t *p = (volatile uint8_t *)va;
	struct gnttab_unmap_grant_ref un = {.host_addr = va};
	const char *mode = ro ? "ro" : "rw";
	grant_handle_t h = 0xdead;
	long st = map_ref(peer, ro, &h);
	unsigned int bad;

	if (!allow) {
		test_check(st == GNTST_permission_denied,
			   "%s map of d%u's ref %u: %ld, the policy refuses it (%d)", mode, peer,
			   REF, st, GNTST_permission_denied);
		test_check(l1e_of(va) == before, "refused map: the entry at %#llx unchanged",
			   (unsigned long long)va);
		/* The outcome seen, not the one expected: the harness matches this line. */
		gprintf("mls_grant: map of d%u's ref %u %s: %s\n", peer, REF, mode,
			st == GNTST_permission_denied ? "deny" : "not refused");
		test_finish();
	}
	if (st != GNTST_okay) {
		test_report(TEST_FAILURE, "%s map of d%u's ref %u: %ld, the policy allows it", mode,
			    peer, REF, st);
	}
	test_check(!(l1e_of(va) & PTE_RW) == ro, "the mapping is %s (pte %#llx)", mode,
		   (unsigned long long)l1e_of(va));
	bad = bytes_wrong(p, pat_grant);
	test_check(bad == 0, "%u bytes of d%u's page read wrong through the mapping", bad, peer);
	if (!ro) {
		for (unsigned i = 0; i < 4096; i++) {
			p[i] = pat_peer(i);
		}
	}
	un.handle = h;
	test_check(gnt(GNTTABOP_unmap_grant_ref, &un, 1) == 0 && un.status == GNTST_okay,
		   "unmap: %d", un.status);
	test_check(!va_mapped(va), "the unmap cleared the entry");
	gprintf("mls_grant: map of d%u's ref %u %s: allow, page read%s\n", peer, REF, mode,
		ro ? "" : " and written");
	test_finish();
}

static void copy(domid_t peer, bool to, bool allow)
{
	struct gnttab_copy op = {.len = 4096};
	const char *dir = to ? "to" : "from";
	unsigned int tries;
	long st;

	for (unsigned i = 0; i < 4096; i++) {
		page[i] = to ? pat_peer(i) : UNTOUCHED;
	}
	if (to) {
		op.flags = GNTCOPY_dest_gref;
		op.source.domid = DOMID_SELF;
		op.source.u.gmfn = va_to_mfn(gva(page));
		op.dest.domid = peer;
		op.dest.u.ref = REF;
	} else {
		op.flags = GNTCOPY_source_gref;
		op.source.domid = peer;
		op.source.u.ref = REF;
		op.dest.domid = DOMID_SELF;
		op.dest.u.gmfn = va_to_mfn(gva(page));
	}
	for (tries = 0;; tries++) {
		st = gnt_copy1(&op);
		if (st != GNTST_general_error) {
			break;
		}
		if (tries == MAP_TRIES) {
			test_report(TEST_FAILURE, "d%u never granted ref %u", peer, REF);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	if (!allow) {
		test_check(st == GNTST_permission_denied,
			   "copy %s d%u's ref %u: %ld, the policy refuses it (%d)", dir, peer, REF,
			   st, GNTST_permission_denied);
		if (!to) {
			unsigned int changed = 0;

			for (unsigned i = 0; i < 4096; i++) {
				changed += page[i] != UNTOUCHED;
			}
			test_check(changed == 0, "refused copy: %u bytes of the own frame changed",
				   changed);
		}
		gprintf("mls_grant: copy %s d%u's ref %u: %s\n", dir, peer, REF,
			st == GNTST_permission_denied ? "deny" : "not refused");
		test_finish();
	}
	test_check(st == GNTST_okay, "copy %s d%u's ref %u: %ld, the policy allows it", dir, peer,
		   REF, st);
	if (!to) {
		unsigned int bad = bytes_wrong(page, pat_grant);

		test_check(bad == 0, "%u bytes of d%u's page copied wrong", bad, peer);
	}
	gprintf("mls_grant: copy %s d%u's ref %u: allow, 4096 bytes\n", dir, peer, REF);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t peer = 0;
	bool ro = mls_has(cmd, "ro"), rw = mls_has(cmd, "rw");

	if (!sched_arg(cmd, "peer", &peer) || peer >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs peer=DOMID on the command line");
	}
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "no window page");
	}
	if (mls_has(cmd, "grant") || mls_has(cmd, "map")) {
		if (ro == rw) {
			test_report(TEST_ERROR, "needs one of ro or rw on the command line");
		}
		if (mls_has(cmd, "grant")) {
			grant((domid_t)peer, ro, mls_expect(cmd, "written"));
		}
		map((domid_t)peer, ro, mls_expect(cmd, "expect"));
	}
	if (mls_has(cmd, "copy")) {
		bool to = mls_has(cmd, "to");

		if (to == mls_has(cmd, "from")) {
			test_report(TEST_ERROR, "copy needs one of from or to on the command line");
		}
		copy((domid_t)peer, to, mls_expect(cmd, "expect"));
	}
	test_report(TEST_ERROR, "needs grant, map or copy on the command line");
}
