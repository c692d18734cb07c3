#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dtape: the legacy path (get_user_pages + put_page) leaks no page
# references. Those references are invisible in /proc/vmstat's pin
# counters, so look at memory instead: a leak would keep every buffer page
# alive, and 24 rounds through fresh 4 MiB buffers would hold 96 MiB.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
require_dtape_build

load_fresh_dtape mode=legacy
ok $? "dtape loads in legacy mode"
dmesg_mark
mem_available() { awk '$1 == "MemAvailable:" { print $2 }' /proc/meminfo; }
settle() { sync; echo 3 >/proc/sys/vm/drop_caches; }

# The first round allocates the tape's own pages.
"$TAPEIO" -q -s 4M -n 1 roundtrip
settle
before=$(mem_available)
pins_before=$(vmstat_get nr_foll_pin_acquired)
fail=0
for i in $(seq 24); do
	"$TAPEIO" -q -s 4M -n 1 -S "$i" roundtrip || { fail=$i; break; }
done
settle
after=$(mem_available)
is "$fail" 0 "24 legacy round trips of 4 MiB records"
drop=$(( (before - after) / 1024 ))
ok "$([ "$drop" -lt 32 ] && echo 0 || echo 1)" "MemAvailable fell by $drop MiB (a leak would be about 96)"
is "$(stat_get records_legacy)" 50 "all 50 records went through the legacy path"
pinned=$(( $(vmstat_get nr_foll_pin_acquired) - pins_before ))
ok "$([ "$pinned" -lt 1024 ] && echo 0 || echo 1)" \
	"FOLL_GET references do not show as pins in /proc/vmstat ($pinned pins from other activity; dtape alone took $((50 * 1024)) references)"
driver_balance_ok "legacy round trips"
pin_balance_ok "legacy round trips"
rmmod dtape
ok $? "dtape unloads"
dmesg_clean_ok
done_testing
