/*
 * Host stand-in for the clock: time stands still until a test moves it,
 * so what depends on time (rate limits) is tested without waiting.
 */
#include <arch/time.h>
#include <fake/time.h>

uint64_t fake_now_ns;

uint64_t arch_now_ns(void)
{
	return fake_now_ns;
}

/* No cycle counter on the host: the fake clock's nanoseconds stand in. */
uint64_t arch_cycles(void)
{
	return fake_now_ns;
}
