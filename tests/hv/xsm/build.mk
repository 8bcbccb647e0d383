# tests/hv/xsm: XSM and FLASK in the hypervisor (included from the XSM
# section of hypervisor/build.mk).
#
#   xsm-unit    host tests of xsm/ and xsm/flask/ on the fake arch, against
#               the real security server, the default policy and a test
#               policy (ASan+UBSan)
#
# The test policy is the default policy with tests/hv/xsm/test-extra.te
# added: a new policy a guest can load and see decisions change.

XSMT_OUT := $(BUILD)/hv-xsm
XSMT_HV_SRCS := $(wildcard hypervisor/lib/*.c) hypervisor/common/console.c \
	hypervisor/common/cmdline.c hypervisor/common/sysctl.c \
	xsm/dummy.c xsm/silo.c xsm/xsm_core.c xsm/xsm_domain.c \
	xsm/flask/flask_core.c xsm/flask/hooks.c xsm/flask/flask_op.c xsm/flask/ocontext.c \
	xsm/flask/flask_env_hv.c
XSMT_HOST_SRCS := hypervisor/arch/fake/console.c hypervisor/arch/fake/fatal.c \
	hypervisor/arch/fake/guest_access.c tests/hv/xsm/xsm_unit.c
XSMT_CFLAGS := $(HOST_CFLAGS_SAN) -fno-builtin -fno-tree-loop-distribute-patterns \
	-include tests/hv/unit/hostprefix.h -Ihypervisor/include -MMD -MP
XSMT_OBJS := $(patsubst %.c,$(XSMT_OUT)/%.o,$(XSMT_HV_SRCS) $(XSMT_HOST_SRCS))

$(XSMT_OUT)/%.o: %.c tests/hv/xsm/build.mk
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(HV_Q)$(HOSTCC) $(XSMT_CFLAGS) -c $< -o $@

$(BIN)/xsm-unit: $(XSMT_OBJS) $(BUILD)/lib/libflask-san.a
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(HV_Q)$(HOSTCC) -fsanitize=address,undefined $(XSMT_OBJS) $(BUILD)/lib/libflask-san.a -o $@

-include $(XSMT_OBJS:.o=.d)

# The test policy: the default sources plus test-extra.te before the roles.
XSMT_POLICY_SRCS := $(filter-out $(POLICY_DIR)/roles $(POLICY_DIR)/users $(POLICY_DIR)/constraints \
	$(POLICY_DIR)/initial_sids.contexts $(POLICY_DIR)/device_contexts,$(POLICY_SOURCES)) \
	tests/hv/xsm/test-extra.te $(POLICY_DIR)/roles $(POLICY_DIR)/users $(POLICY_DIR)/constraints \
	$(POLICY_DIR)/initial_sids.contexts $(POLICY_DIR)/device_contexts

$(XSMT_OUT)/test-policy.conf: $(XSMT_POLICY_SRCS) tests/hv/xsm/build.mk
	@mkdir -p $(@D)
	$(POLICY_M4) -E $(XSMT_POLICY_SRCS) > $@.tmp && mv $@.tmp $@

$(XSMT_OUT)/test-policy.30: $(XSMT_OUT)/test-policy.conf
	$(call policy_compile,,30)

ALL += $(BIN)/xsm-unit $(XSMT_OUT)/test-policy.30
TEST_SUITES += xsm-unit

.PHONY: test-xsm-unit
test-xsm-unit: $(BIN)/xsm-unit $(BUILD)/policy/policy.30 $(XSMT_OUT)/test-policy.30
	@scripts/run-suite xsm-unit $(BIN)/xsm-unit $(BUILD)/policy/policy.30 \
		$(XSMT_OUT)/test-policy.30
