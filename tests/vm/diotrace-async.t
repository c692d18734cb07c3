#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# io_uring and libaio submissions: the tree is rooted at io_uring_enter or
# io_submit (or at the io-wq worker when io_uring punts, forced here once
# with IOSQE_ASYNC), and must reach
# the same direct-I/O chain as a plain write().
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-async
mkdir -p $M
DEV=$("$LABFS" ext4 $M)
ok $? "labfs ext4 ($DEV)"
for f in u a w c; do dd if=/dev/zero of=$M/$f.bin bs=64k count=1 status=none; done
sync
# io_uring first tries the write inline with IOCB_NOWAIT.  With nothing
# cached, ext4 has nothing to wait for and io_uring_enter itself does the
# write; c.bin is cached, so invalidating it could block, the inline
# attempt returns -EAGAIN and an io-wq worker does the write.
# drop_caches also evicts the inodes, and a fresh inode is not yet known
# to have no setuid bits or security xattrs (S_NOSEC), which ext4 will not
# find out under IOCB_NOWAIT (-EAGAIN from ext4_file_write_iter itself, on
# 6.1 and 6.12).  One direct write of each file sets S_NOSEC and caches
# nothing.
echo 3 >/proc/sys/vm/drop_caches
for f in u c; do dd if=/dev/zero of=$M/$f.bin bs=64k count=1 oflag=direct conv=notrunc status=none; done
cat $M/c.bin >/dev/null
dt_trace sh -c "$DIOLOAD uring $M/u.bin 0 65536 && $DIOLOAD aio $M/a.bin 0 65536 &&
	$DIOLOAD uring $M/c.bin 0 65536 && $DIOLOAD uring $M/w.bin 0 65536 async"
dt_no_lost_ok async

# by_root ROOT FILE: the last tree of FILE rooted at ROOT
by_root() {
	jq -c --arg r "$1" --arg f "$2" 'select(.type=="syscall" and .syscall==$r and .path==$f)' "$DT_OUT" | tail -n1
}
t=$(by_root io_uring_enter $M/u.bin)
dt_chain_ok "io_uring, nothing cached: io_uring_enter itself writes, down to the bio" "$t" io_write \
	ext4_file_write_iter iomap_dio_rw "$PIN_FN" submit_bio
is "$(jq -c 'select(.type=="syscall" and .syscall=="io-wq" and (.chain | index("io_write")))
	| select(.path=="'$M/u.bin'")' "$DT_OUT" | wc -l)" 0 "... and no io-wq worker touches u.bin"

t=$(by_root io_uring_enter $M/c.bin)
is "$(dt_field "$t" '[.. | objects | select(.fn? == "io_write") | .ret][0]')" -11 \
	"io_uring, file cached: the inline io_write returns -EAGAIN"
is "$(dt_field "$t" '[.. | objects | select(.fn? == "iomap_dio_rw") | .ret][0]')" -11 \
	"... from iomap_dio_rw, which finds the range cached"
[[ "$(dt_field "$t" '.notes[].text')" == *"io_uring handed the request to an io-wq worker"* ]]
ok $? "... and the tree says the request went to io-wq"
t=$(by_root io-wq $M/c.bin)
dt_chain_ok "... where the worker's tree reaches the bio" "$t" io_write ext4_file_write_iter \
	iomap_dio_rw "$PIN_FN" submit_bio

# IOSQE_ASYNC: io_uring_enter only queues; an io-wq worker of the same
# process does the write, and the tree starts at io_write there.
t=$(by_root io-wq $M/w.bin)
dt_chain_ok "IOSQE_ASYNC: the io-wq worker's tree reaches the bio" "$t" io_write \
	ext4_file_write_iter iomap_dio_rw "$PIN_FN" submit_bio
[[ "$(dt_field "$t" '.comm')" == iou-wrk-* ]]; ok $? "IOSQE_ASYNC: run by an io-wq worker ($(dt_field "$t" '.comm'))"
# w.bin's submitter is the last dioload to enter io_uring
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
