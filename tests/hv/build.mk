# tests/hv/build.mk: hypervisor tests. Host unit tests live in tests/hv/unit
# (their own fragment); the QEMU harness boots real images, and the PV test
# guests listed in tests/hv/qemu/guest-tests.list as dom0.

-include tests/hv/unit/build.mk
-include tests/hv/linux/build.mk

TEST_SUITES += hv-qemu

.PHONY: test-hv-qemu
test-hv-qemu: $(BUILD)/palisade.elf $(BUILD)/palisade-test.elf $(GUEST_ELFS) \
		$(BUILD)/hv-xsm/test-policy.30
	@scripts/run-suite hv-qemu tests/hv/qemu/run-tests --build $(BUILD)

# make fuzz-hv CALLS=N [SEED=S]: the random-hypercall domain (hv-qemu case
# fuzz-hv-smp2, 1,000,000 calls in make test) for a longer campaign or a
# replay (tests/hv/qemu/fuzz-hv).
CALLS ?= 10000000
SEED ?=

.PHONY: fuzz-hv
fuzz-hv: $(BUILD)/palisade.elf $(GUEST_OUT)/fuzz_hcall.elf $(GUEST_OUT)/fuzz_hcall_check.elf
	@tests/hv/qemu/fuzz-hv $(BUILD) $(CALLS) $(SEED)

# make bench-pv (part of make bench): issue 4's PV hypercall benchmark, one
# boot under -icount shift=0 (tests/hv/bench/bench-pv).
BENCHES += bench-pv

.PHONY: bench-pv
bench-pv: $(BUILD)/palisade.elf $(GUEST_OUT)/bench_pv.elf
	@tests/hv/bench/bench-pv --build $(BUILD)

# make bench-switch (part of make bench): issue 10's vcpu switch benchmark,
# two yielding boot-time domUs under -icount shift=0, FLASK vs dummy
# (tests/hv/bench/bench-switch).
BENCHES += bench-switch

.PHONY: bench-switch
bench-switch: $(BUILD)/palisade.elf $(GUEST_OUT)/bench_switch.elf
	@tests/hv/bench/bench-switch --build $(BUILD)

# make bench-evtchn (part of make bench): issue 11's event-channel round
# trip between two boot-time domUs, on one CPU and on two, against two null
# hypercalls plus two vcpu switches measured in the same run, FLASK vs dummy
# (tests/hv/bench/bench-evtchn).
BENCHES += bench-evtchn

.PHONY: bench-evtchn
bench-evtchn: $(BUILD)/palisade.elf $(GUEST_OUT)/bench_evtchn.elf
	@tests/hv/bench/bench-evtchn --build $(BUILD)

# make bench-gnttab (part of make bench): issue 11's grant-table benchmark
# (map+unmap, copy of 4 KiB against the hypervisor's memcpy, batches of 1,
# 16, 256), FLASK vs dummy (tests/hv/bench/bench-gnttab).
BENCHES += bench-gnttab
.PHONY: bench-gnttab
bench-gnttab: $(BUILD)/palisade.elf $(GUEST_OUT)/bench_gnttab.elf
	@tests/hv/bench/bench-gnttab --build $(BUILD)

# make bench-domain-build (part of make bench): issue 10's domain build
# benchmark, ticks from domain_create to the first console line of the 1st
# and the 100th build of a restarting domU in one boot under -icount shift=0
# (tests/hv/bench/bench-domain-build).
BENCHES += bench-domain-build

.PHONY: bench-domain-build
bench-domain-build: $(BUILD)/palisade.elf $(GUEST_OUT)/hello.elf
	@tests/hv/bench/bench-domain-build --build $(BUILD)
