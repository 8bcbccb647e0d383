/*
 * A broken invariant in the fake arch is a bug in the code under test (or
 * in a test): stop loudly with a FAIL line so the suite records it.
 */
#include <fake/mem.h>

#include <stdio.h>
#include <stdlib.h>

void fake_fatal(const char *why)
{
	printf("FAIL: fake arch: %s\n", why);
	fflush(stdout);
	abort();
}
