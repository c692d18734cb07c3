#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dtape: end of medium, write protection, EFAULT from bad, read-only and
# half-mapped buffers, a short read buffer, O_DIRECT alignment.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
require_dtape_build

# --- End of medium: 4 MiB tape, 1 MiB early-warning zone.
load_fresh_dtape capacity_mb=4 early_warning_kb=1024
ok $? "dtape loads with a 4 MiB tape"
dmesg_mark
fails "writing 100 x 64 KiB to a 4 MiB tape fails" \
	sh -c "$TAPEIO -q -s 64k -n 100 -S 5 write 2>/tmp/err"
grep -q "No space left on device" /tmp/err
ok $? "...with ENOSPC"
# (4 MiB - 1 MiB) / (64 KiB + 64-byte gap) = 47 records fit before the warning.
is "$(tell)" "result=48" "the write that reached the early-warning zone wrote nothing (47 records, then the closing filemark)"
mt -f "$TAPE" rewind
"$TAPEIO" -q -s 64k -n 47 -S 5 -F read
ok $? "the 47 records before the warning read back intact"
mt -f "$TAPE" eod
is "$("$TAPEPROBE" "$TAPE" write 65536)" "errno=ENOSPC" "after repositioning, entering the zone warns again"
is "$("$TAPEPROBE" "$TAPE" write 65536)" "result=65536" "after the warning, a write into the zone succeeds (to close the volume)"
is "$(mt_flags)" "EOF EOT EOD ONLINE" "mt status shows EOT in the zone"
is "$("$TAPEPROBE" "$TAPE" write 2097152)" "errno=ENOSPC" "a record past the physical end gets ENOSPC"
mt -f "$TAPE" rewind
"$TAPEIO" -q -s 64k -n 47 -S 5 read
ok $? "earlier records are still intact"
all_balanced_ok "end of medium"

# --- Write protection.
load_dtape write_protect=1
dmesg_mark
is "$(mt_flags)" "BOT EOD WR_PROT ONLINE" "write_protect=1 loads a protected tape"
is "$("$TAPEPROBE" "$TAPE" write 10)" "errno=EROFS" "opening a protected tape for writing gets EROFS"
is "$("$TAPEPROBE" "$TAPE" read 10)" "result=0" "reading a protected tape works"
echo 0 >"$SYS/write_protect"
exec 3<>"$TAPE"
echo 1 >"$SYS/write_protect"
out=$( { printf x >&3; } 2>&1)
echo "$out" | grep -q "Read-only file system"
ok $? "a write after the tab was flipped on an open tape gets EROFS"
exec 3>&-
is "$(cat "$SYS/used_bytes")" 0 "nothing reached the protected tape"
echo 0 >"$SYS/write_protect"

# --- EFAULT: the tape is unchanged and the position did not move.
for mode in auto direct buffered legacy; do
	set_mode "$mode"
	mt -f "$TAPE" rewind
	"$TAPEIO" -q -s 8192 -n 2 -S 7 -F write
	mt -f "$TAPE" rewind
	is "$("$TAPEPROBE" -b unmapped "$TAPE" write 8192)" "errno=EFAULT" "mode=$mode: write from unmapped memory gets EFAULT"
	is "$("$TAPEPROBE" -b partial "$TAPE" write 8192)" "errno=EFAULT" "mode=$mode: write from a half-mapped buffer gets EFAULT"
	is "$("$TAPEPROBE" -b unmapped "$TAPE" read 8192)" "errno=EFAULT" "mode=$mode: read into unmapped memory gets EFAULT"
	is "$("$TAPEPROBE" -b readonly "$TAPE" read 8192)" "errno=EFAULT" "mode=$mode: read into read-only memory gets EFAULT"
	is "$("$TAPEPROBE" -b partial "$TAPE" read 8192)" "errno=EFAULT" "mode=$mode: read into a half-mapped buffer gets EFAULT"
	is "$(tell)" "result=0" "mode=$mode: the failed calls did not move the head"
	"$TAPEIO" -q -s 8192 -n 2 -S 7 -F read
	ok $? "mode=$mode: the tape is unchanged"
	all_balanced_ok "EFAULT in mode=$mode"
done
set_mode auto
before=$(stat_get fallback_pin_partial)
"$TAPEPROBE" -b partial "$TAPE" write 8192 >/dev/null
is "$(( $(stat_get fallback_pin_partial) - before ))" 1 "a partial pin in auto mode is released and counted"

# --- A buffer shorter than the record: ENOMEM and the record is skipped.
mt -f "$TAPE" rewind
"$TAPEIO" -q -s 8192 -n 3 -S 8 write
mt -f "$TAPE" rewind
is "$("$TAPEPROBE" "$TAPE" read 100)" "errno=ENOMEM" "reading an 8 KiB record into 100 bytes gets ENOMEM"
is "$(tell)" "result=1" "...and the head moved past the record, as st does"
is "$("$TAPEPROBE" "$TAPE" read 65536)" "result=8192" "a larger buffer gets the record's length"
mt -f "$TAPE" rewind
for mode in direct buffered legacy; do
	set_mode "$mode"
	is "$("$TAPEPROBE" "$TAPE" read 8191)" "errno=ENOMEM" "mode=$mode: one byte short is ENOMEM too"
done
set_mode auto

# --- O_DIRECT: direct or EINVAL, never a silent copy; checked first.
mt -f "$TAPE" rewind
is "$("$TAPEPROBE" -D -o 1 "$TAPE" write 4096)" "errno=EINVAL" "O_DIRECT write from a misaligned buffer gets EINVAL"
is "$("$TAPEPROBE" -D -o 1 "$TAPE" read 4096)" "errno=EINVAL" "O_DIRECT read into a misaligned buffer gets EINVAL"
set_mode direct
is "$("$TAPEPROBE" -o 2 "$TAPE" write 4096)" "errno=EINVAL" "mode=direct refuses a misaligned buffer too"
set_mode auto
before=$(stat_get bytes_direct)
is "$("$TAPEPROBE" -D -o 4 "$TAPE" write 4096)" "result=4096" "O_DIRECT accepts a buffer at the DMA alignment"
is "$(( $(stat_get bytes_direct) - before ))" 4096 "...and moved it on the direct path"
echo 512 >"$PARAMS/dma_alignment"
is "$("$TAPEPROBE" -D -o 256 "$TAPE" write 4096)" "errno=EINVAL" "with dma_alignment=512, offset 256 is misaligned for O_DIRECT"
echo 4 >"$PARAMS/dma_alignment"

all_balanced_ok "the error checks"
rmmod dtape
ok $? "dtape unloads"
dmesg_clean_ok
done_testing
