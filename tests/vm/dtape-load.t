#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dtape: module lifetime. rmmod is refused while a drive is open, and 50
# loads and unloads leave nothing behind.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
require_dtape_build

load_fresh_dtape drives=1
ok $? "dtape loads"
dmesg_mark
exec 3<"$TAPE"
fails "rmmod is refused while a drive is open" rmmod dtape
ok "$([ -e /sys/module/dtape ] && echo 0 || echo 1)" "dtape is still loaded"
exec 3<&-
rmmod dtape
ok $? "rmmod succeeds once the drive is closed"

# From tmpfs: reading the module over 9p fifty times would dominate.
cp "$DTAPE_KO" /tmp/dtape.ko
fail=0
for i in $(seq 50); do
	insmod /tmp/dtape.ko || { fail=$i; break; }
	[ -c /dev/ndtape0 ] || { fail=$i; break; }
	rmmod dtape || { fail=$i; break; }
done
is "$fail" 0 "insmod and rmmod 50 times"
ok "$([ ! -e /dev/dtape0 ] && [ ! -e /sys/class/dtape ] && echo 0 || echo 1)" "no device node or class is left behind"
fails "dtape is not loaded at the end" grep -q '^dtape ' /proc/modules
dmesg_clean_ok
done_testing
