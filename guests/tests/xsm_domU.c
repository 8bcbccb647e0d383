/*
 * XSM test guest booted as dom0 under an unprivileged label
 * (dom0_label=system_u:system_r:domU_t): each privileged operation is
 * denied with -EACCES (the harness checks one AVC line for each on the
 * console).
 */
#include "xsm_lib.h"
#include <public/errno.h>

static char buf[4096];

void guest_main(struct start_info *si)
{
	struct xen_flask_op op = {0};
	struct xen_memory_map map = {0};
	long rc;

	gprintf("xsm_domU: running as domU_t\n");
	rc = hypercall_console_io(CONSOLEIO_read, sizeof(buf), buf);
	test_check(rc == -EACCES, "console_io read: -EACCES (%ld)", rc);
	{
		struct xen_sysctl sc = {0};

		sc.cmd = XEN_SYSCTL_readconsole;
		sc.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
		sc.u.readconsole.clear = 1;
		sc.u.readconsole.buffer = (uint64_t)(uintptr_t)buf;
		sc.u.readconsole.count = sizeof(buf);
		rc = HYPERCALL1(__HYPERVISOR_sysctl, &sc);
		test_check(rc == -EACCES, "readconsole sysctl with clear: -EACCES (%ld)", rc);
	}
	op.u.enforce.enforcing = 0;
	rc = xsm_flask(&op, FLASK_SETENFORCE);
	test_check(rc == -EACCES, "setenforce: -EACCES (%ld)", rc);
	op.u.load.buffer = (uint64_t)(uintptr_t)buf;
	op.u.load.size = 16;
	rc = xsm_flask(&op, FLASK_LOAD);
	test_check(rc == -EACCES, "load: -EACCES (%ld)", rc);
	map.nr_entries = 1;
	map.buffer = (uint64_t)(uintptr_t)buf;
	rc = hypercall_memory_op(XENMEM_machine_memory_map, &map);
	test_check(rc == -EACCES, "machine_memory_map: -EACCES (%ld)", rc);
	/* Allowed to every domain: no line. */
	rc = hypercall_xen_version(XENVER_extraversion, buf);
	test_check(rc == 0, "xen_version extraversion allowed (%ld)", rc);
	/* The hypervisor command line is dom0_t's only (denied without a line). */
	rc = hypercall_xen_version(XENVER_commandline, buf);
	test_check(rc == -EACCES, "xen_version commandline: -EACCES (%ld)", rc);
	/* build_id is allowed to all; the image has none: Xen's -ENODATA. */
	*(uint32_t *)buf = 64;
	rc = hypercall_xen_version(XENVER_build_id, buf);
	test_check(rc == -XEN_ENODATA, "xen_version build_id: -ENODATA (%ld)", rc);
	/* getenforce needs no permission. */
	test_check(xsm_flask(&op, FLASK_GETENFORCE) == 1, "getenforce answers 1");
	test_finish();
}
