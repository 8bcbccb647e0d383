/*
 * Tests of hypervisor/common/symbols.c with a table scripts/gensyms made
 * from this very binary (see build.mk: two-pass link, -no-pie).
 */
#include "hvtest.h"

#include <stdio.h>
#include <string.h>

#include <symbols.h>

/* A local (nm type 't') function of known name; noinline so it has an address of its own. */
__attribute__((noinline)) static int local_helper_for_symbols_test(int x)
{
	return x * 3 + 1;
}

static void t_table_sorted(void)
{
	EXPECT(symbols_count > 100);
	for (uint32_t i = 1; i < symbols_count; i++) {
		if (symbols_table[i - 1].addr >= symbols_table[i].addr) {
			hvt_fail(__FILE__, __LINE__, "entries %u and %u out of order", i - 1, i);
			return;
		}
	}
}

static void expect_symbol(const void *addr, const char *name)
{
	uint64_t off = 99;
	const char *got = symbols_lookup((uint64_t)(uintptr_t)addr, &off);

	if (!got || strcmp(got, name) != 0 || off != 0) {
		hvt_fail(__FILE__, __LINE__, "%p: want %s+0, got %s+%llu", addr, name,
			 got ? got : "(null)", (unsigned long long)off);
	}
	got = symbols_lookup((uint64_t)(uintptr_t)addr + 3, &off);
	if (!got || strcmp(got, name) != 0 || off != 3) {
		hvt_fail(__FILE__, __LINE__, "%p+3: want %s+3, got %s+%llu", addr, name,
			 got ? got : "(null)", (unsigned long long)off);
	}
}

static void t_own_functions(void)
{
	EXPECT_EQ(local_helper_for_symbols_test(2), 7);
	expect_symbol((const void *)symbols_lookup, "symbols_lookup");
	expect_symbol((const void *)hv_memcpy, "hv_memcpy");
	expect_symbol((const void *)hv_vsnprintf, "hv_vsnprintf");
	expect_symbol((const void *)local_helper_for_symbols_test, "local_helper_for_symbols_test");
	expect_symbol((const void *)t_own_functions, "t_own_functions");
}

static void t_unknown_addresses(void)
{
	uint64_t off = 1234;

	EXPECT(symbols_lookup(0, &off) == NULL);
	EXPECT_EQ(off, 1234); /* untouched when unknown */
	EXPECT(symbols_lookup(~0ULL, &off) == NULL);
	/* data is not code: a data symbol ends the code before it */
	EXPECT(symbols_lookup((uint64_t)(uintptr_t)&symbols_count, &off) == NULL);
	EXPECT(symbols_lookup((uint64_t)(uintptr_t)symbols_table, NULL) == NULL);
	/* the offset pointer is optional */
	EXPECT_STREQ(symbols_lookup((uint64_t)(uintptr_t)symbols_lookup + 1, NULL),
		     "symbols_lookup");
}

static void t_every_entry(void)
{
	/* every named entry finds itself, every marker finds nothing */
	for (uint32_t i = 0; i < symbols_count; i++) {
		const char *name = &symbols_names[symbols_table[i].name_off];
		uint64_t off = 5;
		const char *got = symbols_lookup(symbols_table[i].addr, &off);

		if (name[0] ? (got != name || off != 0) : got != NULL) {
			hvt_fail(__FILE__, __LINE__, "entry %u (%s) looks up as %s", i, name,
				 got ? got : "(null)");
			return;
		}
	}
}

static const struct hvt_case cases[] = {
    {"generated table is sorted and non-trivial", t_table_sorted},
    {"own global and local functions found with offsets", t_own_functions},
    {"addresses before, after and in data are unknown", t_unknown_addresses},
    {"every table entry looks up to itself", t_every_entry},
};

const struct hvt_group group_symbols = HVT_GROUP("symbols", cases);
