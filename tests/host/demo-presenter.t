#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo's presenter mode, as a presenter drives it: PAUSE=1 holds each
# scene until Enter reaches the host's stdin, and the end of input lets the
# rest run on.  Bad SCENE values are refused before any VM boots.  Scene
# 3's kernel diff is recorded once and reused by the next demo.
. "$(dirname "$0")/../lib/host.sh"

for bad in 7 0 2,x 2,2 ','; do
	out=$(SCENE=$bad PAUSE=1 scripts/demo </dev/null 2>&1)
	rc=$?
	is "$rc" 2 "SCENE=$bad is refused (exit 2)"
	[[ $out == *"SCENE is a scene from 1 to 6, or a list such as SCENE=2,5"* && $out != *booting* ]]
	ok $? "... with a message naming the form, before booting ($out)"
done

# wait_for PATTERN SECONDS: until the demo's output shows PATTERN.
wait_for() {
	local i
	for ((i = 0; i < $2; i++)); do
		grep -q -e "$1" "$log" && return 0
		kill -0 "$demo" 2>/dev/null || return 1
		sleep 1
	done
	return 1
}

k=$(if [ -n "${KERNEL:-}" ]; then vm/kernels --match "$KERNEL"; else vm/kernels; fi | head -n 1)
other=$(vm/kernels | sort -V | tail -n 1)
mkdir -p build/tmp
# A recording directory of its own: scene 3's diff against the newest
# kernel must be recorded by this run, not found from an earlier one.
export DIOLAB_DEMO_DIR=$top/build/tmp/demo-presenter-rec
rm -rf "$DIOLAB_DEMO_DIR"
log=build/tmp/demo-presenter.out
keys=build/tmp/demo-presenter.keys
rm -f "$log" "$keys"
mkfifo "$keys"
start=$(date +%s)
# In its own session, so that a failed check can stop the VM with it.
KERNEL=$k PAUSE=1 SCENE=1,2,3 setsid scripts/demo <"$keys" >"$log" 2>&1 &
demo=$!
trap 'kill -- -$demo 2>/dev/null' EXIT
exec 3>"$keys"

wait_for '^-- press Enter for scene 2 --' 600
ok $? "$k: after scene 1 the demo asks for Enter ($(($(date +%s) - start)) s)"
grep -q '^==== Scene 1' "$log"
ok $? "... scene 1 ran first"
# Seconds, not milliseconds: a held scene must stay held.
sleep 5
! grep -q '^==== Scene 2' "$log" && kill -0 "$demo" 2>/dev/null
ok $? "... and scene 2 waits while nobody presses Enter"

echo >&3
wait_for '^-- press Enter for scene 3 --' 300
ok $? "Enter on the host's stdin starts scene 2, which then asks for scene 3"
grep -q '^==== Scene 2' "$log"
ok $? "... scene 2 ran"
! grep -q '^==== Scene 3' "$log"
ok $? "... scene 3 is held"

# The presenter's terminal goes away: nobody is left to press Enter.
exec 3>&-
wait_for '^==== Summary' 300
ok $? "the end of input lets the demo run on to its summary"
wait "$demo"
is "$?" 0 "... and exit 0"
is "$(grep -c '^==== Scene' "$log")" 3 "three scene banners, no more"
is "$(sed -n 's/^| \([0-9]\) | .*/\1/p' "$log" | tr '\n' ' ')" "1 2 3 " "the summary lists scenes 1, 2 and 3"
grep -q '^| 2 | O_DIRECT ext4 write: 16 pages pinned' "$log"
ok $? "scene 2 measured its pins in presenter mode"

# Scene 3 ends with the 6.1 vs 6.12 diff of its vfat write.
if [ "$other" = "$k" ]; then
	for c in "recorded first" "a diff" "pin kind" "summary" "kept" "second demo" "no second boot" "reused"; do
		skip "one lab kernel installed" "scene 3's kernel diff: $c"
	done
else
	grep -q "^== scene 3 compares $k with $other: recording $other's side first" "$log" &&
		[ -s "$DIOLAB_DEMO_DIR/$other/vfat-scene3.dtr" ]
	ok $? "before booting $k, the demo recorded scene 3 on $other"
	grep -q "^\$ diotrace diff --path /mnt/demo-vfat/old .*/$k/vfat-scene3.dtr .*/$other/vfat-scene3.dtr$" "$log"
	ok $? "scene 3 diffs its write against $other's, older kernel first"
	grep -q '^   ~ pages: 16 page references (FOLL_GET) → 16 pages pinned (FOLL_PIN)$' "$log" &&
		grep -q 'kiocb_invalidate_pages → filemap_invalidate_pages' "$log"
	ok $? "... naming the FOLL_GET → FOLL_PIN change and the inlined invalidation"
	grep -q "^| 3 | vfat overwrite via __blockdev_direct_IO.*; ${k%%-*} → ${other%%[-+]*}: 16 page references (FOLL_GET) → 16 pages pinned (FOLL_PIN) |$" "$log"
	ok $? "... and the summary says so"
	[ -s "$DIOLAB_DEMO_DIR/$k/vfat-scene3.dtr" ]
	ok $? "$k's own recording is kept for demos on $other"

	# A second demo, on the other kernel: the recording the first one kept
	# is its diff's other side, and no extra boot records it again.
	log2=build/tmp/demo-presenter-2.out
	KERNEL=$other PAUSE=0 SCENE=3 scripts/demo </dev/null >"$log2" 2>&1
	is "$?" 0 "a second demo, scene 3 on $other, exits 0"
	! grep -q "side first" "$log2" && [ ! -e "$DIOLAB_DEMO_DIR/record-$k.log" ]
	ok $? "... boots no other kernel first: $k's recording from the first demo is there"
	grep -q "^\$ diotrace diff --path /mnt/demo-vfat/old .*/$k/vfat-scene3.dtr .*/$other/vfat-scene3.dtr$" "$log2" &&
		grep -q '^   ~ pages: 16 page references (FOLL_GET) → 16 pages pinned (FOLL_PIN)$' "$log2"
	ok $? "... and diffs its write against that recording"
	[ "$_tap_failed" = 0 ] || tail -n 30 "$log2" | diag_stdin
fi
[ "$_tap_failed" = 0 ] || tail -n 40 "$log" | diag_stdin
rm -f "$keys"
done_testing
