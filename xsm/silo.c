/*
 * The silo XSM module: the dummy module's decisions, and in addition a
 * domain may talk (event channels, grants) only to itself or to the
 * privileged domain, never to a sibling guest. Xen's XSM_SILO.
 */
#include <xsm/xsm.h>

#include <public/errno.h>

static struct xsm_ops dummy;

/* Communication between a and b stays inside the silo. */
static bool silo_ok(const struct domain *a, const struct domain *b)
{
	return a == b || xsm_domain_is_privileged(a) || xsm_domain_is_privileged(b);
}

/* The remote end is named by id: dom0 (the privileged domain) or d itself. */
static int silo_evtchn_unbound(struct domain *d, struct evtchn *chn, uint16_t id2)
{
	if (id2 != xsm_domain_id(d) && id2 != 0 && !xsm_domain_is_privileged(d)) {
		return -EPERM;
	}
	return dummy.evtchn_unbound(d, chn, id2);
}

static int silo_evtchn_interdomain(struct domain *d1, struct evtchn *chn1, struct domain *d2,
				   struct evtchn *chn2)
{
	if (!silo_ok(d1, d2)) {
		return -EPERM;
	}
	return dummy.evtchn_interdomain(d1, chn1, d2, chn2);
}

static int silo_grant_mapref(struct domain *d1, struct domain *d2, uint32_t flags)
{
	if (!silo_ok(d1, d2)) {
		return -EPERM;
	}
	return dummy.grant_mapref(d1, d2, flags);
}

static int silo_grant_transfer(struct domain *d1, struct domain *d2)
{
	if (!silo_ok(d1, d2)) {
		return -EPERM;
	}
	return dummy.grant_transfer(d1, d2);
}

static int silo_grant_copy(struct domain *d1, struct domain *d2)
{
	if (!silo_ok(d1, d2)) {
		return -EPERM;
	}
	return dummy.grant_copy(d1, d2);
}

void xsm_silo_install(struct xsm_ops *ops)
{
	dummy = xsm_dummy_ops;
	*ops = xsm_dummy_ops;
	ops->evtchn_unbound = silo_evtchn_unbound;
	ops->evtchn_interdomain = silo_evtchn_interdomain;
	ops->grant_mapref = silo_grant_mapref;
	ops->grant_transfer = silo_grant_transfer;
	ops->grant_copy = silo_grant_copy;
}
