#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Lab 01 as a student does it (run, answers from the run's own observations,
# check), its README excerpts, and its checker failing on doctored results.
set -uo pipefail
. "$DIOLAB_ROOT/tests/lib/tap.sh"
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/labs-lib.sh"

lab_run_ok 01-buffered-vs-direct
J=$LW/writes.json
R=$(cat "$LW/raw-dev")
t() { jq -r --arg p "$1" "select(.type == \"syscall\" and .o_direct and .path == \$p) | $2" "$J" | tail -n 1; }
vd() { awk -v k=nr_foll_pin_acquired '$1 == k { print $2 }' "$LW/$1.vmstat-$2"; }
lab_answers "vfat_direct_IO=$(t /mnt/lab01v/dio.bin .direct_IO)" \
	"vfat_nolock_today=__generic_file_write_iter" \
	"ext4_engine=$(t /mnt/lab01e/dio.bin .dio_engine)" \
	"raw_engine=$(t "$R" '[.chain[] | select(test("^blkdev_direct_IO"))][0]')" \
	"pin_kind=FOLL_$(t /mnt/lab01e/dio.bin '[.. | objects | select(.fn? // "" | test("user_pages_fast$")) | .args.foll][0]')" \
	"ext4_buffered_cached_after=$(tr -d ' ' <"$LW/ext4-buffered.cached-after")" \
	"ext4_direct_cached_after=$(tr -d ' ' <"$LW/ext4-direct.cached-after")" \
	"vfat_direct_pins_acquired=$(($(vd vfat-direct after) - $(vd vfat-direct before)))"
lab_full_score_ok
lab_excerpts_ok
lab_env_fail_ok
lab_doctored_fails "trace deleted" "trace is real diotrace output" 'rm writes.json'
lab_doctored_fails "raw direct write dropped" "six 64 KiB writes traced" \
	"jset writes.json 'select(.path != \"$R\" or (.o_direct | not))'"
lab_doctored_fails "page count doctored" "page cache filled / emptied (fincore)" 'echo 16 >ext4-direct.cached-after'
lab_doctored_fails "pins added to a buffered write" "vmstat pins agree with FOLL kind" \
	'awk "\$1 == \"nr_foll_pin_acquired\" { \$2 += 5 } 1" ext4-buffered.vmstat-after >x && mv x ext4-buffered.vmstat-after'
lab_doctored_fails "2.6 name given as today's" "answer: today's generic_file_aio_write_nolock" \
	'sed -i "s/^vfat_nolock_today:.*/vfat_nolock_today: generic_file_aio_write_nolock/" answers.txt'
lab_doctored_fails "wrong FOLL kind" "answer: FOLL kind" \
	'sed -i "s/^pin_kind: FOLL_\(PIN\|GET\)/pin_kind: FOLL_X\1/" answers.txt'
done_testing
