#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bpf/bpftrace/invalidation.bt must load and report on this kernel
# (bpftrace 0.17 syntax, both lab kernels).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require
dt_bt_setup

out=$(timeout 120 bpftrace "$S/invalidation.bt" -c "$DIOLOAD mmap $M/f.bin" 2>&1 | tr -d "\\000")
ok $? "invalidation.bt runs"
grep -q 'unmap index 0' <<<"$out" && grep -q 'REFAULT' <<<"$out"
rc=$?
ok $rc "invalidation.bt shows the unmap and the refault"
[ $rc = 0 ] || printf '%s\n' "$out" | head -n 30 | diag_stdin
"$LABFS" --umount $M >/dev/null 2>&1
done_testing
