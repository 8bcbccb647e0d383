/*
 * A minimal test framework for the hypervisor unit tests.
 *
 * A test case is a function; it passes when none of its EXPECTs failed.
 * Each case prints exactly one "PASS: ..." or "FAIL: ... (why)" line, the
 * why being the first failed expectation. Cases of a group run in order in
 * one process; scripts run every group in a fresh process.
 *
 * The hypervisor's lib functions are renamed hv_* in the host build (see
 * hostprefix.h); their declarations under those names are here.
 */
#ifndef HVTEST_H
#define HVTEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hvt_case {
	const char *name;
	void (*fn)(void);
};

struct hvt_group {
	const char *name;
	const struct hvt_case *cases;
	size_t nr;
};

#define HVT_GROUP(gname, arr)                                                                      \
	{                                                                                          \
		gname, arr, sizeof(arr) / sizeof((arr)[0])                                         \
	}

void hvt_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int hvt_run_group(const struct hvt_group *g);

#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			hvt_fail(__FILE__, __LINE__, "%s", #cond);                                 \
		}                                                                                  \
	} while (0)

#define EXPECT_EQ(a, b)                                                                            \
	do {                                                                                       \
		unsigned long long _a = (unsigned long long)(a), _b = (unsigned long long)(b);     \
		if (_a != _b) {                                                                    \
			hvt_fail(__FILE__, __LINE__, "%s == %s: %#llx != %#llx", #a, #b, _a, _b);  \
		}                                                                                  \
	} while (0)

#define EXPECT_STREQ(a, b)                                                                         \
	do {                                                                                       \
		const char *_a = (a), *_b = (b);                                                   \
		if (!_a || !_b || strcmp(_a, _b) != 0) {                                           \
			hvt_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a, #b,         \
				 _a ? _a : "(null)", _b ? _b : "(null)");                          \
		}                                                                                  \
	} while (0)

/* One step of the xorshift64 generator: the tests' repeatable pseudo-random numbers. */
uint64_t hvt_xorshift(uint64_t *state);

/* Console capture: everything the sinks got since the last capture_reset. */
void capture_install(void);
/* Once per process: a console ring of 64 KiB and the capture sink; then capture_reset. */
void capture_with_ring(void);
void capture_reset(void);
const char *capture_text(void);
/* Ring contents written since the given position (as console_ring_head returned). */
const char *ring_since(uint64_t pos);

/* The hypervisor's lib/ under its host names. */
void *hv_memcpy(void *dst, const void *src, size_t n);
void *hv_memmove(void *dst, const void *src, size_t n);
void *hv_memset(void *dst, int c, size_t n);
int hv_memcmp(const void *a, const void *b, size_t n);
void *hv_memchr(const void *s, int c, size_t n);
size_t hv_strlen(const char *s);
size_t hv_strnlen(const char *s, size_t max);
int hv_strcmp(const char *a, const char *b);
int hv_strncmp(const char *a, const char *b, size_t n);
char *hv_strchr(const char *s, int c);
char *hv_strrchr(const char *s, int c);
size_t hv_strlcpy(char *dst, const char *src, size_t size);
int hv_vsnprintf(char *dst, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int hv_snprintf(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void hv_sort(void *base, size_t n, size_t size, int (*cmp)(const void *a, const void *b));
unsigned long long hv_simple_strtoull(const char *s, const char **end, unsigned base);
unsigned long long hv_parse_size(const char *s, const char **end);
int hv_parse_ull_strict(const char *s, size_t len, unsigned base, unsigned long long *out);
int hv_parse_size_strict(const char *s, size_t len, unsigned long long *out);

extern const struct hvt_group group_lib, group_fmt, group_cmdline, group_console, group_frame,
    group_heap, group_symbols, group_elf, group_dom0_layout, group_conline, group_refusal,
    group_conrate, group_xencons;

#endif /* HVTEST_H */
