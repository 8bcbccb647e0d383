# tests/policy/layers/build.mk - the flask-layers suite (included by tests/policy/build.mk):
#   make test-flask-layers   no include cycle between flask/'s components (a .c with its
#                            .h), no call cycle between its objects, only its own and
#                            freestanding headers; and a planted include that makes the
#                            reader's helpers depend on a section reader must be caught.

FLASK_LAYERS := tests/policy/layers/flask-layers

TEST_SUITES += flask-layers
.PHONY: test-flask-layers
test-flask-layers: $(BUILD)/lib/libflask-opt.a
	@scripts/run-suite flask-layers sh -c '\
		$(FLASK_LAYERS) --objects $(BUILD)/lib/libflask-opt.a; rc=$$?; \
		if $(FLASK_LAYERS) --inject policydb_decode.c:policydb_syms.h | grep -q \
			"^FAIL: flask-layers: no include cycle.*(policydb_decode.c includes policydb_syms.h)"; then \
			echo "PASS: flask-layers: a planted include from the read helpers up into a section reader is caught"; \
		else echo "FAIL: flask-layers: a planted include from the read helpers up into a section reader is caught (it was not)"; rc=1; fi; \
		exit $$rc'
