#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 01 on this kernel as a student does it: run, answers from the run's
# own observations, check at full score; the README's excerpts match the
# run; the checker fails without a run and on one doctored count (the full
# doctored matrix runs on the host: tests/host/labs-checkers.t).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/lib/labs.sh"

lab_run_ok 01-buffered-vs-direct
solve_01
lab_full_score_ok
lab_excerpts_ok
lab_env_fail_ok
lab_doctored_fails "page count doctored" "page cache filled / emptied (fincore)" 'echo 16 >ext4-direct.cached-after'
done_testing
