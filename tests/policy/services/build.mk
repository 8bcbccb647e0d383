# tests/policy/services/build.mk - the services suites (included by tests/policy/build.mk).
#
#   make test-flask-services   unit tests of flask/ services, SID table, contexts, class map,
#                              AVC, audit lines (ASan+UBSan), and the audit2allow round trip;
#                              the AVC on many CPUs against libsepol (test-avc-smp.c, under
#                              ASan+UBSan and under ThreadSanitizer)
#   make test-flask-query-cli  flask-query on good and bad input, exit status and messages
#
# The test policies are compiled here from tests/policy/services/*.conf with
# checkpolicy -t Xen; policy A also in deny/allow/reject handle_unknown flavours.

SVC_DIR := $(BUILD)/tests/policy/services
SVC_POLICIES := $(SVC_DIR)/svc-a.30 $(SVC_DIR)/svc-b.30 $(SVC_DIR)/svc-mls.30 \
	$(SVC_DIR)/svc-a-deny.30 $(SVC_DIR)/svc-a-allow.30 $(SVC_DIR)/svc-a-reject.30
SVC_DEFAULTS := $(BUILD)/policy/policy.30 $(BUILD)/policy/policy-mls.30

$(SVC_DIR)/svc-a.30: tests/policy/services/svc-a.conf
	@mkdir -p $(@D)
	checkpolicy -t Xen -c 30 -o $@ $<

$(SVC_DIR)/svc-b.30: tests/policy/services/svc-b.conf
	@mkdir -p $(@D)
	checkpolicy -t Xen -c 30 -o $@ $<

$(SVC_DIR)/svc-mls.30: tests/policy/services/svc-mls.conf
	@mkdir -p $(@D)
	checkpolicy -M -t Xen -c 30 -o $@ $<

$(SVC_DIR)/svc-a-%.30: tests/policy/services/svc-a.conf
	@mkdir -p $(@D)
	checkpolicy -U $* -t Xen -c 30 -o $@ $<

$(SVC_DIR)/test-services: tests/policy/services/test-services.c $(BUILD)/lib/libflask-san.a \
		$(BUILD)/lib/libflask-host-san.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -Iflask -Itools/lib -o $@ $< $(FLASK_LIBS_SAN)

# libsepol's shared library: it exports only the sepol_* API, so its internals
# cannot collide with flask/'s names.
$(SVC_DIR)/test-avc-smp: tests/policy/services/test-avc-smp.c $(BUILD)/lib/libflask-san.a \
		$(BUILD)/lib/libflask-host-san.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -Iflask -Itools/lib -o $@ $< $(FLASK_LIBS_SAN) -lsepol

$(SVC_DIR)/test-avc-smp-tsan: tests/policy/services/test-avc-smp.c $(BUILD)/lib/libflask-tsan.a \
		$(BUILD)/lib/libflask-host-tsan.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_TSAN) -Iflask -Itools/lib -o $@ $< $(FLASK_LIBS_TSAN) -lsepol

TEST_SUITES += flask-services flask-query-cli
.PHONY: test-flask-services test-flask-query-cli

# The default policies belong to policy/build.mk; the suite FAILs if they cannot be built.
test-flask-services: $(SVC_DIR)/test-services $(SVC_DIR)/test-avc-smp $(SVC_DIR)/test-avc-smp-tsan \
		$(SVC_POLICIES)
	-@$(MAKE) --no-print-directory $(SVC_DEFAULTS)
	@scripts/run-suite flask-services tests/policy/services/run-services.sh \
		$(SVC_DIR) $(SVC_DEFAULTS)

test-flask-query-cli: $(BIN)/flask-query-san $(SVC_DIR)/svc-a.30 $(SVC_DIR)/svc-mls.30
	@scripts/run-suite flask-query-cli tests/policy/services/test-flask-query.sh \
		$(BIN)/flask-query-san $(SVC_DIR)
