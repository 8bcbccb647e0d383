/*
 * Host implementation of guest_access.h: the guest's memory is a window
 * onto a host buffer set up by the test (fake/guest.h).
 */
#include <fake/guest.h>
#include <guest_access.h>
#include <public/errno.h>
#include <string.h>

static unsigned char *win_buf;
static uint64_t win_gva;
static size_t win_len;
static bool win_writable;

void fake_guest_map(void *buf, uint64_t gva, size_t len, bool writable)
{
	win_buf = buf;
	win_gva = gva;
	win_len = buf ? len : 0;
	win_writable = writable;
}

static unsigned char *window(uint64_t gva, size_t n, bool write)
{
	if (!guest_range_ok(gva, n) || !win_buf) {
		return NULL;
	}
	if (write && !win_writable) {
		return NULL;
	}
	if (gva < win_gva || gva - win_gva > win_len || n > win_len - (gva - win_gva)) {
		return NULL;
	}
	return win_buf + (gva - win_gva);
}

int copy_from_guest(void *dst, uint64_t gva, size_t n)
{
	unsigned char *p;

	if (n == 0) {
		return 0;
	}
	p = window(gva, n, false);
	if (!p) {
		return -EFAULT;
	}
	memcpy(dst, p, n);
	return 0;
}

int copy_to_guest(uint64_t gva, const void *src, size_t n)
{
	unsigned char *p;

	if (n == 0) {
		return 0;
	}
	p = window(gva, n, true);
	if (!p) {
		return -EFAULT;
	}
	memcpy(p, src, n);
	return 0;
}

int clear_guest(uint64_t gva, size_t n)
{
	unsigned char *p;

	if (n == 0) {
		return 0;
	}
	p = window(gva, n, true);
	if (!p) {
		return -EFAULT;
	}
	memset(p, 0, n);
	return 0;
}
