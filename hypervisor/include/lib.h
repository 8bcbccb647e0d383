/*
 * The freestanding C library subset of the hypervisor.
 *
 * The names are the standard ones because the compiler itself emits calls
 * to memcpy/memset/memmove/memcmp for structure copies. Host unit tests
 * rename every function here with tests/hv/unit/hostprefix.h (memcpy ->
 * hv_memcpy, ...) so the hypervisor's versions can live next to libc.
 */
#ifndef PALISADE_LIB_H
#define PALISADE_LIB_H

#include <stdarg.h>
#include <types.h>

#define __printf(a, b) __attribute__((format(printf, a, b)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define MIN(a, b)                                                                                  \
	({                                                                                         \
		__typeof__(a) _min_a = (a);                                                        \
		__typeof__(b) _min_b = (b);                                                        \
		_min_a < _min_b ? _min_a : _min_b;                                                 \
	})

#define MAX(a, b)                                                                                  \
	({                                                                                         \
		__typeof__(a) _max_a = (a);                                                        \
		__typeof__(b) _max_b = (b);                                                        \
		_max_a > _max_b ? _max_a : _max_b;                                                 \
	})

/* Alignment must be a power of two. */
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + ((__typeof__(x))(a)-1), (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes, always terminates (size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Supported: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' '+' ' ' '#',
 * width and precision (also '*'), length modifiers hh h l ll z t j.
 * %p prints 0x followed by the hex address, "(null)" for %s of NULL.
 * Returns the length the full output would have had (C99 semantics);
 * dst is always terminated when size > 0. Unknown conversions are copied
 * literally.
 */
int vsnprintf(char *dst, size_t size, const char *fmt, va_list ap) __printf(3, 0);
int snprintf(char *dst, size_t size, const char *fmt, ...) __printf(3, 4);

/* In-place heap sort: O(n log n), no recursion, no allocation; not stable. */
void sort(void *base, size_t n, size_t size, int (*cmp)(const void *a, const void *b));

/*
 * Parses an unsigned number in base 2..36, or base 0 for C-style prefixes
 * (0x hex, 0 octal, else decimal). Leading spaces are not skipped. *end (if
 * not NULL) is set past the last digit used (to s when there is none). On
 * overflow the result saturates at ~0ULL and all digits are still consumed.
 */
unsigned long long simple_strtoull(const char *s, const char **end, unsigned base);

/*
 * A number (base as above) with an optional suffix K, M, G or T (either
 * case, binary multiples); a bare number is bytes. Saturates at ~0ULL on
 * overflow. *end as for simple_strtoull, past the suffix when there is one.
 */
unsigned long long parse_size(const char *s, const char **end);

/*
 * Strict forms for untrusted text: the whole of s[0..len) must be consumed,
 * no overflow. Return 0, or -EINVAL (empty, junk) / -ERANGE (overflow).
 */
int parse_ull_strict(const char *s, size_t len, unsigned base, unsigned long long *out);
int parse_size_strict(const char *s, size_t len, unsigned long long *out);

#endif /* PALISADE_LIB_H */
