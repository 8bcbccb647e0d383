# policy/build.mk: the default FLASK policy.
#
# m4 joins the source files, in the order the policy language wants them,
# into build/policy/policy.conf (and policy-mls.conf with -D enable_mls);
# stock checkpolicy compiles each for the Xen target at two policy versions:
# 30, the newest the Xen target has, and 24, the oldest with typebounds,
# which older readers can still load.

POLICY_DIR := policy
POLICY_OUT := $(BUILD)/policy
POLICY_M4 ?= m4
CHECKPOLICY ?= checkpolicy

# Order matters: macros, classes, initial SIDs, permissions, the MLS part,
# type enforcement, roles, users, constraints, initial SID contexts and
# object contexts.
POLICY_SOURCES := \
	$(POLICY_DIR)/support/context.m4 \
	$(POLICY_DIR)/support/domain.m4 \
	$(POLICY_DIR)/flask/security_classes \
	$(POLICY_DIR)/flask/initial_sids \
	$(POLICY_DIR)/flask/access_vectors \
	$(POLICY_DIR)/mls \
	$(POLICY_DIR)/global_booleans \
	$(POLICY_DIR)/modules/xen.te \
	$(POLICY_DIR)/modules/dom0.te \
	$(POLICY_DIR)/modules/domU.te \
	$(POLICY_DIR)/modules/isolated_domU.te \
	$(POLICY_DIR)/modules/prot_domU.te \
	$(POLICY_DIR)/modules/nomigrate.te \
	$(POLICY_DIR)/modules/device_model.te \
	$(POLICY_DIR)/modules/devices.te \
	$(POLICY_DIR)/modules/boot.te \
	$(POLICY_DIR)/roles \
	$(POLICY_DIR)/users \
	$(POLICY_DIR)/constraints \
	$(POLICY_DIR)/initial_sids.contexts \
	$(POLICY_DIR)/device_contexts

POLICY_BINARIES := \
	$(POLICY_OUT)/policy.30 \
	$(POLICY_OUT)/policy.24 \
	$(POLICY_OUT)/policy-mls.30 \
	$(POLICY_OUT)/policy-mls.24

ALL += $(POLICY_BINARIES)

.PHONY: policy
policy: $(POLICY_BINARIES)

# -s: no "#line" noise; -E: stop on the first m4 warning.  The fragment
# itself is a prerequisite so a change of source list rebuilds.
$(POLICY_OUT)/policy.conf: $(POLICY_SOURCES) $(POLICY_DIR)/build.mk
	@mkdir -p $(@D)
	$(POLICY_M4) -E $(POLICY_SOURCES) > $@.tmp && mv $@.tmp $@

$(POLICY_OUT)/policy-mls.conf: $(POLICY_SOURCES) $(POLICY_DIR)/build.mk
	@mkdir -p $(@D)
	$(POLICY_M4) -E -D enable_mls $(POLICY_SOURCES) > $@.tmp && mv $@.tmp $@

# checkpolicy prints its warnings on stderr; they are kept in a .log next to
# the binary, and the build fails if there are any, so none slip in unseen.
define policy_compile
	@mkdir -p $(@D)
	$(CHECKPOLICY) -t Xen $(1) -c $(2) -o $@.tmp $< > $@.log 2>&1 || \
		{ cat $@.log; rm -f $@.tmp; exit 1; }
	@if grep -qi 'warning' $@.log; then cat $@.log; rm -f $@.tmp; \
		echo "checkpolicy warned on $<" >&2; exit 1; fi
	@mv $@.tmp $@
endef

$(POLICY_OUT)/policy.30: $(POLICY_OUT)/policy.conf
	$(call policy_compile,,30)

$(POLICY_OUT)/policy.24: $(POLICY_OUT)/policy.conf
	$(call policy_compile,,24)

$(POLICY_OUT)/policy-mls.30: $(POLICY_OUT)/policy-mls.conf
	$(call policy_compile,-M,30)

$(POLICY_OUT)/policy-mls.24: $(POLICY_OUT)/policy-mls.conf
	$(call policy_compile,-M,24)

# The policy-tools suite: stock seinfo, sesearch and checkpolicy on the
# built policies (tests/policy/policy-tools.sh).
TEST_SUITES += policy-tools

.PHONY: test-policy-tools
test-policy-tools: $(POLICY_BINARIES)
	@scripts/run-suite policy-tools tests/policy/policy-tools.sh $(POLICY_OUT) $(POLICY_DIR)
