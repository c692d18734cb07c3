#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench's smoke run: QUICK=1 on the newest lab kernel must produce a
# report that parses and leads with ratios, and every benchmark must finish.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/lib/tap.sh

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
med=$(jq -r '.benchmarks.labvm.median_ms' "$json" 2>/dev/null)
ok "$([[ "$med" =~ ^[0-9]+$ ]] && [ "$med" -gt 500 ] && echo 0 || echo 1)" "labvm boot time is a plausible measurement (${med} ms)"
grep -q '^## Lab VM boot' "$md" && grep -qE 'Accelerator \*\*(TCG|KVM)\*\*' "$md"
ok $? "the Markdown report names the accelerator and has the boot table"
done_testing
