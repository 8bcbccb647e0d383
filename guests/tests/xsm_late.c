/*
 * XSM test guest for flask=late, booted under domU_t: before the first
 * policy load nothing is enforced (even loading the policy is allowed);
 * after it, the policy is enforced.
 */
#include "xsm_lib.h"

void guest_main(struct start_info *si)
{
	struct xen_flask_op op = {0};
	const void *mod = (const void *)(uintptr_t)si->mod_start;
	char c = 0;
	long rc;

	rc = hypercall_console_io(CONSOLEIO_read, 1, &c);
	test_check(rc >= 0, "before the first load: console read allowed (%ld)", rc);
	op.u.load.buffer = (uint64_t)(uintptr_t)mod;
	op.u.load.size = (uint32_t)si->mod_len;
	rc = mod ? xsm_flask(&op, FLASK_LOAD) : -1;
	test_check(rc == 0, "the first FLASK_LOAD is allowed (%ld)", rc);
	rc = hypercall_console_io(CONSOLEIO_read, 1, &c);
	test_check(rc == -EACCES, "after it: console read denied to domU_t (%ld)", rc);
	test_check(xsm_flask(&op, FLASK_GETENFORCE) == 1, "and enforcing");
	rc = xsm_flask(&op, FLASK_LOAD);
	test_check(rc == -EACCES, "a second load is denied to domU_t (%ld)", rc);
	test_finish();
}
