#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace -c COMM and -p PID on running processes, and a clean detach on
# SIGINT: no program stays loaded.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-sig
mkdir -p $M
check "labfs ext4" "$LABFS" ext4 $M
dd if=/dev/zero of=$M/f.bin bs=64k count=1 status=none
sync

# -c COMM and -p PID, then SIGINT: everything detaches
"$DIOTRACE" --json --sync-detach -c dioload -o /tmp/c.json 2>/tmp/c.err &
dpid=$!
for _ in $(seq 300); do grep -q 'tracing' /tmp/c.err && break; sleep 0.2; done
grep -q 'tracing' /tmp/c.err; ok $? "diotrace -c is ready"
nlinks=$(bpftool link list 2>/dev/null | grep -c 'tracing\|perf_event\|kprobe')
[ "$nlinks" -gt 10 ]; ok $? "probes attached ($nlinks links)"
"$DIOLOAD" write $M/f.bin 0 4096 direct >/dev/null
dd if=$M/f.bin of=/dev/null bs=4k count=1 iflag=direct status=none
sleep 1
kill -INT $dpid
wait $dpid
ok $? "SIGINT: diotrace exits 0"
is "$(jq -r 'select(.type=="syscall" and .path=="'$M/f.bin'") | .comm' /tmp/c.json | sort -u)" dioload \
	"-c dioload traced dioload only"
is "$(jq -r 'select(.type=="end") | .lost' /tmp/c.json)" 0 "end record reports zero lost events"
is "$(dt_progs_left)" 0 "no diotrace program left loaded"

(while [ ! -e /tmp/go ]; do sleep 0.1; done; "$DIOLOAD" write $M/f.bin 0 4096 direct >/dev/null) &
bg=$!
rm -f /tmp/go
"$DIOTRACE" --json -p $bg -n 1 --path $M -o /tmp/p.json 2>/tmp/p.err &
dpid=$!
for _ in $(seq 300); do grep -q 'tracing' /tmp/p.err && break; sleep 0.2; done
touch /tmp/go
wait $bg
timeout 30 tail --pid=$dpid -f /dev/null
is "$(jq -r 'select(.type=="syscall") | .syscall' /tmp/p.json | head -n1)" pwrite64 "-p follows the process's child"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
