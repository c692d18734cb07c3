#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace's interface: --list, clear errors (no root, no BTF, bad PID),
# record/report without root, --dot and --summary.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-cli
mkdir -p $M
check "labfs ext4" "$LABFS" ext4 $M
dd if=/dev/zero of=$M/f.bin bs=64k count=1 status=none
sync

# --list: the resolution table, with reasons
list=$("$DIOTRACE" --attach fentry --list 2>&1)
ok $? "--list exits 0"
grep -qE '^vfs_write +vfs +fentry +vfs_write' <<<"$list"; ok $? "--list: vfs_write attached with fentry"
grep -qE '^do_direct_IO +.* inlined .*inlined into its callers' <<<"$list"; ok $? "--list: do_direct_IO reported as inlined"
grep -qE '\+ kprobe [A-Za-z0-9_]+\.part\.0' <<<"$list"; ok $? "--list: a .part.0 clone gets an extra kprobe"
grep -qE 'not in kallsyms \(inlined, or absent in this kernel\)' <<<"$list"
ok $? "--list: explains why a candidate was rejected"
grep -qE '^FOLL_\* decoding: ' <<<"$list"; ok $? "--list: says where FOLL_* values come from"

# clear errors
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$DIOTRACE" 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'must run as root' <<<"$out"; ok $? "without root: exit 1 and says root is needed"
out=$("$DIOTRACE" --btf /nonexistent/vmlinux 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'no kernel BTF' <<<"$out"; ok $? "without BTF: exit 1 and names BTF ($out)"
out=$("$DIOTRACE" -p 999999 2>&1); rc=$?
[ $rc = 1 ] && grep -q 'no such process: 999999' <<<"$out"; ok $? "bad PID: exit 1, 'no such process'"

# record as root, report as nobody: the same tree as a live run
"$DIOTRACE" record -o /tmp/dt.rec -- "$DIOLOAD" write $M/f.bin 0 65536 direct >/dev/null 2>&1
ok $? "record ran"
# the live run below must start from the same page-cache state
dd if=/dev/zero of=$M/f.bin bs=64k count=1 conv=notrunc status=none
sync
chmod 644 /tmp/dt.rec
rep=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$DIOTRACE" report --json /tmp/dt.rec 2>/dev/null)
ok $? "report works without root"
# One live session gives the JSON trees and the --chrome-trace timeline.
DT_CHROME=/tmp/dt-live.json dt_trace "$DIOLOAD" write $M/f.bin 0 65536 direct
live=$(dt_tree $M/f.bin pwrite64)
printf '%s\n' "$rep" >/tmp/rep.json
DT_OUT=/tmp/rep.json dt_tree $M/f.bin pwrite64 >/tmp/rep.tree
# Both empty would be equal too: the chain must be a real direct write's.
dt_chain_ok "the recorded write reached the direct path" "$(cat /tmp/rep.tree)" \
	iomap_dio_rw "$PIN_FN" submit_bio
is "$(jq -c .chain /tmp/rep.tree)" "$(jq -c .chain <<<"$live")" "report shows the same chain as a live trace"
txt=$("$DIOTRACE" report --path $M /tmp/dt.rec 2>/dev/null)
grep -q 'iomap_dio_rw' <<<"$txt"; ok $? "report renders the text tree"
lines=$(grep -c . <<<"$txt")
[ "$lines" -le 30 ]; ok $? "a 64 KiB O_DIRECT write is a short tree ($lines lines)"

dot=$("$DIOTRACE" report --dot --path $M /tmp/dt.rec 2>/dev/null)
grep -q '^digraph' <<<"$dot" && grep -q 'iomap_dio_rw' <<<"$dot"; ok $? "--dot emits a digraph"
if command -v dot >/dev/null; then
	dot -Tsvg <<<"$dot" >/dev/null 2>&1; ok $? "graphviz accepts the --dot output"
fi
sum=$("$DIOTRACE" report --summary --path $M /tmp/dt.rec 2>/dev/null)
grep -q 'write O_DIRECT -> direct (iomap)' <<<"$sum"; ok $? "--summary groups by path"
grep -qE '^iomap_dio_rw +1 ' <<<"$sum"; ok $? "--summary counts per function"

# Whether this machine's CPU is emulated, as diotrace asks the CPU (the
# hypervisor leaf of CPUID); QEMU also names its TCG CPU model so, which
# /proc/cpuinfo shows: under KVM the model is the host's.
if grep -q '^model name.*QEMU TCG CPU' /proc/cpuinfo; then want='[true,"tcg"]'; else want='[false,"kvm"]'; fi
is "$(jq -c 'select(.type=="end") | [.emulated, .accel]' "$DT_OUT")" "$want" \
	"the end object says whether the CPU was emulated ($(grep -m1 '^model name' /proc/cpuinfo | cut -c14-))"
is "$(jq -c 'select(.type=="end") | [.emulated, .accel]' /tmp/rep.json)" "$want" "... and so does the recording"
is "$(jq -c 'select(.type=="end") | .schema' "$DT_OUT")" 2 "... in schema 2"

# --chrome-trace, live (the session above): a timeline that passes the
# format check
[ -s /tmp/dt-live.json ]
ok $? "--chrome-trace writes its timeline beside --json's trees in a live run"
res=$("$DIOLAB_ROOT/tests/lib/chrome-trace-check" /tmp/dt-live.json 2>&1)
[[ "$res" == "ok "* ]]; ok $? "... a timeline that passes the format check (${res:0:60})"
[[ "$res" == "ok "* ]] || diag_stdin <<<"$res"
is "$(jq -r --arg n "pwrite64 $M/f.bin" '.traceEvents as $e | [$e[] | select(.ph == "X" and .name == $n)][0] as $w
	| [$e[] | select(.ph == "X" and .tid == $w.tid and .name == "iomap_dio_rw" and .ts >= $w.ts
	  and .ts + .dur <= $w.ts + $w.dur)] | length' /tmp/dt-live.json)" 1 \
	"... the O_DIRECT pwrite64 is a slice, with iomap_dio_rw nested in it"
is "$(jq -c '.otherData | [.emulated, .accel]' /tmp/dt-live.json)" "$want" "... which says whether the CPU was emulated"
grep -q "timeline written to /tmp/dt-live.json" /tmp/dt-cmd.err; ok $? "... and says where it went"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
