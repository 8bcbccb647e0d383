/*
 * printk, the console ring and the console sinks.
 *
 * The ring is a byte buffer addressed by an ever-growing 64-bit position:
 * byte at position p lives at ring[p % size], the oldest byte kept is at
 * head - min(head, size). Readers hold positions, so they need no
 * registration, and a position can be checked for having been overtaken
 * with one comparison. Everything runs under arch_console_lock.
 */
#include <arch/console.h>
#include <console.h>
#include <public/errno.h>

static char early_ring[CONSOLE_EARLY_RING_SIZE];

static char *ring = early_ring;
static size_t ring_size = sizeof(early_ring);
static uint64_t ring_head; /* total bytes ever written */
/* Oldest position with valid data; only above head - size after a move to a bigger ring. */
static uint64_t ring_tail;

static void (*sinks[CONSOLE_MAX_SINKS])(const char *s, size_t n);
static int loglvl = LOG_INFO;

/* Formatting buffer; only used under the console lock. */
static char msg_buf[CONSOLE_MSG_MAX];

static uint64_t ring_oldest(void)
{
	uint64_t wrapped = ring_head > ring_size ? ring_head - ring_size : 0;

	return MAX(wrapped, ring_tail);
}

static void ring_put(const char *s, size_t n)
{
	/* Only the last ring_size bytes can survive; skip the rest. */
	if (n > ring_size) {
		ring_head += n - ring_size;
		s += n - ring_size;
		n = ring_size;
	}
	while (n) {
		size_t at = (size_t)(ring_head % ring_size);
		size_t chunk = MIN(n, ring_size - at);

		memcpy(ring + at, s, chunk);
		ring_head += chunk;
		s += chunk;
		n -= chunk;
	}
}

/* Copies up to len bytes from position pos (which must be kept). */
static size_t ring_get(char *dst, size_t len, uint64_t pos)
{
	size_t avail = (size_t)(ring_head - pos);
	size_t n = MIN(len, avail), done = 0;

	while (done < n) {
		size_t at = (size_t)((pos + done) % ring_size);
		size_t chunk = MIN(n - done, ring_size - at);

		memcpy(dst + done, ring + at, chunk);
		done += chunk;
	}
	return n;
}

void vprintk_level(int level, const char *fmt, va_list ap)
{
	static const char cut[] = "...\n";
	size_t n;
	int r, i;

	arch_console_lock();
	r = vsnprintf(msg_buf, sizeof(msg_buf), fmt, ap);
	if (r < 0) {
		r = 0;
	}
	n = (size_t)r;
	if (n >= sizeof(msg_buf)) {
		/* Say that the message was cut rather than lose that silently. */
		n = sizeof(msg_buf) - 1;
		memcpy(msg_buf + n - (sizeof(cut) - 1), cut, sizeof(cut) - 1);
	}
	ring_put(msg_buf, n);
	if (level <= loglvl) {
		for (i = 0; i < CONSOLE_MAX_SINKS; i++) {
			if (sinks[i]) {
				sinks[i](msg_buf, n);
			}
		}
	}
	arch_console_unlock();
}

void printk_level(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_level(level, fmt, ap);
	va_end(ap);
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_level(LOG_INFO, fmt, ap);
	va_end(ap);
}

void console_set_loglvl(int level)
{
	if (level < LOG_ERR) {
		level = LOG_ERR;
	}
	if (level > LOG_DEBUG) {
		level = LOG_DEBUG;
	}
	arch_console_lock();
	loglvl = level;
	arch_console_unlock();
}

int console_get_loglvl(void)
{
	return loglvl;
}

int console_ring_init(void *buf, size_t size)
{
	uint64_t from;

	if (!buf || size < 64) {
		return -EINVAL;
	}
	arch_console_lock();
	/*
	 * Keep positions: the new ring continues at the same head, holding the
	 * newest bytes the old one had, so existing reader cursors stay valid.
	 */
	from = ring_oldest();
	if (ring_head - from > size) {
		from = ring_head - size;
	}
	{
		char *newring = buf;
		uint64_t pos;

		for (pos = from; pos < ring_head; pos++) {
			newring[pos % size] = ring[pos % ring_size];
		}
	}
	ring = buf;
	ring_size = size;
	ring_tail = from;
	arch_console_unlock();
	return 0;
}

size_t console_ring_read(char *dst, size_t len, uint64_t *cursor)
{
	size_t n;

	arch_console_lock();
	if (*cursor < ring_oldest() || *cursor > ring_head) {
		*cursor = ring_oldest();
	}
	n = ring_get(dst, len, *cursor);
	*cursor += n;
	arch_console_unlock();
	return n;
}

uint64_t console_ring_head(void)
{
	uint64_t h;

	arch_console_lock();
	h = ring_head;
	arch_console_unlock();
	return h;
}

void console_register_sink(void (*write)(const char *s, size_t n))
{
	int i;

	if (!write) {
		return;
	}
	arch_console_lock();
	for (i = 0; i < CONSOLE_MAX_SINKS; i++) {
		if (sinks[i] == write) {
			break;
		}
		if (!sinks[i]) {
			sinks[i] = write;
			break;
		}
	}
	arch_console_unlock();
	if (i == CONSOLE_MAX_SINKS) {
		pr_warn("console: no room for another sink (max %d), not registered\n",
			CONSOLE_MAX_SINKS);
	}
}
