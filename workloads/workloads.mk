# SPDX-License-Identifier: GPL-2.0
# Extra link flags for programs in workloads/ (see docs/CONVENTIONS.md).
$(BIN)/tapestream: LDLIBS += -laio -luring
$(BIN)/dioload: LDLIBS += -laio -luring
$(BIN)/mmaprace: LDLIBS += -lpthread
