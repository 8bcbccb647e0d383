/*
 * strbuf.h - a bounded string builder for the strings the security server
 * prints (contexts, MLS ranges, audit lines).
 */
#ifndef FLASK_STRBUF_H
#define FLASK_STRBUF_H

#include "flask_env.h"

/* A bounded string builder that keeps counting past the end, like snprintf. */
struct strbuf {
	char *buf;
	size_t size;
	size_t len; /* length of the full output, even when truncated */
};

void strbuf_init(struct strbuf *sb, char *buf, size_t size);
void strbuf_puts(struct strbuf *sb, const char *s);
void strbuf_putc(struct strbuf *sb, char c);
/* true if everything fitted (with the NUL). */
bool strbuf_ok(const struct strbuf *sb);

#endif
