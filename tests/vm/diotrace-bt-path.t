#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bpf/bpftrace/dio-write-path.bt must load and report on this kernel
# (bpftrace 0.17 syntax, both lab kernels).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require
dt_bt_setup

out=$(timeout 120 bpftrace "$S/dio-write-path.bt" -c "$DIOLOAD write $M/f.bin 0 65536 direct" 2>&1 | tr -d "\\000")
ok $? "dio-write-path.bt runs"
[ -n "$out" ] || diag "no output"
grep -q '^vfs_write(count=65536) O_DIRECT' <<<"$out" && grep -qE '^ +iomap_dio_rw' <<<"$out" &&
	grep -qE "^ +$PIN_FN" <<<"$out" && grep -q 'submit_bio' <<<"$out"
rc=$?
ok $rc "dio-write-path.bt shows vfs_write -> iomap_dio_rw -> $PIN_FN -> submit_bio"
[ $rc = 0 ] || printf '%s\n' "$out" | head -n 30 | diag_stdin
"$LABFS" --umount $M >/dev/null 2>&1
done_testing
