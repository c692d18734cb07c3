#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 04 as the course runs it: the kit's solution scores full marks, the
# generated skeleton builds and fails, and each bug patch in bugs/ fails
# exactly the checker line meant for it.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/lib/labs.sh"
LAB=04-dio-char-driver
D=$LABS/$LAB
. "$DIOLAB_ROOT/tests/lib/prebuild.sh"
prebuild_ok

# run_src NAME SRC: run the lab on SRC into /tmp/lab-work/NAME ($LW), and
# answer from the run's own output.
run_src() {
	coding_run "$1" "$2"
	lab_answers "vmstat_pins_pin=$(awk '$1 == "pin_acquired" { print $2 }' "$LW/load-pin.txt" 2>/dev/null)" \
		"vmstat_pins_gup=$(awk '$1 == "pin_acquired" { print $2 }' "$LW/load-gup.txt" 2>/dev/null)"
}

run_src solution "$D/solution"
CHK_OUT=$(LAB_SRC=$D/solution LAB_WORK=$LW LAB_RESULTS=/tmp/lab-results.json "$D/check" 2>&1)
CHK_RC=$?
is "$CHK_RC" 0 "solution: check exits 0"
is "$(tail -n 1 <<<"$CHK_OUT")" "Score: 26/26" "solution: Score: 26/26"
[ "$CHK_RC" = 0 ] || printf '%s\n' "$CHK_OUT" | diag_stdin
is "$(jq -r '[.score, .max_score, (.tests | length)] | @tsv' /tmp/lab-results.json)" "$(printf '26\t26\t13')" \
	"solution: results.json has the score and 13 tests"
is "$(awk '$1 == "pages_pinned" || $1 == "pages_unpinned" { print $2 }' "$LW/stats.txt" | uniq | wc -l)" 1 \
	"solution: the driver's stats/ show every pinned page unpinned"
grep -q . "$LW/trace.txt"
ok $? "solution: the kprobes recorded the driver's pinning calls ($(grep -c . "$LW/trace.txt") events)"
lab_excerpts_ok

# The checker refuses a run of other sources than today's.
coding_missing_src_ok
coding_skeleton_ok "module builds for " "part 1: data intact through pinned pages"
coding_bugs_ok leaked-pin:'no pin leaked' missing-dirty:'reads mark their pages dirty' \
	dirty-on-write:'writes leave their pages clean' no-foll-write:'reads pin with FOLL_WRITE' \
	double-unpin:'no page unpinned twice'
done_testing
