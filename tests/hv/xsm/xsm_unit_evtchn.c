/*
 * xsm_unit_evtchn.c - FLASK's event:send decision memoised in the channel
 * (xsm/flask/hooks.c, flask_evtchn_send): every input of the decision
 * changes between two sends and the next send sees the new decision.
 */
#include <string.h>

#include <event.h>
#include <public/errno.h>

#include "xsm_unit.h"
#include <flask/avc.h>
#include <flask/security.h>
#include <xsm/flask/flask.h>
#include <xsm/xsm.h>

static void set_label(int i, const char *ctx)
{
	((struct domain_security *)doms[i].ssid)->sid = sid_of(ctx);
	flask_dsec_forget(doms[i].ssid);
}

static void connected(struct evtchn *c, const char *label)
{
	memset(c, 0, sizeof(*c));
	c->state = ECS_INTERDOMAIN;
	c->ssid = sid_of(label);
}

static void set_sends_open(int value)
{
	int id = security_find_bool("test_sends_open");

	CHECK(id >= 0);
	CHECK_EQ(security_set_bool(id, value), 0);
	CHECK_EQ(security_commit_bools(), 0);
}

/* Sends n times from d1; each must answer rc (a failure names the caller's line). */
#define sends(c, n, rc)                                                                            \
	do {                                                                                       \
		for (int i_ = 0; i_ < (n); i_++) {                                                 \
			CHECK_EQ(xsm_evtchn_send(&doms[DU1], (c)), (rc));                          \
		}                                                                                  \
	} while (0)

#define SENDTEST "system_u:system_r:sendtest_t"
#define CHANNEL "system_u:object_r:domU_t_channel"

void t_flask_send_memo(void)
{
	struct avc_cache_stats a, b;
	struct evtchn c;
	char why[128];

	CHECK_EQ(boot_flask(), 0);
	CHECK_EQ(flask_load_policy(test_policy, test_policy_size, why, sizeof(why)), 0);
	set_label(DU1, SENDTEST);
	run_as(DU1);
	connected(&c, CHANNEL);
	CHECK(policy_allows(sid_of(SENDTEST), c.ssid, "event", "send"));
	sends(&c, 1, 0);
	/* The allow is memoised; its hits count as the AVC's (lookups, hits). */
	CHECK_EQ(c.send_ok_ssid, sid_of(SENDTEST));
	CHECK_EQ(flask_avc_cpu_stats(0, &a), 0);
	sends(&c, 10, 0);
	CHECK_EQ(flask_avc_cpu_stats(0, &b), 0);
	CHECK_EQ(b.lookups - a.lookups, 10);
	CHECK_EQ(b.hits - a.hits, 10);
	CHECK_EQ(b.misses, a.misses);

	/* A boolean commit between two sends: denied at once, one AVC line. */
	set_sends_open(0);
	ring_mark();
	sends(&c, 1, -EACCES);
	CHECK_EQ(ring_count("avc:  denied  { send } for source=d1 target=d1 "
			    "scontext=" SENDTEST " tcontext=" CHANNEL " tclass=event",
			    NULL, 0),
		 1);
	set_sends_open(1);
	sends(&c, 2, 0);

	/* A load that takes the permission away. */
	CHECK_EQ(flask_load_policy(policy, policy_size, why, sizeof(why)), 0);
	sends(&c, 1, -EACCES);
	CHECK_EQ(flask_load_policy(test_policy, test_policy_size, why, sizeof(why)), 0);
	set_label(DU1, SENDTEST);
	connected(&c, CHANNEL);
	sends(&c, 2, 0);

	/* The sender relabelled: its new label's decision. */
	set_label(DU1, "system_u:system_r:isolated_domU_t");
	CHECK(!policy_allows(sid_of("system_u:system_r:isolated_domU_t"), c.ssid, "event", "send"));
	sends(&c, 1, -EACCES);
	set_label(DU1, SENDTEST);
	sends(&c, 2, 0);

	/* The port reused for a channel of another label. */
	c.ssid = sid_of("system_u:object_r:isolated_domU_t_channel");
	CHECK(!policy_allows(sid_of(SENDTEST), c.ssid, "event", "send"));
	sends(&c, 1, -EACCES);
	set_label(DU1, "system_u:system_r:domU_t");
}
