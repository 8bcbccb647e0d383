# tests/hv/linux: suite hv-linux, Debian's cloud kernel booted as dom0 to
# its /init and power-off, and to a panic (tests/hv/linux/run-linux-dom0).
# Fetches the kernel package with apt-get (cached in $(BUILD)/linux-dom0).

TEST_SUITES += hv-linux

.PHONY: test-hv-linux
test-hv-linux: $(BUILD)/palisade.elf
	@scripts/run-suite hv-linux tests/hv/linux/run-linux-dom0 --build $(BUILD)
