#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dtape: GNU tar archives of real directory trees, several per tape, and dd
# with a range of block sizes.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
require_dtape_build

load_fresh_dtape capacity_mb=64
ok $? "dtape loads"
dmesg_mark

# Three trees, three blocking factors, one archive per file on the tape.
TREES=(/usr/share/doc/tar /usr/lib/python3.11/email /usr/include/linux)
FACTORS=(20 1 128)
mt -f "$TAPE" rewind
for i in 0 1 2; do
	tar -cf "$TAPE" -b "${FACTORS[$i]}" -C "$(dirname "${TREES[$i]}")" \
		"$(basename "${TREES[$i]}")" 2>/tmp/tar.err
	ok $? "tar -b ${FACTORS[$i]} archives ${TREES[$i]}"
	[ -s /tmp/tar.err ] && diag_stdin </tmp/tar.err
done
is "$(mt_where)" "3 0" "three archives, three files on the tape"

for i in 2 0 1; do
	rm -rf /tmp/x && mkdir /tmp/x
	mt -f "$TAPE" rewind && mt -f "$TAPE" fsf "$i"
	tar -xf "$TAPE" -b "${FACTORS[$i]}" -C /tmp/x 2>/tmp/tar.err
	ok $? "tar extracts archive $i (-b ${FACTORS[$i]})"
	[ -s /tmp/tar.err ] && diag_stdin </tmp/tar.err
	diff -r "${TREES[$i]}" "/tmp/x/$(basename "${TREES[$i]}")" >/tmp/diff.out 2>&1
	ok $? "archive $i matches ${TREES[$i]}"
	[ -s /tmp/diff.out ] && head -5 /tmp/diff.out | diag_stdin
done

# tar -t with the blocking factor used for writing lists archive 0.
mt -f "$TAPE" rewind
n=$(tar -tf "$TAPE" -b 20 2>/tmp/tar.err | wc -l)
[ -s /tmp/tar.err ] && diag_stdin </tmp/tar.err
is "$n" "$(find /usr/share/doc/tar | wc -l)" "tar -t -b 20 lists every entry of archive 0"
# A larger factor makes tar fill its record with several reads, the last
# one shorter than a tape record: st (and dtape) answer ENOMEM.
mt -f "$TAPE" rewind
tar -tf "$TAPE" -b 256 >/dev/null 2>/tmp/tar.err
grep -q "Cannot allocate memory" /tmp/tar.err
ok $? "tar -b 256 on a -b 20 archive fails with ENOMEM, as on st"

# dd: records as written, and reading with larger buffers.
head -c 3200000 /dev/urandom >/tmp/data
for bs in 1 512 4096 10240 65536 1M; do
	mt -f "$TAPE" rewind
	count=$((3200000 / $(numfmt --from=iec "$bs")))
	[ "$bs" = 1 ] && count=3000
	head -c "$(( count * $(numfmt --from=iec "$bs") ))" /tmp/data >/tmp/want
	dd if=/tmp/want of="$TAPE" bs="$bs" status=none
	ok $? "dd bs=$bs writes $count records"
	mt -f "$TAPE" rewind
	dd if="$TAPE" of=/tmp/got bs="$bs" status=none
	cmp -s /tmp/want /tmp/got
	ok $? "dd bs=$bs reads them back identical, stopping at the filemark"
done
mt -f "$TAPE" rewind
dd if="$TAPE" of=/tmp/got bs=4M status=none
cmp -s /tmp/want /tmp/got
ok $? "dd with a 4M buffer reads 1M records one per read()"
mt -f "$TAPE" rewind
fails "dd with a buffer shorter than the record fails" \
	sh -c "dd if=$TAPE of=/tmp/got bs=1000 count=1 status=none 2>/tmp/dd.err"
grep -q "Cannot allocate memory" /tmp/dd.err
ok $? "...with ENOMEM, as st reports a short read buffer"

# Fixed-block mode: dd bs must be a multiple of the block size.
mt -f "$TAPE" rewind && mt -f "$TAPE" setblk 512
dd if=/tmp/data of="$TAPE" bs=1536 count=100 status=none
ok $? "fixed 512-byte blocks: dd bs=1536 writes"
is "$(tell)" "result=301" "each write made three blocks (300, then the closing filemark)"
mt -f "$TAPE" rewind
dd if="$TAPE" of=/tmp/got bs=8192 status=none
head -c 153600 /tmp/data >/tmp/want.fixed
cmp -s /tmp/got /tmp/want.fixed
ok $? "reading 16 blocks per read() returns the same bytes"
mt -f "$TAPE" rewind
fails "a read that is not a multiple of the block size fails" \
	dd if="$TAPE" of=/dev/null bs=1000 count=1 status=none
is "$("$TAPEPROBE" "$TAPE" write 1000)" "errno=EINVAL" "...and so does such a write (EINVAL)"
mt -f "$TAPE" setblk 0

all_balanced_ok "tar and dd"
rmmod dtape
ok $? "dtape unloads"
dmesg_clean_ok
done_testing
