# tests/policy/fuzz/build.mk - libFuzzer target on policydb_read (included
# from tests/policy/unit/build.mk).
#   make fuzz-policy            run for FUZZ_SECONDS (default 300)
#   suite policy-fuzz           45 s inside make test
# The corpus (build/fuzz/corpus) is seeded with the default and unit
# policies and keeps what libFuzzer finds between runs.

FUZZ_SECONDS ?= 300
FUZZ_SUITE_SECONDS ?= 45
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SEEDS := $(BUILD)/policy/policy.24 $(BUILD)/policy/policy.30 \
	$(BUILD)/policy/policy-mls.24 $(BUILD)/policy/policy-mls.30 $(UNIT_POLICIES)

$(BIN)/fuzz-policy: tests/policy/fuzz/fuzz-policy.c $(filter-out -l%,$(FLASK_LIBS_FUZZ))
	@mkdir -p $(@D)
	$(CLANG) $(FLASK_FUZZ_CFLAGS) -fsanitize=fuzzer -Iflask -Itools/lib -o $@ $< \
		$(FLASK_LIBS_FUZZ)

ALL += $(BIN)/fuzz-policy

.PHONY: fuzz-corpus fuzz-policy test-policy-fuzz
fuzz-corpus: $(UNIT_POLICIES)
	-@$(MAKE) --no-print-directory $(filter $(BUILD)/policy/%,$(FUZZ_SEEDS))
	@mkdir -p $(FUZZ_DIR)/corpus
	@for f in $(FUZZ_SEEDS); do [ -f $$f ] && cp $$f $(FUZZ_DIR)/corpus/seed-$$(basename $$f); done; true

fuzz-policy: $(BIN)/fuzz-policy fuzz-corpus
	tests/policy/fuzz/run-fuzz.sh $(BIN)/fuzz-policy $(FUZZ_SECONDS) $(FUZZ_DIR)/corpus \
		$(FUZZ_DIR)/artifacts

TEST_SUITES += policy-fuzz
test-policy-fuzz: $(BIN)/fuzz-policy fuzz-corpus
	@scripts/run-suite policy-fuzz tests/policy/fuzz/run-fuzz.sh $(BIN)/fuzz-policy \
		$(FUZZ_SUITE_SECONDS) $(FUZZ_DIR)/corpus $(FUZZ_DIR)/artifacts
