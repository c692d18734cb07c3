#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Cross-check against ftrace (vfat): for the same O_DIRECT pwrite,
# the functions diotrace reports, in its order, must be a subsequence of
# what trace-cmd shows with function_graph.  This catches a tree
# that invents calls, misorders them or nests them wrongly.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require
command -v trace-cmd >/dev/null || { echo "1..0 # SKIP trace-cmd not installed"; exit 0; }

dt_ftrace_check vfat
done_testing
