/*
 * Boot self-checks of the portable parts: the frame allocator, the heap
 * and the stack-protector canary. The arch adds its own list (page-table
 * W^X walk, SMEP/SMAP, NX, timer, TSC).
 *
 * They run on every boot, not just in tests, because they check the
 * machine's actual state: a check that cannot pass stops the boot before
 * any guest could depend on the property.
 */
#include <console.h>
#include <frame.h>
#include <heap.h>
#include <lib.h>
#include <selfcheck.h>

#include <arch/mm.h>

extern uint64_t __stack_chk_guard;

#define ALLOC_FRAMES 8

static int check_frames(char *d, size_t n)
{
	uint64_t free0 = frame_free_count(), total = frame_total_count();
	mfn_t m[ALLOC_FRAMES], big;
	unsigned int i, j;
	int rc = -1;

	if (total == 0 || free0 > total) {
		snprintf(d, n, "free %llu of total %llu", (unsigned long long)free0,
			 (unsigned long long)total);
		return -1;
	}
	for (i = 0; i < ALLOC_FRAMES; i++) {
		struct page_info *pg;

		m[i] = frame_alloc(DOMID_XEN);
		if (mfn_eq(m[i], INVALID_MFN)) {
			snprintf(d, n, "frame_alloc failed after %u frames", i);
			goto out;
		}
		pg = mfn_to_page(m[i]);
		if (!pg || pg->owner != DOMID_XEN) {
			snprintf(d, n, "frame %#llx: wrong owner", (unsigned long long)mfn_x(m[i]));
			i++;
			goto out;
		}
		for (j = 0; j < i; j++) {
			if (mfn_eq(m[i], m[j])) {
				snprintf(d, n, "frame %#llx handed out twice",
					 (unsigned long long)mfn_x(m[i]));
				i++;
				goto out;
			}
		}
		/* The frame must be usable through the direct map. */
		memset(arch_mfn_to_virt(m[i]), 0xa5, PAGE_SIZE);
	}
	if (frame_free_count() != free0 - ALLOC_FRAMES) {
		snprintf(d, n, "free count %llu after %d allocations from %llu",
			 (unsigned long long)frame_free_count(), ALLOC_FRAMES,
			 (unsigned long long)free0);
		goto out;
	}
	big = frame_alloc_contig(4, DOMID_XEN);
	if (mfn_eq(big, INVALID_MFN) || (mfn_x(big) & 15)) {
		snprintf(d, n, "frame_alloc_contig(4) gave %#llx", (unsigned long long)mfn_x(big));
		goto out;
	}
	frame_free_contig(big, 4);
	rc = 0;
out:
	while (i--) {
		frame_free(m[i]);
	}
	if (rc == 0 && frame_free_count() != free0) {
		snprintf(d, n, "free count %llu after freeing, expected %llu",
			 (unsigned long long)frame_free_count(), (unsigned long long)free0);
		rc = -1;
	}
	if (rc == 0) {
		snprintf(d, n, "%llu of %llu frames free, alloc/free consistent",
			 (unsigned long long)free0, (unsigned long long)total);
	}
	return rc;
}

static int check_heap(char *d, size_t n)
{
	static const size_t sizes[] = {1, 24, 100, 4000, 5000, 70000};
	void *p[ARRAY_SIZE(sizes)];
	struct heap_stats before, after;
	unsigned int i;
	int rc = 0;

	heap_get_stats(&before);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = xmalloc(sizes[i]);
		if (!p[i] || ((uintptr_t)p[i] & 15)) {
			snprintf(d, n, "xmalloc(%zu) returned %p", sizes[i], p[i]);
			rc = -1;
			break;
		}
		memset(p[i], 0x5a, sizes[i]);
	}
	while (i--) {
		xfree(p[i]);
	}
	heap_get_stats(&after);
	if (rc == 0 && (after.allocations != before.allocations ||
			after.errors_detected != before.errors_detected)) {
		snprintf(d, n, "live blocks %llu -> %llu, errors %llu -> %llu",
			 (unsigned long long)before.allocations,
			 (unsigned long long)after.allocations,
			 (unsigned long long)before.errors_detected,
			 (unsigned long long)after.errors_detected);
		rc = -1;
	}
	if (rc == 0) {
		snprintf(d, n, "%zu allocations freed, %llu live blocks", ARRAY_SIZE(sizes),
			 (unsigned long long)after.allocations);
	}
	return rc;
}

static int check_canary(char *d, size_t n)
{
	if (__stack_chk_guard == 0) {
		snprintf(d, n, "stack protector canary is zero");
		return -1;
	}
	snprintf(d, n, "stack protector canary set");
	return 0;
}

static const struct selfcheck common_checks[] = {
    {"frames", check_frames},
    {"heap", check_heap},
    {"canary", check_canary},
};

static unsigned int run_list(const struct selfcheck *list, size_t nr)
{
	char detail[160];
	unsigned int failed = 0;
	size_t i;

	for (i = 0; i < nr; i++) {
		detail[0] = '\0';
		if (list[i].run(detail, sizeof(detail)) == 0) {
			pr_info("selfcheck: %s ok (%s)\n", list[i].name, detail);
		} else {
			pr_err("selfcheck: %s FAILED (%s)\n", list[i].name, detail);
			failed++;
		}
	}
	return failed;
}

unsigned int selfcheck_run(void)
{
	return run_list(common_checks, ARRAY_SIZE(common_checks)) +
	       run_list(arch_selfchecks, nr_arch_selfchecks);
}
