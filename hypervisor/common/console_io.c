/*
 * console_io: a domain writes to the hypervisor console and reads what
 * arrives on its serial line.
 *
 * Writes are copied in bounded chunks so a huge count can neither exhaust
 * the stack nor hold the console lock for long, and go to the domain's
 * console line (console.h), which gathers them into whole lines: each line
 * of guest output is prefixed with "(dN) " so it can never pass for
 * hypervisor output (a guest printing "*** Palisade fatal" must not fool a
 * reader of the log), and a hypervisor message printed between two pieces
 * of a guest's line comes before that line instead of cutting it.
 */
#include <arch/idle.h>
#include <arch/time.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/xen.h>

#include <xsm/xsm.h>

#define CHUNK 128

long do_console_io(uint32_t cmd, uint32_t count, uint64_t buffer)
{
	struct domain *d = current->domain;
	char buf[CHUNK];
	uint32_t done = 0;
	long rc;

	/* Decode before check: an unknown command is bad input, whatever the policy. */
	if (cmd != CONSOLEIO_write && cmd != CONSOLEIO_read) {
		return -ENOSYS;
	}
	rc = xsm_console_io(d, (int)cmd);
	if (rc) {
		return rc;
	}
	switch (cmd) {
	case CONSOLEIO_write:
		while (done < count) {
			uint32_t n = MIN(count - done, (uint32_t)CHUNK);

			if (copy_from_guest(buf, buffer + done, n)) {
				return -EFAULT;
			}
			console_line_write(&d->console, buf, n, arch_now_ns());
			if (!d->first_line_seen && memchr(buf, '\n', n)) {
				/* The domain build benchmark's end point (make bench-domain-build).
				 */
				d->first_line_seen = true;
				pr_debug("d%u: first console line %llu ticks after domain_create\n",
					 d->domain_id,
					 (unsigned long long)(arch_cycles() - d->created_cycles));
			}
			done += n;
		}
		return 0;
	case CONSOLEIO_read:
		/* Only the privileged domain owns the serial input (Xen: console focus). */
		if (!d->is_privileged) {
			return -EPERM;
		}
		while (done < count) {
			int ch = arch_serial_getc();
			char c;

			if (ch < 0) {
				break;
			}
			c = (char)ch;
			if (copy_to_guest(buffer + done, &c, 1)) {
				return done ? (long)done : -EFAULT;
			}
			done++;
		}
		return done;
	default:
		return -ENOSYS;
	}
}
