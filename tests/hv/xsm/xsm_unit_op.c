/*
 * xsm_unit_op.c - xsm-unit cases for the xsm_op hypercall (Xen's flask_op,
 * issued through do_xsm_op from a fake guest buffer) and the readconsole
 * sysctl. Shared harness: xsm_unit.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmdline.h>
#include <console.h>
#include <domain.h>
#include <fake/guest.h>
#include <heap.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/flask_op.h>
#include <public/sysctl.h>
#include <public/version.h>
#include <public/xen.h>

#include "xsm_unit.h"
#include <flask/avc.h>
#include <flask/security.h>
#include <xsm/flask/flask.h>
#include <xsm/xsm.h>

/* ---- flask_op through do_xsm_op --------------------------------------------- */

unsigned char guest[GUEST_BUF_SIZE];

static uint64_t gput(size_t off, const void *p, size_t n)
{
	memcpy(guest + off, p, n);
	return GVA + off;
}

/* Issues one flask_op with the struct at offset 0; the result struct is copied back to *op. */
static long fop(struct xen_flask_op *op)
{
	long rc;

	op->interface_version = XEN_FLASK_INTERFACE_VERSION;
	memcpy(guest, op, sizeof(*op));
	rc = do_xsm_op(GVA);
	memcpy(op, guest, sizeof(*op));
	return rc;
}

void t_op_basic(void)
{
	struct xen_flask_op op = {0};

	CHECK_EQ(boot_flask(), 0);
	run_as(D0);
	op.cmd = FLASK_GETENFORCE;
	op.interface_version = 2;
	memcpy(guest, &op, sizeof(op));
	CHECK_EQ(do_xsm_op(GVA), -ENOSYS);
	CHECK_EQ(do_xsm_op(0xdead00000000ULL), -EFAULT);
	CHECK_EQ(fop(&op), 1);
	op.cmd = FLASK_USER;
	CHECK_EQ(fop(&op), -ENOSYS);
	op.cmd = FLASK_DISABLE;
	CHECK_EQ(fop(&op), -ENOSYS);
	op.cmd = 99;
	CHECK_EQ(fop(&op), -ENOSYS);
	op.cmd = FLASK_POLICYVERS;
	CHECK_EQ(fop(&op), 30);
	op.cmd = FLASK_MLS;
	CHECK_EQ(fop(&op), 0);
	op.cmd = FLASK_GETAVC_THRESHOLD;
	CHECK_EQ(fop(&op), AVC_DEF_CACHE_THRESHOLD);
	op.cmd = FLASK_SETAVC_THRESHOLD;
	op.u.setavc_threshold.threshold = 300;
	CHECK_EQ(fop(&op), 0);
	op.cmd = FLASK_GETAVC_THRESHOLD;
	CHECK_EQ(fop(&op), 300);
	op.cmd = FLASK_AVC_CACHESTATS;
	op.u.cache_stats.cpu = 1;
	CHECK_EQ(fop(&op), -ENOENT);
	op.u.cache_stats.cpu = 0;
	CHECK_EQ(fop(&op), 0);
	CHECK(op.u.cache_stats.lookups > 0);
	op.cmd = FLASK_AVC_HASHSTATS;
	CHECK_EQ(fop(&op), 0);
	CHECK_EQ(op.u.hash_stats.buckets_total, AVC_CACHE_SLOTS);
	CHECK(op.u.hash_stats.entries > 0);
	op.cmd = FLASK_GET_PEER_SID;
	CHECK_EQ(fop(&op), -EINVAL);
}

void t_op_setenforce(void)
{
	struct xen_flask_op op = {0};
	uint32_t dom0 = flask_domain_sid(&doms[D0]);
	uint32_t sec = security_initial_sid("security");

	CHECK_EQ(boot_flask(), 0);
	run_as(D0);
	op.cmd = FLASK_SETENFORCE;
	op.u.enforce.enforcing = 0;
	CHECK_EQ(fop(&op), policy_allows(dom0, sec, "security", "setenforce") ? 0 : -EACCES);
	op.cmd = FLASK_GETENFORCE;
	CHECK_EQ(fop(&op), 0);
	op.cmd = FLASK_SETENFORCE;
	op.u.enforce.enforcing = 1;
	CHECK_EQ(fop(&op), 0);
	op.cmd = FLASK_GETENFORCE;
	CHECK_EQ(fop(&op), 1);
	/* domU may not. */
	run_as(DU1);
	op.cmd = FLASK_SETENFORCE;
	op.u.enforce.enforcing = 0;
	CHECK_EQ(fop(&op), -EACCES);
	op.cmd = FLASK_GETENFORCE;
	CHECK_EQ(fop(&op), 1);
}

void t_op_contexts(void)
{
	struct xen_flask_op op = {0};
	const char *ctx = "system_u:system_r:domU_t";
	uint32_t sid;
	char out[128];

	CHECK_EQ(boot_flask(), 0);
	run_as(D0);
	op.cmd = FLASK_CONTEXT_TO_SID;
	op.u.sid_context.context = gput(4096, ctx, strlen(ctx) + 1);
	op.u.sid_context.size = (uint32_t)strlen(ctx) + 1;
	CHECK_EQ(fop(&op), 0);
	sid = op.u.sid_context.sid;
	CHECK_EQ(sid, sid_of(ctx));
	/* Without its NUL. */
	op.u.sid_context.size = (uint32_t)strlen(ctx);
	CHECK_EQ(fop(&op), -EMSGSIZE);
	/* An invalid context. */
	op.u.sid_context.context = gput(4096, "system_u:system_r:nosuch_t", 27);
	op.u.sid_context.size = 27;
	CHECK_EQ(fop(&op), -EINVAL);
	/* Back, with a buffer too small: -ERANGE and the size needed. */
	op.cmd = FLASK_SID_TO_CONTEXT;
	op.u.sid_context.sid = sid;
	op.u.sid_context.context = GVA + 8192;
	op.u.sid_context.size = 5;
	CHECK_EQ(fop(&op), -ERANGE);
	CHECK_EQ(op.u.sid_context.size, strlen(ctx) + 1);
	CHECK_EQ(fop(&op), 0);
	memcpy(out, guest + 8192, strlen(ctx) + 1);
	CHECK(strcmp(out, ctx) == 0);
	op.u.sid_context.sid = 12345;
	CHECK(fop(&op) < 0);
	/* Guarded by security:check_context. */
	run_as(DU1);
	op.cmd = FLASK_CONTEXT_TO_SID;
	op.u.sid_context.context = gput(4096, ctx, strlen(ctx) + 1);
	op.u.sid_context.size = (uint32_t)strlen(ctx) + 1;
	CHECK_EQ(fop(&op),
		 policy_allows(flask_domain_sid(&doms[DU1]), security_initial_sid("security"),
			       "security", "check_context")
		     ? 0
		     : -EACCES);
}

void t_op_access(void)
{
	struct xen_flask_op op = {0};
	struct av_decision avd;
	uint32_t s = sid_of("system_u:system_r:domU_t"), t = sid_of("system_u:system_r:dom0_t");
	uint16_t c = security_class_by_name("event");

	CHECK_EQ(boot_flask(), 0);
	s = sid_of("system_u:system_r:domU_t");
	t = sid_of("system_u:system_r:dom0_t");
	c = security_class_by_name("event");
	run_as(D0);
	op.cmd = FLASK_ACCESS;
	op.u.access.ssid = s;
	op.u.access.tsid = t;
	op.u.access.tclass = c;
	op.u.access.req = 0xffffffff;
	CHECK_EQ(fop(&op), 0);
	CHECK_EQ(security_compute_av_raw(s, t, c, &avd), 0);
	CHECK_EQ(op.u.access.allowed, avd.allowed);
	CHECK_EQ(op.u.access.audit_allow, avd.auditallow);
	CHECK_EQ(op.u.access.audit_deny, avd.auditdeny);
	CHECK_EQ(op.u.access.seqno, avd.seqno);
	op.cmd = FLASK_CREATE;
	op.u.transition.ssid = s;
	op.u.transition.tsid = t;
	op.u.transition.tclass = c;
	CHECK_EQ(fop(&op), 0);
	CHECK(op.u.transition.newsid != 0);
	op.cmd = FLASK_MEMBER;
	CHECK_EQ(fop(&op), 0);
	op.cmd = FLASK_RELABEL;
	CHECK_EQ(fop(&op), 0);
}

void t_op_bools(void)
{
	struct xen_flask_op op = {0};
	int id;

	CHECK_EQ(boot_flask(), 0);
	id = security_find_bool("guest_writeconsole");
	run_as(D0);
	op.cmd = FLASK_GETBOOL;
	op.u.boolean.bool_id = ~0u;
	op.u.boolean.name = gput(4096, "guest_writeconsole", 19);
	op.u.boolean.size = 19;
	CHECK_EQ(fop(&op), 0);
	CHECK_EQ(op.u.boolean.bool_id, id);
	CHECK_EQ(op.u.boolean.enforcing, 1);
	/* By id, the name comes back; a small buffer gets -ERANGE. */
	op.u.boolean.bool_id = (uint32_t)id;
	op.u.boolean.name = GVA + 8192;
	op.u.boolean.size = 4;
	CHECK_EQ(fop(&op), -ERANGE);
	CHECK_EQ(op.u.boolean.size, 19);
	CHECK_EQ(fop(&op), 0);
	CHECK(memcmp(guest + 8192, "guest_writeconsole", 19) == 0);
	/* setbool without commit: pending only; the decision stays. */
	op.cmd = FLASK_SETBOOL;
	op.u.boolean.bool_id = (uint32_t)id;
	op.u.boolean.new_value = 0;
	op.u.boolean.commit = 0;
	CHECK_EQ(fop(&op), 0);
	CHECK_EQ(op.u.boolean.pending, 0);
	CHECK_EQ(op.u.boolean.enforcing, 1);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
	/* commit_bools as domU: refused. */
	op.cmd = FLASK_COMMITBOOLS;
	CHECK_EQ(fop(&op), -EACCES);
	run_as(D0);
	CHECK_EQ(fop(&op), 0);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), -EACCES);
	/* setbool with commit. */
	run_as(D0);
	op.cmd = FLASK_SETBOOL;
	op.u.boolean.new_value = 1;
	op.u.boolean.commit = 1;
	CHECK_EQ(fop(&op), 0);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_write), 0);
	op.u.boolean.bool_id = 999;
	run_as(D0);
	CHECK(fop(&op) < 0);
}

void t_op_load(void)
{
	struct xen_flask_op op = {0};
	unsigned char *bad;
	uint32_t seq;

	CHECK_EQ(boot_flask(), 0);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	/* domU may not load. */
	op.cmd = FLASK_LOAD;
	op.u.load.buffer = gput(65536, test_policy, test_policy_size);
	op.u.load.size = (uint32_t)test_policy_size;
	CHECK_EQ(fop(&op), -EACCES);
	/* A corrupted policy is refused and the old one stays. */
	run_as(D0);
	seq = security_seqno();
	bad = guest + 65536;
	memcpy(bad, test_policy, test_policy_size);
	memset(bad + test_policy_size / 2, 0xee, 32);
	CHECK(fop(&op) < 0);
	CHECK_EQ(security_seqno(), seq);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	op.u.load.size = 0;
	run_as(D0);
	CHECK_EQ(fop(&op), -EINVAL);
	/* The test policy lets domU_t read the console. */
	gput(65536, test_policy, test_policy_size);
	op.u.load.size = (uint32_t)test_policy_size;
	CHECK_EQ(fop(&op), 0);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), 0);
	/* And back. */
	run_as(D0);
	op.u.load.buffer = gput(65536, policy, policy_size);
	op.u.load.size = (uint32_t)policy_size;
	CHECK_EQ(fop(&op), 0);
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
}

void t_op_ocontext(void)
{
	struct xen_flask_op op = {0};
	uint32_t dev, sid;
	const char *path = "/soc/uart@1000";

	CHECK_EQ(boot_flask(), 0);
	dev = sid_of("system_u:object_r:device_t");
	run_as(DU1);
	op.cmd = FLASK_ADD_OCONTEXT;
	op.u.ocontext.ocon = FLASK_OCON_IOPORT;
	op.u.ocontext.sid = dev;
	op.u.ocontext.low = 0x700;
	op.u.ocontext.high = 0x70f;
	CHECK_EQ(fop(&op), -EACCES);
	run_as(D0);
	CHECK_EQ(fop(&op), 0);
	CHECK_EQ(flask_ocon_sid(FLASK_OCON_IOPORT, 0x705, &sid), 0);
	CHECK_EQ(sid, dev);
	op.u.ocontext.sid = 77777;
	CHECK_EQ(fop(&op), -EINVAL);
	op.cmd = FLASK_DEL_OCONTEXT;
	CHECK_EQ(fop(&op), 0);
	CHECK_EQ(fop(&op), -ENOENT);
	op.cmd = FLASK_DEVICETREE_LABEL;
	op.u.devicetree_label.sid = dev;
	op.u.devicetree_label.path = gput(4096, path, strlen(path) + 1);
	op.u.devicetree_label.length = (uint32_t)strlen(path) + 1;
	CHECK_EQ(fop(&op), 0);
	op.u.devicetree_label.sid = 0;
	CHECK_EQ(fop(&op), 0);
	CHECK_EQ(fop(&op), -ENOENT);
}

void t_op_relabel(void)
{
	struct xen_flask_op op = {0};
	uint32_t iso = sid_of("system_u:system_r:isolated_domU_t");
	uint32_t u = flask_domain_sid(&doms[DU1]);

	CHECK_EQ(boot_flask(), 0);
	iso = sid_of("system_u:system_r:isolated_domU_t");
	u = flask_domain_sid(&doms[DU1]);
	CHECK(iso != 0);
	run_as(D0);
	op.cmd = FLASK_RELABEL_DOMAIN;
	op.u.relabel.domid = 1;
	op.u.relabel.sid = iso;
	{
		uint32_t d0 = flask_domain_sid(&doms[D0]);
		bool ok = policy_allows(d0, u, "domain2", "relabelfrom") &&
			  policy_allows(d0, iso, "domain2", "relabelto") &&
			  policy_allows(u, iso, "domain", "transition");

		CHECK_EQ(fop(&op), ok ? 0 : -EACCES);
		CHECK_EQ(flask_domain_sid(&doms[DU1]), ok ? iso : u);
	}
	op.u.relabel.domid = 55;
	CHECK_EQ(fop(&op), -ESRCH);
}

/*
 * Random flask_op structs from the privileged domain (so every sub-op gets
 * past its permission check): never a crash or a sanitizer report, always
 * 0, a positive answer or a negative errno.
 */
void t_op_random(void)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int i, bad = 0;

	CHECK_EQ(boot_flask(), 0);
	run_as(D0);
	for (i = 0; i < 20000; i++) {
		struct xen_flask_op op;
		uint32_t *w = (uint32_t *)&op;
		size_t k;
		long rc;

		for (k = 0; k < sizeof(op) / 4; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			w[k] = (uint32_t)x;
		}
		op.cmd = (uint32_t)(x >> 40) % 28;
		/* Half the pointers land in the guest window, sizes stay small. */
		if (x & 1) {
			op.u.sid_context.context = GVA + ((x >> 20) & 0xffff);
		}
		if (op.cmd == FLASK_LOAD) {
			op.u.load.size &= 0xfff;
		}
		if (op.cmd == FLASK_SETENFORCE) {
			op.u.enforce.enforcing = 1;
		}
		rc = fop(&op);
		if (rc < -4095) {
			bad++;
		}
		if (!security_get_enforcing()) {
			security_set_enforcing(true);
		}
	}
	CHECK_EQ(bad, 0);
	/* The policy still decides as before. */
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
}

/* ---- sysctl readconsole ------------------------------------------------------ */

static long sysctl(struct xen_sysctl *op)
{
	long rc;

	memcpy(guest, op, sizeof(*op));
	rc = do_sysctl(GVA);
	memcpy(op, guest, sizeof(*op));
	return rc;
}

void t_sysctl_readconsole(void)
{
	struct xen_sysctl op = {0};
	uint32_t index;

	CHECK_EQ(boot_flask(), 0);
	op.cmd = XEN_SYSCTL_readconsole;
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION - 1;
	run_as(D0);
	CHECK_EQ(sysctl(&op), -EACCES);
	op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
	op.u.readconsole.buffer = GVA + 4096;
	op.u.readconsole.count = 65536;
	CHECK_EQ(sysctl(&op), 0);
	CHECK(op.u.readconsole.count > 0);
	/* A denial lands in the ring and an incremental read finds it. */
	index = op.u.readconsole.index;
	run_as(DU1);
	CHECK_EQ(xsm_console_io(&doms[DU1], CONSOLEIO_read), -EACCES);
	CHECK_EQ(sysctl(&op), -EACCES);
	run_as(D0);
	op.u.readconsole.incremental = 1;
	op.u.readconsole.index = index;
	op.u.readconsole.count = 65536;
	memset(guest + 4096, 0, 65536);
	CHECK_EQ(sysctl(&op), 0);
	CHECK(strstr((char *)guest + 4096, "avc:  denied  { readconsole }") != NULL);
	CHECK(strstr((char *)guest + 4096, "avc:  denied  { readconsole }") ==
	      (char *)guest + 4096);
	/* Small buffers: the ring is read in pieces. */
	op.u.readconsole.index = index;
	op.u.readconsole.count = 10;
	CHECK_EQ(sysctl(&op), 0);
	CHECK_EQ(op.u.readconsole.count, 10);
	CHECK_EQ(op.u.readconsole.index, index + 10);
	op.cmd = XEN_SYSCTL_physinfo;
	CHECK_EQ(sysctl(&op), -EOPNOTSUPP);
	op.cmd = 12345;
	CHECK_EQ(sysctl(&op), -EPERM);
	op.u.readconsole.buffer = 0xdead00000000ULL;
	op.cmd = XEN_SYSCTL_readconsole;
	op.u.readconsole.incremental = 0;
	op.u.readconsole.count = 100;
	CHECK_EQ(sysctl(&op), -EFAULT);
}
