/*
 * The domain facts XSM needs, read from struct domain. Kept out of xsm.h
 * so that the hook wrappers do not depend on domain.h's layout; host unit
 * tests link their own version of this file.
 */
#include <xsm/xsm.h>

#include <domain.h>
#include <public/xen.h>

struct domain *xsm_current_domain(void)
{
	if (current && current->domain) {
		return current->domain;
	}
	return dom_xen;
}

bool xsm_domain_is_privileged(const struct domain *d)
{
	return d && (d->is_privileged || d == dom_xen);
}

struct domain *xsm_domain_target(const struct domain *d)
{
	return d ? d->target : NULL;
}

bool xsm_domain_is_xenstore(const struct domain *d)
{
	return false;
}

uint16_t xsm_domain_id(const struct domain *d)
{
	if (!d) {
		return DOMID_INVALID;
	}
	return d->domain_id;
}

struct domain *xsm_dom_io(void)
{
	return dom_io;
}

void *xsm_domain_ssid(const struct domain *d)
{
	return d ? d->ssid : NULL;
}

void xsm_domain_set_ssid(struct domain *d, void *ssid)
{
	d->ssid = ssid;
}
