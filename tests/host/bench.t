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
med=$(jq -r '.benchmarks.labvm.median_ms' "$json" 2>/dev/null)
ok "$([[ "$med" =~ ^[0-9]+$ ]] && [ "$med" -gt 500 ] && echo 0 || echo 1)" "labvm boot time is a plausible measurement (${med} ms)"
grep -q '^## Lab VM boot' "$md" && grep -qE 'Accelerator \*\*(TCG|KVM)\*\*' "$md"
ok $? "the Markdown report names the accelerator and has the boot table"
done_testing
