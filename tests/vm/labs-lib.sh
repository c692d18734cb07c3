# SPDX-License-Identifier: GPL-2.0
# Helpers for the labs' in-VM tests (tests/vm/labs-*.t).  Source after
# tests/lib/tap.sh and tests/lib/guest.sh.  Each test runs a lab as a
# student would (its run, then answers taken from the run's own trace, then
# its check), compares the README's excerpts with the run, and shows that the
# checker fails on missing or doctored observations.

LABS=$DIOLAB_ROOT/labs

# lab_run_ok LAB: run the lab into /tmp/lab-work/LAB ($LW).
lab_run_ok() {
	LAB=$1
	LW=/tmp/lab-work/$LAB
	rm -rf "$LW"
	LAB_WORK=$LW "$LABS/$LAB/run" >/tmp/lab-run.out 2>&1
	ok $? "$LAB: run finished"
	[ -s "$LW/kernel" ] || { diag "run output:"; tail -n 30 /tmp/lab-run.out | diag_stdin; }
}

# lab_answers KEY=VALUE...: the student's answers file.
lab_answers() {
	printf '%s\n' "$@" | sed 's/=/: /' >"$LW/answers.txt"
}

# lab_check WORK: run the checker on WORK; sets CHK_RC and CHK_OUT.
lab_check() {
	CHK_OUT=$(LAB_WORK=$1 LAB_RESULTS=/tmp/lab-results.json "$LABS/$LAB/check" 2>&1)
	CHK_RC=$?
}

# lab_full_score_ok: the untouched run scores full marks, exit 0, and
# results.json is Gradescope's format with the same score.
lab_full_score_ok() {
	local max
	max=$(awk -F': *' '$1 == "points" { print $2 }' "$LABS/$LAB/lab.meta")
	lab_check "$LW"
	is "$CHK_RC" 0 "$LAB: check exits 0 at full score"
	is "$(tail -n 1 <<<"$CHK_OUT")" "Score: $max/$max" "$LAB: Score: $max/$max"
	[ "$CHK_RC" = 0 ] || printf '%s\n' "$CHK_OUT" | diag_stdin
	is "$(jq -r '[.score, .max_score, (.tests | length > 0),
		(.tests | all(has("name") and has("score") and has("max_score") and has("output")))] | @tsv' \
		/tmp/lab-results.json 2>/dev/null)" "$(printf '%s\t%s\ttrue\ttrue' "$max" "$max")" \
		"$LAB: results.json has score, max_score and tests[] with name, score, max_score, output"
}

# failed_line NAME: the checker printed "NAME ..... failed [0/N]" (NAME is text,
# not a regex).
failed_line() {
	local l
	while IFS= read -r l; do
		[[ "$l" == "$1 "* ]] || continue
		l=${l#"$1 "}
		[[ "$l" =~ ^\.+\ failed\ \[0/[0-9]+\]$ ]] && return 0
	done <<<"$CHK_OUT"
	return 1
}

# lab_doctored_fails WHAT CHECK_NAME SHELL_CMD: apply SHELL_CMD in a copy of
# the run's work dir ($D); the checker must fail CHECK_NAME, exit 1 and
# score below the maximum.
lab_doctored_fails() {
	local what=$1 name=$2 cmd=$3 D=/tmp/lab-doctored
	rm -rf $D
	cp -r "$LW" $D
	(cd $D && eval "$cmd")
	lab_check $D
	failed_line "$name" && [ "$CHK_RC" = 1 ] &&
		! grep -qE '^Score: ([0-9]+)/\1$' <<<"$CHK_OUT"
	ok $? "$LAB: $what -> '$name' fails, exit 1, score below max"
	[ "$CHK_RC" = 1 ] || diag "exit $CHK_RC"
	failed_line "$name" || printf '%s\n' "$CHK_OUT" | diag_stdin
}

# lab_env_fail_ok: without a run, the checker exits 2 and says what to do.
lab_env_fail_ok() {
	lab_check /tmp/lab-nothing-here
	is "$CHK_RC" 2 "$LAB: check without a run exits 2"
	grep -q "make -C labs/$LAB run" <<<"$CHK_OUT"
	ok $? "$LAB: ... naming the fix ($(head -n 1 <<<"$CHK_OUT"))"
}

# lab_excerpts_ok: the README's excerpts for this kernel match this run.
lab_excerpts_ok() {
	check "$LAB: README excerpts for $(uname -r | cut -d. -f1,2) match this run" \
		"$LABS/lib/excerpts" --check "$LAB" "$LW"
}

# jset FILE JQ: rewrite a JSON-lines file in place.
jset() { jq -c "$2" "$1" >"$1.new" && mv "$1.new" "$1"; }
