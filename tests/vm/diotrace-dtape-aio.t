#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace's view of dtape's queue: the submission in the submitter's tree,
# a buffer that cannot be pinned failing its request at submission,
# the completion from the drive's worker thread after io_submit or
# io_uring_enter has returned, and the streaming model's stalls, tied to
# the process that let the drive run dry.  diotrace's stall count must
# equal the driver's own counter.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require
dt_require_dtape
STREAM=$BIN/tapestream

check "dtape loads" load_dtape capacity_mb=64

# --- asynchronous submission: 8 records of 64 KiB, 4 in flight ---------------
# dt_timeline_ok MODE FILE N: the --chrome-trace timeline of the records
# passes the format check, and each of the N queued records' flows ends on
# the drive worker's own thread, the dtape0 kthread
dt_timeline_ok() {
	local res tids
	res=$("$DIOLAB_ROOT/tests/lib/chrome-trace-check" "$2" 2>&1)
	[[ "$res" == "ok "* ]]; ok $? "$1: the timeline passes the format check (${res:0:60})"
	[[ "$res" == "ok "* ]] || diag_stdin <<<"$res"
	is "$(jq '[.traceEvents[] | select(.ph == "f")] | length' "$2")" "$3" "$1: $3 flows, submission to worker"
	tids=$(jq -r '[.traceEvents[] | select(.ph == "f" or (.ph == "i" and .name == "dtape_complete")) | .tid]
		| unique | .[]' "$2")
	is "$(cat "/proc/${tids:-0}/comm" 2>&1)" dtape0 "$1: they end on one thread, the dtape0 kthread ($tids)"
}

# The 4th record's buffer is unmapped: its pin fails at submission, and the
# other 7 are queued. Not O_DIRECT: there a failed pin is no fallback.
for mode in libaio uring; do
	mt -f "$TAPE" rewind
	DT_CHROME=/tmp/dt-$mode.json dt_trace "$STREAM" -m $mode -q 4 -r 64k -s 512k --bad-record 3 "$TAPE"
	dt_timeline_ok "$mode" /tmp/dt-$mode.json 7
	dt_no_lost_ok "$mode"
	# int returns such as io_write's -EIOCBQUEUED arrive in a 64-bit register
	is "$(jq -s '[.[] | .. | objects | select(.ret? != null and .ret >= 4294963200 and .ret < 4294967296)] | length' "$DT_OUT")" 0 \
		"$mode: no errno shown as an unsigned 32-bit number"
	fb=$(jq -c 'select(.type=="syscall") | . as $t | .. | objects | select(.tp? == "dtape_fallback")
		| .args + {notes: [$t.notes[] | select(.kind == "fallback") | .text]}' "$DT_OUT")
	is "$(jq -r '[.why, .path, .dir, .len] | @tsv' <<<"$fb")" "$(printf 'pin_error\tdirect\twrite\t65536')" \
		"$mode: the unmapped buffer's failed pin shows as one dtape_fallback, in the submitting syscall"
	is "$(jq -r '.notes[]' <<<"$fb")" \
		"dtape could not pin the buffer (pin_error); a queued request has no bounce buffer to fall back to, so it failed" \
		"$mode: ... and its note says the request failed, with no bounce buffer to fall back to"
	subs=$(jq -c 'select(.type=="syscall") | .. | objects | select(.tp? == "dtape_submit")' "$DT_OUT")
	is "$(jq -s length <<<"$subs")" 7 "$mode: the other 7 submissions seen in the submitting syscalls"
	is "$(jq -s '[.[] | select(.args.sync == false and .args.dir == "write")] | length' <<<"$subs")" 7 \
		"$mode: each one asynchronous, a write"
	# A completion that beats the end of its io_uring_enter/io_submit hangs
	# in that syscall's tree; the later ones are reported on their own.
	done_ev=$(jq -c '(select(.type=="dtape" and .event=="complete")),
		(select(.type=="syscall") | . as $t | .. | objects
		 | select(.tp? == "dtape_complete") | .args + {comm: $t.comm, pid: $t.pid})' "$DT_OUT")
	is "$(jq -s length <<<"$done_ev")" 7 "$mode: 7 completions reported from the drive's worker"
	n=$(jq -s '[.[] | select(.type=="dtape" and .event=="complete")] | length' <<<"$done_ev")
	[ "${n:-0}" -ge 1 ]; ok $? "$mode: completions after the submitting syscall returned are reported on their own ($n)"
	is "$(jq -s '[.[] | select(.comm == "tapestream" and .result == 65536 and .since_submit_ns > 0)] | length' <<<"$done_ev")" 7 \
		"$mode: each for tapestream, 65536 bytes, after its submission"
	is "$(jq -r 'select(.type=="syscall") | .pid' "$DT_OUT" | sort -u)" \
		"$(jq -r '.pid' <<<"$done_ev" | sort -u)" "$mode: completions attributed to the submitting process"
	is "$(jq -c '(select(.type=="dtape" and .event=="transfer") | .path),
		(select(.type=="syscall") | .. | objects | select(.tp? == "dtape_transfer") | .args.path)' \
		"$DT_OUT" | sort | uniq -c | awk '{print $1, $2}')" \
		'7 "direct"' "$mode: the worker moved each record from the pinned pages"
	n=$(jq -s '[.[] | select(.type=="syscall") | .notes[] | select(.text | test("queued .* to the drive.s worker"))] | length' "$DT_OUT")
	[ "${n:-0}" -ge 1 ]; ok $? "$mode: annotated 'queued to the drive's worker' ($n trees)"
done

# --- the streaming model: synchronous writes that let the drive run dry -------
echo 4096 >"$SYS/stream/buffer_kb" && echo 10 >"$SYS/stream/rate_mbps" &&
	echo 50 >"$SYS/stream/reposition_ms"
mt -f "$TAPE" rewind
before=$(cat "$SYS/stream/stalls")
DT_CHROME=/tmp/dt-sync.json dt_trace "$STREAM" -m sync -d -r 256k -s 2M -t 10000 "$TAPE"
after=$(cat "$SYS/stream/stalls")
dt_timeline_ok sync /tmp/dt-sync.json 8
writes=$(jq -c "select(.type==\"syscall\" and .syscall==\"write\" and .path==\"$TAPE\")" "$DT_OUT")
is "$(jq -s length <<<"$writes")" 8 "sync: 8 record writes traced"
is "$(jq -s '[.[] | select([.. | objects | select(.tp? == "dtape_complete" and .args.in_worker and .args.result == 262144)] | length == 1)] | length' <<<"$writes")" 8 \
	"sync: each write's tree holds its completion by the worker (the caller sleeps until then)"
stalls=$(jq -s '[.[] | .. | objects | select(.tp? == "dtape_stall")] | length' <<<"$writes")
is "$stalls" "$((after - before))" "sync: diotrace saw as many stalls as the driver counted ($stalls)"
[ "$stalls" -ge 4 ]; ok $? "sync: with 10 ms of think time most records stall"
is "$(jq -rs '[.[] | .. | objects | select(.tp? == "dtape_stall") | .args.reposition_ms] | unique | @csv' <<<"$writes")" \
	"50" "sync: each stall costs the 50 ms repositioning"
n=$(jq -s '[.[] | .notes[] | select(.text | test("the drive stalled"))] | length' <<<"$writes")
is "$n" "$(jq -s '[.[] | select([.. | objects | select(.tp? == "dtape_stall")] | length > 0)] | length' <<<"$writes")" \
	"sync: every write that stalled says so"
echo 0 >"$SYS/stream/rate_mbps"
rmmod dtape 2>/dev/null
done_testing
