/*
 * printk and the console ring.
 *
 * Every message goes into the ring (so a later reader, e.g. a dump or the
 * control domain, sees everything); only messages at or below the current
 * log level also go to the sinks (serial, ...). Before console_ring_init a
 * small static ring is used so that the very first printk already works.
 *
 * The ring is addressed by a 64-bit position that only grows (total bytes
 * ever written). A reader keeps its own cursor; 0 means "from the oldest
 * byte still kept". Positions survive console_ring_init.
 */
#ifndef PALISADE_CONSOLE_H
#define PALISADE_CONSOLE_H

#include <lib.h>
#include <ratelimit.h>
#include <types.h>

#define LOG_ERR 0
#define LOG_WARN 1
#define LOG_INFO 2
#define LOG_DEBUG 3

#define CONSOLE_MAX_SINKS 4
/* Longer messages are cut and end with "...\n". */
#define CONSOLE_MSG_MAX 512
/* Size of the static ring used before console_ring_init. */
#define CONSOLE_EARLY_RING_SIZE 4096

void printk(const char *fmt, ...) __printf(1, 2);
void printk_level(int level, const char *fmt, ...) __printf(2, 3);
void vprintk_level(int level, const char *fmt, va_list ap) __printf(2, 0);

#define pr_err(...) printk_level(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk_level(LOG_WARN, __VA_ARGS__)
#define pr_info(...) printk_level(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk_level(LOG_DEBUG, __VA_ARGS__)

/* Clamped to LOG_ERR..LOG_DEBUG. */
void console_set_loglvl(int level);
int console_get_loglvl(void);

/*
 * Switch to a ring in buf (any size >= 64). Copies what the early ring
 * holds (the newest bytes if buf is smaller). Returns 0 or -EINVAL.
 * May be called again to move to a bigger ring.
 */
int console_ring_init(void *buf, size_t size);

/*
 * Copies up to len bytes from *cursor on and advances *cursor. If the
 * writer has overtaken the cursor (or it is beyond the write position),
 * reading restarts at the oldest byte kept. Returns the bytes copied.
 */
size_t console_ring_read(char *dst, size_t len, uint64_t *cursor);

/* Write position: total bytes ever written to the ring. */
uint64_t console_ring_head(void);

/* Up to CONSOLE_MAX_SINKS; more (or the same one twice) are ignored. */
void console_register_sink(void (*write)(const char *s, size_t n));

/*
 * Guest console output, gathered into whole lines.
 *
 * Each domain writes through its own struct console_line. Text is held
 * until its line ends and then written in one piece as "(dN) text\n", so
 * a hypervisor message (an AVC line) printed while a guest is half-way
 * through a line lands before that line, not inside it. A line is written
 * unfinished ("open") only when it holds CONSOLE_LINE_MAX bytes, or when
 * its oldest held byte is CONSOLE_LINE_IDLE_NS old at a console_line_tick
 * (so a prompt shows). The next text of the same domain continues an open
 * line; anything else printed first ends it with a newline, and the rest
 * comes as a new "(dN) " line. Bytes other than printable ASCII, tab and
 * newline are shown as '.'. Guest text is at LOG_INFO.
 */
#define CONSOLE_LINE_MAX 256
#define CONSOLE_LINE_IDLE_NS 100000000ULL

/*
 * The rate limit of a line marked rate_limited (every domain but the
 * control domain, whose output Xen does not limit either): a token bucket
 * (ratelimit.h) per domain that holds CONSOLE_RATE_BURST lines and refills
 * one line every CONSOLE_RATE_LINE_NS. It is asked once per line, when the
 * line's first byte would go out; the rest of an admitted line (pieces
 * written at the size bound or the idle tick) always follows, and the rest
 * of a refused line is dropped. Refused lines are counted and reported as a
 * hypervisor line, "dN: console: M lines suppressed", just before the
 * domain's next admitted line and when it flushes (shutdown, destroy). The
 * note cannot be forged: guest text always starts with "(dN) ".
 * The burst lets a kernel's boot messages through; the steady rate keeps a
 * flooding domain (and its notes) to a small share of a 115200-baud line.
 */
#define CONSOLE_RATE_BURST 200
#define CONSOLE_RATE_LINE_NS 50000000ULL

struct console_line {
	struct console_line *next_held; /* on the list of lines holding text */
	uint64_t held_since;		/* arrival of the oldest held byte (ns) */
	uint64_t last_now;		/* latest time given to write or tick (ns) */
	struct token_bucket rate;	/* lines it may still print */
	uint32_t suppressed;		/* lines refused since the last note */
	uint16_t id;			/* the N of "(dN) " */
	uint16_t len;			/* bytes held in text */
	bool held;			/* on the list */
	bool rate_limited;		/* set by its owner after init */
	bool started;			/* the current line was admitted or refused already */
	bool dropping;			/* ... and refused: its rest is dropped */
	char text[CONSOLE_LINE_MAX];
};

/* An empty line, not rate-limited. */
void console_line_init(struct console_line *l, uint16_t id);
/* Appends n bytes of guest text that arrived at now (ns). */
void console_line_write(struct console_line *l, const char *s, size_t n, uint64_t now);
/*
 * Writes what l holds and ends its line (domain shutdown and destroy):
 * afterwards the console holds no reference to l.
 */
void console_line_flush(struct console_line *l);
/* Writes, unfinished, every held line whose oldest byte came before now - CONSOLE_LINE_IDLE_NS. */
void console_line_tick(uint64_t now);

#endif /* PALISADE_CONSOLE_H */
