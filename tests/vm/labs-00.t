#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 00 on this kernel as a student does it: run, answers from the run's
# own trace, check at full score; the README's excerpts match the run; the
# checker fails without a run and on one doctored trace (the full doctored
# matrix runs on the host: tests/host/labs-checkers.t).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/lib/labs.sh"

lab_run_ok 00-getting-started
solve_00
lab_full_score_ok
lab_excerpts_ok
lab_env_fail_ok
lab_doctored_fails "pin count edited" "trace is real diotrace output" \
	'jset dd.json "if .type == \"syscall\" then .pages_pinned = 32 else . end"'
done_testing
