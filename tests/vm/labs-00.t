#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 00 as a student does it: run, answers from the run's own trace, check;
# its README excerpts; and its checker failing on doctored observations.
set -uo pipefail
. "$DIOLAB_ROOT/tests/lib/tap.sh"
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/labs-lib.sh"

lab_run_ok 00-getting-started
t=$(jq -c 'select(.type == "syscall" and .o_direct and .path == "/mnt/lab00/file")' "$LW/dd.json" | tail -n 1)
lab_answers "write_iter=$(jq -r '.write_iter | sub(" \\[.*"; "")' <<<"$t")" \
	"pin_function=$(jq -r '[.chain[] | select(test("user_pages_fast$"))][0]' <<<"$t")" \
	"pages_pinned=$(jq -r .pages_pinned <<<"$t")" \
	"bios=$(jq -r '[.chain[] | select(. == "submit_bio")] | length' <<<"$t")"
lab_full_score_ok
lab_excerpts_ok
lab_env_fail_ok
lab_doctored_fails "empty trace" "trace is real diotrace output" ': >dd.json'
lab_doctored_fails "pin count edited" "trace is real diotrace output" \
	'jset dd.json "if .type == \"syscall\" then .pages_pinned = 32 else . end"'
lab_doctored_fails "a buffered write's trace" "O_DIRECT write traced from vfs_write" \
	'jset dd.json "if .type == \"syscall\" then .o_direct = false else . end"'
lab_doctored_fails "no mt status" "dtape loaded and mt status saved" 'rm mt-status.txt'
lab_doctored_fails "wrong pinning function" "answer: pinning function" \
	'sed -i "s/^pin_function:.*/pin_function: get_user_pages/" answers.txt'
lab_doctored_fails "wrong page count" "answer: pages pinned and bios" \
	'sed -i "s/^pages_pinned:.*/pages_pinned: 1/" answers.txt'
done_testing
