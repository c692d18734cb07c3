#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dtape against hostile calls: every row of module/README.md's bad-input
# table, run as the table says on a freshly loaded dtape, must give the
# outcome the table shows. The README is the test's data, so what a student
# reads there is what the driver does on this kernel. Afterwards nothing
# may be left pinned or referenced, and the kernel must have logged no
# warning.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
require_dtape_build

README=$DIOLAB_ROOT/module/README.md
TABLE_LOAD="capacity_mb=4 early_warning_kb=1024 max_record_kb=1024"
rows=$(sed -n '/^<!-- bad-input table:/,/^<!-- end of bad-input table -->/p' "$README" | grep '^| [0-9]')

# Under TCG each program started costs about 0.1 s and a row is a few of
# them: the rest is done by this shell (no cat, paste, mktemp or bash -c).
stat_of() { local v; read -r v <"$SYS/stats/$1" && echo "$v"; }
# books_balanced: dtape's own counters show every pin and reference given
# back (they start again at each load, so they are read before the next).
books_balanced() {
	local pin unpin taken dropped
	pin=$(stat_of pages_pinned) && unpin=$(stat_of pages_unpinned) &&
		taken=$(stat_of legacy_refs_taken) && dropped=$(stat_of legacy_refs_dropped) &&
		[ -n "$pin$taken" ] && [ "$pin" = "$unpin" ] && [ "$taken" = "$dropped" ]
}

n=0 errnos=0 unbalanced=
w=$(mktemp -d)
dmesg_mark
while IFS='|' read -r _ num what cmd want _; do
	n=$((n + 1))
	num=${num// /} what=${what# } what=${what% }
	cmd=${cmd# \`} cmd=${cmd%\` } want=${want# \`} want=${want%\` }
	[ "$num" = "$n" ] || { ok 1 "row $n of the table is numbered $n (it says '$num')"; continue; }
	[[ "$want" == *errno=* ]] && errnos=$((errnos + 1))
	[ "$n" = 1 ] || books_balanced || unbalanced+=" $((n - 1))"
	# shellcheck disable=SC2086 # the load parameters are words
	load_dtape $TABLE_LOAD || { ok 1 "row $n: $what: dtape loads"; continue; }
	# the row as the README shows it, in a subshell with its variables
	mapfile -t lines < <(cd "$w" && T=$TAPE P=$PARAMS PATH=$BIN:$PATH && eval "$cmd" 2>"$w/err")
	got="${lines[*]}"
	is "$got" "$want" "row $n: $what"
	[ "$got" = "$want" ] || { diag "command: $cmd"; diag_stdin <"$w/err"; }
done <<<"$rows"
books_balanced || unbalanced+=" $n"
rm -rf "$w"
[ "$n" -ge 40 ] && [ "$errnos" -ge 40 ]
ok $? "module/README.md lists $n hostile calls, $errnos of them answered with an errno (at least 40)"
is "$unbalanced" "" "after each row dtape had unpinned every page and put every reference it took (rows that did not:$unbalanced)"

pin_balance_ok "the bad-input table"
dmesg_clean_ok "the bad-input table"
rmmod dtape
ok $? "dtape unloads"
done_testing
