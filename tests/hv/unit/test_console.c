/*
 * Tests of hypervisor/common/console.c: the early ring, ring init, wrap
 * with any size, readers overtaken, levels filtering the sinks, sinks,
 * message truncation. Cases depend on their order (the console is global
 * state and the early ring can only be tested before console_ring_init).
 */
#include "hvtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <console.h>
#include <fake/mem.h>
#include <public/errno.h>

/* Everything the tests wrote, to compare ring contents with. */
static char written[1 << 20];
static size_t nwritten;

static void record(const char *s)
{
	memcpy(written + nwritten, s, strlen(s));
	nwritten += strlen(s);
}

static void emit(int level, const char *s)
{
	printk_level(level, "%s", s);
	record(s);
}

/* Bytes [from, to) of everything written so far. */
static bool ring_matches(uint64_t from, const char *got, size_t n)
{
	return from + n <= nwritten && memcmp(written + from, got, n) == 0;
}

static void t_early_printk(void)
{
	char buf[64];
	uint64_t cur = 0;
	size_t n;

	EXPECT_EQ(console_ring_head(), 0);
	printk("early %d\n", 1);
	memcpy(written, "early 1\n", 8);
	nwritten = 8;
	EXPECT_EQ(console_ring_head(), 8);
	n = console_ring_read(buf, sizeof(buf), &cur);
	EXPECT_EQ(n, 8);
	EXPECT(memcmp(buf, "early 1\n", 8) == 0);
	EXPECT_EQ(cur, 8);
	/* nothing more to read */
	EXPECT_EQ(console_ring_read(buf, sizeof(buf), &cur), 0);
	EXPECT_EQ(fake_console_lock_depth, 0);
}

static void t_early_wrap(void)
{
	static char buf[CONSOLE_EARLY_RING_SIZE * 2];
	char line[80];
	uint64_t cur = 0;
	size_t n;

	/* three times the early ring */
	for (int i = 0; nwritten < 3 * CONSOLE_EARLY_RING_SIZE; i++) {
		snprintf(line, sizeof(line), "early line %d with some padding text\n", i);
		emit(LOG_DEBUG, line);
	}
	EXPECT_EQ(console_ring_head(), nwritten);
	n = console_ring_read(buf, sizeof(buf), &cur);
	EXPECT_EQ(n, CONSOLE_EARLY_RING_SIZE);
	EXPECT(ring_matches(nwritten - CONSOLE_EARLY_RING_SIZE, buf, n));
	EXPECT_EQ(cur, nwritten);
}

static uint64_t kept_cursor;
static char odd_ring[1000];

static void t_ring_init(void)
{
	static char big[3000];
	char *buf = malloc(2 * CONSOLE_EARLY_RING_SIZE);
	uint64_t cur, before = nwritten;

	EXPECT_EQ(console_ring_init(NULL, 4096), -EINVAL);
	EXPECT_EQ(console_ring_init(big, 63), -EINVAL);
	/* a cursor taken before init is still valid after it */
	kept_cursor = nwritten - 100;
	/* a ring smaller than the early one keeps the newest bytes */
	EXPECT_EQ(console_ring_init(big, sizeof(big)), 0);
	EXPECT_EQ(console_ring_head(), before);
	cur = 0;
	{
		char out[4000];
		size_t n = console_ring_read(out, sizeof(out), &cur);

		EXPECT_EQ(n, sizeof(big));
		EXPECT(ring_matches(nwritten - sizeof(big), out, n));
	}
	/* moving to a bigger ring keeps all of it */
	EXPECT_EQ(console_ring_init(buf, 2 * CONSOLE_EARLY_RING_SIZE), 0);
	cur = 0;
	{
		char out[3000];
		size_t n = console_ring_read(out, sizeof(out), &cur);

		EXPECT_EQ(n, sizeof(big));
		EXPECT(ring_matches(nwritten - sizeof(big), out, n));
	}
	{
		char out[200];
		size_t n = console_ring_read(out, sizeof(out), &kept_cursor);

		EXPECT_EQ(n, 100);
		EXPECT(ring_matches(nwritten - 100, out, n));
	}
	/* the final ring for the rest of the group: an odd size */
	EXPECT_EQ(console_ring_init(odd_ring, sizeof(odd_ring)), 0);
	free(buf);
}

static void t_wrap_any_size(void)
{
	char line[200], out[333];
	uint64_t cur = console_ring_head();
	size_t got = 0;

	/* a reader that keeps up, reading in odd-sized chunks across many wraps */
	for (int i = 0; i < 3000; i++) {
		uint64_t start = cur;
		size_t n;

		snprintf(line, sizeof(line), "%d:%.*s\n", i, i % 150,
			 "abcdefghijklmnopqrstuvwxyz"
			 "abcdefghijklmnopqrstuvwxyz"
			 "abcdefghijklmnopqrstuvwxyz"
			 "abcdefghijklmnopqrstuvwxyz"
			 "abcdefghijklmnopqrstuvwxyz"
			 "abcdefghijklmnopqrstuvwxyz");
		emit(LOG_DEBUG, line);
		while ((n = console_ring_read(out, 1 + (size_t)i % sizeof(out), &cur)) > 0) {
			if (!ring_matches(start, out, n)) {
				hvt_fail(__FILE__, __LINE__, "bytes at %llu differ",
					 (unsigned long long)start);
				return;
			}
			start += n;
			got += n;
		}
		if (cur != nwritten) {
			hvt_fail(__FILE__, __LINE__, "reader at %llu, writer at %zu",
				 (unsigned long long)cur, nwritten);
			return;
		}
	}
	EXPECT(got > 10 * 1000);
}

static void t_reader_overtaken(void)
{
	char out[2000];
	uint64_t cur = console_ring_head(), future;
	size_t n;

	for (int i = 0; i < 100; i++) {
		emit(LOG_DEBUG, "overtaking the reader, 37 bytes long\n");
	}
	/* restart at the oldest byte kept: the last 1000 */
	n = console_ring_read(out, sizeof(out), &cur);
	EXPECT_EQ(n, 1000);
	EXPECT(ring_matches(nwritten - 1000, out, n));
	EXPECT_EQ(cur, nwritten);
	/* a cursor from the future is treated the same way */
	future = nwritten + 5;
	n = console_ring_read(out, 10, &future);
	EXPECT_EQ(n, 10);
	EXPECT(ring_matches(nwritten - 1000, out, n));
	EXPECT_EQ(future, nwritten - 1000 + 10);
	/* len 0 reads nothing and does not move a valid cursor */
	cur = nwritten - 5;
	EXPECT_EQ(console_ring_read(out, 0, &cur), 0);
	EXPECT_EQ(cur, nwritten - 5);
}

struct sink_log {
	char text[4096];
	size_t len;
};
static struct sink_log logs[5];

#define SINK(i)                                                                                    \
	static void sink##i(const char *s, size_t n)                                               \
	{                                                                                          \
		if (fake_console_lock_depth != 1) {                                                \
			abort(); /* sinks run under the console lock */                            \
		}                                                                                  \
		if (logs[i].len + n < sizeof(logs[i].text)) {                                      \
			memcpy(logs[i].text + logs[i].len, s, n);                                  \
			logs[i].len += n;                                                          \
			logs[i].text[logs[i].len] = '\0';                                          \
		}                                                                                  \
	}
SINK(0)
SINK(1)
SINK(2)
SINK(3)
SINK(4)

static void reset_logs(void)
{
	memset(logs, 0, sizeof(logs));
}

static void t_sinks(void)
{
	console_register_sink(sink0);
	console_register_sink(sink1);
	console_register_sink(sink1); /* twice: once */
	console_register_sink(sink2);
	console_register_sink(sink3);
	reset_logs();
	console_register_sink(sink4); /* a fifth: ignored, with a warning */
	record("console: no room for another sink (max 4), not registered\n");
	EXPECT_STREQ(logs[0].text, "console: no room for another sink (max 4), not registered\n");
	console_register_sink(NULL);
	reset_logs();
	console_set_loglvl(LOG_INFO);
	emit(LOG_INFO, "to all sinks\n");
	for (int i = 0; i < 4; i++) {
		EXPECT_STREQ(logs[i].text, "to all sinks\n");
	}
	EXPECT_EQ(logs[4].len, 0);
}

static void t_levels(void)
{
	static const char *const expect[4] = {
	    "E\n",
	    "E\nW\n",
	    "E\nW\nI\nP\n",
	    "E\nW\nI\nP\nD\n",
	};
	uint64_t start;

	for (int lvl = LOG_ERR; lvl <= LOG_DEBUG; lvl++) {
		console_set_loglvl(lvl);
		EXPECT_EQ(console_get_loglvl(), lvl);
		reset_logs();
		start = console_ring_head();
		pr_err("E\n");
		pr_warn("W\n");
		pr_info("I\n");
		printk("P\n"); /* info level */
		pr_debug("D\n");
		record("E\nW\nI\nP\nD\n");
		EXPECT_STREQ(logs[0].text, expect[lvl]);
		EXPECT_STREQ(logs[3].text, expect[lvl]);
		/* the ring gets every level regardless */
		EXPECT_STREQ(ring_since(start), "E\nW\nI\nP\nD\n");
	}
	console_set_loglvl(-7);
	EXPECT_EQ(console_get_loglvl(), LOG_ERR);
	console_set_loglvl(99);
	EXPECT_EQ(console_get_loglvl(), LOG_DEBUG);
	/* levels outside the range: negative ones always reach the sinks */
	console_set_loglvl(LOG_WARN);
	reset_logs();
	printk_level(-1, "neg\n");
	printk_level(17, "big\n");
	record("neg\nbig\n");
	EXPECT_STREQ(logs[0].text, "neg\n");
	console_set_loglvl(LOG_INFO);
	EXPECT_EQ(fake_console_lock_depth, 0);
}

static void t_truncation(void)
{
	char big[2000];
	uint64_t start = console_ring_head();
	const char *got;

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	reset_logs();
	printk("%s", big);
	got = ring_since(start);
	record(got);
	EXPECT_EQ(strlen(got), CONSOLE_MSG_MAX - 1);
	EXPECT(strcmp(got + CONSOLE_MSG_MAX - 5, "...\n") == 0);
	EXPECT(strspn(got, "z") == CONSOLE_MSG_MAX - 5);
	EXPECT_STREQ(logs[1].text, got);
	/* exactly CONSOLE_MSG_MAX - 1 bytes fit whole */
	big[CONSOLE_MSG_MAX - 1] = '\0';
	start = console_ring_head();
	printk("%s", big);
	got = ring_since(start);
	record(got);
	EXPECT_STREQ(got, big);
}

static void t_tiny_ring(void)
{
	static char tiny[64];
	char msg[300], out[100];
	uint64_t cur = 0;

	/* a single message longer than the whole ring keeps its tail */
	EXPECT_EQ(console_ring_init(tiny, sizeof(tiny)), 0);
	for (int i = 0; i < 299; i++) {
		msg[i] = (char)('A' + i % 26);
	}
	msg[299] = '\0';
	emit(LOG_DEBUG, msg);
	EXPECT_EQ(console_ring_read(out, sizeof(out), &cur), 64);
	EXPECT(ring_matches(nwritten - 64, out, 64));
	EXPECT_EQ(console_ring_head(), nwritten);
}

static const struct hvt_case cases[] = {
    {"early printk before ring init", t_early_printk},
    {"early ring wraps, oldest byte kept", t_early_wrap},
    {"ring init keeps early contents and cursors, rejects bad buffers", t_ring_init},
    {"odd-sized ring: many wraps, reader keeping up", t_wrap_any_size},
    {"reader overtaken restarts at the oldest byte", t_reader_overtaken},
    {"up to 4 sinks, duplicates and extras ignored", t_sinks},
    {"levels filter the sinks, not the ring", t_levels},
    {"overlong message cut with ...", t_truncation},
    {"message longer than the ring", t_tiny_ring},
};

const struct hvt_group group_console = HVT_GROUP("console", cases);
