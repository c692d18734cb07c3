#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every lab checker against recorded runs of its lab on both lab kernels
# (tests/host/data/labs/KERNEL/LAB, written by `make -C labs excerpts` from
# real runs): full score with answers taken from the run, and a failing
# line, exit 1 and a lower score for each missing or doctored observation.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
export DIOLAB_ROOT=$top
. "$top/tests/lib/tap.sh"
. "$top/tests/lib/labs.sh"

data=$top/tests/host/data/labs
for k in 6.1 6.12; do
	for d in "$top"/labs/[0-9][0-9]-*/; do
		LAB=$(basename "$d")
		n=${LAB%%-*}
		if [ -d "$d/solution" ]; then
			# A coding lab grades the student's driver, built from
			# today's sources, so no recorded run stands in for it:
			# tests/vm/labs-NN.t runs its checker on the solution, the
			# skeleton and every bug patch in bugs/, on both kernels.
			# (coding_bugs_ok in tests/lib/labs.sh applies each patch
			# named in its arguments; every patch must be named.)
			missing=
			for p in "$d"/bugs/*.patch; do
				b=$(basename "$p" .patch)
				grep -qE "(coding_bugs_ok|^[[:space:]]).*\b$b:'" "$top/tests/vm/labs-$n.t" 2>/dev/null || missing+=" $b"
			done
			grep -q '^coding_bugs_ok ' "$top/tests/vm/labs-$n.t" 2>/dev/null && [ -z "$missing" ]
			ok $? "$LAB: a coding lab; tests/vm/labs-$n.t grades its solution, skeleton and bug patches on $k${missing:+ (not graded:$missing)}"
			continue
		fi
		if [ ! -d "$data/$k/$LAB" ]; then
			ok 1 "$LAB: a recorded run on $k exists (make -C labs excerpts)"
			continue
		fi
		diag "$LAB, run recorded on $(cat "$data/$k/$LAB/kernel")"
		LW=$(mktemp -d)
		cp -r "$data/$k/$LAB/." "$LW/"
		# The run's recordings were in its work dir too; the kit ships
		# them gzipped (a checker may read one with diotrace report).
		for r in "$d/recordings/$k"/*.dtr.gz; do
			[ -e "$r" ] || continue
			gzip -dc "$r" >"$LW/$(basename "$r" .gz)"
		done
		"solve_$n"
		lab_full_score_ok
		"doctor_$n"
		rm -rf "$LW"
	done
done
lab_env_fail_ok
done_testing
