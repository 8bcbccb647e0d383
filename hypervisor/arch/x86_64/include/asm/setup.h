/*
 * The boot sequence's arch pieces that arch/x86_64/setup.c and the test
 * variants share.
 */
#ifndef PALISADE_ARCH_SETUP_H
#define PALISADE_ARCH_SETUP_H

#include <asm/multiboot2.h>
#include <types.h>

/* The C entry, called by head.S on the boot stack. */
void start_palisade(uint64_t magic, uint64_t info_pa);

/* Print why the boot input is unusable and power off with EXIT_BAD_BOOT. */
void __attribute__((noreturn)) boot_fail(const char *why);

/*
 * Link-time test hooks: test_hooks_none.c in the normal image, test_hooks.c
 * in build/palisade-test.elf.
 *
 * test_hook_boot_info runs after the real boot information is parsed, with
 * its raw bytes; a test build may feed a crafted variant to mb2_parse (the
 * same parser) and return its result. Returns 0 to carry on.
 */
int test_hook_boot_info(const void *info, size_t size, paddr_t info_pa, struct boot_info *bi,
			char *err, size_t errlen);

/* Runs just before the self-checks (a test build may break what they check). */
void test_hook_pre_selfcheck(const char *cmdline);

/* Runs after the self-checks, before dom0 is considered. */
void test_hook_late(const char *cmdline);

/*
 * Runs in dom0's teardown after the domain is destroyed, before the frame
 * count is checked: a test build may keep frames there (test_teardown=).
 */
void test_hook_dom0_teardown(void);

/*
 * Runs on each AP in its idle loop, interrupts off, before the AP passes
 * its quiescent point (xsm_cpu_quiescent): a test build may do work there
 * (test_avc=, AVC lookups racing policy loads). Returns to let it halt.
 */
void test_hook_ap_idle(void);

/* SMP_TEST_* faults to plant (asm/smp.h) from test_smp=; 0 in the normal image. */
unsigned int test_hook_smp(const char *cmdline);

/* "Palisade-test" in the test build, "" otherwise: printed in the banner. */
extern const char test_variant_name[];

#endif /* PALISADE_ARCH_SETUP_H */
