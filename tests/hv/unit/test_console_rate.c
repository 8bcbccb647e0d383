/*
 * Tests of the guest console rate limit (hypervisor/common/console.c with
 * the token bucket of ratelimit.c): a domain that floods loses lines, is
 * told how many, and another domain's lines still appear. Times are given,
 * never measured.
 */
#include "hvtest.h"

#include <stdio.h>
#include <string.h>

#include <console.h>
#include <ratelimit.h>

#define LINE CONSOLE_RATE_LINE_NS
#define BURST CONSOLE_RATE_BURST

static struct console_line d1, d2, d0;

static void setup(void)
{
	capture_with_ring();
	console_set_loglvl(LOG_INFO);
	console_line_init(&d0, 0);
	console_line_init(&d1, 1);
	console_line_init(&d2, 2);
	d1.rate_limited = true;
	d2.rate_limited = true;
}

static void put(struct console_line *l, const char *s, uint64_t now)
{
	console_line_write(l, s, strlen(s), now);
}

/* How many times needle occurs in hay. */
static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle)) {
		n++;
	}
	return n;
}

static void t_bucket(void)
{
	struct token_bucket b = {0};
	unsigned int i, taken = 0;

	/* Full at the start: a burst of 3, then nothing until time passes. */
	for (i = 0; i < 5; i++) {
		taken += token_bucket_take(&b, 1000, 10, 3);
	}
	EXPECT_EQ(taken, 3);
	EXPECT(!token_bucket_take(&b, 1009, 10, 3));
	/* 9 + 1 ns since the start: one event's worth. */
	EXPECT(token_bucket_take(&b, 1010, 10, 3));
	EXPECT(!token_bucket_take(&b, 1010, 10, 3));
	/* A long silence refills to the burst, not beyond it. */
	for (i = 0, taken = 0; i < 10; i++) {
		taken += token_bucket_take(&b, 1000000, 10, 3);
	}
	EXPECT_EQ(taken, 3);
	/* A time before the last one adds nothing and does not wrap. */
	EXPECT(!token_bucket_take(&b, 5, 10, 3));
	EXPECT(!token_bucket_take(&b, 1000000, 10, 3));
	/* The largest gap cannot overflow the credit. */
	EXPECT(token_bucket_take(&b, ~0ULL, 10, 3));
	EXPECT(token_bucket_take(&b, ~0ULL, 10, 3));
	EXPECT(token_bucket_take(&b, ~0ULL, 10, 3));
	EXPECT(!token_bucket_take(&b, ~0ULL, 10, 3));
}

/* A flood: BURST lines pass, the rest are counted and said before the next admitted line. */
static void t_flood_then_note(void)
{
	char want[128];
	unsigned int i;

	setup();
	for (i = 0; i < BURST + 7; i++) {
		put(&d1, "flood\n", 0);
	}
	EXPECT_EQ(count(capture_text(), "(d1) flood\n"), BURST);
	EXPECT_EQ(count(capture_text(), "suppressed"), 0);
	capture_reset();
	/* Less than a line's worth of time: still refused, one more counted. */
	put(&d1, "early\n", LINE - 1);
	EXPECT_STREQ(capture_text(), "");
	put(&d1, "later\n", 2 * LINE - 1);
	snprintf(want, sizeof(want), "d1: console: %u lines suppressed\n(d1) later\n", 8);
	EXPECT_STREQ(capture_text(), want);
	/* The count started over. */
	capture_reset();
	put(&d1, "after\n", 2 * LINE - 1);
	put(&d1, "refill\n", 3 * LINE);
	EXPECT_STREQ(capture_text(), "d1: console: 1 lines suppressed\n(d1) refill\n");
}

/* One domain's flood costs another domain nothing; the control domain is not limited. */
static void t_per_domain(void)
{
	unsigned int i;

	setup();
	for (i = 0; i < 3 * BURST; i++) {
		put(&d1, "flood\n", 0);
		if (i % 10 == 0) {
			put(&d2, "quiet\n", 0);
		}
		put(&d0, "dom0\n", 0);
	}
	EXPECT_EQ(count(capture_text(), "(d1) flood\n"), BURST);
	EXPECT_EQ(count(capture_text(), "(d2) quiet\n"), 3 * BURST / 10);
	EXPECT_EQ(count(capture_text(), "(d0) dom0\n"), 3 * BURST);
}

/*
 * The limit is asked once per line: an admitted line's later pieces go
 * out (size bound), a refused line's are dropped and it counts once.
 */
static void t_once_per_line(void)
{
	char big[CONSOLE_LINE_MAX + 40];
	unsigned int i;

	setup();
	for (i = 0; i < BURST - 1; i++) {
		put(&d1, "x\n", 0);
	}
	capture_reset();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put(&d1, big, 0); /* the last credit: written open at the size bound */
	put(&d1, "\n", 0);
	EXPECT_EQ(count(capture_text(), "a"), sizeof(big) - 1);
	EXPECT_EQ(count(capture_text(), "(d1) "), 1); /* one line, written in two pieces */
	capture_reset();
	memset(big, 'b', sizeof(big) - 1);
	put(&d1, big, 0);
	console_line_tick(CONSOLE_LINE_IDLE_NS / 2);
	put(&d1, "tail\n", CONSOLE_LINE_IDLE_NS / 2);
	EXPECT_STREQ(capture_text(), "");
	/* Said at the flush of shutdown: one line refused, however many pieces it had. */
	console_line_flush(&d1);
	EXPECT_STREQ(capture_text(), "d1: console: 1 lines suppressed\n");
}

/* A held line idle-flushed after a refused start stays dropped until it ends. */
static void t_blank_lines_count(void)
{
	unsigned int i;

	setup();
	for (i = 0; i < BURST + 2; i++) {
		put(&d2, "\n", 0);
	}
	EXPECT_EQ(count(capture_text(), "(d2) \n"), BURST);
	console_line_flush(&d2);
	EXPECT_EQ(count(capture_text(), "d2: console: 2 lines suppressed\n"), 1);
}

static const struct hvt_case cases[] = {
    {"token bucket: starts full, refills with time up to the burst, no wrap", t_bucket},
    {"a flood loses lines past the burst and the count comes before the next line",
     t_flood_then_note},
    {"one domain's flood leaves another's lines and dom0's alone", t_per_domain},
    {"the limit is asked once per line, and a flush says what was dropped", t_once_per_line},
    {"blank lines count as lines", t_blank_lines_count},
};

const struct hvt_group group_conrate = HVT_GROUP("console_rate", cases);
