# Palisade: top-level GNU Makefile. Every output goes under build/.
#
#   make            build everything that exists
#   make test       run every suite; the last line is "N passed, N failed"
#   make bench      run the benchmarks
#   make run        boot the default image under QEMU (serial on this terminal)
#   make clean
#
# Each room contributes one fragment (ROOM/build.mk). A fragment appends to
#   ALL          files that "make" builds
#   TEST_SUITES  suite names; each has a target test-NAME that runs
#                "scripts/run-suite NAME command..."
#   BENCHES      bench target names, run by "make bench"

SHELL := /bin/bash
BUILD := build
BIN := $(BUILD)/bin

HOSTCC ?= gcc
CLANG ?= clang
HOST_WARN := -Wall -Wextra -Werror -Wno-unused-parameter
HOST_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
HOST_CFLAGS_SAN := -std=gnu11 -g -O1 $(HOST_WARN) $(HOST_SAN)
HOST_CFLAGS_OPT := -std=gnu11 -g -O2 $(HOST_WARN)

# Install missing Debian packages before any rule runs (quiet when all present).
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifneq ($(PALISADE_DEPS_OK),1)
DEPS_STATUS := $(shell scripts/install-deps >&2; echo $$?)
ifneq ($(DEPS_STATUS),0)
$(error scripts/install-deps failed (status $(DEPS_STATUS)); see the message above)
endif
export PALISADE_DEPS_OK := 1
endif
endif

.PHONY: all test bench clean run suites
.DEFAULT_GOAL := all

ALL :=
TEST_SUITES :=
BENCHES :=

-include policy/build.mk
-include flask/build.mk
-include tools/lib/build.mk
-include tools/flask-label/build.mk
-include tests/policy/build.mk
-include hypervisor/build.mk
-include guests/build.mk
-include tests/hv/build.mk
-include scripts/build.mk

all: $(ALL)

# Suites run one after another; a failing suite does not stop the others.
test:
	@rm -rf $(BUILD)/test-results
	@$(MAKE) --no-print-directory all || true
	@for s in $(TEST_SUITES); do \
		echo "=== suite $$s"; \
		$(MAKE) --no-print-directory test-$$s || \
			{ mkdir -p $(BUILD)/test-results; \
			  echo "FAIL: $$s (could not build or run the suite)" >> $(BUILD)/test-results/$$s.log; }; \
	done
	@scripts/test-summary

bench: $(BENCHES)

# The suite names, for "make test-NAME".
suites:
	@echo $(TEST_SUITES)

clean:
	rm -rf $(BUILD)
