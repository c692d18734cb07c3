#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-VM half of bench/fio.bench: the same writes measured by fio and by
# the kit's own dioload, buffered and O_DIRECT, on ext4, xfs and vfat, in
# one boot.  Each run rewrites one record at offset 0 of a file that is
# already allocated, COUNT times, so every write takes the same path and
# no allocation or writeback lands in the loop.  fio and dioload measure
# each point one right after the other: the same point on xfs moved by up
# to a third between the first and second half of one boot, far more than
# the two tools differ when they run side by side.  Prints one line a point:
#   TOOL FS MODE SIZE RUN NS_PER_WRITE
# TOOL is fio, fio-null (fio's own cost per write, with no I/O) or dioload.
# Run through bench/fio.bench:  bench/fio-guest.sh RUNS BYTES SIZE...
set -uo pipefail
: "${DIOLAB_ROOT:?run inside vm/labvm}"
runs=${1:?usage: fio-guest.sh RUNS BYTES SIZE...}
bytes=${2:?usage: fio-guest.sh RUNS BYTES SIZE...}
shift 2
sizes=("$@")
bin=$DIOLAB_ROOT/build/bin
cd /tmp

# fio_jobs FILE ENGINE: one job per mode and size, one after another
# (stonewall), in a thread (a fork costs a lot under TCG).  size= one
# record makes every write land at offset 0, as dioload loop's do.  With
# rw=write, fio closes and reopens a file it has written to the end (and
# fadvises it) before every next write: three system calls and a path
# walk per write that dioload never makes.  A random pattern over the one
# record, with norandommap, never "finishes" the file, so fio keeps it
# open.  scramble_buffers=0: fio would otherwise rewrite part of the buffer
# before every write, a cost that grows with the record.
# ENGINE null runs the same jobs with no I/O at all: what fio itself
# spends per write (its bookkeeping, clock reads and statistics), over
# enough writes that its millisecond runtime resolves it.  MODE and SIZE
# (both or neither) make it the one job of that point.
fio_jobs() {
	local mode size io modes=(buffered direct) only=("${sizes[@]}")
	[ $# -lt 4 ] || modes=("$3") only=("$4")
	printf '[global]\nfilename=%s\nioengine=%s\nrw=randwrite\nnorandommap=1\nscramble_buffers=0\n' "$1" "$2"
	printf 'thread\nstonewall\nend_fsync=0\ninvalidate=0\n'
	for mode in "${modes[@]}"; do
		for size in "${only[@]}"; do
			io=$bytes
			[ "$2" = psync ] || io=$((size * 16384))
			printf '\n[%s-%s]\nbs=%s\nsize=%s\nio_size=%s\ndirect=%s\n' "$mode" "$size" "$size" "$size" \
				"$io" "$([ $mode = direct ] && echo 1 || echo 0)"
		done
	done
}

# fio_run TOOL FS JOBFILE RUN: one line a job.  bw_bytes is io_bytes over
# the job's runtime: per write, what a user reading fio's bandwidth would
# compute.
fio_run() {
	fio --eta=never --output-format=json --output=/tmp/fio-$2.json "$3" >/dev/null ||
		{ echo "fio-guest: fio failed on $2" >&2; exit 1; }
	jq -r --arg tool "$1" --arg fs "$2" --arg run "$4" '.jobs[] | .jobname as $j | ($j | split("-")) as $p
		| "\($tool) \($fs) \($p[0]) \($p[1]) \($run) \((1e9 * ($p[1] | tonumber) / .write.bw_bytes) | floor)"' \
		/tmp/fio-$2.json
}

for fs in ext4 xfs vfat; do
	m=/tmp/fio-$fs
	mkdir -p $m
	"$DIOLAB_ROOT/vm/guest/labfs" "$fs" $m >/dev/null || { echo "fio-guest: labfs $fs failed" >&2; exit 1; }
	max=${sizes[-1]}
	dd if=/dev/zero of=$m/f bs="$max" count=1 conv=fsync status=none
	fio_jobs $m/f null >/tmp/fio-null-$fs.job
	for run in $(seq "$runs"); do
		# fio's own cost touches no file: one run of all its points
		fio_run fio-null "$fs" /tmp/fio-null-$fs.job "$run"
		for mode in buffered direct; do
			for size in "${sizes[@]}"; do
				fio_jobs $m/f psync "$mode" "$size" >/tmp/fio-$fs.job
				fio_run fio "$fs" /tmp/fio-$fs.job "$run"
				ns=$("$bin/dioload" loop $m/f $((bytes / size)) "$size" $([ $mode = buffered ] && echo buffered) |
					sed -n 's/^ns_per_write=\([0-9]*\).*/\1/p')
				echo "dioload $fs $mode $size $run ${ns:-0}"
			done
		done
	done
	"$DIOLAB_ROOT/vm/guest/labfs" --umount $m >/dev/null 2>&1
done
