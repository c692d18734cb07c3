#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# io_uring and libaio submissions: the tree is rooted at io_uring_enter or
# io_submit (or at the io-wq worker when io_uring punts), and must reach
# the same direct-I/O chain as a plain write().
set -uo pipefail
. "$DIOLAB_ROOT/tests/lib/tap.sh"
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-async
mkdir -p $M
check "labfs ext4" "$LABFS" ext4 $M
dd if=/dev/zero of=$M/u.bin bs=64k count=1 status=none
dd if=/dev/zero of=$M/a.bin bs=64k count=1 status=none
sync
dt_trace sh -c "$DIOLOAD uring $M/u.bin 0 65536 && $DIOLOAD aio $M/a.bin 0 65536"
dt_no_lost_ok async

# Whichever root ran the write (the submitter, or an io-wq worker): the one
# containing io_write is the io_uring tree.
t=$(jq -c 'select(.type=="syscall" and (.chain | index("io_write")))' "$DT_OUT" | tail -n1)
dt_chain_ok "io_uring O_DIRECT write reaches iomap and the bio" "$t" io_write ext4_file_write_iter \
	iomap_dio_rw "$PIN_FN" submit_bio
root=$(dt_field "$t" '.syscall')
[[ "$root" == io_uring_enter || "$root" == io-wq ]]; ok $? "io_uring tree rooted at $root"

t=$(jq -c 'select(.type=="syscall" and .syscall=="io_submit")' "$DT_OUT" | tail -n1)
dt_chain_ok "libaio io_submit reaches aio_write and the direct path" "$t" aio_write \
	ext4_file_write_iter iomap_dio_rw "$PIN_FN" submit_bio
is "$(dt_field "$t" '[.. | objects | select(.fn? == "ext4_file_write_iter") | .args.iocb_direct][0]')" true \
	"the aio kiocb carries IOCB_DIRECT"
"$LABFS" --umount $M >/dev/null 2>&1
done_testing
