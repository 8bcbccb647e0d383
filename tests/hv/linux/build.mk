# tests/hv/linux: suite hv-linux, Debian's cloud kernel booted as dom0 with
# a busybox userspace (init.sh) and our static programs (stress.c,
# privcmd.c): Xen driver modules, userspace stress and privcmd hypercalls,
# then power-off; a second boot plants a fault under every check and ends
# in a panic (tests/hv/linux/run-linux-dom0). Fetches the kernel package
# with apt-get (cached in $(BUILD)/linux-dom0); busybox comes from
# busybox-static (scripts/install-deps).

TEST_SUITES += hv-linux

.PHONY: test-hv-linux
test-hv-linux: $(BUILD)/palisade.elf
	@scripts/run-suite hv-linux tests/hv/linux/run-linux-dom0 --build $(BUILD)
