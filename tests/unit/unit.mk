# SPDX-License-Identifier: GPL-2.0
# Extra objects for unit tests (see docs/CONVENTIONS.md).  Paths are
# spelled out because this file is read before bpf/bpf.mk.
DIOTRACE_UNIT_OBJS := $(addprefix $(BUILD)/bpf/,dtctx.o dtape_ev.o mappers.o tree.o analyze.o render_text.o \
			render_json.o render_dot.o render_summary.o record.o draw.o)
$(TESTBIN)/test_diotrace: $(DIOTRACE_UNIT_OBJS)
$(TESTBIN)/test_diotrace: UNIT_LDLIBS += -lbpf -lz
$(TESTBIN)/test_diotrace: CFLAGS += -DDT_DATA=\"$(CURDIR)/tests/unit/data\"
$(TESTBIN)/test_ksyms: $(BUILD)/bpf/ksyms.o
$(TESTBIN)/test_numarg: workloads/lib/numarg.c workloads/lib/numarg.h
$(TESTBIN)/test_numarg: CFLAGS += -Iworkloads
DIFF_UNIT_OBJS := $(DIOTRACE_UNIT_OBJS) $(addprefix $(BUILD)/bpf/,dmodel.o dload.o jparse.o djson.o \
			dalign.o dexplain.o render_diff.o render_diff_json.o seed.o)
$(TESTBIN)/test_diff: $(DIFF_UNIT_OBJS)
$(TESTBIN)/test_diff: UNIT_LDLIBS += -lbpf -lz
$(TESTBIN)/test_diff: CFLAGS += -DDT_DATA=\"$(CURDIR)/tests/unit/data\"
