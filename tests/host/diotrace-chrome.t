#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace --chrome-trace: the committed recordings as Chrome trace-event
# timelines.  Each one must pass tests/lib/chrome-trace-check (the format's
# documented fields, balanced and nested slices, paired flows), which must
# itself refuse doctored copies; and a real viewer, speedscope from npm in
# Debian's headless Chromium, must open them without a complaint and
# refuse the doctored ones.  No root, no VM.
. "$(dirname "$0")/../lib/host.sh"
D=build/bin/diotrace
CHECK=tests/lib/chrome-trace-check
[ -x $D ] || { echo "1..0 # SKIP diotrace not built"; exit 0; }
command -v python3 >/dev/null
ok $? "python3 is there for the format check (make deps)"
w=$(mktemp -d -p "$top/build" chrome.XXXXXX)
trap 'rm -rf "$w"' EXIT

# --- every committed recording: a timeline that passes the check ----------
recs=(tests/unit/data/*.dtr labs/*/recordings/*/*.dtr.gz)
n=0
for r in "${recs[@]}"; do
	n=$((n + 1))
	out=$w/t$n.json
	$D report --include-9p --chrome-trace "$out" "$r" >/dev/null 2>"$w/err"
	rc=$?
	res=$($CHECK "$out" 2>&1)
	[ "$rc" = 0 ] && [[ "$res" == "ok "* ]]
	ok $? "$r: a timeline that passes the format check (${res:0:60})"
	[[ "$res" == "ok "* ]] || diag_stdin <<<"$res"
	# one syscall slice per tree report counted
	want=$(sed -n 's/^diotrace: \([0-9]*\) syscall(s) traced.*/\1/p' "$w/err")
	got=$(jq '[.traceEvents[] | select(.ph == "X" and .cat == "syscall")] | length' "$out")
	is "$got" "$want" "... with a slice for each of the $want syscalls report traced"
done

# --- what the timeline holds -----------------------------------------------
$D report --chrome-trace "$w/v612.json" tests/unit/data/vfat-6.12.dtr >/dev/null 2>&1
$D report --chrome-trace "$w/v61.json" tests/unit/data/vfat-6.1.dtr >/dev/null 2>&1
# the 64 KiB pwrite64's pinning call nests in it, on the same thread
in_write() { # FILE JQ-FILTER: what the filter makes of the events inside
	# the first pwrite64 of /tmp/vf/d.bin, on its thread
	jq -c '.traceEvents as $e
		| [$e[] | select(.ph == "X" and .name == "pwrite64 /tmp/vf/d.bin")][0] as $w
		| [$e[] | select(.tid == $w.tid and .ph != "M" and .ts >= $w.ts and .ts <= $w.ts + $w.dur
			and (.ph != "X" or .ts + .dur <= $w.ts + $w.dur))] | '"$2" "$1"
}
is "$(in_write "$w/v612.json" '[.[] | select(.name == "pin_user_pages_fast") | .args.foll]')" '["PIN"]' \
	"6.12: pin_user_pages_fast (FOLL_PIN in args) nests in the pwrite64 slice"
is "$(in_write "$w/v61.json" '[.[] | select(.name == "get_user_pages_fast") | .args.foll]')" '["GET"]' \
	"6.1: get_user_pages_fast (FOLL_GET in args) nests in the pwrite64 slice"
is "$(in_write "$w/v612.json" '[.[] | select(.ph == "i" and .s == "t") | .name] | unique + [length]')" \
	'["mm_filemap_delete_from_page_cache",16]' "... and its 16 page-cache deletions are thread-scoped instants"
is "$(jq -r '.traceEvents as $e | [$e[] | select(.ph == "X" and .name == "pwrite64 /tmp/vf/d.bin")][0].tid as $t
	| [$e[] | select(.ph == "M" and .name == "thread_name" and .tid == $t)][0].args.name' "$w/v612.json")" \
	dioload "its thread is named after the task (dioload)"
is "$(jq -c '.otherData | [.kernel, .emulated, .accel]' "$w/v612.json")" \
	'["6.12.117+deb12-amd64",null,"unknown"]' "a recording made before emulation was noted says unknown, not native"

# dtape io_uring: the worker's events on the worker's track, flows from the submissions
$D report --chrome-trace "$w/dt.json" tests/unit/data/dtape-uring-6.12.dtr >/dev/null 2>&1
flows=$(jq -c '.traceEvents as $e | $e[] | select(.ph == "s") as $s
	| ($e[] | select(.ph == "f" and .id == $s.id)) as $f
	| [([$e[] | select(.ph == "X" and .tid == $s.tid and .ts <= $s.ts and .ts + .dur >= $s.ts)][-1].name),
	   ([$e[] | select(.ph == "M" and .name == "thread_name" and .tid == $f.tid)][0].args.name),
	   $f.bp]' "$w/dt.json")
is "$flows" "$(printf '%s\n' '["dtape_write_iter","dtape0","e"]' '["dtape_write_iter","dtape0","e"]')" \
	"dtape: two flows, each from the submitting dtape_write_iter to the dtape0 worker's track"
is "$(jq -r '[.traceEvents[] | select(.ph == "i" and .name == "dtape_complete")] | map(.tid) | unique | length' "$w/dt.json")" \
	1 "dtape: the completions are instants on one track, the worker's"
is "$(jq -r '[.traceEvents[] | select(.ph == "i" and .name == "dtape_complete")][0].tid' "$w/dt.json")" \
	4194304 "... which a recording without the worker's thread id puts under an id no task has"

# --- the check refuses broken timelines -----------------------------------
doctor() { # NAME JQ-FILTER: a doctored copy of the dtape timeline
	jq -c "$2" "$w/dt.json" >"$w/bad-$1.json"
}
doctor unbalanced '(.traceEvents | map(select(.ph == "X" and .name == "io_write"))[0]) as $x
	| .traceEvents |= map(if . == $x then (.ph = "B" | del(.dur)) else . end)'
doctor stray-end '.traceEvents += [{ph: "E", name: "io_write", pid: 229, tid: 229, ts: 1}]'
doctor nesting '(.traceEvents | map(select(.ph == "X" and .name == "dtape_write_iter"))[0]) as $x
	| .traceEvents |= map(if . == $x then .dur = 1e9 else . end)'
doctor no-dur '.traceEvents |= map(if .ph == "X" and .name == "io_write" then del(.dur) else . end)'
doctor lone-flow '.traceEvents |= map(select(.ph != "f"))'
doctor no-ts '.traceEvents |= map(if .ph == "i" then del(.ts) else . end)'
head -c 2000 "$w/dt.json" >"$w/bad-truncated.json"
for c in "unbalanced:B 'io_write' never ends (unbalanced)" \
	"stray-end:E 'io_write' at 1 ends no slice (unbalanced)" \
	"nesting:but ends after it (not nested)" \
	"no-dur:(X 'io_write'): dur missing or negative" \
	"lone-flow:1 start(s) and 0 end(s), want one of each" \
	"no-ts:(i 'dtape_pin'): no ts" \
	"truncated:not valid JSON"; do
	name=${c%%:*} want=${c#*:}
	res=$($CHECK "$w/bad-$name.json" 2>&1)
	rc=$?
	[ $rc = 1 ] && grep -qF -- "$want" <<<"$res"
	ok $? "the check refuses a doctored timeline ($name): $want"
	[ $rc = 1 ] || diag "exit $rc: $res"
done

# --- a real viewer opens them ----------------------------------------------
missing=
for t in node; do command -v $t >/dev/null || missing+=" $t"; done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=" chromium"
[ -f tests/viewer/node_modules/speedscope/dist/release/index.html ] || missing+=" speedscope(tests/viewer)"
[ -d slides/node_modules/playwright-core ] || missing+=" playwright-core(slides)"
ok "$([ -z "$missing" ] && echo 0 || echo 1)" "viewer present${missing:+ (missing:$missing: run make deps)}"
if [ -z "$missing" ]; then
	lab3=$w/t$(( ${#recs[@]} ))
	views=$(timeout 300 node tests/viewer/speedscope-check.js "$w/v612.json" "$w/v61.json" "$w/dt.json" \
		"$lab3.json" "$w/bad-unbalanced.json" "$w/bad-nesting.json" "$w/bad-truncated.json" 2>&1)
	for f in v612 v61 dt; do
		grep -q "^OK $w/$f.json profiles=" <<<"$views"
		ok $? "speedscope opens the $f timeline without an error or warning"
	done
	is "$(grep "^OK $lab3.json " <<<"$views" | sed 's/.* profiles=\([0-9]*\).*/\1/')" \
		"$(jq '[.traceEvents[] | select(.ph == "X") | .tid] | unique | length' "$lab3.json")" \
		"speedscope opens ${recs[-1]}'s timeline: a profile per thread"
	grep -q "^FAIL $w/bad-unbalanced.json: console warning: .*was still open at end of profile" <<<"$views"
	ok $? "speedscope complains about the unbalanced slice"
	grep -q "^FAIL $w/bad-nesting.json: console warning: .*Tried to end" <<<"$views"
	ok $? "speedscope complains about the badly nested slice"
	grep -q "^FAIL $w/bad-truncated.json: dialog: Unrecognized format" <<<"$views"
	ok $? "speedscope refuses the truncated file"
	grep -q '^OK' <<<"$views" || diag_stdin <<<"$views"
fi

# --- errors ----------------------------------------------------------------
out=$($D record -o "$w/x.dtr" --chrome-trace "$w/x.json" -- true 2>&1)
is "$?" 64 "record --chrome-trace: usage error (exit 64)"
grep -qF "make the timeline from the recording: diotrace report --chrome-trace OUT.json $w/x.dtr" <<<"$out"
ok $? "... which says how to make the timeline"
out=$($D report --chrome-trace /nonexistent/dir/t.json tests/unit/data/vfat-6.1.dtr 2>&1)
is "$?" 73 "an unwritable --chrome-trace FILE: exit 73 (EX_CANTCREAT, as diff)"
grep -qF "diotrace: cannot write /nonexistent/dir/t.json: No such file or directory" <<<"$out"
ok $? "... naming the file and why"
$D report --chrome-trace "$w/none.json" README.md >/dev/null 2>&1
is "$?" 66 "report of a file that is no recording: exit 66 (EX_NOINPUT, as diff)"
[ ! -e "$w/none.json" ]
ok $? "... and no half-written timeline is left behind"

# --- diff marks emulated time ----------------------------------------------
$D report --json -o "$w/a.json" tests/unit/data/vfat-6.1.dtr 2>/dev/null
jq -c 'if .type == "end" then .emulated = true | .accel = "tcg" else . end' "$w/a.json" >"$w/a-tcg.json"
is "$($D diff "$w/a-tcg.json" tests/unit/data/vfat-6.12.dtr | grep '^  times:')" \
	"  times: A emulated (QEMU TCG), B emulation unknown: emulated time, several times native" \
	"diff marks the times as emulated when a side ran under TCG, unknown for an old recording"
is "$($D diff --json "$w/a-tcg.json" "$w/a-tcg.json" | jq -c '[.a.emulated, .b.accel]')" '[true,"tcg"]' \
	"diff --json carries each side's emulation"
done_testing
