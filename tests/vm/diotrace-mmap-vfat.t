#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The mmap-invalidation lab: a process maps a file and dirties page 1, a
# second process overwrites pages 0-1 with O_DIRECT.  diotrace must tie the
# flush, the invalidation and the unmap to that write, and show the first
# process's next touch as a refault.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

dt_mmap_check vfat
done_testing
