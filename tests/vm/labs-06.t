#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 06 on this kernel as a student does it: the README's run (the whole
# measurement), answers from the run's own data, check at full score; the
# drive's counters are exactly what the sweep's records imply; the
# README's excerpts match the run; the checker fails without a run and on
# one doctored count (the full doctored matrix runs on the host:
# tests/host/labs-checkers.t).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/lib/labs.sh"

lab_run_ok 06-when-direct-pays
solve_06
lab_full_score_ok
# Per round and mode the sweep writes 4096 records of 64, 256, 1024 and
# 4096 bytes, and 16 MiB each of 16, 64 and 256 KiB and 1 MiB records
# (1024 + 256 + 64 + 16 of them): 17744 records, 89391104 bytes. A direct
# record pins one page per page it spans: 4 x 4096 x 1 + 1024 x 4 + 256 x
# 16 + 64 x 64 + 16 x 256 = 32768 pages. Three rounds.
is "$(paste -sd' ' "$LW/dtape-after.txt")" \
	"records_direct 53232 records_buffered 53232 bytes_direct 268173312 bytes_buffered 268173312 pages_pinned 98304 pages_unpinned 98304" \
	"dtape counted the sweep's records, bytes and pins exactly"
is "$(awk -F, 'NR > 1 { n[$1]++ } END { print n["dtape"] + 0, n["ext4"] + 0 }' "$LW/data.csv")" "48 36" \
	"data.csv: 8 dtape and 6 ext4 sizes, 2 modes, 3 runs"
test -s "$LW/plot.svg"
ok $? "gnuplot drew work/plot.svg"
lab_excerpts_ok
lab_env_fail_ok
lab_doctored_fails "one more page pinned" "dtape runs add up to the drive's counters" \
	'awk "\$1 == \"pages_pinned\" { \$2 += 1 } 1" dtape-after.txt >x && mv x dtape-after.txt'
dmesg_clean_ok "lab 06"
done_testing
