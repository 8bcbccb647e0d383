# tests/policy/unit/build.mk - the reader's suites (included by tests/policy/build.mk):
#   policy-unit       unit tests of ebitmap/hashtab/symtab/avtab/conditional/policydb (ASan+UBSan)
#   policy-malformed  truncations, bit flips and crafted absurd values (ASan+UBSan+LSan)
#   policy-fuzz       libFuzzer on policydb_read for 45 s (make fuzz-policy: FUZZ_SECONDS, 300)

UNIT_DIR := tests/policy/unit
UNIT_OUT := $(BUILD)/tests/policy/unit
UNIT_POLICIES := $(UNIT_OUT)/unit.24 $(UNIT_OUT)/unit.30 $(UNIT_OUT)/unit-mls.24 \
	$(UNIT_OUT)/unit-mls.30
UNIT_CFLAGS := -Iflask -Itools/lib -I$(UNIT_DIR) -MMD -MP

# Version 30 builds also declare what only v27+/v30 can carry (class defaults,
# devicetreecon, 64-bit iomemcon); -M for the MLS variants.
unit_m4defs = $(if $(filter 30,$(1)),-D with_defaults -D with_devicetree)
unit_mls = $(if $(findstring mls,$(1)),-M)

define unit_policy_rule
$$(UNIT_OUT)/%.$(1): $$(UNIT_DIR)/policies/%.conf
	@mkdir -p $$(@D)
	m4 $$(call unit_m4defs,$(1)) $$< > $$@.conf
	checkpolicy $$(call unit_mls,$$*) -t Xen -c $(1) -o $$@ $$@.conf > $$@.log 2>&1 || \
		{ cat $$@.log; rm -f $$@; exit 1; }
endef
$(eval $(call unit_policy_rule,24))
$(eval $(call unit_policy_rule,30))

UNIT_SRCS := $(UNIT_DIR)/unit-main.c $(UNIT_DIR)/unit-ds.c $(UNIT_DIR)/unit-policydb.c
UNIT_OBJS := $(UNIT_SRCS:$(UNIT_DIR)/%.c=$(UNIT_OUT)/%.o)

$(UNIT_OUT)/%.o: $(UNIT_DIR)/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) $(UNIT_CFLAGS) -c $< -o $@

$(BIN)/policy-unit: $(UNIT_OBJS) $(filter-out -l%,$(FLASK_LIBS_SAN))
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -o $@ $(UNIT_OBJS) $(FLASK_LIBS_SAN)

$(BIN)/policy-info: $(UNIT_DIR)/policy-info.c $(filter-out -l%,$(FLASK_LIBS_SAN))
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -Iflask -Itools/lib -o $@ $< $(FLASK_LIBS_SAN)

ALL += $(BIN)/policy-unit $(BIN)/policy-info $(UNIT_POLICIES)
TEST_SUITES += policy-unit
.PHONY: test-policy-unit
test-policy-unit: $(BIN)/policy-unit $(UNIT_POLICIES)
	@scripts/run-suite policy-unit $(BIN)/policy-unit $(UNIT_OUT)

-include $(UNIT_OBJS:.o=.d)
-include tests/policy/malformed/build.mk
-include tests/policy/fuzz/build.mk
