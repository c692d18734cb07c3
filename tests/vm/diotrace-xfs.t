#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace on xfs: xfs_file_dio_write_aligned into iomap.  Extending writes stay
# direct, misalignment is EINVAL before iomap runs.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-xfs
mkdir -p $M
check "labfs xfs" "$LABFS" xfs $M
dt_fs_prepare $M
dt_trace sh -c "$(dt_fs_workload $M)"
dt_no_lost_ok xfs

t=$(dt_tree $M/d.bin pwrite64)
dt_chain_ok "xfs O_DIRECT write chain" "$t" vfs_write xfs_file_write_iter xfs_file_dio_write_aligned iomap_dio_rw \
	iomap_dio_bio_iter bio_iov_iter_get_pages \
	"$PIN_FN" submit_bio iomap_dio_complete
is "$(dt_field "$t" '[.dio, .fallback, .ret, .pages_pinned, .dio_engine] | @tsv')" \
	"$(printf 'true\tfalse\t65536\t16\tiomap_dio_rw')" "direct via iomap, 16 pages pinned"
is "$(dt_field "$t" "[.. | objects | select(.fn? == \"$PIN_FN\") | .args.foll][0]")" "$PIN_KIND" \
	"pages taken with FOLL_$PIN_KIND"
dt_chain_lacks "no generic_file_direct_write on xfs" "$t" generic_file_direct_write
dt_no_missing_ok "$t" "xfs direct write"

t=$(dt_tree $M/n.bin pwrite64)
is "$(dt_field "$t" '[.dio, .fallback, .ret] | @tsv')" "$(printf 'true\tfalse\t4096')" \
	"xfs extending O_DIRECT write stays direct"
dt_chain_lacks "no buffered write for the extending write" "$t" xfs_file_buffered_write

t=$(dt_tree $M/m.bin pwrite64)
is "$(dt_field "$t" '.ret')" -22 "misaligned O_DIRECT write returns -EINVAL"
is "$(dt_field "$t" '[.notes[] | select(.kind=="einval")] | length')" 1 "annotated 'misaligned: EINVAL'"

t=$(dt_tree $M/b.bin pwrite64)
dt_chain_ok "xfs buffered chain" "$t" vfs_write xfs_file_write_iter xfs_file_buffered_write \
	iomap_file_buffered_write
is "$(dt_field "$t" '.dio')" false "buffered write is not direct"

t=$(dt_tree $M/r.bin pread64)
dt_chain_ok "xfs O_DIRECT read chain" "$t" vfs_read xfs_file_read_iter xfs_file_dio_read iomap_dio_rw \
	iomap_dio_bio_iter "$PIN_FN" submit_bio
is "$(dt_field "$t" '[.ret, .dio] | @tsv')" "$(printf '65536\ttrue')" "O_DIRECT read of 64 KiB"
is "$(dt_field "$t" '[.. | objects | select(.fn? == "submit_bio") | .args.op][0]')" READ "read bio"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
