# SPDX-License-Identifier: GPL-2.0
# Extra link flags and shared sources for programs in workloads/ (see
# docs/CONVENTIONS.md). workloads/lib/ holds code that is not a program.
$(BIN)/tapestream: LDLIBS += -laio -luring
$(BIN)/dioload: LDLIBS += -laio -luring
# Messages that name the fix for a missing module, a stray file in /dev, a full tape.
$(BIN)/tapeio $(BIN)/tapestream $(BIN)/tapeprobe: workloads/lib/tapedev.c workloads/lib/tapedev.h
$(BIN)/mmaprace: LDLIBS += -lpthread
# One parser for sizes, counts and offsets on the command line.
$(BIN)/tapeio $(BIN)/tapestream $(BIN)/tapeprobe $(BIN)/dioload $(BIN)/mmaprace: \
	workloads/lib/numarg.c workloads/lib/numarg.h
# One data pattern, so tapeio and tapestream write the same bytes for a seed.
$(BIN)/tapeio $(BIN)/tapestream: workloads/lib/pattern.c workloads/lib/pattern.h
# The driver's mode names, as the module spells them.
$(BIN)/tapeio: module/dtape_abi.h
# Wall and CPU time, read alike.
$(BIN)/tapeio $(BIN)/tapestream $(BIN)/dioload: workloads/lib/clock.c workloads/lib/clock.h
# The driver's counters in /sys/dev/char/MAJ:MIN.
$(BIN)/tapeio $(BIN)/tapestream: workloads/lib/devstat.c workloads/lib/devstat.h
# tapefuzz: random and hostile calls, the model checker and the shadow tape.
$(BIN)/tapefuzz: LDLIBS += -laio -luring -lpthread
$(BIN)/tapefuzz: workloads/lib/fuzz.c workloads/lib/fuzz.h workloads/lib/fuzz_chaos.c \
	workloads/lib/fuzz_chaos.h workloads/lib/fuzz_model.c workloads/lib/fuzz_model.h \
	workloads/lib/tapemodel.c workloads/lib/tapemodel.h workloads/lib/pattern.c \
	workloads/lib/pattern.h workloads/lib/numarg.c workloads/lib/numarg.h workloads/lib/devstat.c \
	workloads/lib/devstat.h
