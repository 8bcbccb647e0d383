/*
 * XSM test guest (dom0_t): FLASK_ACCESS for the (source, target, class)
 * triples on its command line, printed in flask-query's form so the
 * xsm-boot suite compares them with flask-query on the host:
 *
 *   args: SCONTEXT TCONTEXT CLASS_VALUE ...   (triples)
 *   prints: "access S T C allowed=0x... auditallow=0x... auditdeny=0x..."
 */
#include "xsm_lib.h"

static char args[1024];

void guest_main(struct start_info *si)
{
	char *w[32], *p = args;
	int n = 0, i;

	strlcpy(args, (const char *)si->cmd_line, sizeof(args));
	while (*p && n < 32) {
		while (*p == ' ') {
			*p++ = '\0';
		}
		if (*p) {
			w[n++] = p;
		}
		while (*p && *p != ' ') {
			p++;
		}
	}
	test_check(n >= 3 && n % 3 == 0, "triples on the command line (%d words)", n);
	for (i = 0; i + 2 < n; i += 3) {
		struct xen_flask_op op = {0};
		long rc1, rc2, rc;
		uint32_t s = xsm_sid(w[i], &rc1), t = xsm_sid(w[i + 1], &rc2);
		const char *c = w[i + 2];
		uint32_t cls = 0;

		while (*c >= '0' && *c <= '9') {
			cls = cls * 10 + (uint32_t)(*c++ - '0');
		}
		op.u.access.ssid = s;
		op.u.access.tsid = t;
		op.u.access.tclass = cls;
		op.u.access.req = ~0u;
		rc = xsm_flask(&op, FLASK_ACCESS);
		test_check(rc1 == 0 && rc2 == 0 && rc == 0, "access %s %s %u (%ld %ld %ld)", w[i],
			   w[i + 1], cls, rc1, rc2, rc);
		gprintf("access %s %s %u allowed=0x%x auditallow=0x%x auditdeny=0x%x\n", w[i],
			w[i + 1], cls, op.u.access.allowed, op.u.access.audit_allow,
			op.u.access.audit_deny);
	}
	test_finish();
}
