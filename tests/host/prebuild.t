#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/lib/prebuild.sh, the builds tests/run starts beside the first tests:
# with a stand-in make, its verdict reaches the files that wait for it; a
# failure or a build that never ends is named with what to do; a file run
# by hand waits for nothing.  And every test file that loads what it
# builds waits for it first.
. "$(dirname "$0")/../lib/host.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# in_tree: a subshell whose prebuild.sh works in $tmp/tree, with a make
# that sleeps MAKE_SLEEP s and exits MAKE_RC.
in_tree() {
	(
		export top=$tmp/tree
		mkdir -p "$top/build/test-results" "$tmp/bin"
		printf '#!/bin/sh\necho "make $*"\nsleep "${MAKE_SLEEP:-0}"\nexit "${MAKE_RC:-0}"\n' >"$tmp/bin/make"
		chmod +x "$tmp/bin/make"
		PATH=$tmp/bin:$PATH
		. tests/lib/prebuild.sh
		"$@"
	)
}
reset() { rm -rf "$tmp/tree"; }

reset
out=$(in_tree prebuild_wait)
is "$?:$out" "0:" "nothing started (a file run by hand): prebuild_wait returns at once"

reset
start_and_wait() { prebuild_start; prebuild_wait; echo "rc $?"; cat "$PREBUILD.status"; }
t0=$SECONDS
out=$(MAKE_SLEEP=2 in_tree start_and_wait)
is "$out" "$(printf 'rc 0\n0')" "a build that succeeds: waited for, then 0"
[ $((SECONDS - t0)) -ge 2 ]
ok $? "... after the build's 2 s, not before ($((SECONDS - t0)) s)"
grep -qx 'make --no-print-directory -s -j[0-9]* lab-modules mutants' "$tmp/tree/build/test-results/prebuild.log"
ok $? "... which ran make lab-modules mutants ($(cat "$tmp/tree/build/test-results/prebuild.log"))"
[ ! -e "$tmp/tree/build/test-results/prebuild.pending" ]
ok $? "... and left nothing pending"

reset
out=$(MAKE_RC=2 in_tree start_and_wait)
is "$(tail -n 2 <<<"$out")" "$(printf 'rc 1\n2')" "a build that fails: 1, and its status kept"
grep -q "make lab-modules mutants failed (exit status 2); its output is in $tmp/tree/build/test-results/prebuild.log" <<<"$out"
ok $? "... naming the failure and the log"
grep -qx "make --no-print-directory .* lab-modules mutants" <<<"$out"
ok $? "... and showing the log's end"

reset
mkdir -p "$tmp/tree/build/test-results" && : >"$tmp/tree/build/test-results/prebuild.pending"
out=$(PREBUILD_WAIT=1 in_tree prebuild_wait)
is "$?" 1 "a build that never ends (a killed run's leftover): 1 after PREBUILD_WAIT"
grep -q "remove $tmp/tree/build/test-results/prebuild.pending" <<<"$out"
ok $? "... naming the file to remove"

# prebuild_ok, as a test file calls it: one check, then the file stops.
reset
mkdir -p "$tmp/tree/build/test-results" && echo 2 >"$tmp/tree/build/test-results/prebuild.status"
: >"$tmp/tree/build/test-results/prebuild.log"
out=$(in_tree bash -c '. tests/lib/tap.sh; . tests/lib/prebuild.sh; prebuild_ok; echo "went on"' 2>&1)
rc=$?
is "$rc:$(grep -c 'went on' <<<"$out")" "1:0" "prebuild_ok after a failed build: the file exits 1 there"
is "$(grep -E '^(ok|not ok|1\.\.)' <<<"$out" | tr '\n' ' ')" "not ok 1 - the modules it loads are built (make lab-modules mutants) 1..1 " \
	"... with one failed check and its plan"

# Whatever loads a coding lab's module or a mutant waits first: tests/run
# starts the build only for a T= that chose such a file (prebuild_ok).
users=$(grep -lE 'coding_run|build/mutants|build-lab-module' tests/vm/*.t tests/host/*.t | grep -v prebuild.t)
missing=$(for f in $users; do grep -q '^[[:space:]]*prebuild_ok' "$f" || echo "$f"; done)
is "$missing" "" "every test file that loads prebuilt modules calls prebuild_ok ($(echo $users))"
done_testing
