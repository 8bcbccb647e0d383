/*
 * strbuf.c - the bounded string builder (see strbuf.h).
 */
#include "strbuf.h"

void strbuf_init(struct strbuf *sb, char *buf, size_t size)
{
	sb->buf = buf;
	sb->size = size;
	sb->len = 0;
	if (size) {
		buf[0] = '\0';
	}
}

void strbuf_putc(struct strbuf *sb, char c)
{
	if (sb->len + 1 < sb->size) {
		sb->buf[sb->len] = c;
		sb->buf[sb->len + 1] = '\0';
	}
	sb->len++;
}

void strbuf_puts(struct strbuf *sb, const char *s)
{
	if (!s) {
		s = "?";
	}
	while (*s) {
		strbuf_putc(sb, *s++);
	}
}

bool strbuf_ok(const struct strbuf *sb)
{
	return sb->len < sb->size;
}
