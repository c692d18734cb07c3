#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-VM half of bench/dtape-stream.bench: one JSON object per run from
# tapestream, preceded by "run MODE DEPTH".
#   bench/dtape-stream-guest.sh TOTAL_MB RECORD_KB THINK_US RATE_MBPS BUFFER_KB REPOSITION_MS
set -euo pipefail
: "${DIOLAB_ROOT:?run inside vm/labvm}"
total=${1:?} record=${2:?} think=${3:?} rate=${4:?} buffer=${5:?} repos=${6:?}
stream=$DIOLAB_ROOT/build/bin/tapestream
sys=/sys/class/dtape/ndtape0

rmmod dtape 2>/dev/null || true
insmod "$DIOLAB_ROOT/build/modules/$(uname -r)/dtape.ko" capacity_mb=$((total * 2 + 16))
echo "$buffer" >"$sys/stream/buffer_kb"
echo "$rate" >"$sys/stream/rate_mbps"
echo "$repos" >"$sys/stream/reposition_ms"
cd /tmp
run() {
	mt -f /dev/ndtape0 rewind
	echo "run $1 $2"
	"$stream" -j -m "$1" ${3:+-q "$3"} -r "${record}k" -s "${total}M" -t "$think" /dev/ndtape0
}
run sync 1
for q in 1 2 4 8 16; do
	run libaio "$q" "$q"
	run uring "$q" "$q"
done
rmmod dtape
