/*
 * /init of the initramfs that tests/hv/linux/run-linux-dom0 gives Linux
 * booted as dom0: proves userspace ran by a line in the kernel log (which
 * reaches the hypervisor console through console_io), then powers off.
 * With palisade_init=crash in its environment (an unknown key=value of the
 * kernel command line) it exits instead, so the kernel panics and Linux's
 * Xen panic notifier shuts the domain down with reason crash.
 * Built with gcc -static: no libraries in the initramfs.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <unistd.h>

static void klog(const char *msg)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd >= 0) {
		/* <2> (critical): shown even with "quiet". */
		(void)!write(fd, msg, strlen(msg));
		close(fd);
	}
}

int main(void)
{
	const char *mode = getenv("palisade_init");

	if (mode && !strcmp(mode, "crash")) {
		klog("<2>palisade-init: userspace reached, exiting to make the kernel panic\n");
		return 1;
	}
	klog("<2>palisade-init: userspace reached, powering off\n");
	sync();
	reboot(RB_POWER_OFF);
	klog("<2>palisade-init: reboot(RB_POWER_OFF) returned\n");
	return 2;
}
