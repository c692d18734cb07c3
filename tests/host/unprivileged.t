#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# A student's first hour on a shared machine, as users without root: the
# README's `make`, a labvm command, dtape and one diotrace trace; two users'
# VMs at once, machine slots that say when they are all taken; and a kernel
# image only root can read.
. "$(dirname "$0")/../lib/host.sh"

[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root to act as other users (setpriv)"; exit 0; }

# Throwaway uids that no account owns: setpriv needs no passwd entry.
uids=()
for u in $(seq 61000 61100); do
	getent passwd "$u" >/dev/null || uids+=("$u")
	[ ${#uids[@]} = 3 ] && break
done
U1=${uids[0]} U2=${uids[1]} U3=${uids[2]}

w=$(mktemp -d "${TMPDIR:-/tmp}/diolab-unpriv.XXXXXX")
chmod 755 "$w"
cleanup() {
	pkill -u "$U1,$U2,$U3" 2>/dev/null
	rm -rf "$w"
}
trap cleanup EXIT
# A student's clone: the working tree's files, not build/ or caches.
mkdir "$w/kit"
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf - | tar -xf - -C "$w/kit"
for u in "$U1" "$U2" "$U3"; do mkdir -p "$w/home-$u"; done
chown -R "$U1:$U1" "$w/kit" "$w/home-$U1"
chown "$U2:$U2" "$w/home-$U2"
chown "$U3:$U3" "$w/home-$U3"
mkdir -m 1777 "$w/slots"

# as UID CMD...: a clean login-like environment without sbin in PATH.
as() {
	local u=$1
	shift
	env -i HOME="$w/home-$u" USER="u$u" LOGNAME="u$u" TERM=dumb LANG=C.UTF-8 \
		PATH=/usr/local/bin:/usr/bin:/bin DIOLAB_VM_SLOT_DIR="$w/slots" DIOLAB_VM_SLOTS=2 \
		setpriv --reuid="$u" --regid="$u" --clear-groups -- "$@"
}
k61=$(vm/kernels --match 6.1) k612=$(vm/kernels --match 6.12)

# --- the README's first command
cd "$w/kit"
as "$U1" make >"$w/make.log" 2>&1
rc=$?
is "$rc" 0 "make builds as a user without root (no sbin in PATH)"
[ "$rc" = 0 ] || tail -n 20 "$w/make.log" | diag_stdin
for k in $k61 $k612; do
	[ -f "build/modules/$k/dtape.ko" ]
	ok $? "... dtape.ko for $k"
done
[ -x build/bin/diotrace ]
ok $? "... and diotrace"

# --- a labvm command: the guest is root, has sbin in its PATH, and runs
# dtape and one diotrace trace as the README shows them (one boot)
script='set -e
uname -r; id -u; for c in modprobe insmod bpftool; do command -v $c; done
vm/guest/labfs ext4 /mnt/x >/dev/null
dd if=/dev/zero of=/mnt/x/f bs=64k count=1 status=none
build/bin/diotrace --json -o build/unpriv.json --path /mnt/x -- \
	dd if=/dev/zero of=/mnt/x/f bs=64k count=1 oflag=direct conv=notrunc status=none
insmod build/modules/$(uname -r)/dtape.ko
mt -f /dev/ndtape0 status | head -n 1'
out=$(as "$U1" vm/labvm --kernel 6.12 --timeout 600 -- bash -c "$script" 2>"$w/err")
rc=$?
is "$rc" 0 "labvm boots for a user without root"
[ "$rc" = 0 ] || tail -n 20 "$w/err" | diag_stdin
is "$(sed -n 1p <<<"$out")" "$k612" "... the chosen kernel"
is "$(sed -n 2p <<<"$out")" 0 "... and the command is root inside the guest"
is "$(sed -n '3,5p' <<<"$out" | xargs -n1 basename 2>/dev/null | tr '\n' ' ')" "modprobe insmod bpftool " \
	"... with modprobe, insmod and bpftool on the guest's PATH"
is "$(sed -n '6,$p' <<<"$out")" "SCSI 2 tape drive:" \
	"labfs, diotrace, insmod and mt run in the guest for a user without root: mt talks to the dtape it loaded"
root=$(jq -c 'select(.type=="syscall" and .path=="/mnt/x/f" and .syscall=="write")' build/unpriv.json 2>/dev/null | tail -n 1)
is "$(jq -r '.o_direct' <<<"$root" 2>/dev/null)" true "... diotrace rooted the O_DIRECT write() at /mnt/x/f"
is "$(jq -r '[.dio, .pages_pinned] | @tsv' <<<"$root" 2>/dev/null)" "$(printf 'true\t16')" \
	"... down the direct path, with its 16 pages pinned"
[ "$(stat -c %u build/unpriv.json 2>/dev/null)" = "$U1" ]
ok $? "... and the JSON the guest wrote belongs to the student"

# --- the workshop demo and a lab, as the README and labs/README.md say
as "$U1" env SCENE=1 KERNEL=6.12 make demo >"$w/demo.out" 2>&1
rc=$?
is "$rc" 0 "SCENE=1 make demo runs for a user without root"
[ "$rc" = 0 ] || tail -n 20 "$w/demo.out" | diag_stdin
grep -q '^| 1 | buffered ext4 write: 0 pages pinned' "$w/demo.out"
ok $? "... and prints its scene's summary"
as "$U1" make -C labs/00-getting-started run KERNEL=6.12 >"$w/lab.out" 2>&1
rc=$?
is "$rc" 0 "make -C labs/00-getting-started run boots the VM for a user without root"
[ "$rc" = 0 ] || tail -n 20 "$w/lab.out" | diag_stdin
# The student's answers, read from the student's own trace.
(
	DIOLAB_ROOT=$w/kit
	. tests/lib/labs.sh
	LW=$w/kit/labs/00-getting-started/work
	solve_00
)
chown "$U1:$U1" labs/00-getting-started/work/answers.txt 2>/dev/null
out=$(as "$U1" make -s -C labs/00-getting-started check 2>&1)
rc=$?
is "$rc:$(tail -n 1 <<<"$out")" "0:Score: 10/10" "... and its check grades the student's run at full score"
[ "$rc" = 0 ] || diag_stdin <<<"$out"

# --- two users at once, a user's own second VM waits, and full slots say so
as "$U1" vm/labvm --kernel 6.1 --timeout 300 -- sleep 20 >/dev/null 2>&1 &
p1=$!
as "$U2" vm/labvm --kernel 6.1 --timeout 300 -- sleep 20 >/dev/null 2>&1 &
p2=$!
held=0
for _ in $(seq 120); do
	held=0
	for s in "$w"/slots/slot-0 "$w"/slots/slot-1; do
		[ -e "$s" ] && ! flock -n "$s" true && held=$((held + 1))
	done
	[ "$held" = 2 ] && break
	sleep 0.5
done
is "$held" 2 "two users run a lab VM each at the same time"
# --wait-slot: when the first VM ends, the third user's waiting VM below
# may take its slot before the second user's frees one (seen in a run).
as "$U1" vm/labvm --kernel 6.1 --timeout 300 --wait-slot -- true >/dev/null 2>"$w/err-self" &
pself=$!
start=$(date +%s)
as "$U3" vm/labvm --kernel 6.1 --timeout 60 -- true >/dev/null 2>"$w/err3"
rc=$?
took=$(($(date +%s) - start))
is "$rc" 125 "a third user finds every slot taken: exit 125"
grep -q 'all 2 lab VM slots on this machine are in use' "$w/err3"
ok $? "... with a message that says so and when to retry"
ok "$([ "$took" -lt 30 ] && echo 0 || echo 1)" "... at once, without booting (took ${took}s)"
as "$U3" vm/labvm --kernel 6.1 --timeout 300 --wait-slot -- true >/dev/null 2>"$w/err3w" &
pwait=$!
wait "$p1"
is "$?" 0 "the first user's VM finished"
wait "$p2"
is "$?" 0 "the second user's VM finished"
wait "$pself"
is "$?" 0 "the first user's second VM waited for the first, then ran"
grep -q 'waiting for your other lab VM' "$w/err-self"
ok $? "... saying what it waited for"
wait "$pwait"
is "$?" 0 "with --wait-slot, the third user waits for a free slot, then runs"
grep -q 'slots are in use; waiting for one' "$w/err3w"
ok $? "... saying what it waits for"

# --- a kernel image only root can read (Ubuntu's 0600)
mkdir "$w/boot"
cp "/boot/vmlinuz-$k612" "$w/boot/"
chmod 600 "$w/boot/vmlinuz-$k612"
out=$(as "$U1" env DIOLAB_BOOT="$w/boot" DIOLAB_CACHE="$w/home-$U1/cache2" \
	vm/labvm --kernel 6.12 --timeout 300 -- uname -r 2>"$w/err")
rc=$?
is "$rc:$out" "0:$k612" "an unreadable /boot/vmlinuz is taken from its package, no root needed"
[ "$rc" = 0 ] || tail -n 10 "$w/err" | diag_stdin
grep -q "using a copy from package linux-image-" "$w/err"
ok $? "... and labvm says so in one line"
done_testing
