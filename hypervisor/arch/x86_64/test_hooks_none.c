/*
 * The normal image's test hooks: nothing to do. The test variant links
 * test_hooks.c instead (hypervisor/build.mk).
 */
#include <asm/setup.h>

const char test_variant_name[] = "";

unsigned int test_hook_smp(const char *cmdline)
{
	return 0;
}

int test_hook_boot_info(const void *info, size_t size, paddr_t info_pa, struct boot_info *bi,
			char *err, size_t errlen)
{
	return 0;
}

void test_hook_pre_selfcheck(const char *cmdline)
{
}

void test_hook_late(const char *cmdline)
{
}

void test_hook_dom0_teardown(void)
{
}

void test_hook_ap_idle(void)
{
}
