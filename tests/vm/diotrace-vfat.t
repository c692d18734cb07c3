#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace on vfat: the generic (fs/direct-io.c) path, its buffered fallback
# for extending writes, EINVAL for misalignment, and an O_DIRECT read.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-vfat
mkdir -p $M
check "labfs vfat" "$LABFS" vfat $M
dt_fs_prepare $M
dt_trace sh -c "$(dt_fs_workload $M)"
dt_no_lost_ok vfat

t=$(dt_tree $M/d.bin pwrite64)
dt_chain_ok "vfat O_DIRECT write: the seed's chain" "$t" vfs_write generic_file_write_iter \
	__generic_file_write_iter generic_file_direct_write \
	'kiocb_invalidate_pages|filemap_invalidate_pages' invalidate_inode_pages2_range \
	fat_direct_IO __blockdev_direct_IO "$PIN_FN" submit_bio kiocb_invalidate_post_direct_write
is "$(dt_field "$t" '.direct_IO')" "fat_direct_IO [fat]" "a_ops->direct_IO is fat_direct_IO"
is "$(dt_field "$t" '[.dio, .fallback, .ret, .pages_pinned] | @tsv')" "$(printf 'true\tfalse\t65536\t16')" \
	"direct, no fallback, 65536 bytes, 16 pages pinned"
is "$(dt_field "$t" '[.. | objects | select(.fn? == "generic_file_direct_write") | .args.iter_type][0]')" \
	UBUF "write() builds an ITER_UBUF iterator (enum resolved with CO-RE)"
is "$(dt_field "$t" "[.. | objects | select(.fn? == \"$PIN_FN\") | .args.foll][0]")" "$PIN_KIND" \
	"pages taken with FOLL_$PIN_KIND"
is "$(dt_field "$t" '[.. | objects | select(.fn? == "submit_bio") | .args | [.op, .size]][0] | @tsv')" \
	"$(printf 'WRITE\t65536')" "one 64 KiB WRITE bio"
dt_no_missing_ok "$t" "vfat direct write"

t=$(dt_tree $M/n.bin pwrite64)
is "$(dt_field "$t" '[.fallback, .ret] | @tsv')" "$(printf 'true\t4096')" \
	"vfat extending O_DIRECT write falls back to buffered and succeeds"
dt_chain_ok "fallback chain: fat_direct_IO, then buffered" "$t" generic_file_direct_write fat_direct_IO \
	'direct_write_fallback|generic_perform_write'
dt_chain_lacks "no __blockdev_direct_IO in the fallback" "$t" __blockdev_direct_IO
like=$(dt_field "$t" '.fallback_reason')
[[ "$like" == *"fat_direct_IO returned 0"* ]]; ok $? "fallback reason names fat_direct_IO ($like)"

t=$(dt_tree $M/m.bin pwrite64)
is "$(dt_field "$t" '.ret')" -22 "misaligned O_DIRECT write returns -EINVAL"
is "$(dt_field "$t" '[.notes[] | select(.kind=="einval")] | length')" 1 "annotated 'misaligned: EINVAL'"
dt_chain_lacks "no bio for a misaligned write" "$t" submit_bio

t=$(dt_tree $M/b.bin pwrite64)
is "$(dt_field "$t" '[.o_direct, .dio] | @tsv')" "$(printf 'false\tfalse')" "buffered write is not direct"
dt_chain_ok "buffered chain" "$t" vfs_write generic_file_write_iter generic_perform_write
dt_chain_lacks "buffered write never calls direct_IO" "$t" fat_direct_IO

t=$(dt_tree $M/r.bin pread64)
dt_chain_ok "vfat O_DIRECT read chain" "$t" vfs_read generic_file_read_iter fat_direct_IO \
	__blockdev_direct_IO "$PIN_FN" submit_bio
is "$(dt_field "$t" '[.ret, .dio] | @tsv')" "$(printf '65536\ttrue')" "O_DIRECT read of 64 KiB"
flags=$(dt_field "$t" '[.. | objects | select(.fn? == "gup_fast_fallback" or .fn? == "internal_get_user_pages_fast") | .args.gup_flags_decoded][0]')
[[ "$flags" == *WRITE* ]]; ok $? "a read pins with FOLL_WRITE ($flags)"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
