/*
 * Tests of the guest console lines of hypervisor/common/console.c: a guest's
 * output is held until its line ends, so a hypervisor message printed in
 * between comes before the guest's line, never inside it; several domains'
 * lines do not mix; the size bound, the idle flush at a tick (times are
 * given, not measured), the flush at shutdown, and the ring and the sinks
 * each ending an open line for themselves.
 */
#include "hvtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <console.h>

static struct console_line d0, d1;

static void setup(void)
{
	capture_with_ring();
	console_set_loglvl(LOG_INFO);
	console_line_init(&d0, 0);
	console_line_init(&d1, 1);
}

static void put(struct console_line *l, const char *s, uint64_t now)
{
	console_line_write(l, s, strlen(s), now);
}

/* The report of the issue: "setenforce rc=", an AVC line, then "0\n". */
static void t_piece_around_avc(void)
{
	uint64_t pos;

	setup();
	pos = console_ring_head();
	put(&d0, "setenforce rc=", 0);
	EXPECT_STREQ(capture_text(), "");
	printk("avc:  denied  { setenforce } for source=d0\n");
	put(&d0, "-13", 1);
	put(&d0, "\n", 2);
	EXPECT_STREQ(capture_text(),
		     "avc:  denied  { setenforce } for source=d0\n(d0) setenforce rc=-13\n");
	EXPECT_STREQ(ring_since(pos),
		     "avc:  denied  { setenforce } for source=d0\n(d0) setenforce rc=-13\n");
}

static void t_two_domains(void)
{
	setup();
	put(&d0, "zero a", 0);
	put(&d1, "one a", 0);
	put(&d0, " zero b\nzero c", 0);
	put(&d1, " one b\n\n", 0);
	put(&d0, "\n", 0);
	EXPECT_STREQ(capture_text(), "(d0) zero a zero b\n(d1) one a one b\n(d1) \n(d0) zero c\n");
}

static void t_unprintable(void)
{
	setup();
	console_line_write(&d0, "a\tb\x1b[2J\x7f\xff\r\n", 11, 0);
	EXPECT_STREQ(capture_text(), "(d0) a\tb.[2J...\n");
}

/* A line of CONSOLE_LINE_MAX bytes is written unfinished; its domain goes on with it. */
static void t_size_bound(void)
{
	char big[CONSOLE_LINE_MAX + 1];
	char want[3 * CONSOLE_LINE_MAX];

	setup();
	memset(big, 'x', CONSOLE_LINE_MAX);
	big[CONSOLE_LINE_MAX] = '\0';
	put(&d0, big, 0);
	snprintf(want, sizeof(want), "(d0) %s", big);
	EXPECT_STREQ(capture_text(), want);
	put(&d0, "yz\n", 0);
	snprintf(want, sizeof(want), "(d0) %syz\n", big);
	EXPECT_STREQ(capture_text(), want);

	/* Something printed while such a line is open ends it; the rest gets its own prefix. */
	capture_reset();
	put(&d1, big, 0);
	printk("hv\n");
	put(&d1, "tail\n", 0);
	snprintf(want, sizeof(want), "(d1) %s\nhv\n(d1) tail\n", big);
	EXPECT_STREQ(capture_text(), want);

	/* So does another domain's line. */
	capture_reset();
	put(&d1, big, 0);
	put(&d0, "other\n", 0);
	put(&d1, "tail\n", 0);
	snprintf(want, sizeof(want), "(d1) %s\n(d0) other\n(d1) tail\n", big);
	EXPECT_STREQ(capture_text(), want);
}

/* A tick writes a line whose oldest byte has waited CONSOLE_LINE_IDLE_NS, and only then. */
static void t_idle_tick(void)
{
	const uint64_t t0 = 5000000000ULL;

	setup();
	put(&d0, "login: ", t0);
	console_line_tick(t0 + CONSOLE_LINE_IDLE_NS - 1);
	EXPECT_STREQ(capture_text(), "");
	put(&d1, "later", t0 + CONSOLE_LINE_IDLE_NS / 2);
	console_line_tick(t0 + CONSOLE_LINE_IDLE_NS);
	EXPECT_STREQ(capture_text(), "(d0) login: ");
	/* The prompt's answer continues the line. */
	put(&d0, "root\n", t0 + 3 * CONSOLE_LINE_IDLE_NS);
	EXPECT_STREQ(capture_text(), "(d0) login: root\n");
	console_line_tick(t0 + 3 * CONSOLE_LINE_IDLE_NS / 2);
	EXPECT_STREQ(capture_text(), "(d0) login: root\n(d1) later");
	console_line_flush(&d1);
	EXPECT_STREQ(capture_text(), "(d0) login: root\n(d1) later\n");
	console_line_tick(~0ULL);
	EXPECT_STREQ(capture_text(), "(d0) login: root\n(d1) later\n");
}

/* Shutdown and destroy write what is held, and leave nothing pointing at the line. */
static void t_flush(void)
{
	struct console_line *tmp = malloc(sizeof(*tmp));

	setup();
	console_line_init(tmp, 7);
	put(tmp, "last words", 0);
	console_line_flush(tmp);
	EXPECT_STREQ(capture_text(), "(d7) last words\n");
	console_line_flush(tmp); /* again: nothing more */
	EXPECT_STREQ(capture_text(), "(d7) last words\n");
	/* An open line is ended; then the memory may go (ASan would see a later use). */
	put(tmp, "prompt> ", 0);
	console_line_tick(CONSOLE_LINE_IDLE_NS);
	console_line_flush(tmp);
	free(tmp);
	printk("after\n");
	console_line_tick(~0ULL);
	EXPECT_STREQ(capture_text(), "(d7) last words\n(d7) prompt> \nafter\n");
	/* A flush of a line that holds nothing and is not open writes nothing. */
	capture_reset();
	console_line_flush(&d0);
	EXPECT_STREQ(capture_text(), "");
}

/*
 * A message below the log level reaches the ring only: it ends the open
 * guest line there, not on the serial line, where the guest's line goes on.
 */
static void t_ring_and_sinks(void)
{
	uint64_t pos;

	setup();
	pos = console_ring_head();
	put(&d0, "prompt> ", 0);
	console_line_tick(CONSOLE_LINE_IDLE_NS);
	pr_debug("debug only\n");
	put(&d0, "ls\n", 0);
	EXPECT_STREQ(capture_text(), "(d0) prompt> ls\n");
	EXPECT_STREQ(ring_since(pos), "(d0) prompt> \ndebug only\n(d0) ls\n");
}

static const struct hvt_case cases[] = {
    {"a guest line is written whole after an AVC line printed in its middle", t_piece_around_avc},
    {"two domains' pieces make two whole lines, blank lines kept", t_two_domains},
    {"control and high bytes are shown as '.'", t_unprintable},
    {"a full line is written open and ended by the next other output", t_size_bound},
    {"a tick writes an idle line open, not before its time, and it continues", t_idle_tick},
    {"flush at shutdown/destroy writes and ends the line, keeps no pointer", t_flush},
    {"the ring and the sinks end an open line each for themselves", t_ring_and_sinks},
};

const struct hvt_group group_conline = HVT_GROUP("console_line", cases);
