/*
 * printk, the console ring and the console sinks.
 *
 * The ring is a byte buffer addressed by an ever-growing 64-bit position:
 * byte at position p lives at ring[p % size], the oldest byte kept is at
 * head - min(head, size). Readers hold positions, so they need no
 * registration, and a position can be checked for having been overtaken
 * with one comparison. Everything runs under arch_console_lock.
 *
 * Guest lines (console_line_*) are held per domain until they end. The ring
 * and the sinks each remember the guest line they are in the middle of,
 * separately: a message below the log level reaches the ring only, and
 * must end an open guest line there without cutting it on the serial line.
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

/* The guest line written without its newline yet, in the ring and on the sinks. */
static const struct console_line *open_in_ring, *open_in_sinks;
/* Lines holding text, for console_line_tick. */
static struct console_line *held_lines;

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

static void sinks_put(const char *s, size_t n)
{
	int i;

	for (i = 0; i < CONSOLE_MAX_SINKS; i++) {
		if (sinks[i]) {
			sinks[i](s, n);
		}
	}
}

void vprintk_level(int level, const char *fmt, va_list ap)
{
	static const char cut[] = "...\n";
	size_t n;
	int r;

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
	if (n && open_in_ring) {
		ring_put("\n", 1);
		open_in_ring = NULL;
	}
	ring_put(msg_buf, n);
	if (level <= loglvl) {
		if (n && open_in_sinks) {
			sinks_put("\n", 1);
			open_in_sinks = NULL;
		}
		sinks_put(msg_buf, n);
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

/* ---- guest lines ------------------------------------------------------- */

static void line_hold(struct console_line *l, uint64_t now)
{
	if (!l->held) {
		l->held = true;
		l->held_since = now;
		l->next_held = held_lines;
		held_lines = l;
	}
}

static void line_unhold(struct console_line *l)
{
	struct console_line **pp;

	if (!l->held) {
		return;
	}
	for (pp = &held_lines; *pp; pp = &(*pp)->next_held) {
		if (*pp == l) {
			*pp = l->next_held;
			break;
		}
	}
	l->held = false;
	l->next_held = NULL;
}

/*
 * One destination: its prefix unless l's line is open there, the text, the
 * end. With nothing held and the line not open there, only a guest's own
 * newline (blank) makes a line: an empty "(dN) " one, as the guest wrote.
 */
static void line_put(const struct console_line **open, void (*put)(const char *s, size_t n),
		     const struct console_line *l, const char *prefix, size_t plen, bool ends,
		     bool blank)
{
	if (!l->len && *open != l && !blank) {
		return;
	}
	if (*open != l) {
		if (*open) {
			put("\n", 1);
		}
		put(prefix, plen);
	}
	put(l->text, l->len);
	if (ends) {
		put("\n", 1);
	}
	*open = ends ? NULL : l;
}

/* A hypervisor line at LOG_INFO written under the lock: it ends any open guest line first. */
static void hv_line_locked(const char *s, size_t n)
{
	if (open_in_ring) {
		ring_put("\n", 1);
		open_in_ring = NULL;
	}
	ring_put(s, n);
	if (LOG_INFO <= loglvl) {
		if (open_in_sinks) {
			sinks_put("\n", 1);
			open_in_sinks = NULL;
		}
		sinks_put(s, n);
	}
}

static void note_suppressed(struct console_line *l)
{
	char note[64];
	int n;

	if (!l->suppressed) {
		return;
	}
	n = snprintf(note, sizeof(note), "d%u: console: %u lines suppressed\n", l->id,
		     l->suppressed);
	l->suppressed = 0;
	hv_line_locked(note, (size_t)MIN(n, (int)sizeof(note) - 1));
}

/*
 * Whether what l holds may go out: the rate limit (console.h) is asked at
 * the first output of each line only. A refused line is counted once.
 */
static bool line_admit(struct console_line *l)
{
	if (l->started) {
		return !l->dropping;
	}
	l->started = true;
	if (!l->rate_limited) {
		return true;
	}
	if (token_bucket_take(&l->rate, l->last_now, CONSOLE_RATE_LINE_NS, CONSOLE_RATE_BURST)) {
		l->dropping = false;
		note_suppressed(l);
		return true;
	}
	l->dropping = true;
	l->suppressed++;
	return false;
}

/* Writes what l holds (its line ends if ends) and empties it. */
static void line_out(struct console_line *l, bool ends, bool blank)
{
	char prefix[16];
	size_t plen;

	/* Nothing to write and no line of its own open: nothing happens, nothing is charged. */
	if (l->len || blank || l->started) {
		if (line_admit(l)) {
			plen = (size_t)snprintf(prefix, sizeof(prefix), "(d%u) ", l->id);
			line_put(&open_in_ring, ring_put, l, prefix, plen, ends, blank);
			if (LOG_INFO <= loglvl) {
				line_put(&open_in_sinks, sinks_put, l, prefix, plen, ends, blank);
			} else if (ends && open_in_sinks == l) {
				sinks_put("\n", 1);
				open_in_sinks = NULL;
			}
		}
	}
	if (ends) {
		l->started = false;
		l->dropping = false;
	}
	l->len = 0;
	line_unhold(l);
}

void console_line_init(struct console_line *l, uint16_t id)
{
	memset(l, 0, sizeof(*l));
	l->id = id;
}

void console_line_write(struct console_line *l, const char *s, size_t n, uint64_t now)
{
	size_t i;

	arch_console_lock();
	l->last_now = MAX(l->last_now, now);
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '\n') {
			line_out(l, true, true);
			continue;
		}
		/* Nothing a guest writes may steer the terminal or look like our output's bytes. */
		if (ch != '\t' && (ch < 0x20 || ch > 0x7e)) {
			ch = '.';
		}
		line_hold(l, now);
		l->text[l->len++] = ch;
		if (l->len == CONSOLE_LINE_MAX) {
			line_out(l, false, false);
		}
	}
	arch_console_unlock();
}

void console_line_flush(struct console_line *l)
{
	arch_console_lock();
	line_out(l, true, false);
	/* What it was refused is said before its domain's next line (a shutdown line). */
	note_suppressed(l);
	/* Nothing may point at l once its domain is gone, whatever the log level did. */
	if (open_in_sinks == l) {
		open_in_sinks = NULL;
	}
	line_unhold(l);
	arch_console_unlock();
}

void console_line_tick(uint64_t now)
{
	struct console_line *l, *next;

	arch_console_lock();
	for (l = held_lines; l; l = next) {
		next = l->next_held;
		l->last_now = MAX(l->last_now, now);
		if (now - l->held_since >= CONSOLE_LINE_IDLE_NS) {
			line_out(l, false, false);
		}
	}
	arch_console_unlock();
}
