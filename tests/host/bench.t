#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench's smoke run: QUICK=1 on the newest lab kernel must produce a
# report that parses and leads with ratios, and every benchmark must finish.
. "$(dirname "$0")/../lib/host.sh"

out=build/test-results/bench
rm -rf "$out"
mkdir -p "$out"
k=$(vm/kernels --newest)
# single-threaded TCG, as every test runs: this checks that the benchmarks
# work, not their numbers
# T selects test files here, not benchmarks
T= DIOLAB_TCG_THREAD=single QUICK=1 KERNEL=$k BENCH_RESULTS=$out bench/run \
	>build/test-results/bench.log 2>&1
rc=$?
ok $rc "QUICK=1 bench/run finishes on $k"
[ $rc = 0 ] || tail -n 20 build/test-results/bench.log | diag_stdin

json=$(ls "$out"/"$k"-*.json 2>/dev/null | head -1)
md=${json%.json}.md
jq -e . "$json" >/dev/null 2>&1
ok $? "the JSON report parses ($json)"
is "$(jq -r '.kernel' "$json" 2>/dev/null)" "$k" "it names the kernel"
accel=$(jq -r '.accel' "$json" 2>/dev/null)
ok "$([[ "$accel" =~ ^(tcg|kvm)$ ]] && echo 0 || echo 1)" "it names the accelerator ($accel)"
for b in bench/*.bench; do
	n=${b##*/}
	n=${n%.bench}
	jq -e --arg n "$n" '.benchmarks[$n] | type == "object"' "$json" >/dev/null 2>&1
	ok $? "benchmark $n reported a result"
done
# Counts and verdicts, not speeds: a QUICK run under single-threaded TCG
# says nothing about how fast anything is.
d='.benchmarks.diotrace'
is "$(jq -r "$d.lost" "$json" 2>/dev/null)" 0 "diotrace lost no events"
is "$(jq -r "$d.trees" "$json" 2>/dev/null)" "$(jq -r "$d.writes" "$json" 2>/dev/null)" \
	"diotrace drew a tree for every write ($(jq -r "$d.writes" "$json" 2>/dev/null))"
is "$(jq -r "$d.kprobes_lost" "$json" 2>/dev/null)" 0 "diotrace --attach kprobes lost no events"
jq -e "$d | .kprobes_ns > 0" "$json" >/dev/null 2>&1
ok $? "diotrace --attach kprobes measured the loop"
jq -e "$d | .goal_met == (.diotrace_over_function_graph >= 0 and .diotrace_over_function_graph <= .goal_ratio and .lost == 0)" \
	"$json" >/dev/null 2>&1
ok $? "diotrace's goal_met agrees with its ratio and lost count"
s='.benchmarks["dtape-stream"]'
# The model's own numbers: a writer with one request in flight thinks
# after every completion, so the drive stalls before every record but the
# first (tests/unit/test_stream_model.c).
is "$(jq -r "[$s.runs[] | select(.depth == 1 and .stalls != .records - 1)] | length" "$json" 2>/dev/null)" 0 \
	"dtape-stream: every depth-1 run stalled before every record but the first"
jq -e "$s | .goal_met == (.sync_stall_pct > 90 and .async_q_ge_4_stalls == 0)" "$json" >/dev/null 2>&1
ok $? "dtape-stream's goal_met agrees with its stall counts"
# The goal table: every benchmark states its goals, and the report leads with them.
is "$(jq -r '[.goals[].benchmark] | unique | join(" ")' "$json" 2>/dev/null)" "diotrace dtape dtape-stream labvm" \
	"every benchmark reported its goals"
jq -e '[.goals[] | (.value | type) == "number" and (.met | type) == "boolean"] | all' "$json" >/dev/null 2>&1
ok $? "each goal has a numeric value and a met verdict"
is "$(jq -r '[.goals[] | select(.benchmark == "dtape-stream")] | map(.met) | all' "$json" 2>/dev/null)" \
	"$(jq -r "$s.goal_met" "$json" 2>/dev/null)" "dtape-stream's goals agree with its goal_met"
is "$(grep -m1 '^## ' "$md")" "## Goals" "the Markdown report opens with the goal table"
med=$(jq -r '.benchmarks.labvm.median_ms' "$json" 2>/dev/null)
ok "$([[ "$med" =~ ^[0-9]+$ ]] && [ "$med" -gt 500 ] && echo 0 || echo 1)" "labvm boot time is a plausible measurement (${med} ms)"
grep -q '^## Lab VM boot' "$md" && grep -qE 'Accelerator \*\*(TCG|KVM)\*\*' "$md"
ok $? "the Markdown report names the accelerator and has the boot table"

# bench/report on made-up results: the table, the JSON and the refusals.
fx=$(mktemp -d)
trap 'rm -rf "$fx"' EXIT
mkdir "$fx/in"
echo '{"x":1}' >"$fx/in/alpha.json"
echo '## Alpha' >"$fx/in/alpha.md"
printf 'speed ratio\t0.91\t>= 0.80\tyes\nlost\t3\t0\tno\n' >"$fx/in/alpha.goals"
echo '{"y":2}' >"$fx/in/beta.json"
echo '## Beta' >"$fx/in/beta.md"
printf 'boot, s\t7.5\t< 5\tno\n' >"$fx/in/beta.goals"
BENCH_KERNEL=k BENCH_ACCEL=tcg bench/report "$fx/in" "$fx/r" 2>"$fx/err"
ok $? "bench/report joins two benchmarks' results"
is "$(jq -c '[.goals[] | [.benchmark, .value, .met]]' "$fx/r.json" 2>/dev/null)" \
	'[["alpha",0.91,true],["alpha",3,false],["beta",7.5,false]]' "... every goal in the JSON, with its value and verdict"
is "$(jq -c '.benchmarks' "$fx/r.json" 2>/dev/null)" '{"alpha":{"x":1},"beta":{"y":2}}' "... every benchmark's figures"
is "$(grep -c '| \*\*missed\*\* |$' "$fx/r.md")" 2 "... the Markdown table marks the two missed goals"
is "$(grep '^## ' "$fx/r.md" | tr '\n' ' ')" "## Goals ## Alpha ## Beta " "... and comes before the benchmarks' sections"
printf 'speed ratio\tfast\t>= 0.80\tyes\n' >"$fx/in/beta.goals"
bench/report "$fx/in" "$fx/r" 2>"$fx/err"
is "$?" 1 "bench/report refuses a goal whose value is not a number"
grep -q "beta.goals: a goal line is not" "$fx/err"
ok $? "... and names the file"
done_testing
