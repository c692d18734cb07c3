#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-VM half of bench/diotrace.bench: the same loop of 64 KiB O_DIRECT
# pwrites on ext4, untraced and under each tracer, REPS times, in one boot.
# Each tracer's run is paired with the untraced run of the same repetition.
# Prints, with R the repetition:
#   mode NAME R NS_PER_WRITE     wall clock, the writer's loop
#   cpu NAME R NS_PER_WRITE      the writer's own CPU time in that loop
#   attach_ms R MS | lost R N | trees R N          (diotrace --attach fentry)
#   attach_ms-kprobes R MS | lost-kprobes R N | trees-kprobes R N
#   ksnoop_calls R N | ksnoop_lost R N | ibt 0|1
# Run through bench/diotrace.bench:  bench/diotrace-guest.sh WRITES REPS
set -uo pipefail
: "${DIOLAB_ROOT:?run inside vm/labvm}"
n=${1:?usage: diotrace-guest.sh WRITES REPS}
reps=${2:?usage: diotrace-guest.sh WRITES REPS}
bin=$DIOLAB_ROOT/build/bin
m=/tmp/dtb
mkdir -p $m
"$DIOLAB_ROOT/vm/guest/labfs" ext4 $m >/dev/null
dd if=/dev/zero of=$m/f bs=64k count=1 status=none
sync
cd /tmp

# Everything runs on CPU 0: the writer, and each tracer with its consumer
# (diotrace's, bpftrace's, trace-cmd's readers).  Single-threaded TCG runs
# every vCPU on one host thread, and a guest clock that keeps going while
# the host runs another vCPU: a task's CPU time is exact only while the
# other vCPUs sit idle.  On one CPU, the writer's own CPU time is the cost
# the tracer puts on the traced program; the rest of its wall time is the
# CPU its consumer took from it (half, once the consumer has a backlog:
# the scheduler shares the CPU fairly), which on a machine with a spare
# core would run beside it.
on0="taskset -c 0"
# mode_lines NAME R: dioload's result line as "mode" and "cpu" lines.
mode_lines() {
	sed -n "s/^ns_per_write=\([0-9]*\) .*cpu_ns_per_write=\([0-9]*\).*/mode $1 $2 \1\ncpu $1 $2 \2/p"
}
loop() { $on0 "$bin/dioload" loop $m/f "$n" | mode_lines "$1" "$2"; }
# wait_line FILE TEXT PID: until FILE has a line with TEXT, or PID exits.
# tail -f waits on inotify; a grep and a sleep ten times a second took
# enough of the emulated CPU to double diotrace's measured attach time.
wait_line() { grep -q -m1 -- "$2" < <(timeout 60 tail -n +1 -f --pid="$3" "$1" 2>/dev/null); }

loop warm 0 >/dev/null		# warm up: allocation, first-touch faults

# function_graph patches every function in the kernel: all its runs come
# first, on a kernel no BPF trampoline has touched (see
# tests/vm/diotrace-lib.sh), each after an untraced run of its own.
for r in $(seq "$reps"); do
	loop untraced-fg "$r"
	$on0 trace-cmd record -q -p function_graph -g __x64_sys_pwrite64 -o /tmp/fg.dat \
		-F "$bin/dioload" loop $m/f "$n" 2>/dev/null | mode_lines function_graph "$r"
done

# ksnoop (libbpf-tools), what a user would pick for "these functions'
# calls and returns": the bpftrace script's functions that this kernel has,
# everything it prints thrown away.  It prints its header once attached.
fns=
for f in vfs_write ext4_file_write_iter iomap_dio_rw bio_iov_iter_get_pages pin_user_pages_fast get_user_pages_fast submit_bio; do
	grep -q " $f\$" /proc/kallsyms && fns+=" $f"
done
# An IBT kernel puts a kprobe 4 bytes past the symbol, where ksnoop's
# lookup of the probed function fails (bench/diotrace.bench says more).
ibt=0
grep -qx 'CONFIG_X86_KERNEL_IBT=y' "/boot/config-$(uname -r)" 2>/dev/null && ibt=1
echo "ibt $ibt"

for r in $(seq "$reps"); do
	loop untraced "$r"
	$on0 bpftrace "$DIOLAB_ROOT/bpf/bpftrace/dio-write-path.bt" -c "$bin/dioload loop $m/f $n" 2>/dev/null |
		mode_lines bpftrace "$r"

	# shellcheck disable=SC2086 # one argument per function
	$on0 stdbuf -oL ksnoop trace $fns >/tmp/ks.out 2>/tmp/ks.err &
	ks=$!
	wait_line /tmp/ks.out FUNCTION $ks
	attached=0
	grep -q FUNCTION /tmp/ks.out && attached=1 && loop ksnoop "$r"
	kill -INT $ks 2>/dev/null
	wait $ks 2>/dev/null
	# counted once ksnoop has drained its buffer: entries and returns
	if [ $attached = 1 ]; then
		echo "ksnoop_calls $r $(grep -c ' vfs_write' /tmp/ks.out)"
		# libbpf-tools' perf-buffer callback: "lost N events on CPU #C"
		echo "ksnoop_lost $r $(sed -n 's/.*[Ll]ost \([0-9]*\) events.*/\1/p' /tmp/ks.err | awk '{ s += $1 } END { print s + 0 }')"
	fi

	# diotrace with each --attach mode; --sync-detach: nothing may patch
	# kernel text after this script ends
	for a in fentry kprobes; do
		$on0 "$bin/diotrace" --json --sync-detach --attach $a -c dioload -o /tmp/dt.json 2>/tmp/dt.err &
		d=$!
		wait_line /tmp/dt.err tracing $d
		name=diotrace
		[ $a = fentry ] || name=diotrace-$a
		loop $name "$r"
		kill -INT $d
		wait $d
		jq -r --arg s "${name#diotrace}" --arg r "$r" 'select(.type=="end")
			| "attach_ms\($s) \($r) \(.attach_ms)\nlost\($s) \($r) \(.lost)\ntrees\($s) \($r) \(.trees)"' /tmp/dt.json
	done
done
"$DIOLAB_ROOT/vm/guest/labfs" --umount $m >/dev/null 2>&1
exit 0
