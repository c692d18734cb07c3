#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The workloads' command lines: a number that is not one is refused with
# exit 2 and a message naming the argument, before any file is touched
# (strtoll(..., NULL) used to read "12abc" as 12 and "abc" as 0).
. "$(dirname "$0")/../lib/host.sh"

B=build/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/ok"

refused() { # label want-message command...
	local label=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1 >/dev/null); rc=$?
	is "$rc" 2 "$label: exit 2"
	[[ "$out" == *"$want"* ]]
	ok $? "$label: says \"$want\""
	[[ "$out" == *"$want"* ]] || diag "got: $out"
}

refused "dioload write, offset 12abc" "dioload: offset '12abc' has a bad suffix" \
	$B/dioload write "$tmp/w" 12abc 4096 direct
[ ! -e "$tmp/w" ]; ok $? "... and the file was not created"
refused "dioload read, length abc" "dioload: length 'abc' is not a non-negative number" \
	$B/dioload read "$tmp/w" 0 abc
refused "dioload, misalign past a page" "dioload: misalign '4096' is larger than 4095" \
	$B/dioload write "$tmp/w" 0 4096 direct misalign 4096
[ ! -e "$tmp/w" ]; ok $? "... and the file was not created"
refused "dioload uring, offset -1" "dioload: offset '-1' is not a non-negative number" \
	$B/dioload uring "$tmp/w" -1 4096
refused "dioload loop, count 1e3" "dioload: count '1e3' has a bad suffix" \
	$B/dioload loop "$tmp/w" 1e3
refused "dioload loop, count 0" "dioload: loop needs at least one write of at least one byte" \
	$B/dioload loop "$tmp/w" 0
refused "dioload loop, a word after LEN" "dioload: loop takes 'buffered' or nothing after LEN, not 'direct'" \
	$B/dioload loop "$tmp/w" 10 4096 direct
refused "mmaprace, N 3x" "usage: mmaprace FILE N" $B/mmaprace "$tmp/w" 3x
refused "tapeio, record size 64q" "tapeio: record size '64q' has a bad suffix (use k, M or G)" \
	$B/tapeio -s 64q -n 1 write
refused "tapeio -m bogus" "tapeio: --mode is auto, direct, buffered or legacy, not 'bogus'" \
	$B/tapeio -m bogus -n 1 write
refused "tapeio -p bogus (-p is --mode's old name)" "tapeio: --mode is auto, direct, buffered or legacy, not 'bogus'" \
	$B/tapeio -p bogus -n 1 write
refused "tapestream, record size 1x" "tapestream: record size '1x' has a bad suffix" \
	$B/tapestream -r 1x /dev/null
# checked before narrowing to 32 bits: 2^32 + 1 used to become depth 1
refused "tapestream, depth 2^32 + 1" "tapestream: queue depth 4294967297 is outside 1..256" \
	$B/tapestream -m uring -q 4294967297 /dev/null
refused "tapestream, think time 2^32 + 1" "tapestream: think time 4294967297 is over 60 s" \
	$B/tapestream -t 4294967297 /dev/null
refused "tapeprobe, offset 0x" "tapeprobe: offset '0x' is not a non-negative number" \
	$B/tapeprobe -o 0x /dev/null write 4096
refused "tapeprobe op MTFOO" "tapeprobe: op is an MTIOCTOP name such as MTFSF or a number, not 'MTFOO'" \
	$B/tapeprobe /dev/null op MTFOO 1
refused "tapeprobe op, count 1.5" "tapeprobe: count '1.5' is not an int" \
	$B/tapeprobe /dev/null op MTFSF 1.5
refused "tapeprobe op, count past an int" "tapeprobe: count '2147483648' is not an int" \
	$B/tapeprobe /dev/null op MTFSF 2147483648
refused "tapeprobe -v 0" "tapeprobe: segments is 1 to 16, not 0" $B/tapeprobe -v 0 /dev/null write 1
refused "tapeprobe -v 17" "tapeprobe: segments '17' is larger than 16" $B/tapeprobe -v 17 /dev/null write 1
refused "tapeprobe, an unknown operation" "tapeprobe: the operation is read, write, aio-read" \
	$B/tapeprobe /dev/null frob 1
refused "tapeprobe splice-write past a pipe's 64 KiB" "tapeprobe: length '65537' is larger than 65536" \
	$B/tapeprobe /dev/null splice-write 65537
refused "tapeprobe ioctl, request 2^32" "tapeprobe: request '4294967296' is larger than 4294967295" \
	$B/tapeprobe /dev/null ioctl 4294967296
refused "tapefuzz, seconds 12x" "tapefuzz: --seconds '12x' has a bad suffix" $B/tapefuzz -s 12x
refused "tapefuzz, no threads" "tapefuzz: --threads must be at least 1" $B/tapefuzz -t 0
refused "tapefuzz, 5 threads" "tapefuzz: --threads '5' is larger than 4" $B/tapefuzz -t 5
refused "tapefuzz, records with calls" "tapefuzz: --records counts the model's records in a timed run: not with --calls or --model 0" $B/tapefuzz -r 10 -n 5
refused "tapefuzz, records without the model" "tapefuzz: --records counts the model's records in a timed run: not with --calls or --model 0" $B/tapefuzz -r 10 -M 0
refused "tapefuzz, model 2" "tapefuzz: --model '2' is larger than 1" $B/tapefuzz -M 2
refused "tapefuzz, a stray argument" "tapefuzz: unexpected argument 'now'" $B/tapefuzz now
# The host has no dtape: the message says how to load it.
refused "tapefuzz without dtape" "tapefuzz: dtape is not loaded; load it with at least 3 drives" \
	$B/tapefuzz -s 1
# make stress's front end, refused before any VM boots
refused "stress, 0 seconds" "stress: --seconds wants a whole number from 1 to 999999, not '0'" \
	scripts/stress --seconds 0
refused "stress, seed -1" "stress: --seed wants a whole number, not '-1'" scripts/stress --seed -1
refused "stress, a kernel not installed" "stress: no lab kernel matches '9.9'; installed:" \
	scripts/stress --kernel 9.9
refused "stress --bogus" "usage: scripts/stress [--kernel K] [--seconds N] [--seed N]" \
	scripts/stress --bogus
# unknown options, and a device or file that is not there
for w in tapeio tapestream tapeprobe tapefuzz; do
	refused "$w --bogus" "$B/$w: unrecognized option '--bogus'" $B/$w --bogus /dev/null
done
refused "dioload --bogus" "usage: dioload write|read FILE" $B/dioload --bogus
refused "tapeio, no such device" "tapeio: $tmp/none does not exist" $B/tapeio -f "$tmp/none" -n 1 write
refused "tapestream, no such device" "tapestream: $tmp/none does not exist" $B/tapestream "$tmp/none"
refused "tapeprobe, no such device" "tapeprobe: $tmp/none does not exist" $B/tapeprobe "$tmp/none" read 1
refused "tapeio, a regular file as the device" "tapeio: $tmp/ok is a regular file, not the dtape device" \
	$B/tapeio -f "$tmp/ok" -n 1 write
refused "dioload write into a missing directory" "$tmp/no/dir: No such file or directory" \
	$B/dioload write "$tmp/no/dir" 0 4096 direct
refused "dioload read of a missing file" "$tmp/none: No such file or directory" $B/dioload read "$tmp/none" 0 4096
# the same spelling means the same size to every workload
out=$($B/dioload write "$tmp/ok" 0 4k 2>&1)
is "$out" "ret=4096" "dioload takes 4k as 4096 bytes"
is "$(stat -c %s "$tmp/ok")" 4096 "... and wrote 4096 bytes"
done_testing
