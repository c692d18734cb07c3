#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-VM half of bench/dtape.bench: one line per measurement,
#   xfer PATH DIR SIZE MB_PER_S CPU_S_PER_GIB
#   bound SIZE MB_PER_S          the kernel's copy into tape pages, alone
#   ubound SIZE MB_PER_S         the buffered path's copy from user memory
#                                into its bounce pages, alone
#   profile BUFFER DIR SIZE SAMPLES COPY PIN UNPIN RESERVE RW VFS
#                                COPY to RESERVE: percent of the samples
#                                in dtape_rw; RW and VFS: dtape_rw's and
#                                vfs_write's (vfs_read's) percent of all
# PATH direct-huge is the direct path from a buffer of transparent huge
# pages (tapeio --huge), at 256 KiB and above.
# Run through bench/dtape.bench, not by hand:
#   bench/dtape-guest.sh TOTAL_MB REPETITIONS SIZE...
set -euo pipefail
: "${DIOLAB_ROOT:?run inside vm/labvm}"
tapeio=$DIOLAB_ROOT/build/bin/tapeio
ko=$DIOLAB_ROOT/build/modules/$(uname -r)/dtape.ko
total_mb=${1:?usage: dtape-guest.sh TOTAL_MB REPETITIONS SIZE...}
reps=${2:?}
shift 2
sizes=$*

rmmod dtape 2>/dev/null || true
# Room for the data plus the 64-byte gap of every 4 KiB record.
insmod "$ko" capacity_mb=$((total_mb + total_mb / 32 + 8))
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
cd /tmp

field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }

# Allocate the tape's pages once, so no measurement pays for them.
"$tapeio" -q -N -r -s 1M -n "$total_mb" write

for size in $sizes; do
	count=$(( (total_mb << 20) / size ))
	for rep in $(seq "$reps"); do
		for path in direct buffered legacy direct-huge; do
			huge=
			if [ $path = direct-huge ]; then
				[ "$size" -ge 262144 ] || continue
				huge=--huge
			fi
			for dir in write read; do
				# shellcheck disable=SC2086 # --huge or nothing
				out=$("$tapeio" -j -N -r $huge -m "${path%-huge}" -e "${path%-huge}" -s "$size" -n "$count" "$dir")
				echo "xfer $path $dir $size $(field mb_per_s <<<"$out") $(field cpu_s_per_gib <<<"$out")"
			done
		done
		echo "$size $count" >/sys/kernel/debug/dtape/copy_bound
		ns=$(sed -n 's/.* ns=\([0-9]*\)$/\1/p' /sys/kernel/debug/dtape/copy_bound)
		echo "bound $size $(awk -v b=$((size * count)) -v ns="$ns" 'BEGIN { printf "%.2f", b / ns * 1000 }')"
		# Only the copies are timed.  dd refills its buffer from /dev/zero
		# before each write, so its source is as warm as the bound's.
		# One line per repetition, 0 if unmeasured, so repetitions stay paired.
		ub=0
		if dd if=/dev/zero of=/sys/kernel/debug/dtape/user_copy_bound bs="$size" count="$count" \
			conv=notrunc status=none; then
			ub=$(sed -n 's/^bytes=\([0-9]*\) copies=[0-9]* ns=\([0-9]*\)$/\1 \2/p' /sys/kernel/debug/dtape/user_copy_bound |
				awk '$2 > 0 { printf "%.2f", $1 / $2 * 1000 }')
		fi
		echo "ubound $size ${ub:-0}"
		: "$rep"
	done
done

# Where a direct transfer's time goes: perf samples the kernel while
# tapeio moves 768 MiB (six runs of 128 MiB), and each step's share is
# taken of the samples inside dtape_rw, the driver's read/write.  Shares
# of one profile survive emulation better than two timings do.  A smoke
# run's small tape (QUICK) runs six times too, and profiles writes only.
runs=6 dirs="write read"
[ "$total_mb" -ge 128 ] || dirs=write
share() { awk -v f="$1" '$NF == f { sub("%", "", $1); print $1; found = 1; exit } END { if (!found) print 0 }' /tmp/dtape-prof.txt; }
if command -v perf >/dev/null && perf version >/dev/null 2>&1; then
	for size in $sizes; do
		if [ "$size" -lt 262144 ] || [ "$size" -gt 1048576 ]; then continue; fi
		count=$(( (total_mb << 20) / size ))
		for buf in small huge; do
			huge=
			[ $buf = huge ] && huge=--huge
			for dir in $dirs; do
				perf record -q -e cpu-clock -g -o /tmp/dtape-prof.data -- sh -c \
					"for i in \$(seq $runs); do $tapeio -q -N -r $huge -m direct -e direct -s $size -n $count $dir || exit 1; done" \
					>/dev/null 2>&1 || { echo "profile-failed $buf $dir $size"; continue; }
				perf report -i /tmp/dtape-prof.data --children --stdio --sort sym -g none 2>/dev/null |
					grep '%' >/tmp/dtape-prof.txt
				rw=$(share dtape_rw)
				# samples inside dtape_rw: all of them (-n, by command), times its share
				samples=$(perf report -i /tmp/dtape-prof.data --no-children --stdio -n --sort comm 2>/dev/null |
					awk -v rw="$rw" '/%/ { n += $2 } END { printf "%d", n * rw / 100 }')
				echo "profile $buf $dir $size ${samples:-0} $(awk -v rw="$rw" -v c="$(share dtape_xfer_copy)" \
					-v p="$(share dtape_pin_user)" -v u="$(share dtape_release_user)" -v r="$(share dtape_medium_reserve)" \
					-v vfs="$(share "vfs_$dir")" \
					'BEGIN { if (rw <= 0) { print "0 0 0 0 0 0"; exit } printf "%.1f %.1f %.1f %.1f %.1f %.1f", 100 * c / rw, 100 * p / rw, 100 * u / rw, 100 * r / rw, rw, vfs }')"
			done
		done
	done
else
	echo "profile-missing perf"
fi
rmmod dtape
