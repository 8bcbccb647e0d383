# flask/build.mk - the FLASK security server as host archives.
#
# Every flask/*.c goes into three archives (same sources, three builds):
#   build/lib/libflask-san.a   ASan+UBSan (unit tests, malformed-policy suite)
#   build/lib/libflask-opt.a   -O2 (benchmarks, tools)
#   build/lib/libflask-fuzz.a  clang, fuzzer-no-link + ASan + UBSan (libFuzzer targets)
#   build/lib/libflask-tsan.a  ThreadSanitizer (the multi-CPU AVC test)
# Link each with the matching build/lib/libflask-host-*.a (tools/lib/build.mk)
# after it: FLASK_LIBS_SAN / FLASK_LIBS_OPT / FLASK_LIBS_FUZZ / FLASK_LIBS_TSAN below.
#
# flask/ is freestanding: -ffreestanding, only flask_env.h and compiler
# headers. Every header is also compiled on its own (build/flask/hdrcheck).

FLASK_SRCS := $(sort $(wildcard flask/*.c))
FLASK_HDRS := $(sort $(wildcard flask/*.h))
FLASK_CFLAGS := -ffreestanding -fno-builtin -Iflask -MMD -MP
FLASK_FUZZ_CFLAGS := -std=gnu11 -g -O1 $(HOST_WARN) -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

FLASK_OBJS_SAN := $(FLASK_SRCS:flask/%.c=$(BUILD)/flask/san/%.o)
FLASK_OBJS_OPT := $(FLASK_SRCS:flask/%.c=$(BUILD)/flask/opt/%.o)
FLASK_OBJS_FUZZ := $(FLASK_SRCS:flask/%.c=$(BUILD)/flask/fuzz/%.o)
FLASK_OBJS_TSAN := $(FLASK_SRCS:flask/%.c=$(BUILD)/flask/tsan/%.o)
HOST_CFLAGS_TSAN := -std=gnu11 -g -O1 $(HOST_WARN) -fsanitize=thread -fno-omit-frame-pointer
FLASK_HDRCHECK := $(FLASK_HDRS:flask/%.h=$(BUILD)/flask/hdrcheck/%.stamp)

FLASK_LIBS_SAN := $(BUILD)/lib/libflask-san.a $(BUILD)/lib/libflask-host-san.a -lpthread
FLASK_LIBS_OPT := $(BUILD)/lib/libflask-opt.a $(BUILD)/lib/libflask-host-opt.a -lpthread
FLASK_LIBS_FUZZ := $(BUILD)/lib/libflask-fuzz.a $(BUILD)/lib/libflask-host-fuzz.a -lpthread
FLASK_LIBS_TSAN := $(BUILD)/lib/libflask-tsan.a $(BUILD)/lib/libflask-host-tsan.a -lpthread

$(BUILD)/flask/san/%.o: flask/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) $(FLASK_CFLAGS) -c $< -o $@

$(BUILD)/flask/opt/%.o: flask/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_OPT) $(FLASK_CFLAGS) -c $< -o $@

$(BUILD)/flask/tsan/%.o: flask/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_TSAN) $(FLASK_CFLAGS) -c $< -o $@

$(BUILD)/flask/fuzz/%.o: flask/%.c
	@mkdir -p $(@D)
	$(CLANG) $(FLASK_FUZZ_CFLAGS) $(FLASK_CFLAGS) -c $< -o $@

# A header must compile with nothing included before it.
$(BUILD)/flask/hdrcheck/%.stamp: flask/%.h
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_OPT) $(FLASK_CFLAGS) -MF $(@:.stamp=.d) -MT $@ \
		-fsyntax-only -x c $<
	@touch $@

$(BUILD)/lib/libflask-san.a: $(FLASK_OBJS_SAN)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libflask-opt.a: $(FLASK_OBJS_OPT)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libflask-tsan.a: $(FLASK_OBJS_TSAN)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libflask-fuzz.a: $(FLASK_OBJS_FUZZ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

ALL += $(BUILD)/lib/libflask-san.a $(BUILD)/lib/libflask-opt.a $(BUILD)/lib/libflask-fuzz.a \
	$(FLASK_HDRCHECK)

-include $(FLASK_OBJS_SAN:.o=.d) $(FLASK_OBJS_OPT:.o=.d) $(FLASK_OBJS_FUZZ:.o=.d) \
	$(FLASK_OBJS_TSAN:.o=.d) \
	$(FLASK_HDRCHECK:.stamp=.d)
