# tests/hv/unit: host unit tests of the hypervisor's portable core
# (hypervisor/lib, hypervisor/common) against the fake arch, under ASan+UBSan.
# Included by tests/hv/build.mk.
#
# The hypervisor sources are compiled with tests/hv/unit/hostprefix.h forced
# in, which renames the lib functions to hv_* so they can coexist with libc,
# and with -fno-builtin so the compiler neither replaces our loops with libc
# calls nor assumes our functions behave like its builtins. The fake arch and
# the tests themselves are ordinary host code.
#
# hv-unit is linked twice: the first link (with symbols_empty.c) is run
# through nm and scripts/gensyms, and the generated table is linked into the
# second, so the symbols tests look up the binary's own functions. -no-pie
# keeps nm's addresses equal to run-time addresses.
# hv-unit-ndebug links heap_ndebug.c instead of heap_debug.c.

HVU_OUT := $(BUILD)/hv-unit
HVU_CORE_SRCS := $(wildcard hypervisor/lib/*.c) hypervisor/common/cmdline.c \
	hypervisor/common/console.c hypervisor/common/frame.c hypervisor/common/heap.c \
	hypervisor/common/symbols.c hypervisor/common/elf.c
# The x86_64 PV domain layout and memory model are portable C: they run here
# on the fake arch (test_dom0_layout.c, test_mm.c; the TLB hooks come from
# the test itself), and so is the ptwr decoder (test_ptwr.c).
HVU_PV_SRCS := hypervisor/arch/x86_64/pv/dom0_layout.c hypervisor/arch/x86_64/pv/mm_types.c \
	hypervisor/arch/x86_64/pv/m2p.c hypervisor/arch/x86_64/pv/mm_teardown.c \
	hypervisor/arch/x86_64/pv/ptwr_decode.c
HVU_CORE_SRCS += $(HVU_PV_SRCS)
HVU_CORE_SRCS += hypervisor/common/hypercall.c hypervisor/common/event_channel.c \
	hypervisor/common/event_fifo.c \
	hypervisor/common/sched_credit.c hypervisor/common/bootdomain.c \
	hypervisor/common/vcpu_op.c hypervisor/common/grant_table.c \
	hypervisor/common/ratelimit.c hypervisor/common/xencons.c hypervisor/common/bench_memcpy.c
HVU_EXTRA_SRCS := hypervisor/common/heap_debug.c hypervisor/common/heap_ndebug.c \
	hypervisor/common/symbols_empty.c
HVU_FAKE_SRCS := $(wildcard hypervisor/arch/fake/*.c)
HVU_TEST_SRCS := $(wildcard tests/hv/unit/*.c)

# arch/fake/include first: its asm/current.h replaces the x86 one (r15) on the host.
HVU_INCLUDES := -Ihypervisor/arch/fake/include -Ihypervisor/include \
	-Ihypervisor/arch/x86_64/include -I.
HVU_CORE_CFLAGS := $(HOST_CFLAGS_SAN) -fno-builtin -fno-tree-loop-distribute-patterns \
	-include tests/hv/unit/hostprefix.h $(HVU_INCLUDES) -MMD -MP
HVU_HOST_CFLAGS := $(HOST_CFLAGS_SAN) $(HVU_INCLUDES) -MMD -MP
HVU_LDFLAGS := -fsanitize=address,undefined -no-pie

hvu_obj = $(patsubst %.c,$(HVU_OUT)/%.o,$(1))
HVU_COMMON_OBJS := $(call hvu_obj,$(HVU_CORE_SRCS) $(HVU_FAKE_SRCS) $(HVU_TEST_SRCS))

$(HVU_OUT)/hypervisor/lib/%.o $(HVU_OUT)/hypervisor/common/%.o \
$(HVU_OUT)/hypervisor/arch/x86_64/pv/%.o: HVU_FLAGS = $(HVU_CORE_CFLAGS)
$(HVU_OUT)/hypervisor/arch/fake/%.o $(HVU_OUT)/tests/hv/unit/%.o: HVU_FLAGS = $(HVU_HOST_CFLAGS)

# make V=1 shows the commands.
HVU_Q := $(if $(filter 1,$(V)),,@)

$(HVU_OUT)/%.o: %.c tests/hv/unit/build.mk tests/hv/unit/hostprefix.h
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(HVU_Q)$(HOSTCC) $(HVU_FLAGS) -c $< -o $@

$(HVU_OUT)/syms.o: $(HVU_OUT)/syms.c
	$(HVU_Q)$(HOSTCC) $(HVU_HOST_CFLAGS) -c $< -o $@

$(HVU_OUT)/hv-unit.pass1: $(HVU_COMMON_OBJS) $(call hvu_obj,hypervisor/common/heap_debug.c hypervisor/common/symbols_empty.c)
	$(HVU_Q)$(HOSTCC) $(HVU_LDFLAGS) $^ -o $@

$(HVU_OUT)/syms.c: $(HVU_OUT)/hv-unit.pass1 scripts/gensyms
	$(HVU_Q)nm -n $< | scripts/gensyms > $@.tmp && mv $@.tmp $@

$(BIN)/hv-unit: $(HVU_COMMON_OBJS) $(call hvu_obj,hypervisor/common/heap_debug.c) $(HVU_OUT)/syms.o
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@ (2-pass, with symbols)"
	$(HVU_Q)$(HOSTCC) $(HVU_LDFLAGS) $^ -o $@

$(BIN)/hv-unit-ndebug: $(HVU_COMMON_OBJS) $(call hvu_obj,hypervisor/common/heap_ndebug.c hypervisor/common/symbols_empty.c)
	@mkdir -p $(@D)
	@echo "  HOSTLD  $@"
	$(HVU_Q)$(HOSTCC) $(HVU_LDFLAGS) $^ -o $@

-include $(patsubst %.o,%.d,$(HVU_COMMON_OBJS) $(call hvu_obj,$(HVU_EXTRA_SRCS)))

ALL += $(BIN)/hv-unit $(BIN)/hv-unit-ndebug
TEST_SUITES += hv-unit

.PHONY: test-hv-unit
test-hv-unit: $(BIN)/hv-unit $(BIN)/hv-unit-ndebug
	@scripts/run-suite hv-unit tests/hv/unit/run-all $(BIN)/hv-unit $(BIN)/hv-unit-ndebug
