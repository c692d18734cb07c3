#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace's --depth and --read filters.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-cli
mkdir -p $M
check "labfs ext4" "$LABFS" ext4 $M
dd if=/dev/zero of=$M/f.bin bs=64k count=1 status=none
sync

# --depth and --read/--write
"$DIOTRACE" --json --depth 2 -o /tmp/d2.json -- "$DIOLOAD" write $M/f.bin 0 4096 direct >/dev/null 2>&1
is "$(jq -s '[.[] | select(.type=="syscall") | .. | objects | .depth? // empty] | max' /tmp/d2.json)" 2 \
	"--depth 2 stops at depth 2"
"$DIOTRACE" --json --read -o /tmp/rd.json -- sh -c "$DIOLOAD write $M/f.bin 0 4096 direct; $DIOLOAD read $M/f.bin 0 4096 direct" >/dev/null 2>&1
is "$(jq -r 'select(.type=="syscall" and .path=="'$M/f.bin'") | .syscall' /tmp/rd.json | sort -u | tr '\n' ' ')" "pread64 " \
	"--read traces only reads"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
