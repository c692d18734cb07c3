# SPDX-License-Identifier: GPL-2.0
# Sourced by bench/*.bench.

# bench_vm NAME LABVM-ARGS...: vm/labvm LABVM-ARGS with the command's stdout
# on ours, and once more if the guest died (labvm's exit 125: a panic or a
# crash) or hung (exit 124): past its --timeout, or silent for BENCH_QUIET
# seconds (600) once its command started (labvm --quiet-limit).
# Multi-threaded TCG has crashed guests while the kernel patched its own
# text, and has left 6.1 guests spinning in the diotrace benchmark; every
# benchmark's guest prints a line at least every few minutes, so silence
# ends a spin in 10 minutes rather than at the time limit (2,400 s for
# diotrace's).  Only the boot that finished gives output.  Every death is a
# line in $BENCH_OUT/NAME.deaths, with its console log kept beside it, and
# bench/report puts them in the results: a retried figure is never silent.
# LABVM=PROGRAM stands in for vm/labvm in tests.
bench_vm() {
	local name=$1 try rc buf log why stop
	shift
	buf=$(mktemp)
	for try in 1 2; do
		log=$BENCH_OUT/$name-boot$try.console.log
		rm -f "$log"
		# (|| keeps a bench's set -e from ending it here)
		rc=0
		"${LABVM:-$top/vm/labvm}" --wait-slot --quiet-limit "${BENCH_QUIET:-600}" --log "$log" "$@" \
			</dev/null >"$buf" || rc=$?
		if [ "$rc" != 125 ] && [ "$rc" != 124 ]; then
			cat "$buf"
			rm -f "$buf"
			[ "$rc" = 0 ] && rm -f "$log"
			return "$rc"
		fi
		why=$(grep -m1 -E 'Oops|BUG|panic|double fault|general protection' "$log" 2>/dev/null | tr -d '\r' | sed 's/^\[ *[0-9.]*\] //')
		# labvm ends the log with why it stopped a guest that hung.
		if [ "$rc" = 124 ]; then
			stop=$(sed -n 's/^labvm: stopped: //p' "$log" 2>/dev/null | tail -n 1)
			why="hung: ${stop:-labvm gave no reason}${why:+; $why}"
		fi
		printf '%s\t%s\n' "$try" "$why" >>"$BENCH_OUT/$name.deaths"
		echo "bench: $name: the guest $([ "$rc" = 124 ] && echo hung || echo died) in boot $try (console log: $log)$([ "$try" = 1 ] && echo '; retrying once')" >&2
	done
	rm -f "$buf"
	return "$rc"
}

# bench_vm_icount SHIFT NAME LABVM-ARGS...: bench_vm in a guest whose clock
# counts the instructions it runs (QEMU -icount shift=SHIFT: 2^SHIFT ns an
# instruction), under one host thread and with one CPU: the 6.1 guest
# hangs bringing up a second under -icount.
bench_vm_icount() {
	local s=$1 name=$2
	shift 2
	DIOLAB_TCG_THREAD=single DIOLAB_TCG_ICOUNT=$s bench_vm "$name" --smp 1 "$@"
}
