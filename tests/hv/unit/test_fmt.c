/*
 * Tests of hypervisor/lib/vsnprintf.c: the same format and arguments given
 * to the hypervisor's snprintf and to the host's must give the same text and
 * the same return value; then truncation and the non-standard corners.
 */
#include "hvtest.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int compared;

#define CMP(fmt, ...)                                                                              \
	do {                                                                                       \
		char _a[256], _b[256];                                                             \
		int _ra = hv_snprintf(_a, sizeof(_a), fmt, __VA_ARGS__);                           \
		int _rb = snprintf(_b, sizeof(_b), fmt, __VA_ARGS__);                              \
		compared++;                                                                        \
		if (_ra != _rb || strcmp(_a, _b) != 0) {                                           \
			hvt_fail(__FILE__, __LINE__,                                               \
				 "format \"%s\": got \"%s\" (%d), host \"%s\" (%d)", fmt, _a, _ra, \
				 _b, _rb);                                                         \
		}                                                                                  \
	} while (0)

static void t_ints(void)
{
	static const int iv[] = {0, 1, -1, 42, -42, 123456789, INT_MAX, INT_MIN};

	for (size_t i = 0; i < sizeof(iv) / sizeof(iv[0]); i++) {
		int v = iv[i];

		CMP("%d", v);
		CMP("%i", v);
		CMP("[%5d]", v);
		CMP("[%-5d]", v);
		CMP("[%05d]", v);
		CMP("[%+d]", v);
		CMP("[% d]", v);
		CMP("[%+05d]", v);
		CMP("[%.3d]", v);
		CMP("[%8.3d]", v);
		CMP("[%-8.3d]", v);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
		CMP("[%08.3d]", v); /* precision wins over the 0 flag */
#pragma GCC diagnostic pop
		CMP("[%.0d]", v); /* precision 0 and value 0: no digits */
		CMP("[%*d]", 7, v);
		CMP("[%*d]", -7, v);
		CMP("[%.*d]", 4, v);
		CMP("[%.*d]", -4, v); /* negative precision: as if none */
		CMP("%u", (unsigned)v);
		CMP("%x", (unsigned)v);
		CMP("%X", (unsigned)v);
		CMP("%o", (unsigned)v);
		CMP("[%#x]", (unsigned)v);
		CMP("[%#X]", (unsigned)v);
		CMP("[%#o]", (unsigned)v);
		CMP("[%#10x]", (unsigned)v);
		CMP("[%#010x]", (unsigned)v);
		CMP("[%#.0o]", (unsigned)v);
		CMP("[%-#10x]", (unsigned)v);
		CMP("%hhd", v);
		CMP("%hd", v);
		CMP("%hhu", (unsigned)v);
		CMP("%hx", (unsigned)v);
	}
}

static void t_longs(void)
{
	static const long long lv[] = {
	    0, 1, -1, 4294967296LL, -4294967296LL, LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL};

	for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++) {
		long long v = lv[i];

		CMP("%ld", (long)v);
		CMP("%lld", v);
		CMP("%lli", v);
		CMP("%lu", (unsigned long)v);
		CMP("%llu", (unsigned long long)v);
		CMP("%lx", (unsigned long)v);
		CMP("%llx", (unsigned long long)v);
		CMP("%llX", (unsigned long long)v);
		CMP("%#llx", (unsigned long long)v);
		CMP("[%020llx]", (unsigned long long)v);
		CMP("[%-22lld]", v);
		CMP("[%+.20lld]", v);
		CMP("%llo", (unsigned long long)v);
		CMP("%zu", (size_t)v);
		CMP("%zx", (size_t)v);
		CMP("%zd", (ssize_t)v);
		CMP("%td", (ptrdiff_t)v);
		CMP("%jd", (intmax_t)v);
		CMP("%ju", (uintmax_t)v);
	}
}

static void t_strings_chars(void)
{
	static const char *const sv[] = {"", "a", "hello", "a longer string of text"};

	for (size_t i = 0; i < sizeof(sv) / sizeof(sv[0]); i++) {
		const char *s = sv[i];

		CMP("%s", s);
		CMP("[%10s]", s);
		CMP("[%-10s]", s);
		CMP("[%.3s]", s);
		CMP("[%10.2s]", s);
		CMP("[%-*s]", 12, s);
		CMP("[%.*s]", 4, s);
		CMP("[%.0s]", s);
		CMP("<%s|%s>", s, s);
	}
	CMP("%c", 'x');
	CMP("[%3c]", 'x');
	CMP("[%-3c]", 'x');
	CMP("%c%c%c", 'a', 'b', 'c');
	CMP("%%%s", "");
	CMP("100%% %s", "sure");
	CMP("no conversions at all%s", "");
}

static void t_pointers(void)
{
	int x;
	void *ptrs[] = {&x, (void *)0x1, (void *)0xffff800000001000UL, (void *)UINTPTR_MAX};

	for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
		CMP("%p", ptrs[i]);
		CMP("[%20p]", ptrs[i]);
		CMP("[%-20p]", ptrs[i]);
	}
}

static void t_null_args(void)
{
	char buf[64];

	/* Our documented choices where glibc differs or C leaves it open. */
	EXPECT_EQ(hv_snprintf(buf, sizeof(buf), "%p", (void *)0), 3);
	EXPECT_STREQ(buf, "0x0");
	const char *volatile nul = NULL; /* hidden from the compiler's format checks */

	EXPECT_EQ(hv_snprintf(buf, sizeof(buf), "[%s]", nul), 8);
	EXPECT_STREQ(buf, "[(null)]");
}

static void t_mixed(void)
{
	CMP("mfn %#lx owner %u type %d: %s", 0x12345UL, 0x7ff2U, 3, "l3");
	CMP("%s:%d: %08x %-6s|%5.1s|%c", "file.c", 42, 0xbeefU, "ab", "xyz", '!');
	CMP("%d %d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	CMP("%llu %s %lld %s %zu", 1ULL << 63, "x", -1LL, "y", (size_t)7);
	EXPECT(compared > 0);
}

/* Truncation at every buffer size gives the host's bytes and return value. */
static void t_truncation(void)
{
	const char *fmt = "abc %d def %s ghi %#x";

	for (size_t size = 0; size <= 40; size++) {
		char a[48], b[48];
		int ra, rb;

		memset(a, 'Q', sizeof(a));
		memset(b, 'Q', sizeof(b));
		ra = hv_snprintf(a, size, fmt, -123, "str", 0xabcU);
		rb = snprintf(b, size, fmt, -123, "str", 0xabcU);
		EXPECT_EQ(ra, rb);
		/* also the bytes after the terminator must be untouched */
		if (memcmp(a, b, sizeof(a)) != 0) {
			hvt_fail(__FILE__, __LINE__, "truncated at %zu: \"%.47s\" vs \"%.47s\"",
				 size, a, b);
		}
	}
	EXPECT_EQ(hv_snprintf(NULL, 0, "%s%d", "four", 1234), 8);
}

static int via_v(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void t_vsnprintf_and_odd_formats(void)
{
	char buf[64];
	/* Through a variable so the compiler does not reject the odd formats. */
	const char *volatile odd1 = "a%qb";
	const char *volatile odd2 = "end%";
	const char *volatile odd3 = "x%lyz";

	EXPECT_EQ(via_v(buf, sizeof(buf), "%s-%d-%llx", "v", -5, 0xffULL), 7);
	EXPECT_STREQ(buf, "v--5-ff");
	/* Unknown conversions are shown, not interpreted. */
	EXPECT_EQ(via_v(buf, sizeof(buf), odd1), 4);
	EXPECT_STREQ(buf, "a%qb");
	EXPECT_EQ(via_v(buf, sizeof(buf), odd2), 4);
	EXPECT_STREQ(buf, "end%");
	EXPECT_EQ(via_v(buf, sizeof(buf), odd3), 5);
	EXPECT_STREQ(buf, "x%lyz");
	/* A huge width is bounded by the buffer, and counted. */
	EXPECT_EQ(via_v(buf, 8, "%100d", 1), 100);
	EXPECT_EQ(strlen(buf), 7);
}

/* Random well-defined conversions, compared with the host one at a time. */
static void t_random_formats(void)
{
	static const char *const strs[] = {"", "x", "hello", "a somewhat longer string"};
	unsigned long long seed = 0x1234567;
	int bad = 0;

	for (int round = 0; round < 20000 && bad < 3; round++) {
		char fmt[64], a[300], b[300];
		size_t n = 0;
		int ra, rb;
		unsigned long long r, v;

		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		r = seed >> 11;
		v = seed ^ (seed << 17) ^ (seed >> 5);
		if (r & 1) {
			v >>= (r >> 1) % 64; /* small values too */
		}
		static const char convs[] = "diuxXos";
		char conv = convs[(r >> 8) % 7];
		bool num = conv != 's';

		n += (size_t)sprintf(fmt + n, "<%%");
		if ((r >> 12) & 1) {
			fmt[n++] = '-';
		}
		if (num && ((r >> 13) & 1)) {
			fmt[n++] = '0';
		}
		if (num && conv != 'u' && conv != 'x' && conv != 'X' && conv != 'o' &&
		    ((r >> 14) & 1)) {
			fmt[n++] = (r >> 15) & 1 ? '+' : ' ';
		}
		if (num && (conv == 'x' || conv == 'X' || conv == 'o') && ((r >> 16) & 1)) {
			fmt[n++] = '#';
		}
		if ((r >> 17) & 1) {
			n += (size_t)sprintf(fmt + n, "%u", (unsigned)((r >> 18) % 30));
		}
		if ((r >> 23) & 1) {
			n += (size_t)sprintf(fmt + n, ".%u", (unsigned)((r >> 24) % 25));
		}
		unsigned len = num ? (unsigned)((r >> 29) % 6) : 0;
		static const char *const lens[] = {"", "h", "hh", "l", "ll", "z"};

		n += (size_t)sprintf(fmt + n, "%s%c>", lens[len], conv);
		fmt[n] = '\0';

		const char *volatile f = fmt; /* a run-time format */
		if (!num) {
			const char *str = strs[(r >> 33) % 4];

			ra = hv_snprintf(a, sizeof(a), f, str);
			rb = snprintf(b, sizeof(b), f, str);
		} else if (len == 3) {
			ra = hv_snprintf(a, sizeof(a), f, (long)v);
			rb = snprintf(b, sizeof(b), f, (long)v);
		} else if (len == 4) {
			ra = hv_snprintf(a, sizeof(a), f, (long long)v);
			rb = snprintf(b, sizeof(b), f, (long long)v);
		} else if (len == 5) {
			ra = hv_snprintf(a, sizeof(a), f, (size_t)v);
			rb = snprintf(b, sizeof(b), f, (size_t)v);
		} else {
			ra = hv_snprintf(a, sizeof(a), f, (int)v);
			rb = snprintf(b, sizeof(b), f, (int)v);
		}
		if (ra != rb || strcmp(a, b) != 0) {
			hvt_fail(__FILE__, __LINE__,
				 "format \"%s\": got \"%s\" (%d), host \"%s\" (%d)", fmt, a, ra, b,
				 rb);
			bad++;
		}
	}
}

static const struct hvt_case cases[] = {
    {"ints: flags, width, precision vs host snprintf", t_ints},
    {"long, long long, size_t, ptrdiff_t, intmax_t vs host", t_longs},
    {"strings, chars, %% vs host", t_strings_chars},
    {"pointers vs host", t_pointers},
    {"NULL pointer and NULL string", t_null_args},
    {"mixed formats vs host", t_mixed},
    {"truncation at every size, return value", t_truncation},
    {"vsnprintf, unknown conversions, huge width", t_vsnprintf_and_odd_formats},
    {"20000 random conversions vs host", t_random_formats},
};

const struct hvt_group group_fmt = HVT_GROUP("fmt", cases);
