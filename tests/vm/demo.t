#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo inside the lab VM: every scene prints what it promises (pins, a
# fallback note, refaults, FOLL_GET refs invisible to vmstat, stalls) and
# the summary table.  The whole walkthrough runs on 6.12 only (it takes
# minutes under TCG); 6.1 replays one scene with SCENE=3.
. "$DIOLAB_ROOT/tests/lib/guest.sh"

m() { sed -n "s/^| $1 | \(.*\) |$/\1/p" /tmp/demo.out; }
# Recordings of its own: both kernels' suites run at once, and a diff that
# depends on which one got there first would make the output vary.
export DIOLAB_DEMO_DIR=/tmp/demo-recordings
if [[ $(uname -r) == 6.12* ]]; then
	start=$(date +%s)
	DIOLAB_DEMO_PAUSE=0 "$DIOLAB_ROOT/scripts/demo" --in-guest >/tmp/demo.out 2>&1
	ok $? "the demo ran all six scenes ($(($(date +%s) - start)) s)"
	is "$(grep -c '^==== Scene' /tmp/demo.out)" 6 "six scene banners"
	grep -q '^==== Summary' /tmp/demo.out; ok $? "a summary table at the end"
	[[ "$(m 1)" =~ ^buffered\ ext4\ write:\ 0\ pages\ pinned,\ 0\ bios\ from\ the\ writer,\ 16\ pages\ now\ cached$ ]]
	ok $? "scene 1: no pins, no bio, 16 cached ($(m 1))"
	[[ "$(m 2)" =~ ^O_DIRECT\ ext4\ write:\ 16\ pages\ pinned,\ 1\ bio,\ 16\ cached\ pages\ dropped\ \(16\ -\>\ 0\)$ ]]
	ok $? "scene 2: 16 pinned, a bio, invalidation ($(m 2))"
	[[ "$(m 3)" == "vfat overwrite via __blockdev_direct_IO (16 pages pinned); extending write fallback=true: fat_direct_IO returned 0"* ]]
	ok $? "scene 3: __blockdev_direct_IO, then the fallback and its reason ($(m 3))"
	[[ "$(m 4)" =~ ^[1-9][0-9]*\ unmap\ notes,\ ([2-9]|[1-9][0-9]+)\ pages\ dropped,\ [1-9][0-9]*\ refaults\ by\ the\ mapper\;\ it\ then\ read\ \'after:\ page0=Z\ page1=Z\'$ ]]
	ok $? "scene 4: unmap, drop, refault ($(m 4))"
	[[ "$(m 5)" =~ ^tar\ pinned\ [1-9][0-9]*\ pages\;\ 8\ x\ 64\ KiB\ direct:\ 128\ pins,\ vmstat\ \+(1[2-9][0-9]|[2-9][0-9][0-9])\;\ buffered:\ 0\ pins\;\ legacy:\ 128\ FOLL_GET\ refs,\ vmstat\ \+0$ ]]
	ok $? "scene 5: tar pinned; direct pins counted by vmstat, legacy FOLL_GET refs not ($(m 5))"
	# The model's numbers: a synchronous writer stalls before every record
	# but the first (it thinks 10 ms after each completion, the grace is
	# 0.2 ms); eight queued records keep 3.7 s of tape in hand.
	[[ "$(m 6)" == "12 records of 512 KiB with 10 ms think time: sync stalled 11 times, io_uring q=8 stalled 0 times" ]]
	ok $? "scene 6: sync stalls on 11 of 12 records, io_uring never ($(m 6))"
	[ "$_tap_failed" = 0 ] || tail -n 80 /tmp/demo.out | diag_stdin
else
	DIOLAB_DEMO_SCENE=3 "$DIOLAB_ROOT/scripts/demo" --in-guest >/tmp/demo.out 2>&1
	ok $? "SCENE=3 replays one scene"
	is "$(grep '^==== Scene' /tmp/demo.out)" "==== Scene 3: vfat: the 2.6 path, and a silent fallback" "only scene 3 ran"
	[[ "$(m 3)" == "vfat overwrite via __blockdev_direct_IO (16 pages pinned); extending write fallback=true: fat_direct_IO returned 0"* ]]
	ok $? "scene 3 on $(uname -r): __blockdev_direct_IO and the fallback ($(m 3))"
	[ "$_tap_failed" = 0 ] || tail -n 40 /tmp/demo.out | diag_stdin
fi
grep -q '^(no scene 3 recording from another lab kernel in /tmp/demo-recordings: make demo records one when two are installed)$' /tmp/demo.out
ok $? "with no other kernel's recording, scene 3 says how to get its diff"
"$DIOLAB_ROOT/build/bin/diotrace" report --path /mnt/demo-vfat/old "/tmp/demo-recordings/$(uname -r)/vfat-scene3.dtr" 2>/dev/null |
	grep -q '^#1 dd\[.*write(fd=1 /mnt/demo-vfat/old, 65536 bytes) O_DIRECT = 65536'
ok $? "... and keeps its own recording of the vfat write for the other kernel's demo"
dmesg_clean_ok "the demo"
done_testing
