/*
 * Host unit tests of the hypercall dispatch table, multicall and the
 * guest-access contract (hypervisor/common/hypercall.c against the fake
 * arch's guest window, fake/guest.h).
 *
 * do_console_io and do_xen_version are defined here, strongly, so the
 * table's thunks can be watched narrowing the six 64-bit argument
 * registers; every other handler not linked into hv-unit is a stub of
 * hcall_stubs.c, which also shows the generated table holds what
 * hypercalls.def lists.
 */
#include "hvtest.h"

#include <domain.h>
#include <fake/guest.h>
#include <fake/smp.h>
#include <guest_access.h>
#include <hypercall.h>
#include <public/errno.h>
#include <public/xen.h>
#include <string.h>

#include "hcall_stubs.h"

static uint32_t seen_cmd, seen_count;
static uint64_t seen_buffer;
static unsigned int console_calls;

long do_console_io(uint32_t cmd, uint32_t count, uint64_t buffer)
{
	seen_cmd = cmd;
	seen_count = count;
	seen_buffer = buffer;
	console_calls++;
	return 7;
}

/* Returns its command, so multicall results can be told apart. */
long do_xen_version(uint32_t cmd, uint64_t arg)
{
	return current && current->in_multicall ? 1000 + (long)cmd : (long)cmd;
}

#define GVA 0x0000100000000000ULL

static void t_dispatch(void)
{
	uint64_t args[6] = {0xffffffff00000000ULL | 0, 0x1234500000010ULL, 0xfeedULL, 4, 5, 6};

	console_calls = 0;
	EXPECT_EQ(hypercall_dispatch(__HYPERVISOR_console_io, args), 7);
	EXPECT_EQ(console_calls, 1);
	/* 32-bit parameters see only the low half, as on Xen. */
	EXPECT_EQ(seen_cmd, 0);
	EXPECT_EQ(seen_count, 0x10);
	EXPECT_EQ(seen_buffer, 0xfeed);
	EXPECT_EQ(hypercall_dispatch(__HYPERVISOR_xen_version, args), 0);
	/* Numbers nobody handles, inside and beyond the table. */
	EXPECT_EQ(hypercall_dispatch(7, args), -ENOSYS);
	EXPECT_EQ(hypercall_dispatch(11, args), -ENOSYS);
	EXPECT_EQ(hypercall_dispatch(__HYPERVISOR_domctl, args), -ENOSYS);
	EXPECT_EQ(hypercall_dispatch(NR_HYPERCALLS - 1, args), -ENOSYS);
	EXPECT_EQ(hypercall_dispatch(NR_HYPERCALLS, args), -ENOSYS);
	EXPECT_EQ(hypercall_dispatch(~0ULL, args), -ENOSYS);
	EXPECT_EQ(hypercall_dispatch(0x100000000ULL + __HYPERVISOR_console_io, args), -ENOSYS);
	EXPECT_EQ(console_calls, 1);
}

/*
 * The table against the list: each implemented hypercall reaches its own
 * handler (a stub here, unless hv-unit links the real one), and every other
 * number, declared-not-implemented ones included, answers -ENOSYS.
 */
static void t_table(void)
{
	static const uint64_t args[6];
	bool implemented[NR_HYPERCALLS] = {false};
	unsigned int nr, stubbed = 0, none = 0;

#define CHECK_STUB(nr)                                                                             \
	do {                                                                                       \
		hcall_stub_called = -1;                                                            \
		EXPECT_EQ(hypercall_dispatch(nr, args), HCALL_STUB_RESULT);                        \
		EXPECT_EQ(hcall_stub_called, nr);                                                  \
		stubbed++;                                                                         \
	} while (0)
#define HYPERCALL(name, nr, args_, rows)                                                           \
	implemented[nr] = true;                                                                    \
	if ((const void *)do_##name == hcall_stub(nr)) {                                           \
		CHECK_STUB(nr);                                                                    \
	}
#define HYPERCALL_NONE(name, nr, rows)                                                             \
	EXPECT_EQ(hypercall_dispatch(nr, args), -ENOSYS);                                          \
	none++;
#include <hypercalls.def>
#undef CHECK_STUB
	/* domctl is not implemented; most handlers are stubs here. */
	EXPECT(none >= 1);
	EXPECT(stubbed >= 10);
	for (nr = 0; nr < NR_HYPERCALLS; nr++) {
		if (!implemented[nr]) {
			EXPECT_EQ(hypercall_dispatch(nr, args), -ENOSYS);
		}
	}
}

static void t_multicall(void)
{
	static struct multicall_entry mc[4];
	static struct vcpu me;

	/* The multicall state is the calling vcpu's. */
	current_vcpu = &me;
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_xen_version;
	mc[0].args[0] = 5;
	mc[1].op = __HYPERVISOR_multicall;
	mc[2].op = 60;
	mc[3].op = __HYPERVISOR_iret;
	fake_guest_map(mc, GVA, sizeof(mc), true);
	EXPECT_EQ(do_multicall(GVA, 4), 0);
	EXPECT_EQ(mc[0].result, 1005);
	EXPECT_EQ((long)mc[1].result, -EINVAL);
	EXPECT_EQ((long)mc[2].result, -ENOSYS);
	EXPECT_EQ((long)mc[3].result, -EINVAL);
	EXPECT(!me.in_multicall);
	EXPECT_EQ(do_multicall(GVA, 0), 0);

	/* The list runs past the window: entries before the fault are done. */
	mc[0].result = 0;
	EXPECT_EQ(do_multicall(GVA, 5), -EFAULT);
	EXPECT_EQ(mc[0].result, 1005);
	EXPECT(!me.in_multicall);

	/* A read-only list: the first result cannot be written back. */
	fake_guest_map(mc, GVA, sizeof(mc), false);
	mc[0].result = 0;
	EXPECT_EQ(do_multicall(GVA, 1), -EFAULT);
	EXPECT_EQ(mc[0].result, 0);
	EXPECT(!me.in_multicall);
	fake_guest_map(NULL, 0, 0, false);
	current_vcpu = NULL;
}

static void t_guest_range(void)
{
	EXPECT(guest_range_ok(0, 0));
	EXPECT(guest_range_ok(0, 1));
	EXPECT(guest_range_ok(0x00007ffffffff000ULL, 0x1000));
	EXPECT(!guest_range_ok(0x00007ffffffff000ULL, 0x1001));
	EXPECT(!guest_range_ok(0x0000800000000000ULL, 1));
	EXPECT(!guest_range_ok(0xffff800000000000ULL, 1));
	EXPECT(!guest_range_ok(0xffff87ffffffffffULL, 1));
	EXPECT(!guest_range_ok(0xffff7fffffffffffULL, 2));
	EXPECT(guest_range_ok(0xffff880000000000ULL, 1));
	EXPECT(guest_range_ok(0xffffffff80000000ULL, 0x1000));
	EXPECT(!guest_range_ok(0xfffffffffffff000ULL, 0x1000)); /* wraps to 0 */
	EXPECT(!guest_range_ok(0xffffffffffffff00ULL, 0x200));
	EXPECT(!guest_range_ok(0x1000, ~0ULL));
}

static void t_fake_window(void)
{
	uint8_t buf[64], out[16];

	memset(buf, 0xab, sizeof(buf));
	fake_guest_map(buf, GVA, sizeof(buf), true);
	EXPECT_EQ(copy_from_guest(out, GVA + 48, 16), 0);
	EXPECT_EQ(out[15], 0xab);
	EXPECT_EQ(copy_from_guest(out, GVA + 49, 16), -EFAULT);
	EXPECT_EQ(copy_from_guest(out, GVA - 1, 2), -EFAULT);
	EXPECT_EQ(clear_guest(GVA, 8), 0);
	EXPECT_EQ(buf[7], 0);
	EXPECT_EQ(buf[8], 0xab);
	EXPECT_EQ(copy_to_guest(GVA + 60, out, 5), -EFAULT);
	EXPECT_EQ(copy_to_guest(GVA + 60, out, 0), 0);
	fake_guest_map(buf, GVA, sizeof(buf), false);
	EXPECT_EQ(copy_to_guest(GVA, out, 1), -EFAULT);
	EXPECT_EQ(clear_guest(GVA, 1), -EFAULT);
	EXPECT_EQ(copy_from_guest(out, GVA, 1), 0);
	fake_guest_map(NULL, 0, 0, false);
	EXPECT_EQ(copy_from_guest(out, GVA, 1), -EFAULT);
}

static const struct hvt_case cases[] = {
    {"hcall: dispatch narrows 32-bit arguments; unknown numbers -ENOSYS", t_dispatch},
    {"hcall: the table holds each listed handler; unlisted and unimplemented numbers -ENOSYS",
     t_table},
    {"hcall: multicall results, nesting and iret refused, faults stop the batch", t_multicall},
    {"hcall: guest_range_ok refuses non-canonical, hole and wrapping ranges", t_guest_range},
    {"hcall: fake guest window bounds and read-only", t_fake_window},
};

const struct hvt_group group_hcall = HVT_GROUP("hcall", cases);
