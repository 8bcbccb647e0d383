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
