/*
 * Tests of hypervisor/lib: string functions (against libc), sort, parsing.
 */
#include "hvtest.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/errno.h>

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void t_mem_basic(void)
{
	unsigned char a[64], b[64];

	for (int i = 0; i < 64; i++) {
		a[i] = (unsigned char)(i * 7 + 1);
	}
	EXPECT(hv_memcpy(b, a, sizeof(a)) == b);
	EXPECT(memcmp(a, b, sizeof(a)) == 0);
	EXPECT(hv_memset(b, 0xEE, 10) == b);
	for (int i = 0; i < 10; i++) {
		EXPECT_EQ(b[i], 0xEE);
	}
	EXPECT_EQ(b[10], a[10]);
	/* memset takes an int but stores a byte */
	hv_memset(b, 0x1FF, 4);
	EXPECT_EQ(b[0], 0xFF);
	EXPECT(hv_memcpy(b, a, 0) == b);
	EXPECT(hv_memchr(a, a[40], sizeof(a)) == &a[40]);
	EXPECT(hv_memchr(a, 0, sizeof(a)) == NULL);
	EXPECT(hv_memchr(a, a[40], 40) == NULL);
}

static void t_memmove_overlap(void)
{
	/* every overlap direction and distance, compared with libc */
	for (size_t len = 0; len <= 24; len++) {
		for (size_t src = 0; src <= 8; src++) {
			for (size_t dst = 0; dst <= 8; dst++) {
				char x[40], y[40];

				for (int i = 0; i < 40; i++) {
					x[i] = y[i] = (char)('a' + i % 26);
				}
				hv_memmove(x + dst, x + src, len);
				memmove(y + dst, y + src, len);
				if (memcmp(x, y, sizeof(x)) != 0) {
					hvt_fail(__FILE__, __LINE__,
						 "memmove dst %zu src %zu len %zu", dst, src, len);
				}
			}
		}
	}
}

static void t_memcmp_sign(void)
{
	static const struct {
		const char *a, *b;
		size_t n;
	} t[] = {
	    {"abc", "abc", 3}, {"abc", "abd", 3},
	    {"abd", "abc", 3}, {"ab\x80", "ab\x01", 3}, /* bytes compare as unsigned */
	    {"abc", "xyz", 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		EXPECT_EQ(sign(hv_memcmp(t[i].a, t[i].b, t[i].n)),
			  sign(memcmp(t[i].a, t[i].b, t[i].n)));
	}
}

static void t_str_functions(void)
{
	static const char *const s[] = {"", "a", "hello", "hello world", "héllo\x80", "abcdefgh"};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		EXPECT_EQ(hv_strlen(s[i]), strlen(s[i]));
		for (size_t m = 0; m < 12; m++) {
			EXPECT_EQ(hv_strnlen(s[i], m), strnlen(s[i], m));
		}
		for (size_t j = 0; j < sizeof(s) / sizeof(s[0]); j++) {
			EXPECT_EQ(sign(hv_strcmp(s[i], s[j])), sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 14; n++) {
				EXPECT_EQ(sign(hv_strncmp(s[i], s[j], n)),
					  sign(strncmp(s[i], s[j], n)));
			}
		}
		for (int c = 0; c < 256; c += 17) {
			EXPECT(hv_strchr(s[i], c) == strchr(s[i], c));
			EXPECT(hv_strrchr(s[i], c) == strrchr(s[i], c));
		}
		EXPECT(hv_strchr(s[i], 'l') == strchr(s[i], 'l'));
		EXPECT(hv_strrchr(s[i], 'l') == strrchr(s[i], 'l'));
		/* the terminator itself can be found */
		EXPECT(hv_strchr(s[i], 0) == s[i] + strlen(s[i]));
	}
}

static void t_strlcpy(void)
{
	char buf[8];

	EXPECT_EQ(hv_strlcpy(buf, "abc", sizeof(buf)), 3);
	EXPECT_STREQ(buf, "abc");
	EXPECT_EQ(hv_strlcpy(buf, "abcdefghijk", sizeof(buf)), 11);
	EXPECT_STREQ(buf, "abcdefg");
	EXPECT_EQ(hv_strlcpy(buf, "12345678", sizeof(buf)), 8);
	EXPECT_STREQ(buf, "1234567");
	memset(buf, 'X', sizeof(buf));
	EXPECT_EQ(hv_strlcpy(buf, "zz", 0), 2);
	EXPECT_EQ(buf[0], 'X'); /* size 0 writes nothing */
	EXPECT_EQ(hv_strlcpy(buf, "zz", 1), 2);
	EXPECT_EQ(buf[0], '\0');
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

struct rec {
	unsigned key;
	char pad[13]; /* odd element size */
};

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static void t_sort_ints(void)
{
	static int v[5000], w[5000];
	unsigned seed = 12345;

	for (size_t n = 0; n <= 5000; n = n < 40 ? n + 1 : n * 3 + 7) {
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			v[i] = w[i] = (int)(seed >> 8) % 1000 - 500; /* many duplicates */
		}
		hv_sort(v, n, sizeof(int), cmp_int);
		qsort(w, n, sizeof(int), cmp_int);
		if (n && memcmp(v, w, n * sizeof(int)) != 0) {
			hvt_fail(__FILE__, __LINE__, "sort of %zu ints differs from qsort", n);
		}
	}
}

static void t_sort_patterns(void)
{
	static int v[2048];
	const size_t n = 2048;

	/* sorted, reversed, all equal: the worst cases of naive quicksorts */
	for (int pat = 0; pat < 3; pat++) {
		for (size_t i = 0; i < n; i++) {
			v[i] = pat == 0 ? (int)i : pat == 1 ? (int)(n - i) : 7;
		}
		hv_sort(v, n, sizeof(int), cmp_int);
		for (size_t i = 1; i < n; i++) {
			if (v[i - 1] > v[i]) {
				hvt_fail(__FILE__, __LINE__, "pattern %d not sorted at %zu", pat,
					 i);
				break;
			}
		}
	}
}

static void t_sort_records(void)
{
	struct rec r[300];
	unsigned sum = 0, sum2 = 0;

	for (unsigned i = 0; i < 300; i++) {
		r[i].key = (i * 7919) % 301;
		memset(r[i].pad, (int)r[i].key, sizeof(r[i].pad));
		sum += r[i].key;
	}
	hv_sort(r, 300, sizeof(r[0]), cmp_rec);
	for (unsigned i = 0; i < 300; i++) {
		sum2 += r[i].key;
		if (i) {
			EXPECT(r[i - 1].key <= r[i].key);
		}
		/* records move whole */
		EXPECT_EQ(r[i].pad[12], (char)r[i].key);
	}
	EXPECT_EQ(sum, sum2);
	hv_sort(r, 0, sizeof(r[0]), cmp_rec); /* empty and size 0 are fine */
	hv_sort(r, 5, 0, cmp_rec);
}

static void t_strtoull(void)
{
	static const struct {
		const char *s;
		unsigned base;
		unsigned long long v;
		size_t used;
	} t[] = {
	    {"0", 10, 0, 1},
	    {"123abc", 10, 123, 3},
	    {"0x1f", 0, 0x1f, 4},
	    {"0X1F", 16, 0x1f, 4},
	    {"1f", 16, 0x1f, 2},
	    {"0755", 0, 0755, 4},
	    {"089", 0, 0, 1},
	    {"0x", 0, 0, 1}, /* "0", the x is not a prefix without digits */
	    {"0xg", 16, 0, 1},
	    {"", 10, 0, 0},
	    {"-5", 10, 0, 0}, /* no sign support */
	    {" 5", 10, 0, 0}, /* no space skipping */
	    {"zz", 36, 35 * 36 + 35, 2},
	    {"101", 2, 5, 3},
	    {"18446744073709551615", 10, ULLONG_MAX, 20},
	    {"18446744073709551616", 10, ULLONG_MAX, 20}, /* saturates */
	    {"99999999999999999999999", 10, ULLONG_MAX, 23},
	    {"0xffffffffffffffff", 0, ULLONG_MAX, 18},
	    {"0x10000000000000000", 0, ULLONG_MAX, 19},
	    {"12", 1, 0, 0}, /* bad bases read nothing */
	    {"12", 37, 0, 0},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *end = NULL;
		unsigned long long v = hv_simple_strtoull(t[i].s, &end, t[i].base);

		if (v != t[i].v || (size_t)(end - t[i].s) != t[i].used) {
			hvt_fail(__FILE__, __LINE__, "strtoull(\"%s\", %u) = %llu used %td", t[i].s,
				 t[i].base, v, end - t[i].s);
		}
	}
	EXPECT_EQ(hv_simple_strtoull("42", NULL, 10), 42);
}

static void t_parse_size(void)
{
	static const struct {
		const char *s;
		unsigned long long v;
		size_t used;
	} t[] = {
	    {"4096", 4096, 4},
	    {"4K", 4096, 2},
	    {"4k", 4096, 2},
	    {"2M", 2 << 20, 2},
	    {"3G", 3ULL << 30, 2},
	    {"1T", 1ULL << 40, 2},
	    {"0x10M", 16 << 20, 5},
	    {"5X", 5, 1},
	    {"M", 0, 0},
	    {"16777216T", ULLONG_MAX, 9}, /* 2^64: saturates */
	    {"16777215T", 16777215ULL << 40, 9},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *end;
		unsigned long long v = hv_parse_size(t[i].s, &end);

		if (v != t[i].v || (size_t)(end - t[i].s) != t[i].used) {
			hvt_fail(__FILE__, __LINE__, "parse_size(\"%s\") = %llu used %td", t[i].s,
				 v, end - t[i].s);
		}
	}
}

static void t_parse_strict(void)
{
	unsigned long long v = 77;

	EXPECT_EQ(hv_parse_ull_strict("123", 3, 10, &v), 0);
	EXPECT_EQ(v, 123);
	/* only len bytes are looked at */
	EXPECT_EQ(hv_parse_ull_strict("123456", 2, 10, &v), 0);
	EXPECT_EQ(v, 12);
	v = 77;
	EXPECT_EQ(hv_parse_ull_strict("12a", 3, 10, &v), -EINVAL);
	EXPECT_EQ(hv_parse_ull_strict("", 0, 10, &v), -EINVAL);
	EXPECT_EQ(hv_parse_ull_strict("x", 1, 10, &v), -EINVAL);
	EXPECT_EQ(hv_parse_ull_strict("18446744073709551616", 20, 10, &v), -ERANGE);
	EXPECT_EQ(v, 77); /* untouched on error */
	EXPECT_EQ(hv_parse_size_strict("64K", 3, &v), 0);
	EXPECT_EQ(v, 65536);
	EXPECT_EQ(hv_parse_size_strict("64KB", 4, &v), -EINVAL);
	EXPECT_EQ(hv_parse_size_strict("K", 1, &v), -EINVAL);
	EXPECT_EQ(hv_parse_size_strict("99999999999T", 12, &v), -ERANGE);
	EXPECT_EQ(hv_parse_size_strict("0x10", 4, &v), 0);
	EXPECT_EQ(v, 16);
	/* a prefix cut by len: "0x" alone is a 0 followed by junk */
	EXPECT_EQ(hv_parse_size_strict("0x10", 2, &v), -EINVAL);
}

static const struct hvt_case cases[] = {
    {"memcpy/memset/memchr", t_mem_basic},
    {"memmove all overlaps vs libc", t_memmove_overlap},
    {"memcmp sign, unsigned bytes", t_memcmp_sign},
    {"strlen/strnlen/strcmp/strncmp/strchr/strrchr vs libc", t_str_functions},
    {"strlcpy truncation and return value", t_strlcpy},
    {"sort ints of many sizes vs qsort", t_sort_ints},
    {"sort sorted/reversed/equal inputs", t_sort_patterns},
    {"sort odd-sized records", t_sort_records},
    {"simple_strtoull bases, prefixes, saturation", t_strtoull},
    {"parse_size suffixes and saturation", t_parse_size},
    {"parse_ull_strict/parse_size_strict", t_parse_strict},
};

const struct hvt_group group_lib = HVT_GROUP("lib", cases);
