/*
 * vsnprintf/snprintf: the subset of C99 formatting the hypervisor needs,
 * with C99 return semantics (the length the whole output would have had).
 * No floating point; nothing allocated; output strictly bounded by size.
 */
#include <lib.h>

#define FL_LEFT 0x01  /* '-' */
#define FL_ZERO 0x02  /* '0' */
#define FL_PLUS 0x04  /* '+' */
#define FL_SPACE 0x08 /* ' ' */
#define FL_ALT 0x10   /* '#' */

struct out {
	char *buf;
	size_t size;
	size_t len; /* bytes the full output has so far, even past size */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void out_repeat(struct out *o, char c, size_t n)
{
	while (n--) {
		out_char(o, c);
	}
}

static void out_mem(struct out *o, const char *s, size_t n)
{
	while (n--) {
		out_char(o, *s++);
	}
}

/*
 * One integer conversion: sign or prefix, zero padding from the precision
 * or the '0' flag, then the digits, justified in width.
 */
static void out_number(struct out *o, unsigned long long v, bool negative, unsigned base,
		       bool upper, unsigned flags, int width, int prec)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24]; /* 22 octal digits of 2^64-1, reversed */
	const char *prefix = "";
	size_t ndig = 0, plen, zeros = 0, total;

	while (v) {
		tmp[ndig++] = digits[v % base];
		v /= base;
	}
	if (ndig == 0 && prec != 0) {
		tmp[ndig++] = '0';
	}

	if (negative) {
		prefix = "-";
	} else if (flags & FL_PLUS) {
		prefix = "+";
	} else if (flags & FL_SPACE) {
		prefix = " ";
	} else if ((flags & FL_ALT) && base == 16 && ndig && tmp[ndig - 1] != '0') {
		prefix = upper ? "0X" : "0x";
	}
	plen = strlen(prefix);

	if (prec >= 0 && (size_t)prec > ndig) {
		zeros = (size_t)prec - ndig;
	}
	/* '#' with 'o' forces a leading 0, whether from digits or from precision. */
	if ((flags & FL_ALT) && base == 8 && zeros == 0 && (ndig == 0 || tmp[ndig - 1] != '0')) {
		zeros = 1;
	}
	total = plen + zeros + ndig;
	if (prec < 0 && (flags & FL_ZERO) && !(flags & FL_LEFT) && width > 0 &&
	    (size_t)width > total) {
		zeros += (size_t)width - total;
		total = (size_t)width;
	}

	if (!(flags & FL_LEFT) && width > 0 && (size_t)width > total) {
		out_repeat(o, ' ', (size_t)width - total);
	}
	out_mem(o, prefix, plen);
	out_repeat(o, '0', zeros);
	while (ndig) {
		out_char(o, tmp[--ndig]);
	}
	if ((flags & FL_LEFT) && width > 0 && (size_t)width > total) {
		out_repeat(o, ' ', (size_t)width - total);
	}
}

static void out_string(struct out *o, const char *s, unsigned flags, int width, int prec)
{
	size_t n;

	if (!s) {
		s = "(null)";
	}
	n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
	if (!(flags & FL_LEFT) && width > 0 && (size_t)width > n) {
		out_repeat(o, ' ', (size_t)width - n);
	}
	out_mem(o, s, n);
	if ((flags & FL_LEFT) && width > 0 && (size_t)width > n) {
		out_repeat(o, ' ', (size_t)width - n);
	}
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF, LEN_MAX };

static unsigned long long fetch_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return (unsigned long long)va_arg(*ap, ptrdiff_t);
	case LEN_MAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static long long fetch_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		/* %zd: the signed type of size_t's width. */
		return (long long)va_arg(*ap, ptrdiff_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case LEN_MAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

/* Reads a decimal field; saturates instead of overflowing. */
static int read_decimal(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		int d = **fmt - '0';

		v = v > (0x7fffffff - d) / 10 ? 0x7fffffff : v * 10 + d;
		(*fmt)++;
	}
	return v;
}

int vsnprintf(char *dst, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = {dst, size, 0};
	va_list ap;

	/* A copy, so that helpers can take a pointer to it portably. */
	va_copy(ap, ap_in);
	while (*fmt) {
		const char *start = fmt;
		unsigned flags = 0;
		int width = -1, prec = -1;
		enum length len = LEN_INT;
		bool done_flags = false;

		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt++;
		while (!done_flags) {
			switch (*fmt) {
			case '-':
				flags |= FL_LEFT;
				fmt++;
				break;
			case '0':
				flags |= FL_ZERO;
				fmt++;
				break;
			case '+':
				flags |= FL_PLUS;
				fmt++;
				break;
			case ' ':
				flags |= FL_SPACE;
				fmt++;
				break;
			case '#':
				flags |= FL_ALT;
				fmt++;
				break;
			default:
				done_flags = true;
			}
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= FL_LEFT;
				/* -INT_MIN does not exist; any huge width is as good. */
				width = width == -0x7fffffff - 1 ? 0x7fffffff : -width;
			}
			fmt++;
		} else if (*fmt >= '0' && *fmt <= '9') {
			width = read_decimal(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				if (prec < 0) {
					prec = -1;
				}
				fmt++;
			} else {
				prec = read_decimal(&fmt);
			}
		}
		switch (*fmt) {
		case 'h':
			fmt++;
			len = LEN_SHORT;
			if (*fmt == 'h') {
				fmt++;
				len = LEN_CHAR;
			}
			break;
		case 'l':
			fmt++;
			len = LEN_LONG;
			if (*fmt == 'l') {
				fmt++;
				len = LEN_LLONG;
			}
			break;
		case 'z':
			fmt++;
			len = LEN_SIZE;
			break;
		case 't':
			fmt++;
			len = LEN_PTRDIFF;
			break;
		case 'j':
			fmt++;
			len = LEN_MAX;
			break;
		default:
			break;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			long long v = fetch_signed(&ap, len);
			unsigned long long mag = v < 0
						     ? (unsigned long long)0 - (unsigned long long)v
						     : (unsigned long long)v;

			out_number(&o, mag, v < 0, 10, false, flags & ~FL_ALT, width, prec);
			break;
		}
		case 'u':
			out_number(&o, fetch_unsigned(&ap, len), false, 10, false,
				   flags & ~(FL_PLUS | FL_SPACE | FL_ALT), width, prec);
			break;
		case 'x':
		case 'X':
			out_number(&o, fetch_unsigned(&ap, len), false, 16, *fmt == 'X',
				   flags & ~(FL_PLUS | FL_SPACE), width, prec);
			break;
		case 'o':
			out_number(&o, fetch_unsigned(&ap, len), false, 8, false,
				   flags & ~(FL_PLUS | FL_SPACE), width, prec);
			break;
		case 'p': {
			uintptr_t p = (uintptr_t)va_arg(ap, void *);

			if (p == 0) {
				/* 0x0 rather than glibc's "(nil)": reads better in a fault report.
				 */
				out_string(&o, "0x0", flags, width, -1);
			} else {
				out_number(&o, p, false, 16, false,
					   (flags & ~(FL_PLUS | FL_SPACE)) | FL_ALT, width, prec);
			}
			break;
		}
		case 's':
			out_string(&o, va_arg(ap, const char *), flags, width, prec);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!(flags & FL_LEFT) && width > 1) {
				out_repeat(&o, ' ', (size_t)width - 1);
			}
			out_char(&o, c);
			if ((flags & FL_LEFT) && width > 1) {
				out_repeat(&o, ' ', (size_t)width - 1);
			}
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			/* A lone '%' at the end: print what there was. */
			out_mem(&o, start, (size_t)(fmt - start));
			continue;
		default:
			/* Unknown conversion: show it rather than guess at arguments. */
			out_mem(&o, start, (size_t)(fmt - start) + 1);
			break;
		}
		fmt++;
	}
	va_end(ap);

	if (size) {
		o.buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int snprintf(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, size, fmt, ap);
	va_end(ap);
	return n;
}
