# SPDX-License-Identifier: GPL-2.0
# Extra objects for unit tests (see docs/CONVENTIONS.md).  Paths are
# spelled out because this file is read before bpf/bpf.mk.
DIOTRACE_UNIT_OBJS := $(addprefix $(BUILD)/bpf/,dtctx.o dtape_ev.o mappers.o tree.o analyze.o render_text.o \
			render_json.o render_dot.o render_summary.o render_chrome.o record.o draw.o machine.o)
$(TESTBIN)/test_diotrace: $(DIOTRACE_UNIT_OBJS)
$(TESTBIN)/test_diotrace: UNIT_LDLIBS += -lbpf -lz
$(TESTBIN)/test_diotrace: CFLAGS += -DDT_DATA=\"$(CURDIR)/tests/unit/data\"
$(TESTBIN)/test_ksyms: $(BUILD)/bpf/ksyms.o
$(TESTBIN)/test_symcache: $(BUILD)/bpf/symcache.o $(BUILD)/bpf/ksyms.o
$(TESTBIN)/test_numarg: workloads/lib/numarg.c workloads/lib/numarg.h
$(TESTBIN)/test_numarg: CFLAGS += -Iworkloads
# The streaming model is compiled from module/ itself, against kshim/'s
# stand-ins for the few kernel headers it includes.
$(TESTBIN)/test_stream_model: module/dtape_stream.c module/dtape_stream.h $(wildcard tests/unit/kshim/linux/*.h)
$(TESTBIN)/test_stream_model: CFLAGS += -Itests/unit/kshim -Imodule
$(TESTBIN)/test_pattern: workloads/lib/pattern.c workloads/lib/pattern.h
$(TESTBIN)/test_pattern: CFLAGS += -Iworkloads
$(TESTBIN)/test_devstat: workloads/lib/devstat.c workloads/lib/devstat.h
$(TESTBIN)/test_devstat: CFLAGS += -Iworkloads
$(TESTBIN)/test_clock: workloads/lib/clock.c workloads/lib/clock.h
$(TESTBIN)/test_clock: CFLAGS += -Iworkloads
DIFF_UNIT_OBJS := $(DIOTRACE_UNIT_OBJS) $(addprefix $(BUILD)/bpf/,dmodel.o dload.o jparse.o djson.o \
			dalign.o dexplain.o render_diff.o render_diff_json.o seed.o)
$(TESTBIN)/test_diff: $(DIFF_UNIT_OBJS)
$(TESTBIN)/test_diff: UNIT_LDLIBS += -lbpf -lz
$(TESTBIN)/test_diff: CFLAGS += -DDT_DATA=\"$(CURDIR)/tests/unit/data\"
$(TESTBIN)/test_tapemodel: workloads/lib/tapemodel.c workloads/lib/tapemodel.h workloads/lib/pattern.c \
	workloads/lib/pattern.h
$(TESTBIN)/test_tapemodel: CFLAGS += -Iworkloads
$(TESTBIN)/test_btf_funcs: $(BUILD)/bpf/btf_funcs.o
$(TESTBIN)/test_btf_funcs: UNIT_LDLIBS += -lbpf
