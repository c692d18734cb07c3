#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace on a raw block device (block/fops.c): blkdev_direct_IO, which
# 6.1 reaches only through its .part.0 clone, so fentry on the plain name
# alone would miss it; diotrace adds a kprobe on the clone.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

DEV=$("$LABFS" raw 64 2>/dev/null | tail -n 1)
[ -b "$DEV" ]; ok $? "labfs raw gave a block device ($DEV)"
dt_trace sh -c "
$DIOLOAD write $DEV 0 65536 direct
$DIOLOAD write $DEV 1048576 4096
$DIOLOAD write $DEV 512 100 direct misalign 1
$DIOLOAD read $DEV 0 65536 direct"
dt_no_lost_ok raw

t=$(dt_tree "$DEV" pwrite64 '.offset==0')
dt_chain_ok "raw O_DIRECT write chain" "$t" vfs_write blkdev_write_iter kiocb_invalidate_pages \
	'blkdev_direct_IO(\.part\.[0-9]+)?' __blkdev_direct_IO_simple bio_iov_iter_get_pages \
	"$PIN_FN" 'submit_bio|submit_bio_wait'
is "$(dt_field "$t" '[.dio, .ret, .pages_pinned] | @tsv')" "$(printf 'true\t65536\t16')" \
	"direct, 65536 bytes, 16 pages"
if ksym blkdev_direct_IO.part.0; then
	dt_chain_ok "the .part.0 clone is what ran" "$t" 'blkdev_direct_IO\.part\.0'
else
	dt_chain_ok "blkdev_direct_IO is called directly" "$t" blkdev_direct_IO
fi
dt_no_missing_ok "$t" "raw direct write"

t=$(dt_tree "$DEV" pwrite64 '.offset==1048576')
is "$(dt_field "$t" '[.o_direct, .dio, .ret] | @tsv')" "$(printf 'false\tfalse\t4096')" "buffered write"
dt_chain_ok "raw buffered chain" "$t" vfs_write blkdev_write_iter \
	'generic_perform_write|iomap_file_buffered_write'

t=$(dt_tree "$DEV" pwrite64 '.offset==512')
is "$(dt_field "$t" '.ret')" -22 "misaligned O_DIRECT write to the device returns -EINVAL"

t=$(dt_tree "$DEV" pread64)
dt_chain_ok "raw O_DIRECT read chain" "$t" vfs_read blkdev_read_iter \
	'blkdev_direct_IO(\.part\.[0-9]+)?' "$PIN_FN" 'submit_bio|submit_bio_wait'
is "$(dt_field "$t" '.ret')" 65536 "O_DIRECT read of 64 KiB"
done_testing
