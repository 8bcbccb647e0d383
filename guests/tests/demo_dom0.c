/*
 * The demo control domain of `make run`: it shows the label FLASK gave it
 * (from the console ring, which dom0_t may read) and then tries something
 * the policy forbids even to the control domain, relabelling itself to
 * domU_t, so the hypervisor log shows an AVC denial.
 */
#include "xsm_lib.h"

static char ring[32768];

void guest_main(struct start_info *si)
{
	struct xen_flask_op op = {0};
	const char *label = NULL, *key = "FLASK: dom0 label ";
	char *p;
	long rc;

	gprintf("demo: a PV control domain under FLASK\n");
	rc = xsm_readconsole(ring, sizeof(ring));
	for (p = ring; rc == 0 && *p; p++) {
		if (strncmp(p, key, strlen(key)) == 0) {
			label = p + strlen(key);
			break;
		}
	}
	if (label) {
		const char *e = strchr(label, '\n');

		gprintf("demo: my label is %.*s\n", e ? (int)(e - label) : 64, label);
	} else {
		gprintf("demo: cannot read my label from the console (%ld)\n", rc);
	}
	gprintf("demo: enforcing=%ld\n", xsm_flask(&op, FLASK_GETENFORCE));

	gprintf("demo: trying to relabel myself to domU_t (the policy forbids it)\n");
	memset(&op, 0, sizeof(op));
	op.u.relabel.domid = 0;
	op.u.relabel.sid = xsm_sid("system_u:system_r:domU_t", &rc);
	rc = xsm_flask(&op, FLASK_RELABEL_DOMAIN);
	gprintf("demo: relabel answered %ld (%s)\n", rc,
		rc == -EACCES ? "-EACCES: denied by FLASK, see the avc line above" : "unexpected");
	test_check(rc == -EACCES, "relabelling dom0 to domU_t is denied");
	test_finish();
}
