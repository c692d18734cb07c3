#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The README's first command as a student types it: a plain `diotrace -- dd`
# to an ext4 file must show the O_DIRECT write and nothing else.  dd loading
# libc over the VM's 9p host root (on 6.12 netfs pins the reader's buffer
# for it, which looked like direct I/O) and its read of /dev/zero are left
# out and counted; --include-9p brings 9p files back, named for what they are.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-readme
mkdir -p $M
check "labfs ext4" "$LABFS" ext4 $M
dd if=/dev/zero of=$M/f bs=64k count=1 status=none
sync

# Both outputs go to pipes, as to a terminal in the README (a pipe is not a
# file, so dd's messages are not traced).  They are kept apart: dd writes
# its last line in two pieces, and a tree printed between them would not
# start a line.
{ "$DIOTRACE" -- dd if=/dev/zero of=$M/f bs=64k count=1 oflag=direct conv=notrunc \
	2>&1 1>&3 3>&- | cat >/tmp/rd.err; } 3>&1 | cat >/tmp/rd.txt
ok $? "plain diotrace -- dd ran"
heads=$(grep -E '^#[0-9]+ ' /tmp/rd.txt)
is "$(grep -c . <<<"$heads")" 1 "one tree shown"
[[ "$heads" == *"dd["*"] write(fd=1 $M/f, 65536 bytes) O_DIRECT = 65536 "* ]]
ok $? "it is the O_DIRECT write ($heads)"
[ -n "$heads" ] || cat /tmp/rd.txt /tmp/rd.err | diag_stdin
grep -q "=> direct I/O via iomap_dio_rw: 16 pages pinned (FOLL_PIN)\|=> direct I/O via iomap_dio_rw: 16 page references (FOLL_GET, not counted as pins)" /tmp/rd.txt
ok $? "the write's summary names its pins or references"
grep -qE 'left out [1-9][0-9]* syscall\(s\) on 9p mounts .*--include-9p' /tmp/rd.err
ok $? "the 9p syscalls left out are counted, with the option that shows them"
grep -q 'direct I/O via ?' /tmp/rd.txt; is $? 1 "no 'direct I/O via ?' tree"

# --include-9p: a read of a file on the 9p host mount is shown, not as direct I/O
R9=$DIOLAB_ROOT/README.md
"$DIOTRACE" --include-9p --json -o /tmp/9p.json -- dd if="$R9" of=/dev/null bs=4k count=1 status=none 2>/tmp/9p.err
ok $? "diotrace --include-9p ran"
t=$(jq -c --arg p "$R9" 'select(.type=="syscall" and .path==$p and .syscall=="read")' /tmp/9p.json | tail -n1)
[ -n "$t" ]; ok $? "--include-9p shows the read of $R9"
is "$(dt_field "$t" '.dio')" false "the 9p read is not direct I/O"
is "$(dt_field "$t" '[.notes[] | select(.kind=="direct")] | length')" 0 "and has no direct-I/O note"
# 6.12 reads 9p through netfs, which pins; 6.1's 9p client takes FOLL_GET references
is "$(dt_field "$t" '.pin_kind')" "$PIN_KIND" "the transport took the buffer with FOLL_$PIN_KIND"
if [ "$PIN_KIND" = PIN ]; then
	want="netfs's unbuffered read pinned the reader's buffer"
else
	want="the 9p client referenced the reader's buffer"
fi
n=$(jq --arg w "$want" '[.notes[] | select(.kind=="netfs" and (.text | contains($w)))] | length' <<<"$t")
is "$n" 1 "labelled: $want"
"$LABFS" --umount $M >/dev/null 2>&1
done_testing
