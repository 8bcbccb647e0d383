/*
 * XSM test guest for the privileged label (dom0_t, the default policy):
 * what the control domain may do is allowed; flask_op round trips;
 * setenforce toggles; a boolean flip changes a decision without a reload.
 */
#include "xsm_lib.h"

static char ring[16384];

void guest_main(struct start_info *si)
{
	struct xen_flask_op op = {0};
	char ctx[128], small[4];
	uint32_t dom0, domu, xen, allowed, cls_xen, writeconsole;
	long rc;
	int id;

	/* Console read and the readconsole sysctl: xen:readconsole. */
	rc = hypercall_console_io(CONSOLEIO_read, 0, ring);
	test_check(rc >= 0, "console_io read allowed (%ld)", rc);
	rc = xsm_readconsole(ring, sizeof(ring));
	test_check(rc == 0, "readconsole sysctl allowed (%ld)", rc);
	test_check(xsm_count(ring, "FLASK: dom0 label system_u:system_r:dom0_t") == 1,
		   "the ring shows dom0's label");
	rc = hypercall_xen_version(XENVER_extraversion, ctx);
	test_check(rc == 0, "xen_version extraversion allowed (%ld)", rc);

	/* flask_op: getenforce, contexts both ways, small buffers. */
	test_check(xsm_flask(&op, FLASK_GETENFORCE) == 1, "getenforce says enforcing");
	dom0 = xsm_sid("system_u:system_r:dom0_t", &rc);
	test_check(rc == 0 && dom0 != 0, "context_to_sid dom0_t (%ld)", rc);
	domu = xsm_sid("system_u:system_r:domU_t", &rc);
	xen = xsm_sid("system_u:system_r:xen_t", &rc);
	rc = xsm_context(domu, ctx, sizeof(ctx));
	test_check(rc == 0 && strcmp(ctx, "system_u:system_r:domU_t") == 0,
		   "sid_to_context round trip (%ld, \"%s\")", rc, ctx);
	memset(&op, 0, sizeof(op));
	op.u.sid_context.sid = domu;
	op.u.sid_context.context = (uint64_t)(uintptr_t)small;
	op.u.sid_context.size = sizeof(small);
	rc = xsm_flask(&op, FLASK_SID_TO_CONTEXT);
	test_check(rc == -ERANGE && op.u.sid_context.size == 25,
		   "a small buffer gets -ERANGE and the size (%ld, %u)", rc, op.u.sid_context.size);
	memset(&op, 0, sizeof(op));
	op.u.sid_context.context = (uint64_t)(uintptr_t) "system_u:system_r:domU_t";
	op.u.sid_context.size = 24; /* without the NUL */
	rc = xsm_flask(&op, FLASK_CONTEXT_TO_SID);
	test_check(rc == -EMSGSIZE, "a context without its NUL gets -EMSGSIZE (%ld)", rc);
	memset(&op, 0, sizeof(op));
	test_check(xsm_flask(&op, FLASK_USER) == -ENOSYS, "FLASK_USER is gone");
	op.interface_version = 7;
	op.cmd = FLASK_GETENFORCE;
	test_check(hypercall_xsm_op(&op) == -ENOSYS, "a bad interface version is -ENOSYS");

	/* A boolean flip: domU_t's writeconsole follows guest_writeconsole. */
	cls_xen = 1; /* xen is the first class of the policy */
	writeconsole = 1u << 11;
	memset(&op, 0, sizeof(op));
	op.u.boolean.bool_id = ~0u;
	op.u.boolean.name = (uint64_t)(uintptr_t) "guest_writeconsole";
	op.u.boolean.size = 19;
	rc = xsm_flask(&op, FLASK_GETBOOL);
	id = (int)op.u.boolean.bool_id;
	test_check(rc == 0 && op.u.boolean.enforcing == 1, "getbool guest_writeconsole = 1 (%ld)",
		   rc);
	rc = xsm_access(domu, xen, cls_xen, &allowed);
	test_check(rc == 0 && (allowed & writeconsole), "domU_t may write the console (%ld, %#x)",
		   rc, allowed);
	memset(&op, 0, sizeof(op));
	op.u.boolean.bool_id = (uint32_t)id;
	op.u.boolean.new_value = 0;
	op.u.boolean.commit = 1;
	rc = xsm_flask(&op, FLASK_SETBOOL);
	test_check(rc == 0, "setbool guest_writeconsole=0 with commit (%ld)", rc);
	xsm_access(domu, xen, cls_xen, &allowed);
	test_check(!(allowed & writeconsole), "now domU_t may not (%#x)", allowed);
	op.u.boolean.new_value = 1;
	xsm_flask(&op, FLASK_SETBOOL);
	xsm_access(domu, xen, cls_xen, &allowed);
	test_check(allowed & writeconsole, "and after the flip back it may (%#x)", allowed);

	/* setenforce toggles. */
	memset(&op, 0, sizeof(op));
	op.u.enforce.enforcing = 0;
	test_check(xsm_flask(&op, FLASK_SETENFORCE) == 0, "setenforce 0");
	test_check(xsm_flask(&op, FLASK_GETENFORCE) == 0, "getenforce says permissive");
	op.u.enforce.enforcing = 1;
	test_check(xsm_flask(&op, FLASK_SETENFORCE) == 0, "setenforce 1");
	test_check(xsm_flask(&op, FLASK_GETENFORCE) == 1, "getenforce says enforcing");
	(void)dom0;
	test_finish();
}
