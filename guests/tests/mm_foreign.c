/*
 * Foreign mappings: a privileged domain (or a device model) acting on
 * another domain's memory, as a toolstack does when it builds a domain.
 * One image, its role chosen on the command line:
 *
 *   dom0 peer=N [pfd=E]   (as dom0) populates a frame for N at pfn MAGIC_PFN,
 *                  maps it writable with mmu_update (foreigndom N) and
 *                  read-only with update_va_mapping_otherdomain, writes a
 *                  greeting, reads N's answer, pins, unpins and gives back
 *                  a second frame of N, then tells N to die and checks the
 *                  frame it still maps keeps N's last words; unmapping it
 *                  frees it (the hypervisor logs the orphan's release).
 *                  With pfd=E, an update of N's own pinned L1 (foreigndom's
 *                  high half) must get -E (0: done, and read back).
 *   dm peer=N self=M third=K pin=0|1 errno=E   (as M, device model of N)
 *                  the same without the death: the reservation of N is not
 *                  its to read (FLASK gives a device model no mmu stat), so
 *                  extents are checked by their results and M2P entries;
 *                  pinning N's table succeeds only with pin=1 (dummy XSM;
 *                  Xen's policy gives a device model no mmuext_op); K, a
 *                  third domain, refuses mapping (-E) and populating.
 *   linger         stays alive a few seconds (the third domain), then ends.
 *   peer           the other side: finds the frame by its M2P entry (pfn
 *                  MAGIC_PFN), answers, and dies when told to.
 *   unpriv peer=N errno=E   an unprivileged domain naming N: mmu_update,
 *                  mmuext_op and update_va_mapping_otherdomain get -E,
 *                  a reservation change does nothing; its window is intact.
 */
#include "mm_util.h"
#include "sched_util.h"

#define MAGIC_PFN 0x7f000ULL
#define MAGIC_HELLO 0x48454c4c4f303030ULL
#define MAGIC_REPLY 0x5245504c59313131ULL
#define MAGIC_BYE 0x4259452d42594521ULL
#define CMD_DIE 0xdead
/* Liveness watchdog for the other side (far above any real wait; not a measurement). */
#define WAIT_S 20

struct shared {
	volatile uint64_t hello, reply, cmd, bye;
};

static uint64_t window2_va, window2_pte;
/* Whether the caller may read the other domain's reservation (dom0 yes, a device model no). */
static bool can_stat = true;

/* The other domain's reservation changed by delta since before (unknowable: true). */
static bool pages_moved(domid_t dom, long before, long delta)
{
	return !can_stat || hypercall_memory_op(XENMEM_current_reservation, &dom) == before + delta;
}

static bool has_word(const char *cmd, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = cmd; *p; p++) {
		if ((p == cmd || p[-1] == ' ') && !strncmp(p, w, n) && (!p[n] || p[n] == ' ')) {
			return true;
		}
	}
	return false;
}

static long reserve_on(domid_t dom, unsigned cmd, uint64_t *list, uint64_t n)
{
	struct xen_memory_reservation r = {
	    .extent_start = (uint64_t)(uintptr_t)list,
	    .nr_extents = n,
	    .domid = dom,
	};

	return hypercall_memory_op(cmd, &r);
}

static long pages_of(domid_t dom)
{
	return hypercall_memory_op(XENMEM_current_reservation, &dom);
}

static long mmu_on(domid_t dom, uint64_t ptr, uint64_t val)
{
	struct mmu_update u = {.ptr = ptr, .val = val};

	return hypercall_mmu_update(&u, 1, NULL, dom);
}

static long mmuext_on(domid_t dom, unsigned cmd, uint64_t mfn)
{
	struct mmuext_op op = {.cmd = cmd};

	op.arg1.mfn = mfn;
	return hypercall_mmuext_op(&op, 1, NULL, dom);
}

static long uvm_other(uint64_t va, uint64_t pte, domid_t dom)
{
	return HYPERCALL4(__HYPERVISOR_update_va_mapping_otherdomain, va, pte, UVMF_INVLPG,
			  (uint64_t)dom);
}

static bool overdue(uint64_t start)
{
	return sched_now() - start > WAIT_S * 1000 * MS;
}

static void wait_for(volatile uint64_t *p, uint64_t v, const char *what)
{
	uint64_t start = sched_now();

	while (*p != v) {
		if (overdue(start)) {
			test_report(TEST_FAILURE, "%s: never came (0x%llx)", what,
				    (unsigned long long)*p);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
}

/* The window's entry is what it was: a refusal left nothing behind. */
static uint64_t window_now;

static void check_window(const char *what)
{
	test_check(pte_same(*window_slot(), window_now), "%s: window entry intact (0x%llx)", what,
		   (unsigned long long)*window_slot());
}

static void init_windows(void)
{
	if (!mm_util_init()) {
		test_report(TEST_ERROR, "cannot find the window page");
	}
	window_now = window_pte;
	window2_va = window_va - PAGE;
	window2_pte = l1e_of(window2_va);
	if (!(window2_pte & PTE_P)) {
		test_report(TEST_ERROR, "no second window page");
	}
}

/* Maps a frame of dom at both windows: writable by mmu_update, read-only by va_mapping_other. */
static void map_both(domid_t dom, uint64_t mfn, struct shared **rw, const struct shared **ro)
{
	long rc = mmu_on(dom, l1e_maddr(window_va), pte_rw(mfn));

	if (rc) {
		test_report(TEST_FAILURE, "mmu_update maps d%u's mfn 0x%llx writable (%ld)", dom,
			    (unsigned long long)mfn, rc);
	}
	hypercall_mmuext_op(&(struct mmuext_op){.cmd = MMUEXT_TLB_FLUSH_LOCAL}, 1, NULL,
			    DOMID_SELF);
	rc = uvm_other(window2_va, (mfn << 12) | PTE_P | PTE_A, dom);
	if (rc) {
		test_report(TEST_FAILURE, "update_va_mapping_otherdomain maps it read-only (%ld)",
			    rc);
	}
	window_now = pte_rw(mfn);
	*rw = (struct shared *)window_va;
	*ro = (const struct shared *)window2_va;
}

static void unmap_both(void)
{
	test_check(hypercall_update_va_mapping(window_va, window_pte, UVMF_INVLPG) == 0 &&
		       hypercall_update_va_mapping(window2_va, window2_pte, UVMF_INVLPG) == 0,
		   "windows restored");
}

static uint64_t populate_one(domid_t dom, uint64_t pfn)
{
	uint64_t list[1] = {pfn};
	long before = can_stat ? pages_of(dom) : 0;
	long rc = reserve_on(dom, XENMEM_populate_physmap, list, 1);

	if (!(rc == 1 && pages_moved(dom, before, 1) && m2p[list[0]] == pfn)) {
		test_report(
		    TEST_FAILURE,
		    "populate_physmap on d%u: pfn 0x%llx -> mfn 0x%llx (%ld, %ld -> %ld pages)",
		    dom, (unsigned long long)pfn, (unsigned long long)list[0], rc, before,
		    can_stat ? pages_of(dom) : 0);
	}
	gprintf("mm_foreign: populated d%u's pfn 0x%llx with mfn 0x%llx\n", dom,
		(unsigned long long)pfn, (unsigned long long)list[0]);
	return list[0];
}

static void greet(domid_t peer, struct shared *rw, const struct shared *ro)
{
	rw->reply = 0;
	rw->cmd = 0;
	rw->hello = MAGIC_HELLO;
	test_check(ro->hello == MAGIC_HELLO, "the read-only mapping sees the write");
	wait_for(&((struct shared *)ro)->reply, MAGIC_REPLY, "the peer's reply");
	gprintf("mm_foreign: d%u answered through its frame\n", peer);
}

static void refusals_as_owner(domid_t self, uint64_t mfn)
{
	long rc;

	/* The frame is not the caller's: naming itself (or its own id) does not map it. */
	rc = mmu_on(DOMID_SELF, l1e_maddr(window_va), pte_rw(mfn));
	test_check(rc == -XEN_EPERM, "peer's frame as our own: -EPERM (%ld)", rc);
	rc = mmu_on(self, l1e_maddr(window_va), pte_rw(mfn));
	test_check(rc == -XEN_ESRCH, "own id as foreigndom: -ESRCH (%ld)", rc);
	rc = mmu_on(77, l1e_maddr(window_va), pte_rw(mfn));
	test_check(rc == -XEN_ESRCH, "a missing domain: -ESRCH (%ld)", rc);
	rc = uvm_other(window_va, pte_rw(mfn), 77);
	test_check(rc == -XEN_ESRCH, "update_va_mapping_otherdomain, missing domain: -ESRCH (%ld)",
		   rc);
	check_window("after the refusals");
}

/* -1: not asked; else the errno an update of the peer's own table must get (0: done). */
static long pfd_errno = -1;

/*
 * foreigndom's high half names the domain whose table is updated (Xen's
 * "PFD"): entry 5 of the peer's pinned L1 m2 gets a non-present value.
 * FLASK asks mmu remote_remap, which Xen's policy does not give dom0.
 */
static void remote_table(domid_t peer, uint64_t m2)
{
	struct mmu_update u = {.ptr = (m2 << 12) + 5 * 8, .val = 0xabc000};
	uint32_t fd = ((uint32_t)(peer + 1) << 16) | peer;
	const uint64_t *t;
	long rc;

	if (pfd_errno < 0) {
		return;
	}
	/* The runtime's wrapper takes a 16-bit domain id: the whole word goes in here. */
	rc = HYPERCALL4(__HYPERVISOR_mmu_update, &u, 1, NULL, fd);
	test_check(rc == -pfd_errno, "update of d%u's own L1 entry: %ld, want -%ld", peer, rc,
		   pfd_errno);
	rc = uvm_other(window2_va, (m2 << 12) | PTE_P | PTE_A, peer);
	test_check(rc == 0, "d%u's L1 mapped read-only (%ld)", peer, rc);
	t = (const uint64_t *)window2_va;
	test_check(t[5] == (pfd_errno ? 0 : 0xabc000ULL), "its entry 5 is 0x%llx",
		   (unsigned long long)t[5]);
	test_check(hypercall_update_va_mapping(window2_va, window2_pte, UVMF_INVLPG) == 0,
		   "second window restored");
	u.val = 0;
	rc = HYPERCALL4(__HYPERVISOR_mmu_update, &u, 1, NULL, ((uint32_t)(77 + 1) << 16) | peer);
	test_check(rc == -XEN_ESRCH, "tables of a missing domain: -ESRCH (%ld)", rc);
	if (!pfd_errno) {
		rc = HYPERCALL4(__HYPERVISOR_mmu_update, &u, 1, NULL, fd);
		test_check(rc == 0, "entry 5 cleared again (%ld)", rc);
	}
}

static void pin_foreign(domid_t peer, bool allowed)
{
	uint64_t m2 = populate_one(peer, MAGIC_PFN + 1), list[1];
	long before = can_stat ? pages_of(peer) : 0, rc;
	uint64_t *p;

	rc = uvm_other(window2_va, pte_rw(m2), peer);
	test_check(rc == 0, "second frame mapped to be cleared (%ld)", rc);
	p = (uint64_t *)window2_va;
	for (int i = 0; i < 512; i++) {
		p[i] = 0;
	}
	test_check(hypercall_update_va_mapping(window2_va, window2_pte, UVMF_INVLPG) == 0,
		   "second window restored");
	rc = mmuext_on(peer, MMUEXT_PIN_L1_TABLE, m2);
	if (!allowed) {
		test_check(rc == -XEN_EACCES, "pinning d%u's table refused: -EACCES (%ld)", peer,
			   rc);
	} else {
		test_check(rc == 0, "pinned d%u's mfn 0x%llx as an L1 (%ld)", peer,
			   (unsigned long long)m2, rc);
		rc = mmu_on(peer, l1e_maddr(window_va), pte_rw(m2));
		test_check(rc == -XEN_EINVAL, "a pinned table is never mapped writable (%ld)", rc);
		check_window("after the writable table");
		list[0] = m2;
		rc = reserve_on(peer, XENMEM_decrease_reservation, list, 1);
		test_check(rc == 0 && pages_moved(peer, before, 0) && m2p[m2] == MAGIC_PFN + 1,
			   "a pinned frame is not given back (%ld)", rc);
		remote_table(peer, m2);
		rc = mmuext_on(peer, MMUEXT_UNPIN_TABLE, m2);
		test_check(rc == 0, "unpinned (%ld)", rc);
	}
	list[0] = m2;
	rc = reserve_on(peer, XENMEM_decrease_reservation, list, 1);
	test_check(rc == 1 && pages_moved(peer, before, -1) && m2p[m2] != MAGIC_PFN + 1,
		   "decrease_reservation on d%u gives the frame back (%ld)", peer, rc);
}

/* Nothing on a domain that is not our target: mapping refused, populating does nothing. */
static void third_refused(domid_t third, uint64_t mfn, long err)
{
	uint64_t list[1] = {MAGIC_PFN};
	long rc = mmu_on(third, l1e_maddr(window_va), pte_rw(mfn));

	test_check(rc == -err, "mapping a frame of d%u (not our target): %ld, want -%ld", third, rc,
		   err);
	rc = uvm_other(window_va, pte_rw(mfn), third);
	test_check(rc == -err, "update_va_mapping_otherdomain on d%u: %ld", third, rc);
	rc = reserve_on(third, XENMEM_populate_physmap, list, 1);
	test_check(rc == 0 && list[0] == MAGIC_PFN, "populate on d%u does nothing (%ld)", third,
		   rc);
	check_window("after the third domain");
}

static void device_model(domid_t peer, domid_t self, domid_t third, bool may_pin, long err)
{
	struct shared *rw;
	const struct shared *ro;
	uint64_t mfn, list[1];
	long rc;

	can_stat = false;
	init_windows();
	third_refused(third, scratch_mfn(0), err);
	pin_foreign(peer, may_pin);
	mfn = populate_one(peer, MAGIC_PFN);
	map_both(peer, mfn, &rw, &ro);
	greet(peer, rw, ro);
	refusals_as_owner(self, mfn);
	list[0] = mfn;
	rc = reserve_on(peer, XENMEM_decrease_reservation, list, 1);
	test_check(rc == 0 && m2p[mfn] == MAGIC_PFN, "a mapped frame is not given back (%ld)", rc);
	rw->cmd = CMD_DIE;
	unmap_both();
	gprintf("mm_foreign: device model of d%u did what Xen allows\n", peer);
	test_finish();
}

static void linger(void)
{
	uint64_t end = sched_now() + 5000 * MS;

	while (sched_now() < end) {
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_finish();
}

/*
 * increase_reservation on the peer hands out a frame with no M2P entry;
 * MMU_MACHPHYS_UPDATE naming the peer sets it (and refuses our own frame);
 * decrease_reservation gives it back.
 */
static void machphys_foreign(domid_t peer)
{
	uint64_t list[1] = {0}, mine = va_to_mfn(window2_va);
	long before = pages_of(peer), rc = reserve_on(peer, XENMEM_increase_reservation, list, 1);

	test_check(rc == 1 && pages_of(peer) == before + 1,
		   "increase_reservation on d%u: mfn 0x%llx (%ld)", peer,
		   (unsigned long long)list[0], rc);
	rc = mmu_on(peer, (list[0] << 12) | MMU_MACHPHYS_UPDATE, MAGIC_PFN + 2);
	test_check(rc == 0 && m2p[list[0]] == MAGIC_PFN + 2,
		   "machphys update of d%u's frame: %ld, M2P 0x%llx", peer, rc,
		   (unsigned long long)m2p[list[0]]);
	rc = mmu_on(peer, (mine << 12) | MMU_MACHPHYS_UPDATE, MAGIC_PFN + 3);
	test_check(rc == -XEN_EINVAL && m2p[mine] != MAGIC_PFN + 3,
		   "machphys update of our own frame naming d%u: -EINVAL (%ld)", peer, rc);
	rc = reserve_on(peer, XENMEM_decrease_reservation, list, 1);
	test_check(rc == 1 && pages_of(peer) == before, "and given back (%ld)", rc);
}

static void privileged(domid_t peer)
{
	struct shared *rw;
	const struct shared *ro;
	uint64_t mfn, list[1];
	long rc, before;

	init_windows();
	/* First, while both windows are free: the second frame uses the second window. */
	pin_foreign(peer, true);
	machphys_foreign(peer);
	mfn = populate_one(peer, MAGIC_PFN);
	map_both(peer, mfn, &rw, &ro);
	greet(peer, rw, ro);
	refusals_as_owner(0, mfn);
	/* Still mapped by us: not given back. */
	before = pages_of(peer);
	list[0] = mfn;
	rc = reserve_on(peer, XENMEM_decrease_reservation, list, 1);
	test_check(rc == 0 && pages_of(peer) == before, "a mapped frame is not given back (%ld)",
		   rc);
	rw->cmd = CMD_DIE;
	/*
	 * Gone from the domain list first, then torn down: its M2P entries are
	 * cleared under the same lock that orphans the frame we still map.
	 */
	for (uint64_t start = sched_now(); pages_of(peer) >= 0 || m2p[mfn] == MAGIC_PFN;) {
		if (overdue(start)) {
			test_report(TEST_FAILURE, "d%u never went away", peer);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	test_check(ro->bye == MAGIC_BYE && rw->hello == MAGIC_HELLO,
		   "d%u is gone; its frame still reads its last words (0x%llx)", peer,
		   (unsigned long long)ro->bye);
	rw->hello = 1;
	test_check(ro->hello == 1, "and is still ours to write");
	gprintf("mm_foreign: d%u destroyed, its frame still mapped and intact\n", peer);
	unmap_both();
	gprintf("mm_foreign: unmapped the dead domain's frame\n");
	test_finish();
}

static void peer(void)
{
	uint64_t max = (uint64_t)hypercall_memory_op(XENMEM_maximum_ram_page, NULL), mfn = 0;
	struct shared *s;

	if (!mm_util_init()) {
		test_report(TEST_ERROR, "cannot find the window page");
	}
	for (uint64_t start = sched_now(); !mfn;) {
		for (uint64_t m = 0; m < max; m++) {
			if (m2p[m] == MAGIC_PFN &&
			    hypercall_update_va_mapping(window_va, pte_rw(m), UVMF_INVLPG) == 0) {
				mfn = m;
				break;
			}
		}
		if (overdue(start)) {
			test_report(TEST_FAILURE, "no frame at pfn 0x%llx", MAGIC_PFN);
		}
		hypercall_sched_op(SCHEDOP_yield, NULL);
	}
	s = (struct shared *)window_va;
	wait_for(&s->hello, MAGIC_HELLO, "the greeting");
	gprintf("mm_foreign: found the greeting in my mfn 0x%llx\n", (unsigned long long)mfn);
	s->bye = MAGIC_BYE;
	s->reply = MAGIC_REPLY;
	wait_for(&s->cmd, CMD_DIE, "the order to die");
	/* The window keeps mapping it: our teardown drops that, dom0's mapping stays. */
	test_finish();
}

static void unpriv(domid_t other, long err)
{
	uint64_t mine, list[1];
	long rc, own = pages_of(DOMID_SELF);

	init_windows();
	mine = scratch_mfn(0);
	rc = mmu_on(other, l1e_maddr(window_va), pte_rw(mine));
	test_check(rc == -err, "mmu_update naming d%u: %ld, want -%ld", other, rc, err);
	rc = mmu_on(other, (mine << 12) | MMU_MACHPHYS_UPDATE, 5);
	test_check(rc == -err, "machphys update naming d%u: %ld", other, rc);
	rc = mmuext_on(other, MMUEXT_PIN_L1_TABLE, mine);
	test_check(rc == -err, "mmuext_op naming d%u: %ld", other, rc);
	rc = uvm_other(window_va, pte_rw(mine), other);
	test_check(rc == -err, "update_va_mapping_otherdomain on d%u: %ld", other, rc);
	list[0] = MAGIC_PFN;
	rc = reserve_on(other, XENMEM_populate_physmap, list, 1);
	test_check(rc == 0 && list[0] == MAGIC_PFN, "populate_physmap on d%u: nothing done (%ld)",
		   other, rc);
	list[0] = mine;
	rc = reserve_on(other, XENMEM_decrease_reservation, list, 1);
	test_check(rc == 0, "decrease_reservation on d%u: nothing done (%ld)", other, rc);
	test_check(pages_of(DOMID_SELF) == own && m2p[mine] != 5, "own reservation and M2P intact");
	check_window("after the refused foreign calls");
	gprintf("mm_foreign: every foreign call on d%u refused\n", other);
	test_finish();
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	uint64_t other = 0, err = 0, self = 0, third = 0, pin = 0, pfd = 0;

	sched_arg(cmd, "peer", &other);
	sched_arg(cmd, "errno", &err);
	sched_arg(cmd, "self", &self);
	sched_arg(cmd, "third", &third);
	sched_arg(cmd, "pin", &pin);
	if (sched_arg(cmd, "pfd", &pfd)) {
		pfd_errno = (long)pfd;
	}
	if (has_word(cmd, "peer")) {
		peer();
	}
	if (has_word(cmd, "linger")) {
		linger();
	}
	if (!other || other >= DOMID_FIRST_RESERVED) {
		test_report(TEST_ERROR, "needs peer=DOMID on the command line");
	}
	if (has_word(cmd, "dom0")) {
		privileged((domid_t)other);
	} else if (has_word(cmd, "dm") && self && third && err) {
		device_model((domid_t)other, (domid_t)self, (domid_t)third, pin != 0, (long)err);
	} else if (has_word(cmd, "unpriv") && err) {
		unpriv((domid_t)other, (long)err);
	}
	test_report(TEST_ERROR,
		    "needs dom0, dm, linger, peer or unpriv errno=E on the command line");
}
