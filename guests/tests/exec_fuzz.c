/*
 * Hostile arguments, many times: a deterministic pseudo-random stream of
 * calls to the PV-EXEC hypercalls with garbage commands, vcpu ids, counts
 * and pointers (unmapped, inside the hypervisor hole, non-canonical,
 * straddling the canonical boundary or the hole's edges, the read-only
 * page tables). Nothing may take the hypervisor down, every answer must
 * be 0 or a negative errno from Xen's list, and the guest must still run
 * normally at the end. Calls that would legitimately wreck the guest
 * itself (iret, shutdown, block, VCPUOP_down of its only vcpu, callbacks,
 * segment bases, descriptor writes to its own memory) are left out.
 */
#include <public/errno.h>

#include "guest.h"

#define ROUNDS 3000

static uint64_t seed = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static uint64_t ro_page;

static uint64_t bad_ptr(void)
{
	static const uint64_t edges[] = {
	    0,
	    0x18,
	    0x00007ffffffffff8ULL, /* runs over the canonical boundary */
	    0x0000800000000000ULL,
	    0xffff7ffffffffff8ULL,
	    0xffff800000000000ULL, /* the hole: M2P, mapped read-only */
	    0xffff82d040200000ULL, /* the hypervisor image */
	    0xffff830000000000ULL, /* the direct map */
	    0xffff87fffffffff8ULL, /* runs out of the hole */
	    0xfffffffffffffff8ULL,
	    0x8000000000000000ULL,
	};

	switch (rnd() % 4) {
	case 0:
		return edges[rnd() % ARRAY_SIZE(edges)];
	case 1:
		return ro_page + (rnd() & 0xff8);
	case 2:
		return 0xffff800000000000ULL + (rnd() & 0x7fffffffff8ULL);
	default:
		return rnd();
	}
}

/* Xen errno values a handler may answer with. */
static bool errno_ok(long rc)
{
	static const long ok[] = {XEN_EPERM,  XEN_ENOENT, XEN_ESRCH,   XEN_EINVAL, XEN_EFAULT,
				  XEN_ENOSYS, XEN_EACCES, XEN_ETIME,   XEN_ENOMEM, XEN_EBUSY,
				  XEN_E2BIG,  XEN_EEXIST, XEN_ENODATA, XEN_ERANGE, XEN_EAGAIN};
	unsigned int i;

	if (rc >= 0) {
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		if (rc == -ok[i]) {
			return true;
		}
	}
	return false;
}

void guest_main(struct start_info *si)
{
	unsigned int round, bad = 0, faults = 0, ok = 0;
	long rc;

	ro_page = si->pt_base;
	gprintf("exec_fuzz: %u rounds of hostile arguments\n", ROUNDS);
	for (round = 0; round < ROUNDS; round++) {
		uint64_t p = bad_ptr(), x = rnd();

		switch (rnd() % 11) {
		case 0:
			rc = hypercall_xen_version((unsigned int)(x % 20), (void *)p);
			break;
		case 1:
			rc = hypercall_console_io(CONSOLEIO_read + (unsigned int)(x % 3) * 0x10000,
						  (unsigned int)(x >> 8), (const char *)p);
			break;
		case 2:
			/* Not VCPUOP_down: downing its only vcpu powers the domain off, as on Xen.
			 */
			rc = hypercall_vcpu_op((unsigned int)(x % 16) == VCPUOP_down
						   ? VCPUOP_is_up
						   : (unsigned int)(x % 16),
					       (unsigned int)(x >> 40) % 3, (void *)p);
			break;
		case 3:
			/* poll only through unusable pointers: a readable one may wait forever. */
			if (p >= ro_page && p < ro_page + 4096) {
				p = 0x18;
			}
			rc = hypercall_sched_op(x & 1 ? SCHEDOP_poll : 8 + (unsigned int)(x % 8),
						(void *)p);
			break;
		case 4:
			rc = hypercall_callback_op(2 + (unsigned int)(x % 4), (void *)p);
			break;
		case 5:
			rc = hypercall_multicall((struct multicall_entry *)p,
						 (unsigned int)(x % 64));
			break;
		case 6:
			rc = hypercall_set_trap_table((const struct trap_info *)p);
			if (rc == 0) {
				/* A garbage table that happened to be readable: put ours back. */
				traps_init();
			}
			break;
		case 7:
			rc = HYPERCALL2(__HYPERVISOR_set_gdt, p, (unsigned int)(x % 9000));
			break;
		case 8:
			/* Descriptor writes only outside RAM: the guest owns most of RAM. */
			rc = HYPERCALL2(__HYPERVISOR_update_descriptor,
					(1ULL << 40) + (x & 0xfffffffff8ULL), rnd());
			break;
		case 9:
			rc = hypercall_vm_assist((unsigned int)(x % 4), (unsigned int)(x >> 32));
			break;
		default:
			rc = HYPERCALL2(__HYPERVISOR_physdev_op,
					x % 40 == 6 ? 6 : (unsigned)(x % 40), p);
			break;
		}
		if (!errno_ok(rc)) {
			if (bad++ < 5) {
				gprintf("round %u: unexpected answer %ld\n", round, rc);
			}
		} else if (rc == -XEN_EFAULT) {
			faults++;
		} else {
			ok++;
		}
	}
	gprintf("exec_fuzz: %u -EFAULT, %u other answers, %u outside Xen's errno list\n", faults,
		ok, bad);
	test_check(bad == 0, "every answer is 0 or a Xen errno");
	test_check(faults > ROUNDS / 4, "bad pointers were answered -EFAULT (%u times)", faults);
	/* Still a working guest. */
	rc = hypercall_xen_version(XENVER_version, NULL);
	test_check(rc == ((4 << 16) | 17), "xen_version still answers (0x%lx)", rc);
	test_finish();
}
