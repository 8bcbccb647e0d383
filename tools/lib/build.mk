# tools/lib/build.mk - host embedding of flask/ (flask_env.h for host programs).
#   build/lib/libflask-host-{san,opt,fuzz,tsan}.a, link after libflask-*.a and add -lpthread
#   (flask/build.mk defines FLASK_LIBS_SAN/OPT/FUZZ with the right order).

FLASK_HOST_CFLAGS := -Iflask -Itools/lib -MMD -MP

$(BUILD)/tools/lib/san/%.o: tools/lib/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) $(FLASK_HOST_CFLAGS) -c $< -o $@

$(BUILD)/tools/lib/opt/%.o: tools/lib/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_OPT) $(FLASK_HOST_CFLAGS) -c $< -o $@

$(BUILD)/tools/lib/tsan/%.o: tools/lib/%.c
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_TSAN) $(FLASK_HOST_CFLAGS) -c $< -o $@

$(BUILD)/tools/lib/fuzz/%.o: tools/lib/%.c
	@mkdir -p $(@D)
	$(CLANG) $(FLASK_FUZZ_CFLAGS) $(FLASK_HOST_CFLAGS) -c $< -o $@

$(BUILD)/lib/libflask-host-san.a: $(BUILD)/tools/lib/san/flask_env_host.o
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libflask-host-opt.a: $(BUILD)/tools/lib/opt/flask_env_host.o
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libflask-host-tsan.a: $(BUILD)/tools/lib/tsan/flask_env_host.o
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/lib/libflask-host-fuzz.a: $(BUILD)/tools/lib/fuzz/flask_env_host.o
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

ALL += $(BUILD)/lib/libflask-host-san.a $(BUILD)/lib/libflask-host-opt.a \
	$(BUILD)/lib/libflask-host-fuzz.a

-include $(BUILD)/tools/lib/san/flask_env_host.d $(BUILD)/tools/lib/opt/flask_env_host.d \
	$(BUILD)/tools/lib/fuzz/flask_env_host.d
