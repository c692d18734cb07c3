#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bpf/bpftrace/dtape.bt must load on this kernel and tell the driver's
# story: pins, a buffer that cannot be pinned, the queue's submissions,
# transfers and completions, and stalls that match the driver's own
# counter.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require
command -v bpftrace >/dev/null || { echo "1..0 # SKIP bpftrace not installed"; exit 0; }
dt_require_dtape
S=$DIOLAB_ROOT/bpf/bpftrace

check "dtape loads" load_dtape capacity_mb=32
# The 4th record's buffer is unmapped, so it cannot be pinned (and, not
# O_DIRECT, that counts as a fallback).
out=$(timeout 120 bpftrace "$S/dtape.bt" -c "$BIN/tapestream -m libaio -q 4 -r 64k -s 512k --bad-record 3 $TAPE" \
	2>&1 | tr -d "\\000")
ok $? "dtape.bt runs"
is "$(grep -cE '^pin +drive 0: 65536 bytes at 0x[0-9a-f]+, 16 of 16 pages, path direct$' <<<"$out")" 7 \
	"dtape.bt: 7 records pinned, 16 of 16 pages each, direct"
is "$(grep -cE '^pin +drive 0: 65536 bytes at 0x[0-9a-f]+, -14 of 16 pages, path direct$' <<<"$out")" 1 \
	"dtape.bt: the unmapped buffer's pin fails with -EFAULT"
is "$(grep -cE '^fallback +drive 0: 65536 bytes at 0x[0-9a-f]+ cannot go direct \(pin_error\)$' <<<"$out")" 1 \
	"dtape.bt: ... and shows as a fallback, with its reason"
is "$(grep -cE '^submit +drive 0: 65536 bytes, async, [1-4] in flight$' <<<"$out")" 7 \
	"dtape.bt: 7 asynchronous submissions, at most 4 in flight"
is "$(grep -cE '^complete +drive 0: result 65536 after [0-9]+ us \(dtape' <<<"$out")" 7 \
	"dtape.bt: 7 completions, from the drive's worker thread"
is "$(grep -cE '^transfer +drive 0: 65536 bytes, 16 pages, path direct, block [0-6] \(dtape' <<<"$out")" 7 \
	"dtape.bt: 7 transfers from the pinned pages, onto blocks 0 to 6, in the drive's worker"
is "$(grep -cE '^unpin +drive 0: 16 pages, path direct$' <<<"$out")" 7 \
	"dtape.bt: 7 unpins, none marked dirty (writes)"
grep -q '@submit_to_complete_us:' <<<"$out"
ok $? "dtape.bt: a submission-to-completion histogram at exit"

echo 4096 >"$SYS/stream/buffer_kb" && echo 10 >"$SYS/stream/rate_mbps" &&
	echo 50 >"$SYS/stream/reposition_ms"
mt -f "$TAPE" rewind
before=$(cat "$SYS/stream/stalls")
out=$(timeout 120 bpftrace "$S/dtape.bt" -c "$BIN/tapestream -m sync -d -r 256k -s 1M -t 10000 $TAPE" \
	2>&1 | tr -d "\\000")
after=$(cat "$SYS/stream/stalls")
n=$(grep -c '^STALL .*reposition (50 ms)' <<<"$out")
is "$n" "$((after - before))" "dtape.bt: as many stalls as the driver counted ($n)"
[ "$n" -ge 2 ]; ok $? "dtape.bt: synchronous writes with think time stall"
echo 0 >"$SYS/stream/rate_mbps"
rmmod dtape 2>/dev/null
done_testing
