/*
 * dom0 seeds a boot-time domU's grant table, as Xen's domain builder seeds
 * a new domain's console and xenstore grants:
 *
 *   (dom0) gnt_seed dom=N
 *       setup_table on behalf of dN (2 frames), the first frame mapped
 *       with a foreign mmu_update (foreigndom N) and the reserved console
 *       and xenstore entries written there, granted to dom0; then a copy
 *       through the seeded console grant proves it real. query_size of dN
 *       is the policy's to refuse (dom0_t has grant setup on domU_t, not
 *       query: one AVC line). Waits for dN to finish.
 *   (domU) gnt_seed seeded
 *       Waits for the two entries to appear in its own table, checks the
 *       table has the 2 frames dom0 asked for, and that it may not ask
 *       dom0's table size (one AVC line).
 */
#include <public/errno.h>

#include "gnt_util.h"
#include "sched_util.h"

#define WATCHDOG_S 15

static uint8_t buf[4096] __attribute__((aligned(4096)));

static bool wait_for(bool (*cond)(void))
{
	/* A liveness watchdog, not a measurement. */
	uint64_t deadline = sched_now() + WATCHDOG_S * 1000 * MS;

	while (!cond()) {
		if (sched_now() > deadline) {
			return false;
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	return true;
}

static domid_t target;
static struct grant_entry_v1 *own;

static bool target_gone(void)
{
	struct gnttab_setup_table st = {.dom = target, .nr_frames = 0};

	return gnt(GNTTABOP_setup_table, &st, 1) == 0 && st.status == GNTST_bad_domain;
}

static void seeder(void)
{
	struct gnttab_setup_table st = {.dom = target, .nr_frames = 2};
	struct gnttab_query_size qs = {.dom = target};
	struct grant_entry_v1 *t;
	struct mmu_update u;
	struct gnttab_copy cp = {.len = 16, .flags = GNTCOPY_source_gref};
	uint64_t frames[2] = {0, 0};
	long rc;

	st.frame_list = (uint64_t)(uintptr_t)frames;
	rc = gnt(GNTTABOP_setup_table, &st, 1);
	test_check(rc == 0 && st.status == GNTST_okay && frames[0] && frames[1],
		   "setup_table of 2 frames for d%u: okay (%ld, %d)", target, rc, st.status);
	rc = gnt(GNTTABOP_query_size, &qs, 1);
	test_check(rc == 0 && qs.status == GNTST_permission_denied,
		   "query_size of d%u: refused by the policy (%ld, %d)", target, rc, qs.status);
	/* The frame is d's: a privileged foreign mmu_update maps it here. */
	u.ptr = l1e_maddr(window_va);
	u.val = pte_rw(frames[0]);
	rc = hypercall_mmu_update(&u, 1, NULL, target);
	if (rc) {
		test_report(TEST_FAILURE, "foreign map of d%u's table frame %#llx: %ld", target,
			    (unsigned long long)frames[0], rc);
	}
	t = (struct grant_entry_v1 *)window_va;
	gnt_set(&t[GNTTAB_RESERVED_XENSTORE], GTF_permit_access, 0, (uint32_t)frames[1]);
	gnt_set(&t[GNTTAB_RESERVED_CONSOLE], GTF_permit_access, 0, (uint32_t)frames[1]);
	restore_window();
	gprintf("gnt_seed: seeded d%u's console and xenstore grants\n", target);
	cp.source.u.ref = GNTTAB_RESERVED_CONSOLE;
	cp.source.domid = target;
	cp.dest.u.gmfn = va_to_mfn(gva(buf));
	cp.dest.domid = DOMID_SELF;
	rc = gnt_copy1(&cp);
	test_check(rc == GNTST_okay, "a copy through the seeded console grant: %ld", rc);
	if (!wait_for(target_gone)) {
		test_report(TEST_FAILURE, "d%u did not finish", target);
	}
	test_finish();
}

static bool seeded_entries(void)
{
	return gnt_flags(&own[GNTTAB_RESERVED_CONSOLE]) == GTF_permit_access &&
	       gnt_flags(&own[GNTTAB_RESERVED_XENSTORE]) == GTF_permit_access;
}

static void seeded(void)
{
	struct gnttab_query_size qs = {.dom = DOMID_SELF};
	uint64_t mfn;
	long rc;

	own = gnt_map_own_table(&mfn);
	if (!wait_for(seeded_entries)) {
		test_report(TEST_FAILURE, "dom0 never seeded the reserved entries");
	}
	test_check(own[GNTTAB_RESERVED_CONSOLE].domid == 0 &&
		       own[GNTTAB_RESERVED_XENSTORE].domid == 0,
		   "both reserved entries grant dom0");
	rc = gnt(GNTTABOP_query_size, &qs, 1);
	test_check(rc == 0 && qs.status == GNTST_okay && qs.nr_frames == 2,
		   "its table has the 2 frames dom0 set up (%ld, %u)", rc, qs.nr_frames);
	qs.dom = 0;
	rc = gnt(GNTTABOP_query_size, &qs, 1);
	test_check(rc == 0 && qs.status == GNTST_permission_denied,
		   "query_size of dom0's table: refused (%ld, %d)", rc, qs.status);
	restore_window();
	gprintf("gnt_seed: dom0 seeded my console and xenstore grants\n");
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t dom = 0;

	if (!mm_util_init()) {
		test_report(TEST_ERROR, "no window page");
	}
	if (runtime_has_word(cmd, "seeded")) {
		seeded();
	}
	if (!sched_arg(cmd, "dom", &dom) || !dom || dom >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs dom=DOMID or seeded on the command line");
	}
	target = (domid_t)dom;
	seeder();
}
