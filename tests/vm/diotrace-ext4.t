#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace on ext4: the iomap path.  Extending O_DIRECT writes stay direct
# here (unlike vfat), misalignment is EINVAL, ->direct_IO is not involved.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-ext4
mkdir -p $M
check "labfs ext4" "$LABFS" ext4 $M
dt_fs_prepare $M
# Every read and write syscall diotrace takes as a root: xfs_io makes
# pwritev and preadv, Python the rest (its os.pwritev is pwritev2).
RW=$M/rw.bin
rw_py="import os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
os.write(fd, bytes(500)); os.writev(fd, [bytes(300), bytes(300)])
os.pwrite(fd, bytes(200), 5000); os.pwritev(fd, [bytes(100), bytes(100)], 6000)
os.lseek(fd, 0, os.SEEK_SET); os.read(fd, 700); os.readv(fd, [bytearray(400), bytearray(400)])
os.pread(fd, 150, 5000); os.preadv(fd, [bytearray(50), bytearray(50)], 6000)"
dt_trace sh -c "$(dt_fs_workload $M)
	xfs_io -f -c 'pwrite -q -V 2 8k 8k' -c 'pread -q -V 2 8k 8k' $RW && python3 -c '$rw_py' $RW"
dt_no_lost_ok ext4
is "$(jq -r --arg f $RW 'select(.type=="syscall" and .path==$f) | "\(.syscall) \(.offset) \(.ret)"' "$DT_OUT" | sort)" \
	"$(printf '%s\n' 'pread64 5000 150' 'preadv 8192 8192' 'preadv2 6000 100' 'pwrite64 5000 200' \
		'pwritev 8192 8192' 'pwritev2 6000 200' 'read -1 700' 'readv -1 800' 'write -1 500' 'writev -1 600')" \
	"each of the ten read and write syscalls is a root, with its offset and result"

t=$(dt_tree $M/d.bin pwrite64)
dt_chain_ok "ext4 O_DIRECT write chain" "$t" vfs_write ext4_file_write_iter iomap_dio_rw \
	'filemap_write_and_wait_range|kiocb_invalidate_pages' iomap_dio_bio_iter bio_iov_iter_get_pages \
	"$PIN_FN" submit_bio iomap_dio_complete
is "$(dt_field "$t" '[.dio, .fallback, .ret, .pages_pinned, .dio_engine] | @tsv')" \
	"$(printf 'true\tfalse\t65536\t16\tiomap_dio_rw')" "direct via iomap, 16 pages pinned"
is "$(dt_field "$t" "[.. | objects | select(.fn? == \"$PIN_FN\") | .args.foll][0]")" "$PIN_KIND" \
	"pages taken with FOLL_$PIN_KIND"
dt_chain_lacks "no generic_file_direct_write on ext4" "$t" generic_file_direct_write
# vfs_write takes its file as the root decoded it: the same inode, and the
# page count the write's invalidation then dropped to nothing
is "$(dt_field "$t" '[.ino, .dev, .pages_dropped] as $r | [.. | objects | select(.fn? == "vfs_write") | .args][0]
	| [.ino, .dev, .nrpages] == $r and .ino > 0 and .nrpages > 0')" true \
	"vfs_write's node names the root's inode and device, and the pages its invalidation dropped"
dt_no_missing_ok "$t" "ext4 direct write"

t=$(dt_tree $M/n.bin pwrite64)
is "$(dt_field "$t" '[.dio, .fallback, .ret] | @tsv')" "$(printf 'true\tfalse\t4096')" \
	"ext4 extending O_DIRECT write stays direct"
dt_chain_lacks "no buffered write for the extending write" "$t" ext4_buffered_write_iter

t=$(dt_tree $M/m.bin pwrite64)
is "$(dt_field "$t" '.ret')" -22 "misaligned O_DIRECT write returns -EINVAL"
is "$(dt_field "$t" '[.notes[] | select(.kind=="einval")] | length')" 1 "annotated 'misaligned: EINVAL'"

t=$(dt_tree $M/b.bin pwrite64)
dt_chain_ok "ext4 buffered chain" "$t" vfs_write ext4_file_write_iter ext4_buffered_write_iter \
	generic_perform_write
is "$(dt_field "$t" '.dio')" false "buffered write is not direct"

t=$(dt_tree $M/r.bin pread64)
dt_chain_ok "ext4 O_DIRECT read chain" "$t" vfs_read ext4_file_read_iter iomap_dio_rw \
	iomap_dio_bio_iter "$PIN_FN" submit_bio
is "$(dt_field "$t" '[.ret, .dio] | @tsv')" "$(printf '65536\ttrue')" "O_DIRECT read of 64 KiB"
is "$(dt_field "$t" '[.. | objects | select(.fn? == "submit_bio") | .args.op][0]')" READ "read bio"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
