# SPDX-License-Identifier: GPL-2.0
# Helpers shared by tests/vm/dtape-*.t. Source after tests/lib/guest.sh.
# shellcheck shell=bash disable=SC2034 # the tests use these variables

TAPE=/dev/ndtape0
RTAPE=/dev/dtape0
SYS=/sys/class/dtape/dtape0
PARAMS=/sys/module/dtape/parameters
TAPEIO=$BIN/tapeio
TAPEPROBE=$BIN/tapeprobe
STREAM=$BIN/tapestream

# fails DESC CMD ARGS...: a passing test when CMD fails.
fails() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		_tap_result 1 "$desc"
		diag "command: $* succeeded, but should have failed"
	else
		_tap_result 0 "$desc"
	fi
}

stat_get() { cat "$SYS/stats/$1"; }
set_mode() { echo "$1" >"$PARAMS/mode"; }

# MTIOCPOS: the logical block at the head, filemarks included.
tell() { "$TAPEPROBE" "$TAPE" tell; }

# The flag names mt-st prints on the line after "General status bits on".
mt_flags() { mt -f "$TAPE" status | sed -n '/General status bits on/{n;p;}' | xargs; }
# "FILE BLOCK" from mt status.
mt_where() {
	mt -f "$TAPE" status |
		sed -n 's/^File number=\(-\{0,1\}[0-9]*\), block number=\(-\{0,1\}[0-9]*\).*/\1 \2/p'
}

# dtape's own books must balance too: every pin unpinned, every legacy
# get_user_pages reference put.
driver_balance_ok() {
	is "$(stat_get pages_unpinned)" "$(stat_get pages_pinned)" \
		"dtape unpinned every page it pinned${1:+ after $1}"
	is "$(stat_get legacy_refs_dropped)" "$(stat_get legacy_refs_taken)" \
		"dtape put every legacy page reference${1:+ after $1}"
}

all_balanced_ok() {
	pin_balance_ok "$1"
	driver_balance_ok "$1"
}

# load_dtape, but never on top of a dtape that an earlier test left in use
# (an open file, an attached fentry program): its state would decide the
# results. Stops the test file when that happens.
load_fresh_dtape() {
	rmmod dtape 2>/dev/null
	if [ -e /sys/module/dtape ]; then
		echo "Bail out! dtape is still loaded and in use (refcnt $(cat /sys/module/dtape/refcnt 2>/dev/null)); an earlier test left it busy"
		exit 1
	fi
	load_dtape "$@"
}

require_dtape_build() {
	for f in "$DTAPE_KO" "$TAPEIO" "$TAPEPROBE" "$STREAM"; do
		if [ ! -e "$f" ]; then
			ok 1 "$f is built (run make)"
			done_testing
			exit 1
		fi
	done
}
