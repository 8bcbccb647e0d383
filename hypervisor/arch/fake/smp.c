/*
 * The fake arch's side of arch/smp.h that host tests link: one CPU, the
 * host thread running the test.
 */
#include <arch/smp.h>

unsigned int arch_cpu_id(void)
{
	return 0;
}

unsigned int arch_nr_cpus(void)
{
	return 1;
}
