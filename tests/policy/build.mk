# tests/policy/build.mk - host tests of the security server.
#
# This fragment owns the differential suite against libsepol (diff/), the
# random policy generator (gen/) and the security-server benchmarks (bench/).
# The unit, services and layers suites live in their own fragments, included here.
#
#   build/bin/sepol-query     the libsepol reference answerer (flask-query's protocol)
#   make test-policy-diff     flask-query vs sepol-query on the 4 default, 54 small and
#                             4 medium random policies (flask-query-san on every 5th)
#   make bench-policy         load / compute_av / AVC hit timings against libsepol
#
# libsepol is linked only into these test programs, never into flask/. The
# static archive is used because the policydb internals the reference needs
# (permission names, booleans, process_class) are not exported by the .so.

-include tests/policy/unit/build.mk
-include tests/policy/services/build.mk
-include tests/policy/layers/build.mk

SEPOL_STATIC := -l:libsepol.a
POLICY_DIFF_DEFAULTS := $(BUILD)/policy/policy.24 $(BUILD)/policy/policy.30 \
	$(BUILD)/policy/policy-mls.30 $(BUILD)/policy/policy-mls.24
POLICY_DIFF_RANDOM ?= 54

$(BIN)/sepol-query: tests/policy/diff/sepol-query.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_OPT) -o $@ $< $(SEPOL_STATIC)

# The same program under ASan+UBSan, for checking the reference itself.
$(BUILD)/tests/policy/sepol-query-san: tests/policy/diff/sepol-query.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -o $@ $< $(SEPOL_STATIC)

ALL += $(BIN)/sepol-query

TEST_SUITES += policy-diff
.PHONY: test-policy-diff
# The default policies and flask-query belong to other fragments; build them
# if those fragments can, and let the suite FAIL the policies that are missing.
test-policy-diff: $(BIN)/sepol-query
	-@$(MAKE) --no-print-directory $(POLICY_DIFF_DEFAULTS) $(BIN)/flask-query $(BIN)/flask-query-san
	@scripts/run-suite policy-diff python3 tests/policy/diff/policy-diff.py \
		--flask-query $(BIN)/flask-query --sepol-query $(BIN)/sepol-query \
		--san $(BIN)/flask-query-san \
		$(addprefix --default ,$(POLICY_DIFF_DEFAULTS)) --random $(POLICY_DIFF_RANDOM)

# ---- benchmarks ------------------------------------------------------------
BENCH_POLICY_LARGE := $(BUILD)/tests/policy/bench/large.policy

$(BENCH_POLICY_LARGE): tests/policy/gen/gen-policy.py
	@mkdir -p $(@D)
	python3 tests/policy/gen/gen-policy.py --large --seed 42 --version 30 \
		-o $(@D)/large.conf --compile $@

# The shared libsepol here: it exports only the sepol_* API, so its internal
# policydb/ebitmap/hashtab names cannot collide with flask/'s.
$(BIN)/bench-policy: tests/policy/bench/bench-policy.c $(filter-out -l%,$(FLASK_LIBS_OPT))
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_OPT) -Iflask -Itools/lib -o $@ $< $(FLASK_LIBS_OPT) -lsepol

BENCHES += bench-policy
.PHONY: bench-policy
bench-policy: $(BIN)/bench-policy $(BIN)/sepol-query $(BENCH_POLICY_LARGE)
	-@$(MAKE) --no-print-directory $(BUILD)/policy/policy.30
	@echo "Large policy, as stock seinfo counts it:"
	@seinfo $(BENCH_POLICY_LARGE) | grep -E 'Types:|Allow:|Auditallow:|Type_trans|Type_member'
	$(BIN)/bench-policy $(BENCH_POLICY_LARGE) $(BUILD)/policy/policy.30
