#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 05 as the course runs it: the kit's solution scores full marks, the
# generated skeleton builds and fails, and each bug patch in bugs/ fails
# exactly the checker line meant for it. The clients share one step-2
# measurement (LAB05_OBSERVED): it takes half a minute and grades no client.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/lib/labs.sh"
LAB=05-aio-streaming
D=$LABS/$LAB
. "$DIOLAB_ROOT/tests/lib/prebuild.sh"
prebuild_ok
export LAB05_OBSERVED=

# run_src NAME SRC: run the lab on SRC into /tmp/lab-work/NAME ($LW), and
# answer from the run's own output.
run_src() {
	coding_run "$1" "$2"
	lab_answers "sync_stalls=$(awk '$1 == "sync" { print $3 }' "$LW/stalls.txt" 2>/dev/null)" \
		"first_depth_without_stalls=$(awk 'NR > 1 && $1 == "uring" && $3 == 0 { print $2; exit }' "$LW/stalls.txt" 2>/dev/null)" \
		"pages_pinned_by_ringwriter=$(($(awk '$1 == "pages_pinned" { print $2 }' "$LW/after.txt" 2>/dev/null) - \
			$(awk '$1 == "pages_pinned" { print $2 }' "$LW/before.txt" 2>/dev/null)))"
}

run_src solution "$D/solution"
LAB05_OBSERVED=$LW
CHK_OUT=$(LAB_SRC=$D/solution LAB_WORK=$LW LAB_RESULTS=/tmp/lab-results.json "$D/check" 2>&1)
CHK_RC=$?
is "$CHK_RC" 0 "solution: check exits 0"
is "$(tail -n 1 <<<"$CHK_OUT")" "Score: 20/20" "solution: Score: 20/20"
[ "$CHK_RC" = 0 ] || printf '%s\n' "$CHK_OUT" | diag_stdin
is "$(jq -r '[.score, .max_score, (.tests | length)] | @tsv' /tmp/lab-results.json)" "$(printf '20\t20\t10')" \
	"solution: results.json has the score and 10 tests"
# The measurement itself: sync stalls before every record but the first;
# eight in flight keep 3.5 s of tape queued, which no guest hiccup drains.
is "$(awk '$1 == "sync" { print $3 }' "$LW/stalls.txt")" 15 "solution: sync stalled on 15 of 16 records in step 2"
is "$(awk '$1 == "uring" && $2 == 8 { print $3, $4 }' "$LW/stalls.txt")" "0 8" \
	"solution: io_uring at depth 8 never stalled, 8 in flight, in step 2"
grep -q 'ringwriter: 16 records of 524288 bytes, up to 8 in flight' "$LW/ringwriter.txt"
ok $? "solution: ringwriter reported its run"
lab_excerpts_ok

# The checker refuses a run of other sources than today's.
coding_missing_src_ok
coding_skeleton_ok "ringwriter builds " "every record written, whole"
coding_bugs_ok depth-four:'8 requests in flight (stream/inflight_max)' \
	batch:'the drive never stalled (stream/stalls)' \
	record-number:'records intact and in order on the tape'
dmesg_clean_ok "lab 05"
done_testing
