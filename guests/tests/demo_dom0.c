/*
 * The demo control domain of `make run`: it shows the label FLASK gave it
 * (from the console ring, which dom0_t may read) and then tries something
 * the policy forbids even to the control domain, relabelling itself to
 * domU_t, so the hypervisor log shows an AVC denial.
 *
 * Under an MLS policy (FLASK_MLS answers 1) a context must carry a level:
 * the demo asks for domU_t at the low end of its own range (system low,
 * s0, when its label cannot be read), as a toolstack labels a guest.
 */
#include "xsm_lib.h"

static char ring[32768];

/* Length of the low level in label's range (after its third colon, up to '-'), or 0. */
static size_t low_level(const char *label, const char **start)
{
	const char *p = label;
	size_t n = 0;
	int colons = 0;

	while (*p && *p != '\n' && colons < 3) {
		colons += *p++ == ':';
	}
	*start = p;
	while (colons == 3 && p[n] && p[n] != '\n' && p[n] != '-') {
		n++;
	}
	return n;
}

/* The context to relabel to: domU_t, with a level when the policy is MLS. */
static void target_context(char *buf, size_t size, const char *label)
{
	struct xen_flask_op op = {0};
	const char *lvl = "s0";
	size_t n = 0;
	long mls = xsm_flask(&op, FLASK_MLS);

	strlcpy(buf, "system_u:system_r:domU_t", size);
	if (mls != 1) {
		gprintf("demo: the policy has no MLS (FLASK_MLS %ld)\n", mls);
		return;
	}
	if (label) {
		n = low_level(label, &lvl);
	}
	if (n == 0) {
		lvl = "s0";
		n = 2;
	}
	if (strlen(buf) + 1 + n < size) {
		size_t at = strlen(buf);

		buf[at] = ':';
		memcpy(buf + at + 1, lvl, n);
		buf[at + 1 + n] = '\0';
	}
	gprintf("demo: the policy is MLS: contexts carry a level (%s)\n", buf);
}

void guest_main(struct start_info *si)
{
	struct xen_flask_op op = {0};
	const char *label = NULL, *key = "FLASK: dom0 label ";
	char target[64];
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

	target_context(target, sizeof(target), label);
	gprintf("demo: trying to relabel myself to domU_t (the policy forbids it)\n");
	memset(&op, 0, sizeof(op));
	op.u.relabel.domid = 0;
	op.u.relabel.sid = xsm_sid(target, &rc);
	test_check(rc == 0, "%s is a context of the policy (%ld)", target, rc);
	rc = xsm_flask(&op, FLASK_RELABEL_DOMAIN);
	gprintf("demo: relabel answered %ld (%s)\n", rc,
		rc == -EACCES ? "-EACCES: denied by FLASK, see the avc line above" : "unexpected");
	test_check(rc == -EACCES, "relabelling dom0 to domU_t is denied");
	test_finish();
}
