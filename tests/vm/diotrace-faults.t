#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace when things go wrong around it: a command that exits at once,
# one that crashes, Ctrl-C while the probes go in, two diotraces at once,
# and a flood of events the ring buffer cannot hold. Each ends with a clear message and the exit status a shell would
# give, and afterwards no BPF program of diotrace's is loaded (a link holds
# its program, so none of its links is left either).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-faults
mkdir -p $M
check "labfs ext4" "$LABFS" ext4 $M
dd if=/dev/zero of=$M/a bs=64k count=1 status=none
dd if=/dev/zero of=$M/b bs=64k count=1 status=none
sync

# none_left WHEN: once every diotrace (and its detaching child) is gone,
# none of its programs is loaded.
none_left() {
	local i
	for i in $(seq 120); do
		pgrep -x diotrace >/dev/null || break
		sleep 0.5
	done
	is "$(bpftool prog list 2>/dev/null | grep -cE 'name (fe|fx|kp|kr|kpm|kps|tp)_')" 0 \
		"$1: no diotrace program is left loaded"
}

# --- the command exits at once
out=$("$DIOTRACE" -- true 2>&1 >/dev/null)
is "$?" 0 "a command that exits at once: exit 0"
grep -q 'diotrace: 0 syscall(s) traced, 0 event(s) lost' <<<"$out"
ok $? "... saying it traced nothing ($(tail -n 1 <<<"$out"))"
none_left "after a command that exits at once"

# --- the command crashes
out=$("$DIOTRACE" --json -o /tmp/dt-crash.json --path $M -- \
	sh -c "dd if=/dev/zero of=$M/a bs=64k count=1 oflag=direct conv=notrunc status=none; kill -SEGV \$\$" 2>&1)
is "$?" 139 "a command killed by SIGSEGV: exit 139, as a shell gives"
grep -qx 'diotrace: sh was killed by SIGSEGV' <<<"$out"
ok $? "... saying so"
is "$(jq -r 'select(.type=="syscall" and .o_direct) | .path' /tmp/dt-crash.json)" $M/a \
	"... after the tree of the write it made before it died"
none_left "after a crashed command"

# --- Ctrl-C before tracing began: under TCG start-up takes several
# seconds, so one second in diotrace is still resolving or loading.
rm -f /tmp/dt-ran
"$DIOTRACE" --sync-detach -- touch /tmp/dt-ran 2>/tmp/dt-int.err >/dev/null &
dpid=$!
sleep 1
kill -INT $dpid
wait $dpid
is "$?" 130 "SIGINT while starting: exit 130"
grep -q 'diotrace: interrupted by SIGINT before tracing began; detaching' /tmp/dt-int.err
ok $? "... saying so ($(head -n 1 /tmp/dt-int.err))"
[ ! -e /tmp/dt-ran ]
ok $? "... and the command never ran"
none_left "after SIGINT while starting"

# --- two at once, each on its own command and file
"$DIOTRACE" --json -o /tmp/dt-a.json --path $M/a -- \
	dd if=/dev/zero of=$M/a bs=64k count=1 oflag=direct conv=notrunc status=none 2>/tmp/dt-a.err &
pa=$!
"$DIOTRACE" --json -o /tmp/dt-b.json --path $M/b -- \
	dd if=/dev/zero of=$M/b bs=64k count=1 oflag=direct conv=notrunc status=none 2>/tmp/dt-b.err &
pb=$!
wait $pa
ra=$?
wait $pb
is "$ra:$?" 0:0 "two diotraces at once: both exit 0"
for x in a b; do
	is "$(jq -r 'select(.type=="syscall" and .o_direct) | .path' /tmp/dt-$x.json | sort -u)" "$M/$x" \
		"... the $x session drew its own O_DIRECT write, and only that"
done
none_left "after two at once"

# --- a flood the ring buffer cannot hold: a 4 KiB buffer, and 32 writes
# of ~50 events each. The loss is counted and said; nothing hangs.
out=$(timeout 300 "$DIOTRACE" --ringbuf-kb 4 --json -o /tmp/dt-flood.json --path $M -- \
	dd if=/dev/zero of=$M/a bs=64k count=32 oflag=direct conv=notrunc status=none 2>&1)
is "$?" 0 "a flood through a 4 KiB ring buffer: exit 0, no hang"
lost=$(jq -r 'select(.type=="end") | .lost' /tmp/dt-flood.json)
[ "${lost:-0}" -gt 0 ]
ok $? "... the end record counts the events lost ($lost)"
grep -q "event(s) lost (ring buffer full: trees marked incomplete)" <<<"$out"
ok $? "... and diotrace says so ($(tail -n 1 <<<"$out"))"
n=$(jq -s '[.[] | select(.type=="syscall") | .notes[] | select(.kind == "lost")] | length' /tmp/dt-flood.json)
[ "${n:-0}" -gt 0 ]
ok $? "... marking the trees it could not finish ($n)"
none_left "after the flood"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
