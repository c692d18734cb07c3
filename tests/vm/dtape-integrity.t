#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dtape: checksummed round trips through every path and record sizes from
# 1 byte to 4 MiB; files and filemarks; rewinding and non-rewinding closes;
# pin and reference balance after each part.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
require_dtape_build

load_fresh_dtape capacity_mb=64
ok $? "dtape loads"
dmesg_mark

# size:count pairs; the counts keep each size well under the capacity.
SIZES="1:9 511:5 4096:8 4097:5 65536:6 1048576:3 4194304:2"

# roundtrip NAME EXPECTED_PATH TAPEIO_ARGS...: write, filemark, rewind, read back.
roundtrips() {
	local name=$1 want=$2 sc size count out
	shift 2
	for sc in $SIZES; do
		size=${sc%%:*} count=${sc##*:}
		out=$("$TAPEIO" -q -e "$want" -s "$size" -n "$count" -S "$size" "$@" roundtrip 2>&1)
		ok $? "$name: $count records of $size bytes round-trip through the $want path"
		[ -z "$out" ] || printf '%s\n' "$out" | diag_stdin
	done
	all_balanced_ok "$name"
}

set_mode direct
roundtrips "mode=direct" direct
set_mode buffered
roundtrips "mode=buffered" buffered
set_mode legacy
roundtrips "mode=legacy" legacy
set_mode auto
roundtrips "mode=auto, page-aligned buffer" direct
roundtrips "mode=auto, buffer at offset 4" direct -o 4

before=$(stat_get fallback_misaligned)
roundtrips "mode=auto, buffer at offset 1" buffered -o 1
records=0
for sc in $SIZES; do records=$((records + ${sc##*:})); done
is "$(( $(stat_get fallback_misaligned) - before ))" $(( 2 * records )) \
	"every misaligned record was counted as a fallback, on write and on read"
set_mode buffered
roundtrips "O_DIRECT overrides mode=buffered" direct -D
set_mode legacy
roundtrips "O_DIRECT with mode=legacy" legacy -D
set_mode auto
echo 4096 >"$PARAMS/dma_alignment"
roundtrips "dma_alignment=4096, buffer at offset 512" buffered -o 512
echo 4 >"$PARAMS/dma_alignment"

# Files: three files with different sizes and seeds, read back in order.
mt -f "$TAPE" rewind
"$TAPEIO" -q -s 1000 -n 4 -S 11 -F write &&
	"$TAPEIO" -q -s 65536 -n 3 -S 12 -F write &&
	"$TAPEIO" -q -s 3 -n 7 -S 13 -F write
ok $? "three files written with MTWEOF after each"
is "$(mt_where)" "3 0" "mt status: file 3, block 0 after three files"
mt -f "$TAPE" rewind
"$TAPEIO" -q -s 1000 -n 4 -S 11 -F read &&
	"$TAPEIO" -q -s 65536 -n 3 -S 12 -F read &&
	"$TAPEIO" -q -s 3 -n 7 -S 13 -F read
ok $? "the three files read back intact, each ending in a filemark"
mt -f "$TAPE" bsf 2
is "$(mt_where)" "1 3" "bsf 2 from the end: before the second filemark, at the end of file 1"
mt -f "$TAPE" rewind && mt -f "$TAPE" fsf 2
"$TAPEIO" -q -s 3 -n 7 -S 13 -F read
ok $? "fsf 2 lands at the start of the third file"

# Closing writes a filemark. The no-rewind node stays after it...
mt -f "$TAPE" rewind
"$TAPEIO" -q -f "$TAPE" -s 8192 -n 3 -S 21 write &&
	"$TAPEIO" -q -f "$TAPE" -s 8192 -n 2 -S 22 write
ok $? "two files written through /dev/ndtape0, closing after each"
is "$(mt_where)" "2 0" "each close wrote a filemark and did not rewind"
# ...the rewinding node goes back to BOT.
"$TAPEIO" -q -f "$RTAPE" -s 4096 -n 2 -S 23 write
ok $? "a third file written through /dev/dtape0"
is "$(mt_where)" "0 0" "closing /dev/dtape0 rewound the tape"
"$TAPEIO" -q -f "$TAPE" -s 8192 -n 3 -S 21 -F read &&
	"$TAPEIO" -q -f "$TAPE" -s 8192 -n 2 -S 22 -F read &&
	"$TAPEIO" -q -f "$TAPE" -s 4096 -n 2 -S 23 -F read
ok $? "all three files read back across the closes, each with its filemark"

# Reading closes no file: no filemark is added by a close after reads.
mt -f "$TAPE" rewind
"$TAPEIO" -q -f "$RTAPE" -s 8192 -n 3 -S 21 read
is "$(tell)" "result=0" "the rewinding node rewound after a read"
mt -f "$TAPE" eod
is "$(tell)" "result=10" "end of data is unchanged by reading (10 = 7 records + 3 filemarks)"

# Writing in the middle truncates what follows.
mt -f "$TAPE" rewind && mt -f "$TAPE" fsf 1
"$TAPEIO" -q -s 512 -n 1 -S 31 -F write
mt -f "$TAPE" eod
is "$(mt_where)" "2 0" "a write in file 1 made it the last file"
mt -f "$TAPE" rewind
"$TAPEIO" -q -s 8192 -n 3 -S 21 -F read && "$TAPEIO" -q -s 512 -n 1 -S 31 -F read
ok $? "data before the overwrite is intact and the new file reads back"

all_balanced_ok "the file and close checks"
rmmod dtape
ok $? "dtape unloads"
dmesg_clean_ok
done_testing
