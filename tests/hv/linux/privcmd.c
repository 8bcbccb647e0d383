/*
 * palisade-privcmd: hypercalls from Linux dom0's userspace, as Xen's
 * libxencall makes them: /dev/xen/privcmd's IOCTL_PRIVCMD_HYPERCALL, with
 * argument buffers from mmap of /dev/xen/hypercall (the privcmd-buf
 * device, pages the kernel keeps resident).
 *
 *   palisade-privcmd [--inject]
 *
 * Checks: xen_version(XENVER_version) is 4.17, XENVER_extraversion fills
 * the buffer with Palisade's string, xsm_op(FLASK_GETENFORCE) answers 1
 * (enforcing, the default boot), xsm_op with a wrong interface version
 * and an unknown hypercall number answer -ENOSYS. Each prints one report
 * line (report.h); --inject expects wrong values (4.18, ".1-palisade",
 * permissive, -EPERM, -EPERM) so every check must then fail.
 * Exit status: 0 if every check passed, 1 otherwise, 2 on bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <public/flask_op.h>
#include <public/version.h>
#include <public/xen.h>

#include "report.h"

/* Linux's uapi xen/privcmd.h (its header needs kernel-only includes). */
struct privcmd_hypercall {
	uint64_t op;
	uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

/*
 * A number inside the hypercall page's 128 stubs (older Linux refuses the
 * others itself, before Xen sees them) that neither Xen nor Palisade gives
 * a meaning.
 */
#define UNKNOWN_HYPERCALL 63

/* What hypervisor/common/xen_version.c answers. */
#define WANT_VERSION ((4 << 16) | 17)
#define WANT_EXTRAVERSION ".0-palisade"

static int privcmd_fd;

/* The hypercall's result, or -errno as the kernel passed it up. */
static long hypercall(uint64_t op, uint64_t a0, uint64_t a1)
{
	struct privcmd_hypercall call = {.op = op, .arg = {a0, a1}};
	long rc = ioctl(privcmd_fd, IOCTL_PRIVCMD_HYPERCALL, &call);

	return rc < 0 ? -errno : rc;
}

static bool check_version(bool inject)
{
	long want = inject ? WANT_VERSION + 1 : WANT_VERSION;
	long rc = hypercall(__HYPERVISOR_xen_version, XENVER_version, 0);

	return report("xen-version", rc == want, "XENVER_version %ld.%ld (%#lx), want %ld.%ld",
		      rc >> 16, rc & 0xffff, rc, want >> 16, want & 0xffff);
}

static bool check_extraversion(char *buf, bool inject)
{
	const char *want = inject ? ".1-palisade" : WANT_EXTRAVERSION;
	long rc;

	/* Not zero: the hypervisor must write every byte, the padding too. */
	memset(buf, 0x7f, XEN_EXTRAVERSION_LEN);
	rc = hypercall(__HYPERVISOR_xen_version, XENVER_extraversion, (uintptr_t)buf);
	if (rc) {
		return report("xen-extraversion", false, "XENVER_extraversion returned %ld", rc);
	}
	if (!memchr(buf, 0, XEN_EXTRAVERSION_LEN)) {
		return report("xen-extraversion", false, "no NUL in the %d bytes",
			      XEN_EXTRAVERSION_LEN);
	}
	for (size_t i = strlen(buf); i < XEN_EXTRAVERSION_LEN; i++) {
		if (buf[i]) {
			return report("xen-extraversion", false, "byte %zu after the NUL is %#x", i,
				      (unsigned char)buf[i]);
		}
	}
	return report("xen-extraversion", !strcmp(buf, want), "\"%s\", want \"%s\"", buf, want);
}

static long flask_op(struct xen_flask_op *op, uint32_t cmd, uint32_t version)
{
	memset(op, 0, sizeof(*op));
	op->cmd = cmd;
	op->interface_version = version;
	return hypercall(__HYPERVISOR_xsm_op, (uintptr_t)op, 0);
}

static bool check_flask(struct xen_flask_op *op, bool inject)
{
	long want = inject ? 0 : 1;
	long want_errno = inject ? -EPERM : -ENOSYS;
	bool ok;
	long rc;

	rc = flask_op(op, FLASK_GETENFORCE, XEN_FLASK_INTERFACE_VERSION);
	ok = report("flask-getenforce", rc == want, "FLASK_GETENFORCE %ld, want %ld (1: enforcing)",
		    rc, want);
	rc = flask_op(op, FLASK_GETENFORCE, XEN_FLASK_INTERFACE_VERSION + 1);
	ok &= report("flask-bad-interface", rc == want_errno,
		     "FLASK_GETENFORCE with interface version %d: %ld, want %ld",
		     XEN_FLASK_INTERFACE_VERSION + 1, rc, want_errno);
	return ok;
}

static bool check_unknown(bool inject)
{
	long want = inject ? -EPERM : -ENOSYS;
	long rc = hypercall(UNKNOWN_HYPERCALL, 0, 0);

	return report("unknown-hypercall", rc == want, "hypercall %d: %ld, want %ld",
		      UNKNOWN_HYPERCALL, rc, want);
}

int main(int argc, char **argv)
{
	bool inject = argc == 2 && !strcmp(argv[1], "--inject");
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *bufs;
	int buf_fd;
	bool ok;

	if (argc > 2 || (argc == 2 && !inject)) {
		fprintf(stderr, "usage: palisade-privcmd [--inject]\n");
		return 2;
	}
	privcmd_fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	if (privcmd_fd < 0) {
		report("privcmd-open", false, "/dev/xen/privcmd: %s", strerror(errno));
		return 1;
	}
	buf_fd = open("/dev/xen/hypercall", O_RDWR | O_CLOEXEC);
	bufs = buf_fd < 0 ? MAP_FAILED
			  : mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, buf_fd, 0);
	if (bufs == MAP_FAILED) {
		report("hypercall-buffer", false, "/dev/xen/hypercall: %s", strerror(errno));
		return 1;
	}
	report("privcmd-open", true, "/dev/xen/privcmd open, a buffer from /dev/xen/hypercall");

	ok = check_version(inject);
	ok &= check_extraversion((char *)bufs, inject);
	ok &= check_flask((struct xen_flask_op *)(bufs + 64), inject);
	ok &= check_unknown(inject);
	munmap(bufs, page);
	close(buf_fd);
	close(privcmd_fd);
	return ok ? 0 : 1;
}
