/*
 * XENMEM_add_to_physmap, XENMEM_add_to_physmap_batch and
 * XENMEM_remove_from_physmap: changing where a frame appears in a
 * translated domain's pseudo-physical map (a grant-table frame, the
 * shared-info page, a foreign frame).
 *
 * Every domain here is PV, and a PV domain is not translated: it names
 * machine frames itself (setup_table hands out machine frame numbers,
 * which it maps with mmu_update). Xen 4.17 refuses all three for such a
 * domain with -EACCES, after decoding the argument and finding the
 * domain and before any XSM check (xatp_permission_check, and
 * remove_from_physmap's own test); these answer the same, in the same
 * order, and change nothing.
 */
#include <domain.h>
#include <guest_access.h>
#include <physmap.h>
#include <public/errno.h>
#include <public/memory.h>
#include <public/xen.h>

/* The domain the call names; the caller keeps nothing (a PV domain is refused at once). */
static long refuse_untranslated(domid_t id)
{
	return domain_lookup_guest(id) ? -EACCES : -ESRCH;
}

long physmap_add(uint64_t start, uint64_t arg)
{
	struct xen_add_to_physmap xatp;

	/* A continuation index that xatp.size could not hold: Xen's -EDOM. */
	if (start > 0xffff) {
		return -EDOM;
	}
	if (copy_from_guest(&xatp, arg, sizeof(xatp))) {
		return -EFAULT;
	}
	/* Foreign frames only through the batch form, as Xen says. */
	if (xatp.space == XENMAPSPACE_gmfn_foreign) {
		return -ENOSYS;
	}
	return refuse_untranslated(xatp.domid);
}

long physmap_add_batch(uint64_t start, uint64_t arg)
{
	struct xen_add_to_physmap_batch xatpb;

	if (start > 0xffff) {
		return -EDOM;
	}
	if (copy_from_guest(&xatpb, arg, sizeof(xatpb))) {
		return -EFAULT;
	}
	if (xatpb.space == XENMAPSPACE_gmfn_range) {
		return -EOPNOTSUPP;
	}
	return refuse_untranslated(xatpb.domid);
}

long physmap_remove(uint64_t start, uint64_t arg)
{
	struct xen_remove_from_physmap xrfp;

	if (start) {
		return -EINVAL;
	}
	if (copy_from_guest(&xrfp, arg, sizeof(xrfp))) {
		return -EFAULT;
	}
	return refuse_untranslated(xrfp.domid);
}
