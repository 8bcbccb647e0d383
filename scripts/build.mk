# scripts/build.mk: the checks of the tree's structure (included by the
# top-level Makefile).
#
#   tree    scripts/check-tree (format, include roots, an arch-neutral
#           common/, no include cycles, a freestanding flask/) and every
#           hypervisor/XSM header compiled on its own; each rule is also run
#           once with a planted violation, which must fail.

TREE_INJECT := format relative common cycles flask
TREE_PLANTED_HDR := $(BUILD)/planted/not_self_contained.h

TEST_SUITES += tree

.PHONY: test-tree
test-tree:
	@scripts/run-suite tree sh -c '\
		rc=0; scripts/check-tree || rc=1; \
		for k in $(TREE_INJECT); do \
			if scripts/check-tree --inject $$k >/dev/null; then \
				echo "FAIL: tree: a planted $$k violation is caught (it was not)"; rc=1; \
			else echo "PASS: tree: a planted $$k violation is caught"; fi; \
		done; \
		if $(MAKE) --no-print-directory -s hv-hdrcheck >/dev/null 2>&1; then \
			echo "PASS: tree: every hypervisor and XSM header compiles on its own"; \
		else echo "FAIL: tree: every hypervisor and XSM header compiles on its own (make hv-hdrcheck)"; rc=1; fi; \
		mkdir -p $(dir $(TREE_PLANTED_HDR)); \
		printf "static struct domain_mm planted;\n" > $(TREE_PLANTED_HDR); \
		if $(MAKE) --no-print-directory -s hv-hdrcheck HV_HDRS_EXTRA=$(TREE_PLANTED_HDR) >/dev/null 2>&1; then \
			echo "FAIL: tree: a planted header that is not self-contained is caught (it was not)"; rc=1; \
		else echo "PASS: tree: a planted header that is not self-contained is caught"; fi; \
		exit $$rc'
