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
dt_trace sh -c "$(dt_fs_workload $M)"
dt_no_lost_ok ext4

t=$(dt_tree $M/d.bin pwrite64)
dt_chain_ok "ext4 O_DIRECT write chain" "$t" vfs_write ext4_file_write_iter iomap_dio_rw \
	'filemap_write_and_wait_range|kiocb_invalidate_pages' iomap_dio_bio_iter bio_iov_iter_get_pages \
	"$PIN_FN" submit_bio iomap_dio_complete
is "$(dt_field "$t" '[.dio, .fallback, .ret, .pages_pinned, .dio_engine] | @tsv')" \
	"$(printf 'true\tfalse\t65536\t16\tiomap_dio_rw')" "direct via iomap, 16 pages pinned"
is "$(dt_field "$t" "[.. | objects | select(.fn? == \"$PIN_FN\") | .args.foll][0]")" "$PIN_KIND" \
	"pages taken with FOLL_$PIN_KIND"
dt_chain_lacks "no generic_file_direct_write on ext4" "$t" generic_file_direct_write
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
