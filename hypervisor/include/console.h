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

#endif /* PALISADE_CONSOLE_H */
