#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 05 as the course runs it: the kit's solution scores full marks, the
# generated skeleton builds and fails, and each bug patch in bugs/ fails
# exactly the checker line meant for it. The clients share one step-2
# measurement (LAB05_OBSERVED): it takes half a minute and grades no client.
set -uo pipefail
. "$DIOLAB_ROOT/tests/lib/tap.sh"
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/lib/labs.sh"
LAB=05-aio-streaming
D=$LABS/$LAB
OBSERVED=

# run_src NAME SRC: run the lab on SRC into /tmp/lab-work/NAME ($LW), and
# answer from the run's own output.
run_src() {
	LW=/tmp/lab-work/$1
	rm -rf "$LW"
	LAB05_OBSERVED=$OBSERVED LAB_SRC=$2 LAB_WORK=$LW "$D/run" >/tmp/lab-run.out 2>&1
	local rc=$?
	ok $rc "$1: run finished"
	[ "$rc" = 0 ] || tail -n 30 /tmp/lab-run.out | diag_stdin
	lab_answers "sync_stalls=$(awk '$1 == "sync" { print $3 }' "$LW/stalls.txt" 2>/dev/null)" \
		"first_depth_without_stalls=$(awk 'NR > 1 && $1 == "uring" && $3 == 0 { print $2; exit }' "$LW/stalls.txt" 2>/dev/null)" \
		"pages_pinned_by_ringwriter=$(($(awk '$1 == "pages_pinned" { print $2 }' "$LW/after.txt" 2>/dev/null) - \
			$(awk '$1 == "pages_pinned" { print $2 }' "$LW/before.txt" 2>/dev/null)))"
}

# failed_lines: the names of the checks that failed in $CHK_OUT.
failed_lines() { sed -n 's/ \.\.* failed \[0\/[0-9]*\]$//p' <<<"$CHK_OUT" | paste -sd'|'; }

run_src solution "$D/solution"
OBSERVED=$LW
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
CHK_OUT=$(LAB_SRC=/tmp/lab-nothing LAB_WORK=$LW "$D/check" 2>&1)
is "$?" 2 "a missing working copy: check exits 2"
grep -q "make -C labs/$LAB skel" <<<"$CHK_OUT"
ok $? "... naming make skel"

sk=/tmp/lab-$LAB-skel
rm -rf "$sk"
"$LABS/lib/generate-skels" "$D/solution" "$sk" >/dev/null
run_src skeleton "$sk"
CHK_OUT=$(LAB_SRC=$sk LAB_WORK=$LW "$D/check" 2>&1)
CHK_RC=$?
is "$CHK_RC" 1 "skeleton: check exits 1"
grep -qE "^ringwriter builds \.+ passed" <<<"$CHK_OUT"
ok $? "skeleton: it builds"
grep -qE '^every record written, whole \.+ failed' <<<"$CHK_OUT"
ok $? "skeleton: it writes nothing ($(grep -c 'failed \[' <<<"$CHK_OUT") checks fail)"

for bug in depth-four:'8 requests in flight (stream/inflight_max)' \
	batch:'the drive never stalled (stream/stalls)' \
	record-number:'records intact and in order on the tape'; do
	name=${bug%%:*} line=${bug#*:}
	src=/tmp/lab-$LAB-$name
	rm -rf "$src"
	cp -r "$D/solution" "$src"
	patch -s -d "$src" -p1 <"$D/bugs/$name.patch"
	run_src "$name" "$src"
	CHK_OUT=$(LAB_SRC=$src LAB_WORK=$LW "$D/check" 2>&1)
	CHK_RC=$?
	is "$CHK_RC:$(failed_lines)" "1:$line" "bugs/$name.patch fails exactly '$line'"
	[ "$CHK_RC:$(failed_lines)" = "1:$line" ] || printf '%s\n' "$CHK_OUT" | diag_stdin
	grep -A4 -F "$line ." <<<"$CHK_OUT" | grep -q 'hint:'
	ok $? "... with a hint"
done
dmesg_clean_ok "lab 05"
done_testing
