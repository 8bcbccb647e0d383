# hypervisor/build.mk: the bare-metal hypervisor (included by the top-level Makefile).
#
#   build/palisade.elf        the hypervisor (multiboot2 ELF64 for GRUB)
#   build/palisade-test.elf   the same plus test hooks (test_fault=, test_mbi=)
#   make iso [DOM0=kernel.elf] [DOM0_ARGS="..."] [INITRD=file] [POLICY=file] [CMDLINE="..."]
#                             -> build/palisade.iso; dom0 is the FLASK demo guest
#                             (its label, one denial) unless DOM0 says otherwise
#                             (DOM0= for none: the boot ends "No dom0 to start")
#   make run [ACCEL=kvm]      boot build/palisade.iso on this terminal (Ctrl-A X quits);
#                             QEMU's status is the hypervisor's (0 for a clean power off)
#
# Links are three-pass: symbols of pass N go into pass N+1. Pass 2 already
# has a table of the final size, so pass 3 has pass 2's layout and the
# table generated from pass 2 is exact; the build checks that.

HV_CC := gcc
HV_LD := ld
HV_NM := nm
HV_OUT := $(BUILD)/hv
# make V=1 shows the commands.
HV_Q := $(if $(filter 1,$(V)),,@)

HV_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -nostdinc \
	-isystem $(shell $(HV_CC) -print-file-name=include) -Ihypervisor/include -Ihypervisor/arch/x86_64/include -I. \
	-mno-red-zone -mgeneral-regs-only -mno-sse -mno-mmx -fpie -ffixed-r15 \
	-fno-asynchronous-unwind-tables -fno-unwind-tables -fno-common \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fstack-protector-strong -mstack-protector-guard=global -fcf-protection=none \
	-Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP
HV_ASFLAGS := -D__ASSEMBLY__ -Ihypervisor/include -Ihypervisor/arch/x86_64/include -I. -MMD -MP
HV_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 -z noexecstack --build-id=none \
	--no-warn-rwx-segments \
	-T hypervisor/hypervisor.lds

HV_VARIANT_SRCS := hypervisor/common/symbols_empty.c hypervisor/common/heap_debug.c \
	hypervisor/common/heap_ndebug.c hypervisor/arch/x86_64/test_hooks.c \
	hypervisor/arch/x86_64/test_hooks_none.c
HV_SRCS := $(filter-out $(HV_VARIANT_SRCS), \
	$(wildcard hypervisor/lib/*.c hypervisor/common/*.c hypervisor/arch/x86_64/*.c \
	hypervisor/arch/x86_64/pv/*.c)) \
	$(wildcard hypervisor/arch/x86_64/*.S hypervisor/arch/x86_64/pv/*.S)
HV_OBJS := $(patsubst hypervisor/%,$(HV_OUT)/%.o,$(HV_SRCS))
# Freed-memory poisoning and guard checks stay on: the boot cost is small.
HV_COMMON_EXTRA := $(HV_OUT)/common/heap_debug.c.o

# --- XSM / FLASK section (owner: XSM) ---------------------------------------
# The hook framework (xsm/), the FLASK module (xsm/flask/) and the security
# server (flask/) are linked into the hypervisor; the default policy goes in
# as a blob (xsm/flask/policy_blob.S .incbin's build/policy/policy.30).
HV_XSM_SRCS := $(wildcard xsm/*.c xsm/flask/*.c flask/*.c)
HV_XSM_OBJS := $(patsubst %,$(HV_OUT)/%.o,$(HV_XSM_SRCS)) $(HV_OUT)/xsm/flask/policy_blob.S.o
HV_OBJS += $(HV_XSM_OBJS)

$(HV_OUT)/xsm/%.c.o: xsm/%.c hypervisor/build.mk
	@mkdir -p $(dir $@)
	@echo "  HVCC    $<"
	$(HV_Q)$(HV_CC) $(HV_CFLAGS) -c $< -o $@

$(HV_OUT)/flask/%.c.o: flask/%.c hypervisor/build.mk
	@mkdir -p $(dir $@)
	@echo "  HVCC    $<"
	$(HV_Q)$(HV_CC) $(HV_CFLAGS) -fno-builtin -Iflask -c $< -o $@

$(HV_OUT)/xsm/flask/policy_blob.S.o: xsm/flask/policy_blob.S $(BUILD)/policy/policy.30 hypervisor/build.mk
	@mkdir -p $(dir $@)
	@echo "  HVAS    $<"
	$(HV_Q)$(HV_CC) $(HV_ASFLAGS) -DFLASK_POLICY_FILE='"$(BUILD)/policy/policy.30"' -c $< -o $@

# Host tests, boot tests, hook report and benchmarks of XSM (tests/hv/xsm/).
-include tests/hv/xsm/build.mk
# --- end of the XSM / FLASK section -----------------------------------------

$(HV_OUT)/%.c.o: hypervisor/%.c hypervisor/build.mk
	@mkdir -p $(dir $@)
	@echo "  HVCC    $<"
	$(HV_Q)$(HV_CC) $(HV_CFLAGS) -c $< -o $@

$(HV_OUT)/%.S.o: hypervisor/%.S hypervisor/build.mk
	@mkdir -p $(dir $@)
	@echo "  HVAS    $<"
	$(HV_Q)$(HV_CC) $(HV_ASFLAGS) -c $< -o $@

$(HV_OUT)/syms/%.c.o: $(HV_OUT)/syms/%.c
	$(HV_Q)$(HV_CC) $(HV_CFLAGS) -c $< -o $@

-include $(shell find $(HV_OUT) -name '*.d' 2>/dev/null)

# hv_link NAME, OUTPUT, EXTRA_OBJS
define hv_link
$(HV_OUT)/$(1).pass1.elf: $(HV_OBJS) $(HV_COMMON_EXTRA) $(3) $(HV_OUT)/common/symbols_empty.c.o hypervisor/hypervisor.lds
	$(HV_Q)$(HV_LD) $(HV_LDFLAGS) -o $$@ $(HV_OBJS) $(HV_COMMON_EXTRA) $(3) $(HV_OUT)/common/symbols_empty.c.o

$(HV_OUT)/syms/$(1).pass1.c: $(HV_OUT)/$(1).pass1.elf scripts/gensyms
	@mkdir -p $$(dir $$@)
	$(HV_Q)$(HV_NM) -n -S $$< | scripts/gensyms > $$@

$(HV_OUT)/$(1).pass2.elf: $(HV_OUT)/syms/$(1).pass1.c.o
	$(HV_Q)$(HV_LD) $(HV_LDFLAGS) -o $$@ $(HV_OBJS) $(HV_COMMON_EXTRA) $(3) $$<

$(HV_OUT)/syms/$(1).pass2.c: $(HV_OUT)/$(1).pass2.elf scripts/gensyms
	$(HV_Q)$(HV_NM) -n -S $$< | scripts/gensyms > $$@

$(2): $(HV_OUT)/syms/$(1).pass2.c.o
	$(HV_Q)$(HV_LD) $(HV_LDFLAGS) -o $$@.tmp $(HV_OBJS) $(HV_COMMON_EXTRA) $(3) $$<
	$(HV_Q)$(HV_NM) -n -S $$@.tmp | scripts/gensyms | cmp -s - $(HV_OUT)/syms/$(1).pass2.c || \
		{ echo "$$@: symbol table does not match the final layout" >&2; rm -f $$@.tmp; exit 1; }
	$(HV_Q)mv $$@.tmp $$@
	@echo "  HVLD    $$@ (3-pass, with symbols)"
endef

$(eval $(call hv_link,palisade,$(BUILD)/palisade.elf,$(HV_OUT)/arch/x86_64/test_hooks_none.c.o))
$(eval $(call hv_link,palisade-test,$(BUILD)/palisade-test.elf,$(HV_OUT)/arch/x86_64/test_hooks.c.o))

ALL += $(BUILD)/palisade.elf $(BUILD)/palisade-test.elf

# Every header compiles on its own, with nothing included before it: the
# contract and core headers, the x86_64 internals, the XSM headers. An
# assembler-only header (frame_asm.h) is checked as assembly.
HV_HDRS := $(wildcard hypervisor/include/*.h hypervisor/include/arch/*.h \
	hypervisor/arch/x86_64/include/asm/*.h xsm/*.h xsm/flask/*.h) $(HV_HDRS_EXTRA)
HV_ASM_HDRS := hypervisor/arch/x86_64/include/asm/frame_asm.h
HV_HDRCHECK := $(patsubst %.h,$(HV_OUT)/hdrcheck/%.stamp,$(HV_HDRS))

$(HV_OUT)/hdrcheck/%.stamp: %.h hypervisor/build.mk
	@mkdir -p $(@D)
	$(HV_Q)$(if $(filter $<,$(HV_ASM_HDRS)),$(HV_CC) $(HV_ASFLAGS) -x assembler-with-cpp,$(HV_CC) $(HV_CFLAGS) -x c) \
		-MF $(@:.stamp=.d) -MT $@ -fsyntax-only $<
	@touch $@

ALL += $(HV_HDRCHECK)

# The suite 'tree' runs this, and once with a planted header in HV_HDRS_EXTRA.
.PHONY: hv-hdrcheck
hv-hdrcheck: $(HV_HDRCHECK)

# make iso: defaults for whatever is not given on the command line. The demo
# guest shows a new user dom0's label and one FLASK denial, then powers off.
CMDLINE ?= console=com1 loglvl=info
DOM0 ?= $(BUILD)/guests/demo_dom0.elf
DOM0_ARGS ?=
INITRD ?=
POLICY ?=
ACCEL ?= tcg

.PHONY: iso run
# Module order: dom0's kernel, its initrd, then the policy (found by its
# magic; mkiso --policy refuses a file without it, which would otherwise
# boot as dom0's initrd under the built-in policy).
iso: $(BUILD)/palisade.elf $(filter $(BUILD)/%,$(DOM0))
	$(if $(INITRD),$(if $(DOM0),,$(error INITRD= needs a DOM0= kernel)))
	scripts/mkiso -o $(BUILD)/palisade.iso --cmdline "$(CMDLINE)" $(BUILD)/palisade.elf \
		$(if $(DOM0),--module "$(DOM0):$(DOM0_ARGS)") $(if $(INITRD),--module "$(INITRD)") \
		$(if $(POLICY),--policy "$(POLICY)")

run: iso
	@echo "QEMU: Ctrl-A X quits; isa-debug-exit status 33 (clean power off) counts as success"
	qemu-system-x86_64 -accel $(ACCEL) -cpu max -m 512 -display none -serial mon:stdio \
		-no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-cdrom $(BUILD)/palisade.iso -boot d; \
		rc=$$?; [ $$rc -eq 33 ] && rc=0; exit $$rc
