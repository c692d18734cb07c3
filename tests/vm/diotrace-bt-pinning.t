#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bpf/bpftrace/pinning.bt must load and report on this kernel
# (bpftrace 0.17 syntax, both lab kernels).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require
dt_bt_setup

out=$(timeout 120 bpftrace "$S/pinning.bt" -c "$DIOLOAD write $M/f.bin 0 65536 direct" 2>&1 | tr -d "\\000")
ok $? "pinning.bt runs"
grep -qE "^$PIN_FN: .*nr_pages=16" <<<"$out" && grep -q -- '-> 16 of 16 pages' <<<"$out"
rc=$?
ok $rc "pinning.bt: 16 of 16 pages via $PIN_FN"
[ $rc = 0 ] || printf '%s\n' "$out" | head -n 30 | diag_stdin
"$LABFS" --umount $M >/dev/null 2>&1
done_testing
