/*
 * The PV console ring of a boot-time domU (hypervisor/common/xencons.c):
 * the page and port in start_info, an interdomain port whose remote is
 * DOMID_XEN, and the hypervisor as back end. The guest writes through the
 * ring (guests/lib/xencons.c); the harness checks the "(dN) " lines.
 *
 *   mode=lines  a long line, many one-byte writes, 120 lines that wrap the
 *               ring; each write acknowledged (out_cons) and signalled back
 *   mode=bogus  a producer index past the ring: the ring is disabled and
 *               nothing of it beyond the index is printed or consumed
 *   mode=dom0   as dom0: no ring (console_io only, as on Xen)
 */
#include "guest.h"

#include <public/event_channel.h>

#define WRAP_LINES 120

/* The back end consumed everything and signalled the port back; the signal is cleared. */
static bool acked(const char *what)
{
	struct xencons_interface *r = xencons_page();
	uint32_t port = xencons_port();
	uint64_t *pending = &shared_info->evtchn_pending[port / 64];
	uint64_t bit = 1ULL << (port % 64);
	bool ok;

	ok = test_check(r->out_cons == r->out_prod, "%s: out_cons %u == out_prod %u", what,
			r->out_cons, r->out_prod);
	ok &= test_check(__atomic_load_n(pending, __ATOMIC_SEQ_CST) & bit,
			 "%s: the back end signalled port %u", what, port);
	__atomic_fetch_and(pending, ~bit, __ATOMIC_SEQ_CST);
	return ok;
}

static void check_port(uint32_t port)
{
	struct evtchn_status st = {.dom = DOMID_SELF, .port = port};
	long rc = hypercall_event_channel_op(EVTCHNOP_status, &st);

	if (test_check(rc == 0, "EVTCHNOP_status of the console port: %ld", rc)) {
		test_check(st.status == EVTCHNSTAT_interdomain && st.u.interdomain.dom == DOMID_XEN,
			   "console port %u: status %u to d%u, want interdomain to DOMID_XEN", port,
			   st.status, st.u.interdomain.dom);
	}
}

static void lines(void)
{
	static char long_line[700];
	unsigned int i;
	char c;

	memset(long_line, 'L', 600);
	strlcpy(long_line + 600, " end of long line\n", sizeof(long_line) - 600);
	test_check(xencons_write(long_line, strlen(long_line)) == strlen(long_line),
		   "long line written");
	acked("long line");

	xencons_write("small: ", 7);
	for (c = '0'; c <= '9'; c++) {
		xencons_write(&c, 1);
		if (!acked("one-byte write")) {
			break;
		}
	}
	xencons_write("\n", 1);
	acked("newline");

	for (i = 1; i <= WRAP_LINES; i++) {
		xencons_printf("wrap line %03u of %u ..........\n", i, WRAP_LINES);
	}
	acked("wrapping lines");
	/* 120 lines of 35 bytes went round the 2048-byte ring more than twice. */
	test_check(xencons_page()->out_prod > 2 * XENCONS_OUT_SIZE, "the ring wrapped: out_prod %u",
		   xencons_page()->out_prod);
}

static void bogus(void)
{
	struct xencons_interface *r = xencons_page();
	uint32_t cons;

	xencons_printf("before the bogus index\n");
	acked("before");
	cons = r->out_cons;
	/* Anything read beyond the index would show as Q. */
	memset(r->out, 'Q', sizeof(r->out));
	__atomic_store_n(&r->out_prod, cons + XENCONS_OUT_SIZE + 1, __ATOMIC_RELEASE);
	test_check(xencons_notify() == 0, "the signal itself is fine");
	test_check(r->out_cons == cons, "nothing consumed of a bogus index: out_cons %u, was %u",
		   r->out_cons, cons);
	/* Disabled for good: a sane index afterwards is not consumed either. */
	__atomic_store_n(&r->out_prod, cons + 5, __ATOMIC_RELEASE);
	xencons_notify();
	test_check(r->out_cons == cons, "a disabled ring stays untouched: out_cons %u, was %u",
		   r->out_cons, cons);
}

void guest_main(struct start_info *si)
{
	const char *cmd = (const char *)si->cmd_line;
	long rc;

	if (runtime_has_word(cmd, "mode=dom0")) {
		test_check(si->console.domU.mfn == 0 && si->console.domU.evtchn == 0,
			   "dom0's start_info names no console ring (mfn 0x%llx evtchn %u)",
			   (unsigned long long)si->console.domU.mfn, si->console.domU.evtchn);
		test_finish();
	}
	if (!test_check(si->console.domU.mfn && si->console.domU.evtchn,
			"start_info names a console ring (mfn 0x%llx evtchn %u)",
			(unsigned long long)si->console.domU.mfn, si->console.domU.evtchn)) {
		test_finish();
	}
	rc = xencons_init(si);
	if (!test_check(rc == 0, "mapping the console ring: %ld", rc) ||
	    !test_check(shared_info != NULL, "shared_info mapped")) {
		test_finish();
	}
	check_port(xencons_port());
	if (runtime_has_word(cmd, "mode=lines")) {
		lines();
	} else if (runtime_has_word(cmd, "mode=bogus")) {
		bogus();
	} else {
		test_report(TEST_ERROR,
			    "no mode=lines, mode=bogus or mode=dom0 on the command line");
	}
	test_finish();
}
