/*
 * The silo XSM module: the dummy module's decisions, and in addition a
 * domain may talk (event channels, grants) only to itself or to the
 * privileged domain, never to a sibling guest. Xen's XSM_SILO.
 */
#include <xsm/xsm.h>

#include <console.h>
#include <public/errno.h>
#include <public/xen.h>

static struct xsm_ops dummy;

/* Communication between a and b stays inside the silo. */
static bool silo_ok(const struct domain *a, const struct domain *b)
{
	return a == b || xsm_domain_is_privileged(a) || xsm_domain_is_privileged(b);
}

/*
 * The remote end is named by id: dom0 (the privileged domain), the
 * hypervisor (the console back end of a boot-time domU) or d itself.
 */
static int silo_evtchn_unbound(struct domain *d, struct evtchn *chn, uint16_t id2)
{
	if (id2 != xsm_domain_id(d) && id2 != 0 && id2 != DOMID_XEN &&
	    !xsm_domain_is_privileged(d)) {
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

/* The dummy table with the five communication hooks replaced; built at boot. */
static struct xsm_ops silo_ops;

static int silo_boot(const void *policy, size_t size, const struct xsm_ops **ops, char *why,
		     size_t whylen)
{
	dummy = xsm_dummy_ops;
	silo_ops = xsm_dummy_ops;
	silo_ops.evtchn_unbound = silo_evtchn_unbound;
	silo_ops.evtchn_interdomain = silo_evtchn_interdomain;
	silo_ops.grant_mapref = silo_grant_mapref;
	silo_ops.grant_transfer = silo_grant_transfer;
	silo_ops.grant_copy = silo_grant_copy;
	pr_info("XSM: silo module\n");
	*ops = &silo_ops;
	return 0;
}

/* No fixed table: silo_boot patches a copy of the dummy one. */
const struct xsm_module xsm_silo_module = {
    .name = "silo",
    .choice = XSM_SILO,
    .boot = silo_boot,
};
