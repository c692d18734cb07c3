#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-VM half of bench/dtape.bench: one line per measurement,
#   xfer PATH DIR SIZE MB_PER_S CPU_S_PER_GIB
#   bound SIZE MB_PER_S
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
		for path in direct buffered legacy; do
			for dir in write read; do
				out=$("$tapeio" -j -N -r -m "$path" -e "$path" -s "$size" -n "$count" "$dir")
				echo "xfer $path $dir $size $(field mb_per_s <<<"$out") $(field cpu_s_per_gib <<<"$out")"
			done
		done
		echo "$size $count" >/sys/kernel/debug/dtape/copy_bound
		ns=$(sed -n 's/.* ns=\([0-9]*\)$/\1/p' /sys/kernel/debug/dtape/copy_bound)
		echo "bound $size $(awk -v b=$((size * count)) -v ns="$ns" 'BEGIN { printf "%.2f", b / ns * 1000 }')"
		: "$rep"
	done
done
rmmod dtape
