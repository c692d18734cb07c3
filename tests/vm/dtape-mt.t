#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dtape: a scripted session with the real mt (mt-st), each step checked
# against the fields mt status prints.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
require_dtape_build

load_fresh_dtape drives=1
ok $? "dtape loads"
dmesg_mark
export TAPE

status=$(mt status)
echo "$status" | grep -q '^SCSI 2 tape drive:$'
ok $? "mt status identifies a SCSI 2 tape drive"
echo "$status" | grep -q '^Tape block size 0 bytes\. Density code 0x0'
ok $? "mt status shows variable block size"
is "$(mt_where) $(mt_flags)" "0 0 BOT EOD ONLINE" "a new tape: file 0, block 0, BOT, EOD"

# file 0: 3 records; file 1: 5 records; file 2: empty (two filemarks in a row).
dd if=/dev/urandom of="$TAPE" bs=1k count=3 status=none
is "$(mt_where) $(mt_flags)" "1 0 EOF EOD ONLINE" "close after dd wrote a filemark: file 1, EOF, EOD"
dd if=/dev/urandom of="$TAPE" bs=2k count=5 status=none
check "mt weof" mt weof
is "$(mt_where) $(mt_flags)" "3 0 EOF EOD ONLINE" "mt weof added an empty file: file 3"

check "mt rewind" mt rewind
is "$(mt_where) $(mt_flags)" "0 0 BOT ONLINE" "rewind: file 0, block 0, BOT"
check "mt fsf 1" mt fsf 1
is "$(mt_where) $(mt_flags)" "1 0 EOF ONLINE" "fsf 1: start of file 1"
check "mt fsr 2" mt fsr 2
is "$(mt_where)" "1 2" "fsr 2: file 1, block 2"
check "mt bsr 1" mt bsr 1
is "$(mt_where)" "1 1" "bsr 1: file 1, block 1"
is "$(mt tell)" "At block 5." "mt tell counts records and filemarks from BOT (3 + 1 + 1)"
check "mt bsf 1" mt bsf 1
is "$(mt_where)" "0 3" "bsf 1: just before the first filemark, end of file 0"
check "mt fsf 2" mt fsf 2
is "$(mt_where)" "2 0" "fsf 2: start of file 2"
check "mt fsr 1 on the filemark fails" sh -c '! mt fsr 1'
is "$(mt_where)" "3 0" "fsr into a filemark leaves the head after it, as st does"
check "mt eod" mt eod
is "$(mt_where) $(mt_flags)" "3 0 EOF EOD ONLINE" "eod: after the last filemark"
check "mt fsf 1 at end of data fails" sh -c '! mt fsf 1'
check "mt seek 4" mt seek 4
is "$(mt_where)" "1 0" "seek 4: the first block of file 1"

check "mt setblk 512" mt setblk 512
mt status | grep -q '^Tape block size 512 bytes\.'
ok $? "mt status shows the fixed block size"
check "mt setblk 0" mt setblk 0
mt status | grep -q '^Tape block size 0 bytes\.'
ok $? "back to variable block size"

check "mt rewind" mt rewind
check "mt bsr 1 at BOT fails" sh -c '! mt bsr 1'
check "mt bsf 1 at BOT fails" sh -c '! mt bsf 1'
check "mt retension" mt retension
is "$(mt_where) $(mt_flags)" "0 0 BOT ONLINE" "retension rewinds"

echo 1 >"$SYS/write_protect"
is "$(mt_flags)" "BOT WR_PROT ONLINE" "write protection shows in mt status"
out=$(mt weof 2>&1)
[ $? != 0 ] && [[ $out == *"Read-only file system"* ]]
ok $? "mt weof on a protected tape: mt's read-write open fails with EROFS ($out)"
# mtop_ro OP: issue MTIOCTOP OP (count 1) on a read-only descriptor, where
# open() cannot refuse and only the ioctl's own check can; prints the errno
# name, or "done".
mtop_ro() {
	python3 - "$TAPE" "$1" <<'PY'
import errno, fcntl, os, struct, sys
MTIOCTOP = 0x40086D01  # _IOW('m', 1, struct mtop { short; int; })
fd = os.open(sys.argv[1], os.O_RDONLY)
try:
    fcntl.ioctl(fd, MTIOCTOP, struct.pack("hi", int(sys.argv[2]), 1))
    print("done")
except OSError as e:
    print(errno.errorcode[e.errno])
PY
}
used=$(cat "$SYS/used_bytes")
is "$(mtop_ro 5)" EACCES "MTWEOF on a protected tape opened read-only: EACCES from the ioctl"
is "$(mtop_ro 13)" EACCES "MTERASE on a protected tape opened read-only: EACCES"
is "$(mt_where) $(cat "$SYS/used_bytes")" "0 0 $used" "... and the tape did not move or change"
echo 0 >"$SYS/write_protect"

check "mt offline" mt offline
is "$(mt_flags)" "DR_OPEN" "offline: no tape in the drive"
check "mt load" mt load
is "$(mt_where) $(mt_flags)" "0 0 BOT ONLINE" "load: the tape is back at BOT"
check "mt fsf 1" mt fsf 1
check "mt erase" mt erase
is "$(mt_where) $(mt_flags)" "1 0 EOF EOD ONLINE" "erase from file 1 keeps file 0 only"
check "mt rewind" mt rewind
check "mt erase at BOT" mt erase
is "$(mt_flags)" "BOT EOD ONLINE" "erase at BOT empties the tape"
is "$(cat "$SYS/used_bytes")" 0 "an erased tape uses no space"
# The erase gave the tape's pages back: new records must get new ones.
check "records written after the erase read back intact" "$TAPEIO" -q -r -s 64k -n 4 roundtrip

all_balanced_ok "the mt session"
rmmod dtape
ok $? "dtape unloads"
dmesg_clean_ok
done_testing
