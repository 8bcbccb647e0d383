/*
 * Number and size parsing for the command line and other untrusted text.
 */
#include <lib.h>
#include <public/errno.h>

static int digit_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'Z') {
		return c - 'A' + 10;
	}
	return 99;
}

/*
 * Like simple_strtoull, also reporting overflow. At most limit bytes are
 * read (the strict parsers look at a token inside a longer string).
 */
static unsigned long long parse_digits(const char *s, size_t limit, const char **end, unsigned base,
				       bool *overflow)
{
	unsigned long long v = 0;
	size_t i = 0;
	bool any = false;

	*overflow = false;
	if (base == 1 || base > 36) {
		*end = s;
		return 0;
	}
	if (base == 0 || base == 16) {
		if (limit >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
		    digit_value(s[2]) < 16) {
			i = 2;
			base = 16;
		} else if (base == 0) {
			base = (limit > 0 && s[0] == '0') ? 8 : 10;
		}
	}
	for (; i < limit && s[i]; i++) {
		int d = digit_value(s[i]);

		if (d >= (int)base) {
			break;
		}
		if (*overflow || v > (~0ULL - (unsigned)d) / base) {
			*overflow = true;
			v = ~0ULL;
		} else {
			v = v * base + (unsigned)d;
		}
		any = true;
	}
	*end = any ? s + i : s;
	return v;
}

unsigned long long simple_strtoull(const char *s, const char **end, unsigned base)
{
	const char *e;
	bool overflow;
	unsigned long long v = parse_digits(s, ~(size_t)0, &e, base, &overflow);

	if (end) {
		*end = e;
	}
	return v;
}

static unsigned size_shift(char c)
{
	switch (c) {
	case 'k':
	case 'K':
		return 10;
	case 'm':
	case 'M':
		return 20;
	case 'g':
	case 'G':
		return 30;
	case 't':
	case 'T':
		return 40;
	default:
		return 0;
	}
}

static unsigned long long parse_size_limited(const char *s, size_t limit, const char **end,
					     bool *overflow)
{
	const char *e;
	unsigned long long v = parse_digits(s, limit, &e, 0, overflow);
	unsigned shift;

	if (e != s && (size_t)(e - s) < limit && (shift = size_shift(*e)) != 0) {
		if (v > (~0ULL >> shift)) {
			*overflow = true;
			v = ~0ULL;
		} else {
			v <<= shift;
		}
		e++;
	}
	*end = e;
	return v;
}

unsigned long long parse_size(const char *s, const char **end)
{
	const char *e;
	bool overflow;
	unsigned long long v = parse_size_limited(s, ~(size_t)0, &e, &overflow);

	if (end) {
		*end = e;
	}
	return v;
}

int parse_ull_strict(const char *s, size_t len, unsigned base, unsigned long long *out)
{
	const char *e;
	bool overflow;
	unsigned long long v;

	if (len == 0) {
		return -EINVAL;
	}
	v = parse_digits(s, len, &e, base, &overflow);
	if (e != s + len) {
		return -EINVAL;
	}
	if (overflow) {
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int parse_size_strict(const char *s, size_t len, unsigned long long *out)
{
	const char *e;
	bool overflow;
	unsigned long long v;

	if (len == 0) {
		return -EINVAL;
	}
	v = parse_size_limited(s, len, &e, &overflow);
	if (e != s + len) {
		return -EINVAL;
	}
	if (overflow) {
		return -ERANGE;
	}
	*out = v;
	return 0;
}
