/*
 * XSM test guest (dom0_t): loads the policy it was given as its initrd
 * module (the test policy) and sees a decision change; a corrupted copy is
 * refused and the loaded policy stays in force.
 */
#include "xsm_lib.h"

static unsigned char copy[65536];

static long load(const void *p, uint32_t size)
{
	struct xen_flask_op op = {0};

	op.u.load.buffer = (uint64_t)(uintptr_t)p;
	op.u.load.size = size;
	return xsm_flask(&op, FLASK_LOAD);
}

/* Does domU_t have xen:readconsole (bit 2 of class 1)? */
static int domu_reads_console(void)
{
	uint32_t domu, xen, allowed = 0;
	long rc;

	domu = xsm_sid("system_u:system_r:domU_t", &rc);
	xen = xsm_sid("system_u:system_r:xen_t", &rc);
	if (xsm_access(domu, xen, 1, &allowed)) {
		return -1;
	}
	return (allowed >> 2) & 1;
}

void guest_main(struct start_info *si)
{
	const unsigned char *mod = (const unsigned char *)(uintptr_t)si->mod_start;
	uint32_t len = (uint32_t)si->mod_len;
	long rc;

	if (!test_check(mod && len > 16 && len <= sizeof(copy), "a policy module (%u bytes)",
			len)) {
		test_finish();
	}
	test_check(domu_reads_console() == 0, "default policy: domU_t may not read the console");
	rc = load(mod, len);
	test_check(rc == 0, "FLASK_LOAD of the test policy (%ld)", rc);
	test_check(domu_reads_console() == 1, "test policy: domU_t may read the console");
	memcpy(copy, mod, len);
	memset(copy + len / 2, 0xa5, 64);
	rc = load(copy, len);
	test_check(rc < 0, "a corrupted policy is refused (%ld)", rc);
	test_check(domu_reads_console() == 1, "the test policy stays in force");
	rc = load(copy, 0);
	test_check(rc == -EINVAL, "an empty load is -EINVAL (%ld)", rc);
	test_finish();
}
