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
	hypervisor/common/cmdline.c hypervisor/common/sysctl.c hypervisor/common/ratelimit.c \
	xsm/dummy.c xsm/silo.c xsm/xsm_core.c xsm/xsm_domain.c xsm/modules.c \
	xsm/flask/flask_core.c xsm/flask/hooks.c xsm/flask/flask_op.c xsm/flask/ocontext.c \
	xsm/flask/flask_env_hypervisor.c xsm/flask/flask_boot.c
XSMT_HOST_SRCS := hypervisor/arch/fake/console.c hypervisor/arch/fake/fatal.c \
	hypervisor/arch/fake/guest_access.c hypervisor/arch/fake/cpu.c hypervisor/arch/fake/smp.c \
	tests/hv/xsm/xsm_unit.c \
	tests/hv/xsm/xsm_unit_op.c tests/hv/xsm/xsm_unit_evtchn.c
XSMT_CFLAGS := $(HOST_CFLAGS_SAN) -fno-builtin -fno-tree-loop-distribute-patterns \
	-include tests/hv/unit/hostprefix.h -Ihypervisor/arch/fake/include -Ihypervisor/include \
	-Ihypervisor/arch/x86_64/include -I. -MMD -MP
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

# make hook-report: every hypercall and sub-op with its status, its hooks and
# the class:permissions the FLASK hooks really ask (recorded, not written
# down), then the hooks nothing in the hypervisor calls (from the sources).
HOOKREP_HV_SRCS := $(wildcard hypervisor/lib/*.c) xsm/flask/hooks.c xsm/flask/flask_op.c
HOOKREP_HOST_SRCS := hypervisor/arch/fake/guest_access.c hypervisor/arch/fake/smp.c \
	tests/hv/xsm/hook_report.c
HOOKREP_OBJS := $(patsubst %.c,$(XSMT_OUT)/hr/%.o,$(HOOKREP_HV_SRCS) $(HOOKREP_HOST_SRCS))

$(XSMT_OUT)/hr/%.o: %.c tests/hv/xsm/build.mk hypervisor/include/hypercalls.def xsm/hooks.def \
		xsm/domctl.def xsm/sysctl.def
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(HV_Q)$(HOSTCC) $(XSMT_CFLAGS) -c $< -o $@

$(BIN)/hook-report: $(HOOKREP_OBJS)
	@mkdir -p $(@D)
	$(HV_Q)$(HOSTCC) -fsanitize=address,undefined $(HOOKREP_OBJS) -o $@

-include $(HOOKREP_OBJS:.o=.d)

.PHONY: hook-report
hook-report: $(BIN)/hook-report
	@rc=0; $(BIN)/hook-report || rc=$$?; tests/hv/xsm/hook-coverage --unused-hooks; exit $$rc

# xsm-hooks: the hypercall list against the handlers' sources and the hook
# report (tests/hv/xsm/hook-coverage). Each planted miss must make the check
# fail, naming what was planted: (a) a checked row's hook not called, (b) a
# case not declared, (c) a row declared implemented without its case, one
# declared not implemented with a case, a wrong errno, (d) a number that is
# not Xen's. Also the layering of xsm/ under hypervisor/common/
# (tests/hv/xsm/layering, on the hypervisor's objects): no call into
# setup.c or a hypercall handler, no include cycle; each planted fault
# (--self-test) must fail its check.
TEST_SUITES += xsm-hooks
XSMT_PLANTED := uncalled:memory_op:memory_adjust_reservation case:memory_op:XENMEM_planted \
	nocase:memory_op:XENMEM_populate_physmap case:memory_op:XENMEM_exchange \
	default:sysctl:-ENOSYS number:console_io:99

.PHONY: test-xsm-hooks
test-xsm-hooks: $(BIN)/hook-report $(HV_OBJS)
	@scripts/run-suite xsm-hooks sh -c '\
		tests/hv/xsm/hook-coverage $(BIN)/hook-report; rc=$$?; \
		for p in $(XSMT_PLANTED); do \
			if tests/hv/xsm/hook-coverage $(BIN)/hook-report --inject $$p >$(XSMT_OUT)/planted.out; \
			then why="it passed"; \
			elif grep "^FAIL: " $(XSMT_OUT)/planted.out | grep -qF -- "$${p##*:}"; then \
				echo "PASS: xsm-hooks: a planted miss is caught: $$p"; continue; \
			else why="no FAIL line names $${p##*:}"; fi; \
			echo "FAIL: xsm-hooks: a planted miss is caught: $$p ($$why)"; rc=1; \
		done; \
		NM=$(HV_NM) tests/hv/xsm/layering --self-test $(HV_OUT) $(HV_OBJS) || rc=1; exit $$rc'
ALL += $(BIN)/hook-report

# A policy built from Xen's source layout (tests/hv/xsm/xenlayout, built by
# its build-policy as Xen's tools/flask/policy does), and copies with one
# initial SID too few and one too many, which the hypervisor must refuse.
XENLAYOUT_SRCS := $(shell find tests/hv/xsm/xenlayout -type f) policy/flask/security_classes \
	policy/flask/access_vectors
XENLAYOUT_POLICIES := $(XSMT_OUT)/xenlayout.30 $(XSMT_OUT)/xenlayout-mls.30 \
	$(XSMT_OUT)/xenlayout-isids12.30 $(XSMT_OUT)/xenlayout-isids14.30

$(XSMT_OUT)/xenlayout.30: $(XENLAYOUT_SRCS) tests/hv/xsm/build.mk
	@mkdir -p $(@D)
	tests/hv/xsm/xenlayout/build-policy -o $@

$(XSMT_OUT)/xenlayout-mls.30: $(XENLAYOUT_SRCS) tests/hv/xsm/build.mk
	@mkdir -p $(@D)
	tests/hv/xsm/xenlayout/build-policy --mls -o $@

$(XSMT_OUT)/xenlayout-isids%.30: $(XENLAYOUT_SRCS) tests/hv/xsm/build.mk
	@mkdir -p $(@D)
	tests/hv/xsm/xenlayout/build-policy --isids $* -o $@

ALL += $(XENLAYOUT_POLICIES)

# xsm-boot: QEMU boots of each xsm=/flask= mode, policy modules and dom0_label=.
TEST_SUITES += xsm-boot

.PHONY: test-xsm-boot
test-xsm-boot: $(BUILD)/palisade.elf $(BUILD)/policy/policy.30 $(XSMT_OUT)/test-policy.30 \
		$(BUILD)/guests/xsm_access.elf $(BUILD)/guests/xsm_load.elf $(BUILD)/guests/xsm_late.elf \
		$(BUILD)/guests/xsm_labels.elf $(BUILD)/guests/hello.elf $(XENLAYOUT_POLICIES) \
		$(BIN)/flask-query
	@scripts/run-suite xsm-boot tests/hv/xsm/boot-tests $(BUILD)

# make bench-xsm (part of make bench): null hypercall and AVC-hit hypercalls
# under xsm=flask and xsm=dummy, -icount shift=0, with the ratios.
BENCHES += bench-xsm

.PHONY: bench-xsm
bench-xsm: $(BUILD)/palisade.elf $(BUILD)/guests/bench_xsm.elf
	@tests/hv/xsm/bench-xsm --build $(BUILD)
