# SPDX-License-Identifier: GPL-2.0
# How a test reads a lab VM's death from its console log: what the kernel
# reported, and whether the kit's own modules were in it.  Sourced by
# tests/lib/vm-suite.sh and the host tests that boot guests themselves.

# note_guest_crash WHO WHERE LOG: list a death outside the kit's modules,
# after which WHERE ran again on a fresh boot, in $results (tests/run's
# build/test-results unless the caller set it), which tests/run prints at
# the end of the run.
note_guest_crash() {
	local why dir=${results:-$top/build/test-results}
	why=$(crash_report "$3")
	mkdir -p "$dir"
	echo "the lab VM ($1) died in $2, outside the kit's modules: ${why:-no kernel report}; console log ${3#"$top"/}; it ran again on a fresh boot" \
		>>"$dir/guest-crashes.txt"
}

# crash_report LOG: what took a guest down, in one line, from its console
# log: the kernel's first report and the function it was in.  The failure
# list carries it, because a CI log may keep little more than that list.
crash_report() {
	awk '!what && /Kernel panic|BUG:|Oops|general protection|WARNING:/ {
			sub(/^\[ *[0-9.]+\] /, ""); what = $0 }
		what && !rip && /RIP: 0010:/ { sub(/.*RIP: 0010:/, ""); rip = $0 }
		END {
			sub(/[ \t\r]+$/, "", what); sub(/[ \t\r]+$/, "", rip)
			if (what) printf "%s%s", what, rip ? " at " rip : "" }' "$1"
}

# kit_in_crash LOG: whether the first report's registers or call trace are
# in an out-of-tree module (dtape, a lab's module): flagged (O) in the
# report's "Modules linked in:" line.
kit_in_crash() {
	awk '/Kernel panic|BUG:|Oops|general protection|WARNING:/ { s = 1 }
		s && /Modules linked in:/ {
			for (i = 1; i <= NF; i++)
				if ($i ~ /\([A-Z+-]*O[A-Z+-]*\)$/) { m = $i; sub(/\(.*/, "", m); oot[m] = 1 } }
		s && match($0, /\[[A-Za-z0-9_]+( [0-9a-f]+)?\]$/) {
			m = substr($0, RSTART + 1, RLENGTH - 2); sub(/ .*/, "", m); seen[m] = 1 }
		s && ++n > 80 { exit }
		END { for (m in seen) if (m in oot) found = 1; exit !found }' "$1"
}
