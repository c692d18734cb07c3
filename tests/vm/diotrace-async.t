#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# io_uring and libaio submissions: the tree is rooted at io_uring_enter or
# io_submit (or at the io-wq worker when io_uring punts, forced here once
# with IOSQE_ASYNC), and must reach
# the same direct-I/O chain as a plain write().
set -uo pipefail
. "$DIOLAB_ROOT/tests/lib/tap.sh"
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-async
mkdir -p $M
DEV=$("$LABFS" ext4 $M)
ok $? "labfs ext4 ($DEV)"
dd if=/dev/zero of=$M/u.bin bs=64k count=1 status=none
dd if=/dev/zero of=$M/a.bin bs=64k count=1 status=none
dd if=/dev/zero of=$M/w.bin bs=64k count=1 status=none
sync
dt_trace sh -c "$DIOLOAD uring $M/u.bin 0 65536 && $DIOLOAD aio $M/a.bin 0 65536 &&
	$DIOLOAD uring $M/w.bin 0 65536 async"
dt_no_lost_ok async

# Whichever root ran the write (the submitter, or an io-wq worker): the one
# containing io_write is the io_uring tree.
t=$(jq -c 'select(.type=="syscall" and (.chain | index("io_write")))' "$DT_OUT" | tail -n1)
dt_chain_ok "io_uring O_DIRECT write reaches iomap and the bio" "$t" io_write ext4_file_write_iter \
	iomap_dio_rw "$PIN_FN" submit_bio
root=$(dt_field "$t" '.syscall')
[[ "$root" == io_uring_enter || "$root" == io-wq ]]; ok $? "io_uring tree rooted at $root"

# IOSQE_ASYNC: io_uring_enter only queues; an io-wq worker of the same
# process does the write, and the tree starts at io_write there.
# (a worker's tree has no fd, so no path: take the last io-wq tree)
t=$(jq -c 'select(.type=="syscall" and .syscall=="io-wq")' "$DT_OUT" | tail -n1)
dt_chain_ok "IOSQE_ASYNC: the io-wq worker's tree reaches the bio" "$t" io_write \
	ext4_file_write_iter iomap_dio_rw "$PIN_FN" submit_bio
[[ "$(dt_field "$t" '.comm')" == iou-wrk-* ]]; ok $? "IOSQE_ASYNC: run by an io-wq worker ($(dt_field "$t" '.comm'))"
is "$(dt_field "$t" '.pid')" "$(jq -r 'select(.type=="syscall" and .syscall=="io_uring_enter") | .pid' "$DT_OUT" | tail -n1)" \
	"IOSQE_ASYNC: the worker belongs to the submitting process"

t=$(jq -c 'select(.type=="syscall" and .syscall=="io_submit")' "$DT_OUT" | tail -n1)
dt_chain_ok "libaio io_submit reaches aio_write and the direct path" "$t" aio_write \
	ext4_file_write_iter iomap_dio_rw "$PIN_FN" submit_bio
is "$(dt_field "$t" '[.. | objects | select(.fn? == "ext4_file_write_iter") | .args.iocb_direct][0]')" true \
	"the aio kiocb carries IOCB_DIRECT"
# fio, as students run it: the file comes from the request (io_kiocb's file,
# the aio kiocb's ki_filp), so --path and --dev keep the trees, and the
# syscall line names the file and the SQE count.  Recorded once per engine,
# reported three ways.
devno=$(printf '%d:%d' 0x$(stat -c %t "$DEV") 0x$(stat -c %T "$DEV"))
for eng in io_uring libaio; do
	F=$M/fio-$eng.bin
	"$DIOTRACE" record -o /tmp/fio-$eng.dtr -- fio --name=t --filename=$F --size=256k --bs=64k \
		--rw=write --ioengine=$eng --direct=1 >/tmp/fio.out 2>&1
	ok $? "$eng: fio ran under diotrace record"
	"$DIOTRACE" report --json --path $M /tmp/fio-$eng.dtr >/tmp/fio-path.json 2>/dev/null
	n=$(jq -s --arg f "$F" '[.[] | select(.type=="syscall" and .path==$f and .o_direct and .dio)] | length' /tmp/fio-path.json)
	is "$n" 4 "$eng: --path $M keeps fio's four 64 KiB O_DIRECT writes"
	if [ $eng = io_uring ]; then roots='io_uring_enter io-wq'; else roots=io_submit; fi
	got=$(jq -r --arg f "$F" 'select(.type=="syscall" and .path==$f and .dio) | .syscall' /tmp/fio-path.json | sort -u | tr '\n' ' ')
	[[ -n "$got" && " $roots " == *" ${got%% *} "* ]]; ok $? "$eng: rooted at $got"
	"$DIOTRACE" report --json --dev "$devno" /tmp/fio-$eng.dtr >/tmp/fio-dev.json 2>/dev/null
	is "$(jq -s --arg f "$F" '[.[] | select(.type=="syscall" and .path==$f and .o_direct and .dio)] | length' /tmp/fio-dev.json)" 4 \
		"$eng: --dev $devno keeps them too"
	"$DIOTRACE" report --path $M /tmp/fio-$eng.dtr >/tmp/fio-path.txt 2>/dev/null
	if [ $eng = io_uring ]; then
		grep -qE "io_uring_enter\(ring fd=[0-9]+, to_submit=1, file $F\)|io-wq\(io_write, file $F\)" /tmp/fio-path.txt
	else
		grep -qE "io_submit\(nr=1, file $F\)" /tmp/fio-path.txt
	fi
	ok $? "$eng: the syscall line names the file"
	grep -q ' , \|4294966' /tmp/fio-path.txt; is $? 1 "$eng: no empty path, no unsigned errno"
done
"$LABFS" --umount $M >/dev/null 2>&1
done_testing
