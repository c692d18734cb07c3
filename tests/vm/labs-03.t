#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 03 on this kernel as a student does it: run, answers from the run's
# own trace, check at full score; the README's excerpts match the run; the
# checker fails without a run and on one doctored trace (the full doctored
# matrix runs on the host: tests/host/labs-checkers.t).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/lib/labs.sh"

lab_run_ok 03-mmap-invalidation
solve_03
lab_full_score_ok
lab_excerpts_ok
lab_env_fail_ok
lab_doctored_fails "no write fell back" "raced writes fell back silently" \
	"jset mmap.json 'select(.path != \"/mnt/lab03/race.bin\" or (.fallback | not))'"
done_testing
