# SPDX-License-Identifier: GPL-2.0
# Sourced by bench/*.bench.

# bench_vm NAME LABVM-ARGS...: vm/labvm LABVM-ARGS with the command's stdout
# on ours, and once more if the guest died (labvm's exit 125: a panic or a
# crash; multi-threaded TCG has crashed guests while the kernel patched its
# own text).  Only the boot that finished gives output.  Every death is a
# line in $BENCH_OUT/NAME.deaths, with its console log kept beside it, and
# bench/report puts them in the results: a retried figure is never silent.
bench_vm() {
	local name=$1 try rc buf log
	shift
	buf=$(mktemp)
	for try in 1 2; do
		log=$BENCH_OUT/$name-boot$try.console.log
		# (|| keeps a bench's set -e from ending it here)
		rc=0
		"$top/vm/labvm" --wait-slot --log "$log" "$@" </dev/null >"$buf" || rc=$?
		if [ "$rc" != 125 ]; then
			cat "$buf"
			rm -f "$buf"
			[ "$rc" = 0 ] && rm -f "$log"
			return "$rc"
		fi
		printf '%s\t%s\n' "$try" \
			"$(grep -m1 -E 'Oops|BUG|panic|double fault|general protection' "$log" 2>/dev/null | tr -d '\r' | sed 's/^\[ *[0-9.]*\] //')" \
			>>"$BENCH_OUT/$name.deaths"
		echo "bench: $name: the guest died in boot $try (console log: $log)$([ "$try" = 1 ] && echo '; retrying once')" >&2
	done
	rm -f "$buf"
	return 125
}
