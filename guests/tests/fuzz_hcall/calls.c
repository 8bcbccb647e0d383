/*
 * One random hypercall: number, sub-op, arguments; the exclusions that keep
 * the fuzzer itself alive; the repairs after a call that may have replaced
 * its own trap table, callbacks, LDT, GDT or debug registers; and the
 * answers that are wrong whatever the arguments were.
 *
 * Excluded (rewritten into a harmless call, counted in fuzz_excluded),
 * because each would legitimately end, stall or corrupt the fuzzer (or
 * change a checker), not test the hypervisor:
 *   iret (23)                        jumps to a frame on the fuzzer's stack
 *   SCHEDOP_shutdown, _block         ends it; blocks with events enabled
 *   sched_op_compat 1, 2             the same two, old ABI
 *   SCHEDOP_poll with no timeout     may wait forever (a timeout is forced)
 *   SCHEDOP_watchdog with a timeout  kills it when the watchdog expires
 *   SCHEDOP_shutdown_code (readable)  would change how it ends (only bad pointers)
 *   SCHEDOP_remote_shutdown of itself  ends it
 *   VCPUOP_up                        runs a vcpu on a random context
 *   VCPUOP_down of vcpu 0            downing its last vcpu powers it off
 *   VCPUOP_send_nmi                  enters an NMI callback it may have garbled
 *   EVTCHNOP_alloc_unbound in another live domain  allowed by FLASK as on Xen:
 *                                    a checker would see a port it did not make
 *   a memory_op start extent past its argument pages  Xen reads and writes
 *                                    the list from there: its own variables
 * Own frames and virtual addresses handed to calls that write, free, give
 * away or remap them are only the ones the fuzzer keeps for that (the
 * "sacrificial" frames, the scratch pages): never its text, stack, page
 * tables or buffers. Other domains' frames are never excluded.
 */
#include <public/callback.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/xen.h>

#include "guest.h"

#include "fuzz.h"

#include "guests/tests/sched_util.h"

uint64_t fuzz_excluded;

extern const char event_callback_entry[], failsafe_callback_entry[];

/* A page only the hypervisor writes after register_vcpu_info moves vcpu_info there. */
static uint8_t vcpu_info_page[PAGE] __attribute__((aligned(4096)));
/* Where the runstate and time areas may be registered: written at any time. */
static uint8_t async_page[PAGE] __attribute__((aligned(4096)));

static unsigned int next_page;

/* Pages 0..FUZZ_ARG_PAGES-2 rotate; the last one (before the guard) is for lists that run into it.
 */
static uint8_t *take_page(void)
{
	return arg_page(next_page++ % (FUZZ_ARG_PAGES - 1));
}

/* n entries of size bytes that end exactly at the guard page: a longer count faults. */
static uint8_t *tail_list(unsigned int n, unsigned int size)
{
	return (uint8_t *)(uintptr_t)(fm.guard - (uint64_t)n * size);
}

static uint64_t scratch_va(void)
{
	return gva(fm.scratch) + rnd_below(FUZZ_SCRATCH_PAGES) * PAGE;
}

/* A virtual address to remap: the scratch pages, or one that must be refused. */
static uint64_t v_remap_va(void)
{
	switch (rnd_below(8)) {
	case 0:
		return v_bad_ptr() & ~0xfffULL;
	case 1:
		return fm.guard + PAGE * rnd_below(2); /* the guard, or above it */
	default:
		return scratch_va() + (chance(8) ? rnd_below(PAGE) : 0);
	}
}

/* Past the guard or the scratch pages, those are not to be remapped: the guard must stay a hole. */
static uint64_t tame_va(uint64_t va)
{
	uint64_t own_lo = 0xffffffff80000000ULL, own_hi = own_lo + fm.nr_pages * PAGE;
	uint64_t s = gva(fm.scratch);

	if (va >= s && va < s + FUZZ_SCRATCH_PAGES * PAGE) {
		return va;
	}
	if (va >= own_lo && va < own_hi) {
		fuzz_excluded++;
		return scratch_va();
	}
	return va;
}

/* A frame the call may write, free or give away: not one of its own in use. */
static uint64_t tame_mfn(uint64_t mfn)
{
	unsigned int i;

	if (!own_mfn(mfn)) {
		return mfn;
	}
	for (i = 0; i < FUZZ_SAC_PAGES; i++) {
		if (fm.sac_mfn[i] == mfn) {
			return mfn;
		}
	}
	fuzz_excluded++;
	return fm.sac_mfn[mfn % FUZZ_SAC_PAGES];
}

static uint64_t tame_gfn(uint64_t gfn)
{
	unsigned int i;

	if (gfn >= fm.nr_pages) {
		return gfn;
	}
	for (i = 0; i < FUZZ_SAC_PAGES; i++) {
		if (fm.sac_gfn[i] == gfn) {
			return gfn;
		}
	}
	fuzz_excluded++;
	return fm.sac_gfn[gfn % FUZZ_SAC_PAGES];
}

/*
 * A frame number a call may write, free, retype or give away. For a PV
 * domain a "gfn" is its mfn (decrease_reservation, init_control, copy), so
 * both readings are kept off its own frames in use.
 */
static uint64_t tame_frame(uint64_t x)
{
	return tame_mfn(tame_gfn(x));
}

static bool is_self(uint64_t domid)
{
	domid &= 0xffff;
	return domid == DOMID_SELF || domid == fm.self;
}

static uint32_t pick_subop(struct fuzz_call *c)
{
	unsigned int i, tries;

	if (chance(2)) {
		for (tries = 0; tries < 64; tries++) {
			i = (unsigned int)rnd_below(fuzz_nr_def_subops);
			if (fuzz_def_subops[i].nr == c->nr) {
				c->def_index = (int)i;
				return fuzz_def_subops[i].op;
			}
		}
	}
	if (chance(16)) {
		return (uint32_t)rnd();
	}
	if (c->nr == __HYPERVISOR_domctl && chance(16)) {
		return 1000 +
		       (uint32_t)rnd_below(4); /* Xen's debugger domctls (gdbsx), 1000..1003 */
	}
	return (uint32_t)rnd_below(fuzz_xen_subops(c->nr) + 4);
}

static uint64_t pick_nr(void)
{
	uint64_t nr;

	switch (rnd_below(20)) {
	case 0:
		/* Past the table: 64..255, or high bits set over a number >= 64. */
		switch (rnd_below(4)) {
		case 0:
			return 64 + rnd_below(192);
		case 1:
			return 0xffffffffULL;
		case 2:
			return ~0ULL;
		default:
			return (rnd() << 32) | (64 + rnd_below(0x7fffffc0));
		}
	case 1 ... 7:
		return rnd_below(FUZZ_NR_MAX);
	default:
		nr = fuzz_def_hypercalls[rnd_below(fuzz_nr_def_hypercalls)];
		return nr;
	}
}

/* ---- memory_op ---- */

static void build_reservation(struct fuzz_call *c, uint8_t *buf, bool tail_ok)
{
	struct xen_memory_reservation *r = (void *)buf;
	unsigned int n = 1 + (unsigned int)rnd_below(8), i;
	uint64_t *list;
	bool self;

	fill_plausible(buf, 8);
	r->domid = (uint16_t)(chance(2) ? DOMID_SELF : v_domid());
	self = is_self(r->domid);
	r->extent_order = (uint32_t)(chance(4) ? v_count() : rnd_below(3));
	r->mem_flags = (uint32_t)(chance(2) ? 0 : rnd());
	list = (uint64_t *)(tail_ok ? tail_list(n, 8) : take_page());
	r->nr_extents = tail_ok && chance(4) ? v_count() : n;
	if (chance(8)) {
		r->extent_start = v_bad_ptr();
	} else {
		r->extent_start = gva(list);
	}
	if (r->extent_start == 0) {
		r->extent_start = 0x18; /* no list: frames it could not see it gained */
	}
	for (i = 0; i < n; i++) {
		/* Its own frames only where it can lose them; the tail list cannot be read past. */
		list[i] = self ? tame_frame(chance(2) ? v_mfn() : v_gfn())
			       : (chance(2) ? v_foreign_mfn() : v_gfn());
	}
}

/*
 * A continuation's start extent (cmd >> 6) moves the list: the hypervisor
 * reads, and for increase and populate writes back, entry after entry from
 * extent_start + start * 8 for as long as it can, as Xen does. Inside the
 * argument pages that runs into the guard; anywhere else in its own image
 * (past the guard and the spill page, past its page tables) it would write
 * frame numbers over the fuzzer's own variables. Such a start becomes 0:
 * the list is where the pointer says, as without a continuation.
 */
static void tame_start_extent(struct fuzz_call *c, const struct xen_memory_reservation *r)
{
	uint64_t own_lo = 0xffffffff80000000ULL, own_hi = own_lo + fm.nr_pages * PAGE;
	uint64_t start = c->a[0] >> 6, first = r->extent_start + start * 8;

	if (!start || (first >= gva(fm.arg) && first < fm.guard)) {
		return;
	}
	if (first >= own_lo && first < own_hi) {
		fuzz_excluded++;
		c->a[0] &= 0x3f;
	}
}

static void build_memory_op(struct fuzz_call *c, uint8_t *buf, bool tail_ok)
{
	uint32_t op = c->subop;

	c->a[0] =
	    op | (chance(8) ? rnd_below(1 << 10) << 6 : 0); /* the continuation's start extent */
	c->a[1] = chance(8) ? v_bad_ptr() : gva(buf);
	switch (op) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		build_reservation(c, buf, tail_ok);
		break;
	case XENMEM_exchange:
		build_reservation(c, buf, false);
		build_reservation(c, buf + 32, false);
		((uint64_t *)buf)[8] = chance(4) ? v_count() : 0;
		if (is_self(((struct xen_memory_reservation *)buf)->domid)) {
			uint64_t *in = (uint64_t *)(uintptr_t)((struct xen_memory_reservation *)buf)
					   ->extent_start;
			unsigned int i;

			for (i = 0; i < 8 && gva(in) >= gva(fm.arg) && gva(in) < fm.guard; i++) {
				in[i] = tame_frame(in[i]);
			}
			((struct xen_memory_reservation *)buf)->nr_extents &= 7;
		}
		break;
	case XENMEM_add_to_physmap: {
		struct xen_add_to_physmap *x = (void *)buf;

		fill_plausible(buf, 3);
		x->domid = (uint16_t)v_domid();
		x->space = (uint32_t)rnd_below(8);
		x->size = (uint16_t)v_count();
		x->idx = chance(2) ? rnd_below(64) : v_plausible();
		x->gpfn = is_self(x->domid) ? tame_frame(v_gfn()) : v_plausible();
		break;
	}
	case 23: { /* XENMEM_add_to_physmap_batch: domid, space, size, foreign domid, idxs, gpfns,
		      errs */
		uint16_t *h = (void *)buf;
		uint64_t *w = (void *)buf;
		uint64_t *gpfns = (uint64_t *)take_page();
		unsigned int i, n = 1 + (unsigned int)rnd_below(8);

		h[0] = (uint16_t)v_domid();
		h[1] = (uint16_t)rnd_below(8);
		h[2] = (uint16_t)(chance(4) ? v_count() : n);
		h[3] = (uint16_t)v_domid();
		w[1] = v_ptr();
		w[2] = chance(8) ? v_bad_ptr() : gva(gpfns);
		w[3] = v_ptr();
		for (i = 0; i < 512; i++) {
			gpfns[i] = is_self(h[0]) ? tame_frame(v_gfn()) : v_gfn();
		}
		break;
	}
	case XENMEM_remove_from_physmap: {
		struct xen_remove_from_physmap *x = (void *)buf;

		x->domid = (uint16_t)v_domid();
		x->gpfn = is_self(x->domid) ? tame_frame(v_gfn())
					    : (chance(2) ? rnd_below(fm.nr_pages) : v_gfn());
		break;
	}
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
	case XENMEM_maximum_gpfn:
		*(uint16_t *)buf = (uint16_t)v_domid();
		break;
	default:
		fill_plausible(buf, 16);
		break;
	}
	if ((op == XENMEM_increase_reservation || op == XENMEM_decrease_reservation ||
	     op == XENMEM_populate_physmap) &&
	    c->a[1] == gva(buf)) {
		tame_start_extent(c, (const struct xen_memory_reservation *)buf);
	}
}

/* ---- grant_table_op ---- */

/* Size of one element of a grant_table_op batch (Xen's structures; 16 for the unknown). */
static unsigned int grant_stride(uint32_t op)
{
	switch (op) {
	case GNTTABOP_map_grant_ref:
		return 32;
	case GNTTABOP_copy:
		return 40;
	case GNTTABOP_unmap_grant_ref:
	case GNTTABOP_setup_table:
	case GNTTABOP_transfer:
	case GNTTABOP_unmap_and_replace:
	case GNTTABOP_get_status_frames:
		return 24;
	default:
		return 16;
	}
}

static void build_grant_op(struct fuzz_call *c, uint8_t *buf, bool tail_ok)
{
	unsigned int n = 1 + (unsigned int)rnd_below(4), i, stride = grant_stride(c->subop);
	uint8_t *list = tail_ok && chance(4) ? tail_list(n, stride) : buf;

	c->a[0] = c->subop;
	c->a[1] = chance(8) ? v_bad_ptr() : gva(list);
	c->a[2] = list != buf ? v_count() : (chance(8) ? 0 : n);
	fill_plausible(list, n * stride / 8);
	for (i = 0; i < n; i++) {
		uint8_t *e = list + i * stride;

		switch (c->subop) {
		case GNTTABOP_map_grant_ref: {
			struct gnttab_map_grant_ref *m = (void *)e;

			m->flags = (uint32_t)(chance(4) ? rnd() : rnd_below(32));
			/* GNTMAP_contains_pte: host_addr is a machine address (not its own page
			 * tables). */
			m->host_addr = m->flags & 16 ? (tame_mfn(v_mfn()) << 12) | (rnd() & 0xff8)
						     : tame_va(v_remap_va());
			m->ref = (uint32_t)(chance(2) ? rnd_below(64) : v_count());
			m->dom = (uint16_t)v_domid();
			break;
		}
		case GNTTABOP_transfer: {
			struct gnttab_transfer *t = (void *)e;

			t->mfn = tame_frame(v_mfn());
			t->domid = (uint16_t)v_domid();
			t->ref = (uint32_t)rnd_below(64);
			break;
		}
		case GNTTABOP_copy: {
			struct gnttab_copy *cp = (void *)e;

			cp->flags = (uint16_t)(chance(8) ? rnd() : rnd_below(4));
			cp->source.domid = (uint16_t)v_domid();
			cp->dest.domid = (uint16_t)v_domid();
			cp->source.offset = (uint16_t)(chance(2) ? rnd_below(PAGE) : rnd());
			cp->dest.offset = (uint16_t)(chance(2) ? rnd_below(PAGE) : rnd());
			cp->len = (uint16_t)(chance(2) ? rnd_below(PAGE + 1) : rnd());
			cp->source.u.gmfn =
			    cp->flags & GNTCOPY_source_gref ? rnd_below(64) : v_mfn();
			/* A copy into a frame of its own lands in a sacrificial one. */
			cp->dest.u.gmfn =
			    cp->flags & GNTCOPY_dest_gref ? rnd_below(64) : tame_frame(v_mfn());
			if (!(cp->flags & GNTCOPY_dest_gref) && is_self(cp->dest.domid)) {
				cp->dest.u.gmfn = tame_frame(cp->dest.u.gmfn);
			}
			break;
		}
		case GNTTABOP_unmap_and_replace: {
			uint64_t *w = (void *)e;

			w[0] = tame_va(v_remap_va());
			w[1] = tame_va(v_remap_va());
			break;
		}
		case GNTTABOP_setup_table:
			*(uint16_t *)e = (uint16_t)v_domid();
			((uint32_t *)e)[1] = (uint32_t)(chance(2) ? rnd_below(8) : v_count());
			((uint64_t *)e)[2] = v_ptr();
			break;
		default:
			break;
		}
	}
}

/* ---- event_channel_op ---- */

static void build_evtchn_op(uint32_t op, uint8_t *buf)
{
	uint16_t *h = (void *)buf;
	uint32_t *w = (void *)buf;
	uint64_t *q = (void *)buf;

	fill_plausible(buf, 4);
	switch (op) {
	case EVTCHNOP_alloc_unbound:
		h[0] = (uint16_t)v_domid();
		h[1] = (uint16_t)v_domid();
		/*
		 * A port in another live domain's table: Xen's FLASK hook checks
		 * only that the caller may create the channel's label and that it
		 * may bind to the remote end, not the domain whose table it is, so
		 * under this policy the call succeeds and a checker sees a port it
		 * did not make. Kept to its own table: ids below 0x7fef may be live
		 * (0x7fef and the reserved ids still test "no such domain").
		 */
		if (h[0] < 0x7fef && !is_self(h[0])) {
			fuzz_excluded++;
			h[0] = DOMID_SELF;
		}
		break;
	case EVTCHNOP_bind_interdomain:
		h[0] = (uint16_t)v_domid();
		w[1] = (uint32_t)v_port();
		break;
	case EVTCHNOP_bind_virq:
		w[0] = (uint32_t)(chance(4) ? rnd() : rnd_below(24));
		w[1] = (uint32_t)(chance(4) ? rnd() : rnd_below(4));
		break;
	case EVTCHNOP_status:
		h[0] = (uint16_t)v_domid();
		w[1] = (uint32_t)v_port();
		break;
	case EVTCHNOP_bind_ipi:
		w[0] = (uint32_t)(chance(4) ? rnd() : rnd_below(4));
		break;
	case EVTCHNOP_bind_vcpu:
	case EVTCHNOP_set_priority:
		w[0] = (uint32_t)v_port();
		w[1] = (uint32_t)(chance(4) ? rnd() : rnd_below(4));
		break;
	case EVTCHNOP_reset:
		h[0] = (uint16_t)v_domid();
		break;
	case EVTCHNOP_init_control:
		/* The FIFO control block lives in a frame the hypervisor then writes. */
		q[0] = tame_frame(v_gfn());
		w[2] = (uint32_t)(chance(2) ? rnd_below(PAGE / 64) * 64 : rnd());
		w[3] = (uint32_t)(chance(4) ? rnd() : rnd_below(4));
		break;
	case EVTCHNOP_expand_array:
		q[0] = tame_frame(v_gfn());
		break;
	default: /* send, close, unmask, bind_pirq and the unknown: a port first */
		w[0] = (uint32_t)v_port();
		break;
	}
}

/* ---- vcpu_op ---- */

static void build_vcpu_op(struct fuzz_call *c, uint8_t *buf)
{
	uint64_t *q = (void *)buf;

	c->a[0] = c->subop;
	c->a[1] = chance(8) ? rnd() : rnd_below(4);
	c->a[2] = chance(8) ? v_unreadable_ptr() : gva(buf);
	fill_plausible(buf, 32);
	switch (c->subop) {
	case VCPUOP_up:
	case VCPUOP_send_nmi:
		c->a[0] = VCPUOP_is_up;
		fuzz_excluded++;
		break;
	case VCPUOP_down:
		if ((uint32_t)c->a[1] == 0) {
			c->a[0] = VCPUOP_is_up;
			fuzz_excluded++;
		}
		break;
	case VCPUOP_register_vcpu_info: {
		/* Its own frames: only the page kept for this. Another domain's: must be refused.
		 */
		uint64_t vi =
		    ((uint64_t *)(uintptr_t)
			 start_info->mfn_list)[(gva(vcpu_info_page) - 0xffffffff80000000ULL) >> 12];
		uint64_t m = v_mfn();

		q[0] = chance(2) || own_mfn(m) ? vi : m;
		((uint32_t *)buf)[2] = (uint32_t)(chance(2) ? rnd_below(PAGE / 64) * 64 : rnd());
		if (!own_mfn(q[0]) && fm.own_known) {
			c->oracle = ORACLE_FOREIGN_MAP;
			c->foreign = q[0];
		}
		break;
	}
	case VCPUOP_register_runstate_memory_area:
	case 13: /* VCPUOP_register_vcpu_time_memory_area */
		q[0] = chance(4) ? v_bad_ptr() : gva(async_page) + rnd_below(PAGE - 64);
		break;
	case VCPUOP_set_singleshot_timer:
	case VCPUOP_set_periodic_timer:
		q[0] = chance(2) ? rnd_below(1000000) : v_count();
		break;
	default:
		break;
	}
}

/* ---- sched_op ---- */

static void build_sched_op(struct fuzz_call *c, uint8_t *buf)
{
	uint32_t op = c->subop;

	c->a[0] = op;
	c->a[1] = chance(8) ? v_unreadable_ptr() : gva(buf);
	fill_plausible(buf, 4);
	switch (op) {
	case SCHEDOP_block:
	case SCHEDOP_shutdown:
		c->a[0] = SCHEDOP_yield;
		fuzz_excluded++;
		break;
	case SCHEDOP_poll: {
		struct sched_poll *p = (void *)buf;
		uint32_t *ports = (uint32_t *)take_page();
		unsigned int i;

		for (i = 0; i < 8; i++) {
			ports[i] = (uint32_t)v_port();
		}
		p->ports = chance(8) ? v_bad_ptr() : gva(ports);
		p->nr_ports = (uint32_t)(chance(2) ? rnd_below(9) : v_count());
		/* Never without a timeout: at most 100 us from now, or already past. */
		p->timeout = chance(2) ? 1 : sched_now() + rnd_below(100000);
		break;
	}
	case SCHEDOP_remote_shutdown:
		if (is_self(*(uint16_t *)buf)) {
			*(uint16_t *)buf = 0;
			fuzz_excluded++;
		}
		break;
	case SCHEDOP_shutdown_code:
		/* Only refused forms: a latched code would replace the reason of its own verdict.
		 */
		c->a[1] = v_unreadable_ptr();
		fuzz_excluded++;
		break;
	case SCHEDOP_watchdog:
		((uint32_t *)buf)[1] = 0;
		break;
	default:
		break;
	}
}

/* ---- mmu_update, mmuext_op, update_va_mapping, set_gdt, update_descriptor ---- */

static void build_mmu_update(struct fuzz_call *c, bool tail_ok)
{
	unsigned int n = 1 + (unsigned int)rnd_below(4), i;
	bool tail = tail_ok && chance(4);
	uint64_t *req = (uint64_t *)(tail ? tail_list(n, 16) : take_page());

	for (i = 0; i < n; i++) {
		/* Never an entry of its own page tables (a guess near its frames may name one). */
		uint64_t mfn = tame_mfn(v_mfn());

		req[2 * i] = (mfn << 12) | (rnd() & 0xff8) | (chance(4) ? rnd_below(8) : 0);
		req[2 * i + 1] = v_pte();
	}
	c->a[0] = chance(8) ? v_bad_ptr() : gva(req);
	c->a[1] = tail ? v_count() : (chance(8) ? v_count() & 0xffffffff : n);
	c->a[2] = chance(2) ? 0 : v_ptr();
	c->a[3] = chance(2) ? DOMID_SELF : v_domid();
	if (c->a[0] == gva(req) && (uint32_t)c->a[1] == n && fm.own_known) {
		for (i = 0; i < n; i++) {
			if (!own_mfn(req[2 * i] >> 12)) {
				c->oracle = ORACLE_FOREIGN_PT;
				c->foreign = req[2 * i] >> 12;
			}
		}
	}
}

static void build_mmuext_op(struct fuzz_call *c, bool tail_ok)
{
	unsigned int n = 1 + (unsigned int)rnd_below(3), i;
	bool tail = tail_ok && chance(4);
	uint64_t *op = (uint64_t *)(tail ? tail_list(n, 24) : take_page());
	uint32_t cmd = 0;

	for (i = 0; i < n; i++) {
		struct fuzz_call sub = {.nr = __HYPERVISOR_mmuext_op, .def_index = -1};

		cmd = pick_subop(&sub);
		if (i == 0) {
			c->subop = cmd;
			c->def_index = sub.def_index;
		}
		op[3 * i] = cmd | (chance(16) ? rnd() << 32 : 0);
		switch (cmd) {
		case MMUEXT_PIN_L1_TABLE ... MMUEXT_NEW_BASEPTR:
		case MMUEXT_NEW_USER_BASEPTR:
			op[3 * i + 1] =
			    chance(8)
				? ((uint64_t *)start_info
				       ->mfn_list)[((fm.pt_base - 0xffffffff80000000ULL) >> 12) +
						   rnd_below(fm.nr_pt_frames)]
				: v_mfn();
			/*
			 * Only its own L4: any other of its frames (one it may have pinned
			 * as an L4, valid for Xen) would end it. Once it has lost track of
			 * its frames, any guess may be one of them.
			 */
			if (cmd == MMUEXT_NEW_BASEPTR &&
			    (own_mfn(op[3 * i + 1]) || !fm.own_known)) {
				op[3 * i + 1] = fm.l4_mfn;
			}
			break;
		case MMUEXT_CLEAR_PAGE:
		case MMUEXT_COPY_PAGE:
		case MMUEXT_MARK_SUPER:
		case MMUEXT_UNMARK_SUPER:
			op[3 * i + 1] = tame_mfn(v_mfn());
			break;
		case MMUEXT_SET_LDT:
			op[3 * i + 1] = chance(2) ? v_good_ptr() & ~0xfffULL : v_bad_ptr();
			c->repair |= FIX_LDT;
			break;
		default:
			op[3 * i + 1] = chance(2) ? v_ptr() : v_plausible();
			break;
		}
		op[3 * i + 2] =
		    cmd == MMUEXT_COPY_PAGE ? v_mfn() : (chance(2) ? v_count() : v_ptr());
	}
	c->a[0] = chance(8) ? v_bad_ptr() : gva(op);
	c->a[1] = tail ? v_count() : n;
	c->a[2] = chance(2) ? 0 : v_ptr();
	c->a[3] = chance(2) ? DOMID_SELF : v_domid();
	c->repair |= FIX_LDT;
	/* The handler takes a 32-bit count: only one op, made, can be judged. */
	if ((uint32_t)c->a[1] == 1 && c->a[0] == gva(op) &&
	    (uint32_t)op[0] <= MMUEXT_PIN_L4_TABLE && fm.own_known && !own_mfn(op[1])) {
		c->oracle = ORACLE_FOREIGN_MAP;
		c->foreign = op[1];
	}
}

static void build_update_va(struct fuzz_call *c)
{
	uint64_t pte = v_pte(), pt;

	/*
	 * A scratch page over one of its own frames in use would let a later
	 * output into that page overwrite its text or stack: its own frames are
	 * the sacrificial ones here (a guess near its frames may name another).
	 */
	pte = (pte & ~0x000ffffffffff000ULL) | tame_mfn(pte >> 12 & 0xffffffffffULL) << 12;
	if (chance(16)) {
		/* One of its own page tables, writable: must be refused. */
		pt = ((uint64_t *)
			  start_info->mfn_list)[((fm.pt_base - 0xffffffff80000000ULL) >> 12) +
						rnd_below(fm.nr_pt_frames)];
		pte = (pt << 12) | 0x67;
	}
	c->a[0] = tame_va(v_remap_va());
	c->a[1] = pte;
	c->a[2] = chance(2) ? rnd_below(8) : (v_ptr() & ~7ULL) | rnd_below(3);
	if (c->nr == __HYPERVISOR_update_va_mapping_otherdomain) {
		c->a[3] = v_domid();
	}
	if ((pte & 1) && fm.own_known &&
	    (!own_mfn(pte >> 12 & 0xffffffffffULL) ||
	     ((pte & 2) && own_pt_mfn(pte >> 12 & 0xffffffffffULL)))) {
		c->oracle = ORACLE_FOREIGN_MAP;
		c->foreign = pte >> 12 & 0xffffffffffULL;
	}
}

static void build_set_gdt(struct fuzz_call *c)
{
	uint64_t *frames = (uint64_t *)take_page();
	unsigned int i;

	for (i = 0; i < 16; i++) {
		frames[i] = v_mfn();
	}
	c->a[0] = chance(8) ? v_bad_ptr() : gva(frames);
	c->a[1] = chance(2) ? rnd_below(16 * 512) : v_count();
	c->repair |= FIX_GDT;
	if (c->a[0] == gva(frames) && (uint32_t)c->a[1] > 0 && (uint32_t)c->a[1] <= 512 &&
	    fm.own_known && !own_mfn(frames[0])) {
		c->oracle = ORACLE_FOREIGN_MAP;
		c->foreign = frames[0];
	}
}

static void build_console(struct fuzz_call *c, uint8_t *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int n, i;

	c->a[0] = c->subop;
	if (c->subop == CONSOLEIO_write && chance(16)) {
		/* Readable text only: hex digits and a newline, never a word the harness looks for.
		 */
		n = 1 + (unsigned int)rnd_below(32);
		for (i = 0; i < n; i++) {
			buf[i] = (uint8_t)hex[rnd_below(16)];
		}
		buf[n] = '\n';
		c->a[1] = n + 1;
		c->a[2] = gva(buf);
	} else {
		c->a[1] = v_count();
		c->a[2] = c->subop == CONSOLEIO_write ? v_unreadable_ptr() : v_ptr();
	}
}

static void build_struct_op(struct fuzz_call *c, uint8_t *buf)
{
	uint32_t *w = (void *)buf;
	uint32_t version;

	switch (c->nr) {
	case __HYPERVISOR_xsm_op:
		version = 1;
		break;
	case __HYPERVISOR_platform_op:
		version = 0x03000001;
		break;
	default:
		version = 0x15;
		break;
	}
	fill_plausible(buf, 48);
	if (c->nr == __HYPERVISOR_event_channel_op_compat) {
		build_evtchn_op(c->subop, buf + 8);
	}
	w[0] = c->subop;
	w[1] = chance(4) ? (uint32_t)rnd() : version;
	if (c->nr == __HYPERVISOR_domctl) {
		*(uint16_t *)(buf + 8) = (uint16_t)v_domid();
	}
	c->a[0] = chance(8) ? v_bad_ptr() : gva(buf);
}

void call_build(struct fuzz_call *c, unsigned int depth)
{
	uint8_t *buf = take_page();
	unsigned int i;
	bool tail_ok = depth == 0;

	memset(c, 0, sizeof(*c));
	c->def_index = -1;
	c->subop = ~0u;
	c->nr = pick_nr();
	if (c->nr == __HYPERVISOR_iret) {
		c->nr = __HYPERVISOR_xen_version;
		fuzz_excluded++;
	}
	for (i = 0; i < 6; i++) {
		c->a[i] = v_plausible();
	}
	if (fuzz_subop_style(c->nr) != SUBOP_NONE_) {
		c->subop = pick_subop(c);
		c->a[0] = c->subop;
	}
	switch (c->nr) {
	case __HYPERVISOR_set_trap_table:
		fill_plausible(buf, 64);
		for (i = 0; i < 8; i++) {
			buf[16 * i] = (uint8_t)rnd_below(32);
			*(uint16_t *)(buf + 16 * i + 2) = chance(2) ? 0xe033 : (uint16_t)rnd();
		}
		c->a[0] = chance(4) ? v_bad_ptr() : gva(buf);
		c->repair |= FIX_TRAPS;
		break;
	case __HYPERVISOR_mmu_update:
		build_mmu_update(c, tail_ok);
		break;
	case __HYPERVISOR_set_gdt:
		build_set_gdt(c);
		break;
	case __HYPERVISOR_stack_switch:
		c->a[0] = chance(2) ? 0xe02b : rnd() & 0xffff;
		break;
	case __HYPERVISOR_set_callbacks:
	case __HYPERVISOR_nmi_op:
		c->repair |= FIX_CALLBACKS;
		break;
	case __HYPERVISOR_fpu_taskswitch:
		c->a[0] = chance(2) ? rnd_below(2) : rnd();
		break;
	case __HYPERVISOR_sched_op_compat:
		if ((uint32_t)c->a[0] == SCHEDOP_block || (uint32_t)c->a[0] == SCHEDOP_shutdown) {
			c->a[0] = SCHEDOP_yield;
			fuzz_excluded++;
		}
		break;
	case __HYPERVISOR_set_debugreg:
		c->a[0] = chance(8) ? rnd() : rnd_below(8);
		c->repair |= FIX_DEBUGREG;
		break;
	case __HYPERVISOR_get_debugreg:
		c->a[0] = chance(8) ? rnd() : rnd_below(8);
		break;
	case __HYPERVISOR_update_descriptor:
		c->a[0] = (tame_mfn(v_mfn()) << 12) | (chance(4) ? rnd() & 0xfff : rnd() & 0xff8);
		c->a[1] =
		    chance(2) ? 0x00cf9a000000ffffULL ^ (rnd() & 0x00f0ff0000000000ULL) : rnd();
		if (fm.own_known && !own_mfn(c->a[0] >> 12)) {
			c->oracle = ORACLE_FOREIGN_DESC;
			c->foreign = c->a[0] >> 12;
		}
		break;
	case __HYPERVISOR_memory_op:
		build_memory_op(c, buf, tail_ok);
		break;
	case __HYPERVISOR_multicall:
		if (depth == 0) {
			unsigned int n = 1 + (unsigned int)rnd_below(4);
			bool tail = chance(4);
			struct multicall_entry *e = (void *)(tail ? tail_list(n, sizeof(*e)) : buf);
			struct fuzz_call sub;

			for (i = 0; i < n; i++) {
				call_build(&sub, 1);
				e[i].op = sub.nr;
				e[i].result = rnd();
				memcpy(e[i].args, sub.a, sizeof(sub.a));
				c->repair |= sub.repair;
			}
			/* Never a readable bad list: its own text as entries could be any call. */
			c->a[0] = chance(8) ? v_unreadable_ptr() : gva(e);
			c->a[1] = tail ? v_count() : n;
		} else {
			c->a[0] = v_unreadable_ptr();
			c->a[1] = v_count();
		}
		break;
	case __HYPERVISOR_update_va_mapping:
	case __HYPERVISOR_update_va_mapping_otherdomain:
		build_update_va(c);
		break;
	case __HYPERVISOR_set_timer_op:
		c->a[0] = chance(2) ? sched_now() + rnd_below(1000000) : v_count();
		break;
	case __HYPERVISOR_event_channel_op_compat:
	case __HYPERVISOR_physdev_op_compat:
	case __HYPERVISOR_xsm_op:
	case __HYPERVISOR_sysctl:
	case __HYPERVISOR_domctl:
	case __HYPERVISOR_platform_op:
		build_struct_op(c, buf);
		break;
	case __HYPERVISOR_xen_version:
		c->a[1] = chance(8) ? 0 : v_ptr();
		break;
	case __HYPERVISOR_console_io:
		build_console(c, buf);
		break;
	case __HYPERVISOR_grant_table_op:
		build_grant_op(c, buf, tail_ok);
		break;
	case __HYPERVISOR_vm_assist:
		c->a[1] = chance(2) ? rnd_below(40) : rnd();
		break;
	case __HYPERVISOR_vcpu_op:
		build_vcpu_op(c, buf);
		break;
	case __HYPERVISOR_set_segment_base:
		c->a[0] = chance(8) ? rnd() : rnd_below(6);
		break;
	case __HYPERVISOR_mmuext_op:
		build_mmuext_op(c, tail_ok);
		break;
	case __HYPERVISOR_sched_op:
		build_sched_op(c, buf);
		break;
	case __HYPERVISOR_callback_op:
		fill_plausible(buf, 4);
		*(uint16_t *)buf = (uint16_t)(chance(8) ? rnd() : rnd_below(8));
		c->a[1] = chance(8) ? v_bad_ptr() : gva(buf);
		c->repair |= FIX_CALLBACKS;
		break;
	case __HYPERVISOR_event_channel_op:
		build_evtchn_op(c->subop, buf);
		c->a[1] = chance(8) ? v_bad_ptr() : gva(buf);
		break;
	case __HYPERVISOR_physdev_op:
	case __HYPERVISOR_hvm_op:
	case __HYPERVISOR_kexec_op:
	case __HYPERVISOR_hypfs_op:
	case __HYPERVISOR_xenpmu_op:
	case __HYPERVISOR_xenoprof_op:
		fill_plausible(buf, 16);
		c->a[1] = chance(8) ? v_bad_ptr() : gva(buf);
		break;
	default:
		break;
	}
}

long call_issue(const struct fuzz_call *c)
{
	register uint64_t rdi asm("rdi") = c->a[0];
	register uint64_t rsi asm("rsi") = c->a[1];
	register uint64_t rdx asm("rdx") = c->a[2];
	register uint64_t r10 asm("r10") = c->a[3];
	register uint64_t r8 asm("r8") = c->a[4];
	register uint64_t r9 asm("r9") = c->a[5];
	uint64_t rax = c->nr;

	/* The hypercall page's stubs are "mov $nr, %eax; syscall": this one takes any rax. */
	asm volatile("syscall"
		     : "+a"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
		     :
		     : "memory", "rcx", "r11");
	return (long)rax;
}

static long register_cb(uint16_t type, const void *entry)
{
	struct callback_register cb = {
	    .type = type, .flags = CALLBACKF_mask_events, .address = gva(entry)};

	return hypercall_callback_op(CALLBACKOP_register, &cb);
}

void call_repair(unsigned int repair)
{
	static uint64_t empty[1];
	struct mmuext_op ldt = {.cmd = MMUEXT_SET_LDT};
	struct callback_unregister nmi = {.type = CALLBACKTYPE_nmi};
	long rc = 0;

	if (repair & FIX_TRAPS) {
		rc |= traps_init();
	}
	if (repair & FIX_CALLBACKS) {
		rc |= register_cb(CALLBACKTYPE_event, event_callback_entry);
		rc |= register_cb(CALLBACKTYPE_failsafe, failsafe_callback_entry);
		hypercall_callback_op(CALLBACKOP_unregister, &nmi);
	}
	if (repair & FIX_DEBUGREG) {
		rc |= HYPERCALL2(__HYPERVISOR_set_debugreg, 7, 0);
	}
	if (repair & FIX_LDT) {
		rc |= hypercall_mmuext_op(&ldt, 1, NULL, DOMID_SELF);
	}
	if (repair & FIX_GDT) {
		rc |= HYPERCALL2(__HYPERVISOR_set_gdt, gva(empty), 0);
	}
	if (rc) {
		test_report(TEST_ERROR, "putting its own state back after a call failed (%ld)", rc);
	}
}

static bool declared(uint64_t nr)
{
	unsigned int i;

	for (i = 0; i < fuzz_nr_def_hypercalls; i++) {
		if (fuzz_def_hypercalls[i] == nr) {
			return true;
		}
	}
	return false;
}

const char *call_judge(const struct fuzz_call *c, long rc)
{
	if (!declared(c->nr) && (c->nr != __HYPERVISOR_multicall)) {
		/* Nothing behind it: Xen's answer for an empty table slot. */
		return rc == -XEN_ENOSYS ? NULL
					 : "a hypercall with no handler did not answer -ENOSYS";
	}
	if (c->nr != __HYPERVISOR_get_debugreg && rc < 0 &&
	    (rc < -133 || rc == -XEN_EINTR || rc == -85 /* Xen's internal ERESTART */)) {
		return "the answer is not a Xen errno";
	}
	if (rc != 0 || c->oracle == ORACLE_NONE || !fm.own_known) {
		return NULL;
	}
	switch (c->oracle) {
	case ORACLE_FOREIGN_MAP:
		return "a frame the fuzzer does not own (or its own page table, writable) was "
		       "mapped, pinned or registered";
	case ORACLE_FOREIGN_DESC:
		return "a descriptor was written into a frame the fuzzer does not own";
	case ORACLE_FOREIGN_PT:
		return "an entry was written into a frame the fuzzer does not own";
	default:
		return NULL;
	}
}

static bool in_args(uint64_t p, uint64_t len)
{
	return p >= gva(fm.arg) && p + len <= fm.guard && p + len >= p;
}

void call_note_outputs(uint64_t nr, const uint64_t a[6], long rc)
{
	const struct xen_memory_reservation *r;
	const uint64_t *list;
	uint64_t i, n, s, order;
	uint32_t op = (uint32_t)a[0];

	if (nr == __HYPERVISOR_memory_op && rc > 0 &&
	    ((op & 0x3f) == XENMEM_increase_reservation || (op & 0x3f) == XENMEM_populate_physmap ||
	     (op & 0x3f) == XENMEM_exchange) &&
	    in_args(a[1], 72)) {
		r = (const void *)(uintptr_t)a[1];
		if ((op & 0x3f) == XENMEM_exchange) {
			r++;
			rc = (long)((const uint64_t *)(uintptr_t)a[1])[8];
		}
		order = r->extent_order < 20 ? r->extent_order : 20;
		/* A continuation (start extent in the high bits of cmd) began at extent s. */
		s = (op & 0x3f) == XENMEM_exchange ? 0 : op >> 6;
		n = (uint64_t)rc < r->nr_extents ? (uint64_t)rc : r->nr_extents;
		if (n <= s) {
			return;
		}
		if (!in_args(r->extent_start + s * 8, (n - s) * 8)) {
			lose_track("a reservation grew with no list it can read");
			return;
		}
		list = (const uint64_t *)(uintptr_t)r->extent_start;
		for (i = s; i < n; i++) {
			note_gained(list[i], 1ULL << order);
		}
	}
	if (nr == __HYPERVISOR_grant_table_op && rc == 0 &&
	    (op == GNTTABOP_setup_table || op == GNTTABOP_get_status_frames)) {
		/* Grant frames are shared with the caller: mapping them is its right. */
		n = (uint64_t)a[2] < 64 ? a[2] : 64;
		for (i = 0; i < n; i++) {
			const uint8_t *e = (const uint8_t *)(uintptr_t)a[1] + i * 24;
			uint64_t frames, j;

			if (!in_args(gva(e), 24)) {
				break;
			}
			frames = *(const uint32_t *)(e + (op == GNTTABOP_setup_table ? 4 : 0));
			list = (const uint64_t *)(uintptr_t) * (const uint64_t *)(e + 16);
			if (frames > 64 || !in_args(gva(list), frames * 8)) {
				lose_track("grant frames it cannot see");
				continue;
			}
			for (j = 0; j < frames; j++) {
				note_gained(list[j], 1);
			}
		}
	}
}
