# SPDX-License-Identifier: GPL-2.0
# The prologue of every tests/vm/*.t, and the checks they share: strict
# mode, tests/lib/tap.sh, and the guest's paths.  Source it first:
#     . "$DIOLAB_ROOT/tests/lib/guest.sh"
set -uo pipefail
. "$DIOLAB_ROOT/tests/lib/tap.sh"

: "${DIOLAB_ROOT:?run this inside the lab VM (vm/labvm) or with labvm --native}"
KREL=$(uname -r)
# 1 under the debug kernel (make debug-kernel), whose margins are wider.
. "$DIOLAB_ROOT/vm/kernel-paths"
DEBUG_KERNEL=$([ "$(kernel_slowdown "$KREL")" = 1 ] && echo 0 || echo 1)
# diotrace's shared kprobe programs: under TCG a 6.12 session then takes
# about half as long (20 s -> 9 s), a 6.1 one about 3 s less (6.1 has no
# kprobe.multi; bpf/diotrace.c, batch_steps).
# The trees are the same as with fentry (diotrace-attach.t shows it); the
# files that test fentry itself say --attach fentry.  vm/labvm sets it under
# TCG already; this covers KVM and --native.
export DIOTRACE_ATTACH=${DIOTRACE_ATTACH:-kprobes}
DTAPE_KO=$DIOLAB_ROOT/build/modules/$KREL/dtape.ko
BIN=$DIOLAB_ROOT/build/bin
LABFS=$DIOLAB_ROOT/vm/guest/labfs

# ksym NAME: NAME is a symbol of the running kernel's image (not a
# module's).  Reading /proc/kallsyms takes seconds under TCG, and the
# image's part of it cannot change while the guest runs: it is read once
# per boot (/tmp is the guest's own tmpfs).
ksym() {
	local f=/tmp/diolab-vmlinux-syms
	[ -s $f ] || { awk 'NF == 3 { print $3 }' /proc/kallsyms >$f.$$ && mv $f.$$ $f; }
	grep -qxF "$1" $f
}

vmstat_get() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }

. "$DIOLAB_ROOT/labs/lib/pins.sh"

# The kernel's own counters need not balance: on 6.12 every page of an
# O_DIRECT write or read through fs/direct-io.c (vfat) adds 2 more to
# nr_foll_pin_released than to nr_foll_pin_acquired (measured), most likely
# extra pins taken with folio_add_pin(), which does not count them.  So the
# check is that acquired - released is where it was when this test file
# started: nothing the test did left a pin behind or released one twice.
# (labs/lib/pins.sh says why the base and the check are polled.)
PIN_BASE=$(pin_imbalance_poll)
pin_balance_ok() {
	is "$(pin_imbalance_poll "$PIN_BASE")" "$PIN_BASE" \
		"pins balanced (nr_foll_pin_acquired - nr_foll_pin_released unchanged)${1:+ after $1}"
}

# Nothing at WARN level or worse since the last dmesg_mark.
dmesg_mark() { dmesg --clear 2>/dev/null || dmesg -c >/dev/null; }
dmesg_clean_ok() {
	local bad
	# Loading any out-of-tree module taints the kernel, once per boot; that
	# warning is expected, everything else at this level is not.
	bad=$(dmesg --level=emerg,alert,crit,err,warn 2>/dev/null |
		grep -v -e 'taints kernel' -e 'module verification failed' |
		grep -E 'WARNING|BUG|Oops|oops|refcount|leak|stack|RIP|Call Trace|lockdep|blocked for|dtape' || true)
	is "$bad" "" "dmesg has no warnings, BUGs or oopses${1:+ after $1}"
}

# kmemleak (in the debug kernel, make debug-kernel): no object that nothing
# points to any more was allocated by dtape.  Debian's kernels have no
# kmemleak, so there the check is not part of the plan, and a note says so.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_ok() {
	local leaks ours
	if [ ! -w $KMEMLEAK ]; then
		diag "no kmemleak in $(uname -r): the leak scan runs under make debug-test"
		return 0
	fi
	# kmemleak reports an object only once two scans found nothing
	# pointing at it, and only when it is older than 5 s.
	echo scan >$KMEMLEAK
	sleep 6
	echo scan >$KMEMLEAK
	leaks=$(grep -c '^unreferenced object' $KMEMLEAK)
	ours=$(awk '/^unreferenced object/ { o = $0 } /\[dtape\]/ && o != "" { print o; o = "" }' $KMEMLEAK)
	is "$ours" "" "kmemleak finds no leaked object that dtape allocated${1:+ after $1} ($leaks leaks in all)"
	[ -z "$ours" ] || diag_stdin <$KMEMLEAK
}

# Load dtape from this kernel's build directory with the given parameters.
load_dtape() {
	rmmod dtape 2>/dev/null || true
	[ -f "$DTAPE_KO" ] || { echo "load_dtape: $DTAPE_KO is missing; run make" >&2; return 1; }
	insmod "$DTAPE_KO" "$@"
}
