/*
 * xen_version: what a PV kernel asks before anything else. Palisade
 * answers as the Xen release whose ABI it implements.
 */
#include <cmdline.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/version.h>
#include <public/xen.h>

#include <xsm/xsm.h>

static const char extraversion[XEN_EXTRAVERSION_LEN] = ".0-palisade";
static const char capabilities[] = "xen-3.0-x86_64";
static const char changeset[] = "palisade";

_Static_assert(XEN_COMMANDLINE_LEN >= XEN_CAPABILITIES_INFO_LEN, "copy_fixed's buffer");

/* Copies a fixed-size string buffer, zero-padded, whatever the source length. */
static long copy_fixed(uint64_t arg, const char *s, size_t size)
{
	char buf[XEN_COMMANDLINE_LEN];

	memset(buf, 0, size);
	strlcpy(buf, s, size);
	return copy_to_guest(arg, buf, size) ? -EFAULT : 0;
}

long do_xen_version(uint32_t cmd, uint64_t arg)
{
	struct domain *d = current->domain;
	long rc;

	/* Decode before check: an unknown sub-op is bad input, whatever the policy. */
	if (cmd > XENVER_build_id || cmd == XENVER_guest_handle) {
		return -ENOSYS;
	}
	rc = xsm_xen_version(cmd);
	if (rc) {
		return rc;
	}
	switch (cmd) {
	case XENVER_version:
		return (XEN_RELEASE_MAJOR << 16) | XEN_RELEASE_MINOR;
	case XENVER_extraversion:
		return copy_fixed(arg, extraversion, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info: {
		struct xen_compile_info ci;

		memset(&ci, 0, sizeof(ci));
		strlcpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler));
		strlcpy(ci.compile_by, "palisade", sizeof(ci.compile_by));
		strlcpy(ci.compile_domain, "localdomain", sizeof(ci.compile_domain));
		strlcpy(ci.compile_date, __DATE__ " " __TIME__, sizeof(ci.compile_date));
		return copy_to_guest(arg, &ci, sizeof(ci)) ? -EFAULT : 0;
	}
	case XENVER_capabilities:
		return copy_fixed(arg, capabilities, XEN_CAPABILITIES_INFO_LEN);
	case XENVER_changeset:
		return copy_fixed(arg, changeset, XEN_CHANGESET_INFO_LEN);
	case XENVER_platform_parameters: {
		struct xen_platform_parameters pp = {.virt_start = HYPERVISOR_VIRT_START};

		return copy_to_guest(arg, &pp, sizeof(pp)) ? -EFAULT : 0;
	}
	case XENVER_get_features: {
		struct xen_feature_info fi;

		if (copy_from_guest(&fi, arg, sizeof(fi))) {
			return -EFAULT;
		}
		if (fi.submap_idx >= XENFEAT_NR_SUBMAPS) {
			return -EINVAL;
		}
		/*
		 * Only what is really implemented. gnttab_map_avail_bits is a
		 * promise about grant mappings (their PTE avail bits are the
		 * guest's): there are none yet, so it holds trivially, and Linux
		 * (5.17 on) refuses to run as a PV guest without it. The grant
		 * table code must keep the promise.
		 */
		fi.submap = (1U << XENFEAT_pae_pgdir_above_4gb) |
			    (1U << XENFEAT_mmu_pt_update_preserve_ad) |
			    (1U << XENFEAT_gnttab_map_avail_bits);
		if (d->is_privileged) {
			fi.submap |= 1U << XENFEAT_dom0;
		}
		return copy_to_guest(arg, &fi, sizeof(fi)) ? -EFAULT : 0;
	}
	case XENVER_pagesize:
		return PAGE_SIZE;
	case XENVER_commandline:
		/* It may name labels and options: the XSM check above guards it. */
		return copy_fixed(arg, hypervisor_cmdline(), XEN_COMMANDLINE_LEN);
	case XENVER_build_id: {
		struct xen_varbuf vb;

		/*
		 * The image carries no build id, so the answer is Xen's for that
		 * case, once the header has been read as Xen reads it.
		 */
		if (copy_from_guest(&vb, arg, sizeof(vb))) {
			return -EFAULT;
		}
		return -ENODATA;
	}
	default:
		return -ENOSYS;
	}
}
