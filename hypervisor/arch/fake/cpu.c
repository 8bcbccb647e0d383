/*
 * The fake arch's side of arch/idle.h that host tests link: a host thread
 * spinning on a lock just yields the pipeline.
 */
#include <arch/idle.h>

void arch_cpu_relax(void)
{
	__builtin_ia32_pause();
}
