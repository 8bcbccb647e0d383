/*
 * console_io: a domain writes to the hypervisor console and reads what
 * arrives on its serial line.
 *
 * Writes go through the console in bounded chunks so a huge count can
 * neither exhaust the stack nor hold the console lock for long; each line
 * of guest output is prefixed with "(dN) " so it can never pass for
 * hypervisor output (a guest printing "*** Palisade fatal" must not fool a
 * reader of the log). Non-printable bytes other than newline and tab are
 * shown as '.'.
 */
#include <arch/idle.h>
#include <console.h>
#include <domain.h>
#include <guest_access.h>
#include <hypercall.h>
#include <lib.h>
#include <public/errno.h>
#include <public/xen.h>

#include <xsm/xsm.h>

#define CHUNK 128

/* Start of a line for each domain's output: one guest at a time for now. */
static bool at_line_start = true;

static void emit(const struct domain *d, const char *buf, size_t n)
{
	char out[CHUNK * 2 + 16];
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		char ch = buf[i];

		if (at_line_start) {
			o += snprintf(out + o, sizeof(out) - o, "(d%u) ", d->domain_id);
			at_line_start = false;
		}
		if (ch == '\n') {
			at_line_start = true;
		} else if (ch != '\t' && (ch < 0x20 || ch > 0x7e)) {
			ch = '.';
		}
		out[o++] = ch;
		if (o > sizeof(out) - 16) {
			printk("%.*s", (int)o, out);
			o = 0;
		}
	}
	if (o) {
		printk("%.*s", (int)o, out);
	}
}

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
			emit(d, buf, n);
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
