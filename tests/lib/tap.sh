# SPDX-License-Identifier: GPL-2.0
# Minimal TAP producer for diolab's shell tests.  Source it, then:
#   ok COND_EXIT_STATUS "description"      e.g.  ok $? "dd succeeded"
#   check "description" CMD ARGS...        ok if CMD succeeds
#   is GOT WANT "description"              string equality
#   skip "why" "description"
#   diag "text"
#   done_testing                           prints the plan; exit 1 on failure
# A failing test prints what it got, so a CI log is enough to debug it.

# Sourced once: a second time would restart the count.
[ -z "${_tap_loaded:-}" ] || return 0
_tap_loaded=1
_tap_n=0
_tap_failed=0

# The tests' own JSON queries use gojq, Debian's Go implementation of jq's
# language: under TCG jq 1.6 spends half a second compiling its builtins at
# every start, gojq a tenth.  The kit's scripts (labs' run and check) keep
# jq, and programs a test starts get jq: only this shell's calls change.
if command -v gojq >/dev/null; then
	jq() { gojq "$@"; }
fi

_tap_result() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
	fi
}

ok() { if [ "$1" = 0 ]; then _tap_result 0 "$2"; else _tap_result 1 "$2"; fi; }

check() {
	local desc=$1 out rc
	shift
	out=$("$@" 2>&1) && rc=0 || rc=$?
	_tap_result "$rc" "$desc"
	if [ "$rc" != 0 ]; then
		diag "command: $*"
		diag "exit status $rc; output:"
		printf '%s\n' "$out" | tail -n 20 | diag_stdin
	fi
	return 0
}

is() {
	local got=$1 want=$2 desc=$3
	if [ "$got" = "$want" ]; then
		_tap_result 0 "$desc"
	else
		_tap_result 1 "$desc"
		diag "got:  '$got'"
		diag "want: '$want'"
	fi
}

skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - $2 # SKIP $1"; }

diag() { printf '# %s\n' "$*"; }
diag_stdin() { sed 's/^/#   /'; }

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" = 0 ]
}
