# tests/policy/malformed/build.mk - the policy-malformed suite and the
# libFuzzer target (included from tests/policy/unit/build.mk).

MALFORMED_DIR := tests/policy/malformed
MALFORMED_OUT := $(BUILD)/tests/policy/malformed
MALFORMED_SRCS := $(MALFORMED_DIR)/malformed.c $(MALFORMED_DIR)/crafted.c
MALFORMED_OBJS := $(MALFORMED_SRCS:$(MALFORMED_DIR)/%.c=$(MALFORMED_OUT)/%.o)
# Recursive: BENCH_POLICY_LARGE (2,200 types, 120,000 rules; tests/policy/build.mk) is
# defined after this file is included. Past 256 KiB the suite samples truncations.
MALFORMED_POLICIES = $(BUILD)/policy/policy.24 $(BUILD)/policy/policy.30 \
	$(BUILD)/policy/policy-mls.24 $(BUILD)/policy/policy-mls.30 $(UNIT_POLICIES) \
	$(BENCH_POLICY_LARGE)
MALFORMED_FLIPS ?= 5000

$(MALFORMED_OUT)/%.o: $(MALFORMED_DIR)/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -Iflask -Itools/lib -I$(MALFORMED_DIR) -MMD -MP -c $< -o $@

$(BIN)/policy-malformed: $(MALFORMED_OBJS) $(filter-out -l%,$(FLASK_LIBS_SAN))
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -o $@ $(MALFORMED_OBJS) $(FLASK_LIBS_SAN)

ALL += $(BIN)/policy-malformed
TEST_SUITES += policy-malformed
.PHONY: test-policy-malformed
# The default policies belong to policy/build.mk; a missing one makes its line FAIL.
test-policy-malformed: $(BIN)/policy-malformed $(UNIT_POLICIES)
	-@$(MAKE) --no-print-directory $(filter-out $(UNIT_POLICIES),$(MALFORMED_POLICIES))
	@ASAN_OPTIONS=detect_leaks=1 scripts/run-suite policy-malformed $(BIN)/policy-malformed \
		--flips $(MALFORMED_FLIPS) $(MALFORMED_POLICIES)

-include $(MALFORMED_OBJS:.o=.d)
