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
		pidof diotrace >/dev/null || break
		sleep 0.5
	done
	is "$(dt_progs_left)" 0 \
		"$1: no diotrace program is left loaded"
}

# --- the command exits at once
out=$("$DIOTRACE" -- true 2>&1 >/dev/null)
is "$?" 0 "a command that exits at once: exit 0"
grep -q 'diotrace: 0 syscall(s) traced, 0 event(s) lost' <<<"$out"
ok $? "... saying it traced nothing"
[ "$_tap_failed" = 0 ] || diag_stdin <<<"$out"
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

# --- Ctrl-C while the probes go in, from a terminal: the whole process
# group gets SIGINT, the held command too (set -m: a job of its own, not
# started with SIGINT ignored). The programs are loaded before the probes
# are attached, which under TCG takes seconds: that is when it comes.
rm -f /tmp/dt-ran
set -m
"$DIOTRACE" --sync-detach -- sh -c 'touch /tmp/dt-ran; sleep 60' 2>/tmp/dt-int.err >/dev/null &
dpid=$!
set +m
for _ in $(seq 600); do
	[ "$(dt_progs_left)" -gt 0 ] 2>/dev/null && break
	sleep 0.1
done
kill -INT -- -"$dpid"
timeout 120 tail --pid="$dpid" -f /dev/null
ok $? "SIGINT while the probes go in: diotrace ends (within 120 s)"
wait "$dpid"
is "$?" 130 "... with exit 130"
grep -qE '^diotrace: interrupted by SIGINT( before tracing began; detaching|; stopping sh)$' /tmp/dt-int.err
ok $? "... saying it was interrupted"
[ "$_tap_failed" = 0 ] || diag_stdin </tmp/dt-int.err
if grep -q 'before tracing began' /tmp/dt-int.err; then
	[ ! -e /tmp/dt-ran ]
	ok $? "... before tracing began, so the command never ran"
else
	pgrep -f 'sleep 60' >/dev/null
	ok "$([ $? != 0 ] && echo 0 || echo 1)" "... after tracing began (the probes went in quickly), and the command was stopped"
fi
none_left "after SIGINT while starting"

# --- the held command dies before it is released, as when a Ctrl-C reaches
# its process group just as the probes are in: releasing it writes to a
# pipe nobody reads, which must not kill diotrace with SIGPIPE (exit 141,
# seen in a make test).  fentry's attach takes seconds under TCG: the kill
# lands while diotrace is still attaching.
rm -f /tmp/dt-ran
"$DIOTRACE" --attach fentry -- sh -c 'touch /tmp/dt-ran; sleep 60' 2>/tmp/dt-held.err >/dev/null &
dpid=$!
held=
# (its children from /proc: a pgrep every 0.1 s would spend the guest's CPU,
# 130-230 ms a look under TCG, while diotrace attaches)
for _ in $(seq 300); do
	held=$(cat /proc/"$dpid"/task/*/children 2>/dev/null)
	[ -n "$held" ] && break
	sleep 0.1
done
kill -KILL $held
timeout 120 tail --pid="$dpid" -f /dev/null
wait "$dpid"
is "$?" 137 "a held command killed before it ran: exit 137, as a shell gives (not SIGPIPE's 141)"
grep -qx 'diotrace: sh was killed by SIGKILL' /tmp/dt-held.err
ok $? "... saying so"
[ ! -e /tmp/dt-ran ]
ok $? "... and it never ran"
[ "$_tap_failed" = 0 ] || diag_stdin </tmp/dt-held.err
none_left "after a held command died"

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
# of ~50 events each. The loss is counted and said; nothing hangs.  The
# command stops diotrace (its parent) while dd writes, so the first write
# fills the buffer part way through its tree whatever the scheduling: a
# consumer that keeps up now and then loses only whole writes, whose trees
# never start (a run lost 1003 events and marked no tree).
out=$(timeout 300 "$DIOTRACE" --ringbuf-kb 4 --json -o /tmp/dt-flood.json --path $M -- \
	sh -c "kill -STOP \$PPID; dd if=/dev/zero of=$M/a bs=64k count=32 oflag=direct conv=notrunc status=none; kill -CONT \$PPID" 2>&1)
is "$?" 0 "a flood through a 4 KiB ring buffer: exit 0, no hang"
lost=$(jq -r 'select(.type=="end") | .lost' /tmp/dt-flood.json)
[ "${lost:-0}" -gt 0 ]
ok $? "... the end record counts the events lost ($lost)"
grep -q "event(s) lost (ring buffer full: trees marked incomplete)" <<<"$out"
ok $? "... and diotrace says so"
[ "$_tap_failed" = 0 ] || diag_stdin <<<"$out"
n=$(jq -s '[.[] | select(.type=="syscall") | .notes[] | select(.kind == "lost")] | length' /tmp/dt-flood.json)
[ "${n:-0}" -gt 0 ]
ok $? "... marking the trees it could not finish ($n)"
none_left "after the flood"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
