/*
 * hv-unit: runs one group of hypervisor unit tests per invocation, so that
 * every group starts from a fresh process (console ring, frame allocator).
 *   hv-unit --list      names of the groups
 *   hv-unit GROUP       run it; exit status 3 if a case failed
 */
#include "hvtest.h"

#include <stdio.h>
#include <string.h>

extern const struct hvt_group group_mm;		  /* test_mm.c */
extern const struct hvt_group group_hcall;	  /* test_hcall.c */
extern const struct hvt_group group_evtchn;	  /* test_evtchn.c */
extern const struct hvt_group group_ptwr;	  /* test_ptwr.c */
extern const struct hvt_group group_sched;	  /* test_sched.c */
extern const struct hvt_group group_bootdomain;	  /* test_bootdomain.c */
extern const struct hvt_group group_vcpu_op;	  /* test_vcpu_op.c */
extern const struct hvt_group group_bench_memcpy; /* test_bench_memcpy.c */

/* clang-format off */
static const struct hvt_group *const groups[] = {
	&group_lib, &group_fmt, &group_cmdline, &group_console, &group_conline, &group_frame, &group_heap,
	&group_symbols, &group_elf, &group_mm, &group_hcall, &group_dom0_layout, &group_evtchn,
	&group_ptwr, &group_refusal, &group_sched, &group_bootdomain, &group_conrate, &group_xencons,
	&group_vcpu_op, &group_bench_memcpy,
};
/* clang-format on */

int main(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
			printf("%s\n", groups[i]->name);
		}
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: %s --list | GROUP\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (strcmp(argv[1], groups[i]->name) == 0) {
			/* 3, not 1: the sanitizers exit with 1 and a crash must stay
			 * distinguishable. */
			return hvt_run_group(groups[i]) ? 3 : 0;
		}
	}
	printf("FAIL: hv-unit: no test group '%s'\n", argv[1]);
	return 1;
}
