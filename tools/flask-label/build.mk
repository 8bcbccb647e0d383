# tools/flask-label/build.mk - the FLASK host tools.
#
#   build/bin/flask-query       answers av/create/relabel/member/valid/bool queries (-O2)
#   build/bin/flask-query-san   the same under ASan+UBSan, for the tests

$(BIN)/flask-query: tools/flask-label/flask-query.c $(BUILD)/lib/libflask-opt.a \
		$(BUILD)/lib/libflask-host-opt.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_OPT) -Iflask -Itools/lib -o $@ $< $(FLASK_LIBS_OPT)

$(BIN)/flask-query-san: tools/flask-label/flask-query.c $(BUILD)/lib/libflask-san.a \
		$(BUILD)/lib/libflask-host-san.a
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS_SAN) -Iflask -Itools/lib -o $@ $< $(FLASK_LIBS_SAN)

ALL += $(BIN)/flask-query $(BIN)/flask-query-san
