#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The labs' framework on the host: the index matches every lab.meta, each
# lab has its parts, each README carries excerpts for both lab kernels, a
# checker with nothing to grade exits 2 naming the fix, and the recordings
# shipped for students without a VM are the runs the fixtures came from.
. "$(dirname "$0")/../lib/host.sh"

check "labs/README.md's index matches every lab.meta" labs/lib/index --check

# The check must notice a stale index: change one lab.meta in a copy.
tmp=$(mktemp -d)
cp -r labs "$tmp/"
first=$(ls -d "$tmp"/labs/[0-9][0-9]-*/ | head -n 1)
sed -i 's/^time: .*/time: 999/' "$first/lab.meta"
"$tmp/labs/lib/index" --check >/dev/null 2>&1
is "$?" 1 "a lab.meta edit makes the index check fail"
"$tmp/labs/lib/index" --update && "$tmp/labs/lib/index" --check
ok $? "... and make -C labs index fixes it"
rm -rf "$tmp"

for d in labs/[0-9][0-9]-*/; do
	d=${d%/}
	lab=${d##*/}
	missing=
	for f in README.md ANSWERS.md lab.meta Makefile; do [ -s "$d/$f" ] || missing+=" $f"; done
	for f in run check; do [ -x "$d/$f" ] || missing+=" $f(executable)"; done
	is "$missing" "" "$lab has README.md, ANSWERS.md, lab.meta, Makefile, run and check"
	for k in 6.1 6.12; do
		n=$(awk -v k="$k" '
			$0 ~ "^<!-- excerpt: " k " " { inb = 1; lines = 0; next }
			inb && $0 == "<!-- /excerpt -->" { if (lines > 2) good++; inb = 0; next }
			inb { lines++ }
			END { print good + 0 }' "$d/README.md")
		[ "$n" -ge 1 ]; ok $? "$lab: README has generated excerpts for $k ($n)"
	done
	empty=$(awk '/^<!-- excerpt: / { inb = 1; lines = 0; m = $0; next }
		inb && $0 == "<!-- /excerpt -->" { if (lines < 3) print m; inb = 0; next }
		inb { lines++ }' "$d/README.md")
	is "$empty" "" "$lab: no excerpt block is empty (make -C labs excerpts)"
	out=$(LAB_WORK=/nonexistent make --no-print-directory -C "$d" check 2>&1)
	rc=$?
	is "$rc" 2 "$lab: check with nothing to grade fails with exit 2 (make says $rc)"
	grep -q "make -C labs/$lab run" <<<"$out"
	ok $? "$lab: ... and says to run the lab first"
	grep -q "^kernels: .*6.1\b" "$d/lab.meta" && grep -q "^kernels: .*6.12" "$d/lab.meta" &&
		[ -x "tests/vm/labs-${lab%%-*}.t" ]
	ok $? "$lab: tested on both lab kernels by tests/vm/labs-${lab%%-*}.t"
	# The shipped recordings are the runs the checker fixtures came from:
	# rendered and filtered the same way, they give the fixture exactly.
	traced=0
	for k in 6.1 6.12; do
		for fx in tests/host/data/labs/$k/$lab/*.json; do
			[ -e "$fx" ] || continue
			traced=1
			name=${fx##*/}
			rec=$d/recordings/$k/${name%.json}.dtr.gz
			[ -s "$rec" ]; ok $? "$lab: ships $rec for students without a VM"
			build/bin/diotrace report --json "$rec" 2>/dev/null | labs/lib/excerpts --fixture-json |
				cmp -s - "$fx"
			ok $? "$lab: ... and diotrace report renders it into the checker's fixture $name"
		done
	done
	# (a lab that traces with diotrace; lab 04 reads kprobes instead)
	if [ "$traced" = 1 ]; then
		grep -q "diotrace report labs/$lab/recordings/" "$d/README.md"
		ok $? "$lab: README tells a student without a VM how to read them"
	fi
done
done_testing
