#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-VM half of bench/fio.bench: the same writes measured by fio and by
# the kit's own dioload, buffered and O_DIRECT, on ext4, xfs and vfat, in
# one boot.  Each run rewrites one record at offset 0 of a file that is
# already allocated, COUNT times, so every write takes the same path and
# no allocation or writeback lands in the loop.  Prints one line a point:
#   TOOL FS MODE SIZE RUN NS_PER_WRITE
# Run through bench/fio.bench:  bench/fio-guest.sh RUNS BYTES SIZE...
set -uo pipefail
: "${DIOLAB_ROOT:?run inside vm/labvm}"
runs=${1:?usage: fio-guest.sh RUNS BYTES SIZE...}
bytes=${2:?usage: fio-guest.sh RUNS BYTES SIZE...}
shift 2
sizes=("$@")
bin=$DIOLAB_ROOT/build/bin
cd /tmp

# fio_jobs FILE: one job per mode and size, one after another (stonewall),
# in a thread (a fork costs a lot under TCG).  size= one record with
# io_size= the total makes fio wrap around and rewrite the same record, as
# dioload loop does; loops= would reopen the file and, with fio's default
# invalidate=1, drop its cache every time, a cost dioload never pays.
fio_jobs() {
	local mode size
	printf '[global]\nfilename=%s\nrw=write\nioengine=psync\nthread\nstonewall\nend_fsync=0\ninvalidate=0\n' "$1"
	for mode in buffered direct; do
		for size in "${sizes[@]}"; do
			printf '\n[%s-%s]\nbs=%s\nsize=%s\nio_size=%s\ndirect=%s\n' "$mode" "$size" "$size" "$size" \
				"$bytes" "$([ $mode = direct ] && echo 1 || echo 0)"
		done
	done
}

for fs in ext4 xfs vfat; do
	m=/tmp/fio-$fs
	mkdir -p $m
	"$DIOLAB_ROOT/vm/guest/labfs" "$fs" $m >/dev/null || { echo "fio-guest: labfs $fs failed" >&2; exit 1; }
	max=${sizes[-1]}
	dd if=/dev/zero of=$m/f bs="$max" count=1 conv=fsync status=none
	fio_jobs $m/f >/tmp/fio-$fs.job
	for run in $(seq "$runs"); do
		fio --eta=never --output-format=json --output=/tmp/fio-$fs.json /tmp/fio-$fs.job >/dev/null ||
			{ echo "fio-guest: fio failed on $fs" >&2; exit 1; }
		# bw_bytes is io_bytes over the job's runtime: per write, what a
		# user reading fio's bandwidth would compute.
		jq -r --arg fs "$fs" --arg run "$run" '.jobs[] | .jobname as $j | ($j | split("-")) as $p
			| "fio \($fs) \($p[0]) \($p[1]) \($run) \((1e9 * ($p[1] | tonumber) / .write.bw_bytes) | floor)"' \
			/tmp/fio-$fs.json
		for mode in buffered direct; do
			for size in "${sizes[@]}"; do
				ns=$("$bin/dioload" loop $m/f $((bytes / size)) "$size" $([ $mode = buffered ] && echo buffered) |
					sed -n 's/^ns_per_write=\([0-9]*\).*/\1/p')
				echo "dioload $fs $mode $size $run ${ns:-0}"
			done
		done
	done
	"$DIOLAB_ROOT/vm/guest/labfs" --umount $m >/dev/null 2>&1
done
