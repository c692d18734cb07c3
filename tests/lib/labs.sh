# SPDX-License-Identifier: GPL-2.0
# Helpers for the labs' tests.  Source after tests/lib/tap.sh.  In the VM
# (tests/vm/labs-*.t) a lab runs as a student would: its run, then answers
# taken from the run's own observations (solve_NN), then its check, and its
# README's excerpts are compared with the run.  On the host
# (tests/host/labs-checkers.t) each checker grades recorded runs from both
# kernels (tests/host/data/labs/) and must fail on every doctored copy
# (doctor_NN).

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

# ------------------------------------------------------------ coding labs
# tests/vm/labs-NN.t of a coding lab sets D (the lab's directory) and
# defines run_src NAME SRC, which runs the lab on SRC into $LW and answers.

# coding_run NAME SRC: run the lab on SRC into /tmp/lab-work/NAME ($LW).
coding_run() {
	LW=/tmp/lab-work/$1
	rm -rf "$LW"
	LAB_SRC=$2 LAB_WORK=$LW "$D/run" >/tmp/lab-run.out 2>&1
	local rc=$?
	ok $rc "$1: run finished"
	[ "$rc" = 0 ] || tail -n 30 /tmp/lab-run.out | diag_stdin
}

# failed_lines: the names of the checks that failed in $CHK_OUT, joined by |.
failed_lines() { sed -n 's/ \.\.* failed \[0\/[0-9]*\]$//p' <<<"$CHK_OUT" | paste -sd'|'; }

# coding_check SRC: grade $LW as a run of SRC; sets CHK_OUT and CHK_RC.
coding_check() {
	CHK_OUT=$(LAB_SRC=$1 LAB_WORK=$LW "$D/check" 2>&1)
	CHK_RC=$?
}

# coding_missing_src_ok: grading a working copy that is not there exits 2
# and names make skel.
coding_missing_src_ok() {
	coding_check /tmp/lab-nothing
	is "$CHK_RC" 2 "a missing working copy: check exits 2"
	grep -q "make -C labs/$LAB skel" <<<"$CHK_OUT"
	ok $? "... naming make skel"
}

# coding_skeleton_ok BUILT FAILED: the generated skeleton runs, passes the
# check line BUILT and fails the line FAILED (both text, not regexes).
coding_skeleton_ok() {
	local sk=/tmp/lab-$LAB-skel
	rm -rf "$sk"
	"$LABS/lib/generate-skels" "$D/solution" "$sk" >/dev/null
	run_src skeleton "$sk"
	coding_check "$sk"
	is "$CHK_RC" 1 "skeleton: check exits 1"
	grep -q -F "$1" <<<"$CHK_OUT" && grep -F "$1" <<<"$CHK_OUT" | grep -qE ' passed \[[0-9]+/[0-9]+\]$'
	ok $? "skeleton: it builds"
	failed_line "$2"
	ok $? "skeleton: '$2' fails ($(grep -c 'failed \[' <<<"$CHK_OUT") checks fail)"
}

# coding_bugs_ok NAME:LINE...: each bugs/NAME.patch, applied to the
# solution, fails exactly the check LINE, with a hint under it.
coding_bugs_ok() {
	local bug name line src
	for bug in "$@"; do
		name=${bug%%:*} line=${bug#*:}
		src=/tmp/lab-$LAB-$name
		rm -rf "$src"
		cp -r "$D/solution" "$src"
		patch -s -d "$src" -p1 <"$D/bugs/$name.patch"
		run_src "$name" "$src"
		coding_check "$src"
		is "$CHK_RC:$(failed_lines)" "1:$line" "bugs/$name.patch fails exactly '$line'"
		[ "$CHK_RC:$(failed_lines)" = "1:$line" ] ||
			{ printf '%s\n' "$CHK_OUT"; head -n 20 "$LW/dmesg.txt" 2>/dev/null; } | diag_stdin
		grep -A4 -F "$line ." <<<"$CHK_OUT" | grep -q 'hint:'
		ok $? "... with a hint"
	done
}

# ------------------------------------------------------------------ lab 00
# solve_00: answers read from the run's own trace, as the answer key says.
solve_00() {
	local t
	t=$(jq -c 'select(.type == "syscall" and .o_direct and .path == "/mnt/lab00/file")' "$LW/dd.json" | tail -n 1)
	lab_answers "write_iter=$(jq -r '.write_iter | sub(" \\[.*"; "")' <<<"$t")" \
		"pin_function=$(jq -r '[.chain[] | select(test("user_pages_fast$"))][0]' <<<"$t")" \
		"pages_pinned=$(jq -r .pages_pinned <<<"$t")" \
		"bios=$(jq -r '[.chain[] | select(. == "submit_bio")] | length' <<<"$t")"
}

doctor_00() {
	lab_doctored_fails "empty trace" "trace is real diotrace output" ': >dd.json'
	lab_doctored_fails "pin count edited" "trace is real diotrace output" \
		'jset dd.json "if .type == \"syscall\" then .pages_pinned = 32 else . end"'
	lab_doctored_fails "a buffered write's trace" "O_DIRECT write traced from vfs_write" \
		'jset dd.json "if .type == \"syscall\" then .o_direct = false else . end"'
	lab_doctored_fails "the pinning step cut out" "direct path: pinned pages and a bio" \
		'jset dd.json "if .type == \"syscall\" then (.chain |= map(select(test(\"user_pages_fast\") | not)) | .calls |= walk(if type == \"object\" and has(\"children\") then .children |= map(select((.fn? // \"\") | test(\"user_pages_fast\") | not)) else . end) | .pages_pinned = 0) else . end"'
	lab_doctored_fails "no mt status" "dtape loaded and mt status saved" 'rm mt-status.txt'
	lab_doctored_fails "wrong write_iter" "answer: f_op->write_iter" \
		'sed -i "s/^write_iter:.*/write_iter: generic_file_write_iter/" answers.txt'
	lab_doctored_fails "wrong pinning function" "answer: pinning function" \
		'sed -i "s/^pin_function:.*/pin_function: get_user_pages/" answers.txt'
	lab_doctored_fails "wrong page count" "answer: pages pinned and bios" \
		'sed -i "s/^pages_pinned:.*/pages_pinned: 1/" answers.txt'
}

# ------------------------------------------------------------------ lab 01
solve_01() {
	local J=$LW/writes.json R
	R=$(cat "$LW/raw-dev")
	t() { jq -r --arg p "$1" "select(.type == \"syscall\" and .o_direct and .path == \$p) | $2" "$J" | tail -n 1; }
	vd() { awk '$1 == "nr_foll_pin_acquired" { print $2 }' "$LW/$1.vmstat-$2"; }
	lab_answers "vfat_direct_IO=$(t /mnt/lab01v/dio.bin .direct_IO)" \
		"vfat_nolock_today=__generic_file_write_iter" \
		"ext4_engine=$(t /mnt/lab01e/dio.bin .dio_engine)" \
		"raw_engine=$(t "$R" '[.chain[] | select(test("^blkdev_direct_IO"))][0]')" \
		"pin_kind=FOLL_$(t /mnt/lab01e/dio.bin '[.. | objects | select(.fn? // "" | test("user_pages_fast$")) | .args.foll][0]')" \
		"ext4_buffered_cached_after=$(tr -d ' ' <"$LW/ext4-buffered.cached-after")" \
		"ext4_direct_cached_after=$(tr -d ' ' <"$LW/ext4-direct.cached-after")" \
		"vfat_direct_pins_acquired=$(($(vd vfat-direct after) - $(vd vfat-direct before)))"
}

doctor_01() {
	local R
	R=$(cat "$LW/raw-dev")
	lab_doctored_fails "trace deleted" "trace is real diotrace output" 'rm writes.json'
	lab_doctored_fails "raw direct write dropped" "six 64 KiB writes traced" \
		"jset writes.json 'select(.path != \"$R\" or (.o_direct | not))'"
	lab_doctored_fails "a buffered write made direct" "buffered writes: copy, no pins" \
		"jset writes.json 'if .path == \"/mnt/lab01e/buf.bin\" then .dio = true else . end'"
	lab_doctored_fails "vfat's engine renamed" "direct writes: engine, 16 pinned, bio" \
		"jset writes.json 'if .path == \"/mnt/lab01v/dio.bin\" then .dio_engine = \"iomap_dio_rw\" else . end'"
	lab_doctored_fails "page count doctored" "page cache filled / emptied (fincore)" 'echo 16 >ext4-direct.cached-after'
	lab_doctored_fails "pins added to a buffered write" "vmstat pins agree with FOLL kind" \
		'awk "\$1 == \"nr_foll_pin_acquired\" { \$2 += 5 } 1" ext4-buffered.vmstat-after >x && mv x ext4-buffered.vmstat-after'
	lab_doctored_fails "2.6 name given as today's" "answer: today's generic_file_aio_write_nolock" \
		'sed -i "s/^vfat_nolock_today:.*/vfat_nolock_today: generic_file_aio_write_nolock/" answers.txt'
	lab_doctored_fails "wrong FOLL kind" "answer: FOLL kind" \
		'sed -i "s/^pin_kind: FOLL_\(PIN\|GET\)/pin_kind: FOLL_X\1/" answers.txt'
	lab_doctored_fails "vmstat count from the other kernel" "answer: vfat direct vmstat pins" \
		'sed -i "s/^vfat_direct_pins_acquired: \(.*\)/vfat_direct_pins_acquired: 1\1/" answers.txt'
}

# ------------------------------------------------------------------ lab 02
solve_02() {
	local t
	t=$(jq -c 'select(.type == "syscall" and .o_direct and .path == "/mnt/lab02e/f.bin" and (.buf % 4096) == 1)' "$LW/writes.json" | tail -n 1)
	lab_answers "ext4_buf1_errno=$([ "$(jq -r .ret <<<"$t")" = -22 ] && echo EINVAL)" \
		"einval_function=$(jq -r '[.calls[] | recurse(.children[]?) | select(.ret? == -22 and all(.children[]?; .ret? != -22)) | .fn // empty] | first' <<<"$t")" \
		"logical_block_size=$(awk '$1 == "ext4" { print $2 }' "$LW/geometry.txt")" \
		"min_buffer_misalignment_that_works=$(awk '$1 == "ext4" { print $2 }' "$LW/geometry.txt")" \
		"vfat_fallback_function=fat_direct_IO" \
		"vfat_fallback_cause=the write extends the file past its initialised size"
}

doctor_02() {
	lab_doctored_fails "an unrelated trace" "trace is real diotrace output" \
		'grep -v "\"type\":\"end\"" writes.json >x; mv x writes.json'
	lab_doctored_fails "the aligned raw write removed" "aligned and sector-aligned writes direct" \
		"jset writes.json 'select(.path != \"$(cat "$LW/raw-dev")\" or .offset != 0 or .count != 4096 or (.buf % 4096) != 0)'"
	lab_doctored_fails "a refused write turned into success" "misaligned buffer, offset, length: EINVAL" \
		"jset writes.json 'if .offset == 100 then .ret = 4096 else . end'"
	lab_doctored_fails "the fallback hidden" "vfat extending write fell back" \
		"jset writes.json 'if .path == \"/mnt/lab02v/new.bin\" then .fallback = false else . end'"
	lab_doctored_fails "no geometry" "logical block sizes recorded" 'rm geometry.txt'
	lab_doctored_fails "page size given" "answer: smallest misalignment that works" \
		'sed -i "s/^min_buffer_misalignment_that_works:.*/min_buffer_misalignment_that_works: 4096/" answers.txt'
	lab_doctored_fails "the caller named" "answer: where ext4 said EINVAL" \
		'sed -i "s/^einval_function:.*/einval_function: ext4_file_write_iter/" answers.txt'
	lab_doctored_fails "no cause" "answer: the fallback's cause" \
		'sed -i "s/^vfat_fallback_cause:.*/vfat_fallback_cause: because/" answers.txt'
}

# ------------------------------------------------------------------ lab 03
solve_03() {
	local J=$LW/mmap.json w
	w=$(awk '{ for (i = 1; i <= NF; i++) print $i }' "$LW/race.out")
	lab_answers "refault_index=$(jq -s -r '[.[] | select(.type == "refault")][0].index' "$J")" \
		"fallbacks=$(jq -s '[.[] | select(.type == "syscall" and .path == "/mnt/lab03/race.bin" and .fallback)] | length' "$J")" \
		"fallback_errno=$(jq -s -r 'first(.[] | select(.type == "syscall" and .path == "/mnt/lab03/race.bin" and .fallback)
			| .calls[] | recurse(.children[]?) | select(.fn? == "iomap_dio_rw") | .ret) | if . == -15 then "ENOTBLK" else tostring end' "$J")" \
		"fsync_old=$(sed -n 's/^fsync_old=//p' <<<"$w")" "fsync_new=$(sed -n 's/^fsync_new=//p' <<<"$w")"
}

doctor_03() {
	lab_doctored_fails "events lost" "trace is real diotrace output" \
		'jset mmap.json "if .type == \"end\" then .lost = 3 else . end"'
	lab_doctored_fails "the unmap note removed" "direct write: flush, invalidate, unmap" \
		"jset mmap.json 'if .path == \"/mnt/lab03/map.bin\" then .notes |= map(select(.kind != \"unmap\")) else . end'"
	lab_doctored_fails "no refaults" "the mapper refaulted" "jset mmap.json 'select(.type != \"refault\")'"
	lab_doctored_fails "the mapper's output edited" "the mapper read the new data" 'sed -i "s/^after:.*/after: page0=d page1=d/" mmap.out'
	lab_doctored_fails "no write fell back" "raced writes fell back silently" \
		"jset mmap.json 'select(.path != \"/mnt/lab03/race.bin\" or (.fallback | not))'"
	lab_doctored_fails "no stale warning" "stale page cache warned" \
		"jset mmap.json 'if .path == \"/mnt/lab03/race.bin\" then .notes |= map(select(.kind != \"stale\")) else . end'"
	lab_doctored_fails "fsync said 0" "fsync: EIO on the old fd only" 'sed -i "s/fsync_old=EIO/fsync_old=0/" race.out'
	lab_doctored_fails "fallbacks miscounted" "answer: number of fallbacks" \
		'sed -i "s/^fallbacks: \(.*\)/fallbacks: 9\1/" answers.txt'
	lab_doctored_fails "EBUSY given" "answer: the errno behind a fallback" \
		'sed -i "s/^fallback_errno:.*/fallback_errno: EBUSY/" answers.txt'
}

# ------------------------------------------------------------------ lab 06
L06=$LABS/06-when-direct-pays

# crossover_06 TARGET: in the run's best runs (best.awk over data.csv), the
# smallest size from which on direct was faster at every larger size;
# "none" when it was not faster at the largest.
crossover_06() {
	awk -f "$L06/best.awk" "$LW/data.csv" | awk -v t="$1" '
		/^# [a-z0-9]+:/ { on = ($2 == t ":"); next }
		on && /^ *[0-9]/ { s[++n] = $1; w[n] = ($3 > $2) }
		END { c = "none"; for (i = n; i >= 1 && w[i]; i--) c = s[i]; print c }'
}

# cost_06 DRIVE: the step that cost more per call in the recording of that
# drive's records: pinning (dtape_pin_user) or copying
# (dtape_bounce_copy_user).
cost_06() {
	"$DIOLAB_ROOT/build/bin/diotrace" report --summary --json --path "/dev/ndtape$1" "$LW/pincost.dtr" 2>/dev/null |
		jq -r 'select(.type == "summary") | [.functions[] | {(.fn): .avg_ns}] | add
			| if .dtape_pin_user > .dtape_bounce_copy_user then "pinning" else "copying" end'
}

solve_06() {
	lab_answers "dtape_crossover=$(crossover_06 dtape)" "ext4_crossover=$(crossover_06 ext4)" \
		"cost_small=$(cost_06 0)" "cost_large=$(cost_06 1)"
}

# off_by_two_06 TARGET: a measured size two sizes away from the crossover.
off_by_two_06() {
	local -a s
	local c i want=
	read -ra s <<<"$(awk -F, -v t="$1" 'NR > 1 && $1 == t && !seen[$3]++ { print $3 }' "$LW/data.csv" | tr '\n' ' ')"
	c=$(crossover_06 "$1")
	want=${#s[@]}
	for i in "${!s[@]}"; do [ "${s[i]}" = "$c" ] && want=$i; done
	if [ $((want + 2)) -lt ${#s[@]} ]; then echo "${s[want + 2]}"; else echo "${s[want - 2]}"; fi
}

# The tools' output, doctored, and data.csv (or remeasure.csv) made again
# from it as the run makes it: only the check meant for it can notice.
csv_06() { jq -n -r --slurpfile t "$1" --slurpfile f "$2" -f "$L06/csv.jq"; }

doctor_06() {
	local big other
	big=$(awk -F, 'NR > 1 && $1 == "dtape" && $3 + 0 > m { m = $3 + 0 } END { print m }' "$LW/data.csv")
	lab_doctored_fails "no data.csv" "data.csv: every point, 3 runs each" 'rm data.csv'
	lab_doctored_fails "a run deleted" "data.csv: every point, 3 runs each" 'sed -i 2d data.csv'
	lab_doctored_fails "no tapeio output" "data.csv is what tapeio and fio reported" 'rm tapeio.jsonl'
	lab_doctored_fails "no counters" "dtape runs add up to the drive's counters" 'rm dtape-after.txt'
	lab_doctored_fails "no re-measurement" "a point measured again is one of data.csv's" 'rm remeasure.csv'
	lab_doctored_fails "a speed edited" "data.csv is what tapeio and fio reported" \
		'awk -F, -v OFS=, "NR == 2 { \$8 = \$8 * 2 } 1" data.csv >x && mv x data.csv'
	lab_doctored_fails "a run that moved more than it wrote" "every run: records x size = bytes, all positive" \
		'jq -c "if .record_size == 4096 and .mode == \"direct\" then .bytes += 1 else . end" tapeio.jsonl >x && mv x tapeio.jsonl && csv_06 tapeio.jsonl fio.jsonl >data.csv'
	lab_doctored_fails "one more page pinned" "dtape runs add up to the drive's counters" \
		'awk "\$1 == \"pages_pinned\" { \$2 += 1 } 1" dtape-after.txt >x && mv x dtape-after.txt'
	lab_doctored_fails "large direct records as costly as small ones" "direct: CPU per MiB falls as records grow" \
		"jq -c 'if .record_size == $big and .mode == \"direct\" then .cpu_seconds *= 10000 else . end' tapeio.jsonl >x && mv x tapeio.jsonl && csv_06 tapeio.jsonl fio.jsonl >data.csv"
	lab_doctored_fails "the point measured again moved one more record" "a point measured again is one of data.csv's" \
		'jq -c ".records += 1 | .bytes += .record_size" re-tapeio.jsonl >x && mv x re-tapeio.jsonl; jq -c ".total_ios += 1" re-fio.jsonl >x && mv x re-fio.jsonl; csv_06 re-tapeio.jsonl re-fio.jsonl >remeasure.csv'
	lab_doctored_fails "no recording" "pin-cost trace: both sizes, both paths" 'rm pincost.dtr'
	lab_doctored_fails "dtape crossover two sizes off" "answer: dtape crossover" \
		"sed -i 's/^dtape_crossover:.*/dtape_crossover: $(off_by_two_06 dtape)/' answers.txt"
	lab_doctored_fails "ext4 crossover two sizes off" "answer: ext4 crossover" \
		"sed -i 's/^ext4_crossover:.*/ext4_crossover: $(off_by_two_06 ext4)/' answers.txt"
	lab_doctored_fails "a size that was not measured" "answer: ext4 crossover" \
		'sed -i "s/^ext4_crossover:.*/ext4_crossover: 600/" answers.txt'
	for c in small:0 large:1; do
		other=pinning
		[ "$(cost_06 "${c#*:}")" = pinning ] && other=copying
		lab_doctored_fails "the other cost at ${c%:*} records" "answer: dominant cost, ${c%:*} records" \
			"sed -i 's/^cost_${c%:*}:.*/cost_${c%:*}: $other/' answers.txt"
	done
}
