# guests/build.mk: the PV guest runtime and the test guests (included by the
# top-level Makefile).
#
#   build/guests/libguest.a     the runtime (guests/lib/*.c *.S) plus the
#                               hypervisor's own string.c and vsnprintf.c
#   build/guests/NAME.elf       one per guests/tests/NAME.c or guests/tests/NAME/
#
# Guests are static, non-PIE ELF64 images linked at GUEST_VIRT_BASE (see
# guests/lib/layout.h) with -mcmodel=kernel. Suite hv-abi checks the headers
# of hypervisor/include/public and the ELF notes of every guest.

GUEST_CC := gcc
GUEST_LD := ld
GUEST_AR := ar
GUEST_OUT := $(BUILD)/guests
GUEST_Q := $(if $(filter 1,$(V)),,@)

GUEST_CPPFLAGS := -nostdinc -isystem $(shell $(GUEST_CC) -print-file-name=include) \
	-Ihypervisor/include -Iguests/lib -I.
GUEST_CFLAGS := -std=gnu11 -O2 -g $(GUEST_CPPFLAGS) -ffreestanding -fno-builtin \
	-fno-tree-loop-distribute-patterns -mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx \
	-mcmodel=kernel -fno-pic -fno-pie -fno-stack-protector -fcf-protection=none \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-common \
	-Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP
GUEST_ASFLAGS := -D__ASSEMBLY__ $(GUEST_CPPFLAGS) -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 -z noexecstack \
	--build-id=none -T $(GUEST_OUT)/guest.lds

GUEST_LIB_SRCS := $(wildcard guests/lib/*.c guests/lib/*.S) \
	hypervisor/lib/string.c hypervisor/lib/vsnprintf.c
GUEST_LIB_SRCS := $(filter-out guests/lib/guest.lds.S,$(GUEST_LIB_SRCS))
GUEST_LIB_OBJS := $(patsubst %,$(GUEST_OUT)/obj/%.o,$(GUEST_LIB_SRCS))

# A guest is guests/tests/NAME.c, every .c/.S file under guests/tests/NAME/,
# or a runtime self-test guests/selftest/NAME.c (a guest that must end in
# FAILURE, ERROR or SKIP: it proves the verdict plumbing; hv-qemu boots it).
GUEST_SINGLE := $(basename $(notdir $(wildcard guests/tests/*.c guests/selftest/*.c)))
GUEST_DIRS := $(notdir $(patsubst %/,%,$(dir $(wildcard guests/tests/*/*.c guests/tests/*/*.S))))
GUEST_NAMES := $(sort $(GUEST_SINGLE) $(GUEST_DIRS))
GUEST_ELFS := $(patsubst %,$(GUEST_OUT)/%.elf,$(GUEST_NAMES))
guest_srcs = $(wildcard guests/tests/$(1).c guests/tests/$(1)/*.c guests/tests/$(1)/*.S \
	guests/selftest/$(1).c)
guest_objs = $(patsubst %,$(GUEST_OUT)/obj/%.o,$(call guest_srcs,$(1)))

$(GUEST_OUT)/obj/%.c.o: %.c guests/build.mk
	@mkdir -p $(@D)
	@echo "  GUESTCC $<"
	$(GUEST_Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj/%.S.o: %.S guests/build.mk
	@mkdir -p $(@D)
	@echo "  GUESTAS $<"
	$(GUEST_Q)$(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_OUT)/guest.lds: guests/lib/guest.lds.S guests/lib/layout.h guests/build.mk
	@mkdir -p $(@D)
	$(GUEST_Q)$(GUEST_CC) -E -P -x c -D__ASSEMBLY__ -Iguests/lib $< -o $@

$(GUEST_OUT)/libguest.a: $(GUEST_LIB_OBJS)
	@mkdir -p $(@D)
	$(GUEST_Q)rm -f $@ && $(GUEST_AR) rcs $@ $^

# The whole archive: head.S and notes.S are referenced by nothing, yet every
# guest needs its entry point and its notes.
define guest_link
$(GUEST_OUT)/$(1).elf: $(call guest_objs,$(1)) $(GUEST_OUT)/libguest.a $(GUEST_OUT)/guest.lds
	@echo "  GUESTLD $$@"
	$(GUEST_Q)$(GUEST_LD) $(GUEST_LDFLAGS) -o $$@ $(call guest_objs,$(1)) \
		--whole-archive $(GUEST_OUT)/libguest.a --no-whole-archive
endef
$(foreach g,$(GUEST_NAMES),$(eval $(call guest_link,$(g))))

-include $(shell find $(GUEST_OUT)/obj -name '*.d' 2>/dev/null)

ALL += $(GUEST_OUT)/libguest.a $(GUEST_ELFS)

# Suite hv-abi: the public headers (sizes, offsets, numbers, compiling
# alone) and the Xen ELF notes of every guest image. Host programs see
# hypervisor/include only after the system directories (-idirafter), so the
# hypervisor's own headers (elf.h, ...) cannot shadow libc's.
ABI_CHECK := $(BIN)/abi-check
GUEST_ELF_CHECK := $(BIN)/guest-elf-check
PUBLIC_HEADERS := $(wildcard hypervisor/include/public/*.h)

$(ABI_CHECK): tests/hv/abi/abi_check.c $(PUBLIC_HEADERS) guests/build.mk
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -idirafter hypervisor/include $< -o $@

$(GUEST_ELF_CHECK): tests/hv/abi/elf_check.c guests/lib/layout.h $(PUBLIC_HEADERS) guests/build.mk
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -idirafter hypervisor/include -Iguests/lib $< -o $@

ALL += $(ABI_CHECK) $(GUEST_ELF_CHECK)
TEST_SUITES += hv-abi

.PHONY: test-hv-abi guests
guests: $(GUEST_OUT)/libguest.a $(GUEST_ELFS)
test-hv-abi: $(ABI_CHECK) $(GUEST_ELF_CHECK) $(GUEST_ELFS)
	@scripts/run-suite hv-abi tests/hv/abi/run-abi --build $(BUILD) $(GUEST_ELFS)
