#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace on the build host, whose kernel refuses fentry and has no kprobes:
# it must degrade to tracepoints, say what is lost, and still root a tree
# per syscall with the block layer's bio underneath.
. "$(dirname "$0")/../lib/host.sh"
D=build/bin/diotrace
[ -x $D ] || { echo "1..0 # SKIP diotrace not built"; exit 0; }

# diotrace diff reads recordings: no root, no BPF.
data=tests/unit/data
out=$($D diff $data/vfat-6.1.dtr $data/vfat-6.12.dtr 2>&1); rc=$?
is "$rc" 1 "diff 6.1 vs 6.12 (vfat): differences, exit 1"
grep -qF '~ get_user_pages_fast → pin_user_pages_fast = 16' <<<"$out" &&
	grep -qF '[FOLL_GET 16 pages → FOLL_PIN 16 pages]' <<<"$out"
ok $? "... names the FOLL_GET -> FOLL_PIN change"
grep -qF 'kiocb_invalidate_pages: attached on B (fentry) but never called: inlined into generic_file_direct_write' <<<"$out"
ok $? "... and kiocb_invalidate_pages, a call on 6.1, inlined on 6.12"
out=$($D diff $data/vfat-6.12.dtr $data/vfat-6.12.dtr 2>&1); rc=$?
is "$rc" 0 "diff of a recording with itself: exit 0"
is "$out" "diotrace diff: no differences (27 syscall(s) paired: the same steps, attach methods, pins and notes)" \
	"... and it says so in one line"
out=$($D diff $data/vfat-6.1.dtr $data/dtape-uring-6.12.dtr 2>&1); rc=$?
is "$rc" 65 "diff of a vfat write and a dtape io_uring write: exit 65"
[[ $(wc -l <<<"$out") = 1 && "$out" == "diotrace diff: A and B trace different operations: "* ]]
ok $? "... said in one line ($(cut -c1-70 <<<"$out")...)"
out=$($D diff --path /usr $data/vfat-6.12.dtr $data/vfat-6.1.dtr 2>&1); rc=$?
is "$rc" 65 "diff of reads (--path /usr) and writes: exit 65"
j=$($D diff --json $data/vfat-6.1.dtr $data/vfat-6.12.dtr 2>/dev/null)
is "$(jq -r '.pairs[0] | [.pages[0].foll_get, .pages[1].foll_pin] | @tsv' <<<"$j")" "$(printf '16\t16')" \
	"--json parses with jq: 16 references on A, 16 pins on B"
is "$(jq -r '[.pairs[0] | .. | objects | select(.step? == "get_user_pages_fast") | .foll | join(">")] | first' <<<"$j")" \
	"GET>PIN" "--json: the pinning step changed from GET to PIN"
is "$(jq -r '[.pairs[0] | .. | objects | select(.step? == "kiocb_invalidate_pages")] | first | [.mark, .fn[1]] | @tsv' <<<"$j")" \
	"$(printf 'replaced\tfilemap_invalidate_pages')" "--json: kiocb_invalidate_pages replaced by filemap_invalidate_pages"
$D report --json -o build/dt-diff-a.json $data/vfat-6.1.dtr 2>/dev/null
$D report --json -o build/dt-diff-b.json $data/vfat-6.12.dtr 2>/dev/null
is "$($D diff build/dt-diff-a.json build/dt-diff-b.json | grep -c '^#')" 4 "diff reads --json files too"
rm -f build/dt-diff-a.json build/dt-diff-b.json
s=$($D diff --seed --json $data/vfat-6.12.dtr); rc=$?
is "$rc" 0 "diff --seed on the 6.12 vfat trace"
is "$(jq -r '[.steps[] | select(.today == null or .today == "")] | length' <<<"$s")" 0 \
	"--seed: every 2.6 name maps to a step of today"
is "$(jq -r '.steps[] | select(.seed == "generic_file_direct_IO") | .gone' <<<"$s")" true \
	"--seed: generic_file_direct_IO is gone"
is "$(jq -r '.steps[] | select(.seed == "get_user_pages") | .fn' <<<"$s")" pin_user_pages_fast \
	"--seed: get_user_pages is pin_user_pages_fast on 6.12"
for a in "diff" "diff $data/vfat-6.1.dtr" "diff --bogus a b" "diff a b c"; do
	# shellcheck disable=SC2086
	$D $a >/dev/null 2>&1; is "$?" 64 "diotrace $a: usage error (exit 64)"
done
$D diff /nonexistent.dtr $data/vfat-6.1.dtr 2>/dev/null; is "$?" 66 "diff of a missing file: exit 66"
$D diff README.md $data/vfat-6.1.dtr 2>/dev/null; is "$?" 66 "diff of a file that is no recording: exit 66"
# docs/diotrace.md shows real output: it must still be what diff prints
doc_block() { # the indented block under the line "    $ CMD"
	awk -v c="    \$ $1" '$0 == c { on = 1; next } on && /^[^ ]/ { exit } on { print substr($0, 5) }' \
		docs/diotrace.md
}
want=$(doc_block "diotrace diff --path /tmp/vf/d.bin $data/vfat-6.1.dtr $data/vfat-6.12.dtr")
got=$($D diff --path /tmp/vf/d.bin $data/vfat-6.1.dtr $data/vfat-6.12.dtr | head -n 32 | sed 's/ *$//')
is "$got" "$(sed '$d' <<<"$want" | sed '$d')" "docs/diotrace.md's diff example is what diff prints"
want=$(doc_block "diotrace diff --seed $data/vfat-6.12.dtr")
is "$($D diff --seed $data/vfat-6.12.dtr | sed 's/ *$//')" "$want" "docs/diotrace.md's --seed example is what it prints"
# A refault has only an inode; --path knows its file from the write that
# dropped the page.  Lab 03 traced a mapper of map.bin and ~100 of race.bin.
for k in 6.1 6.12; do
	rec=labs/03-mmap-invalidation/recordings/$k/mmap.dtr.gz
	all=$($D report "$rec" 2>/dev/null | grep -c '^refault: ')
	map=$($D report --path /mnt/lab03/map.bin "$rec" 2>/dev/null | grep '^refault: ')
	[ "$all" -gt 10 ] && [ -n "$map" ] && ! grep -qv '^refault: dioload\[' <<<"$map"
	ok $? "$k: report --path keeps the refaults of that file only ($(grep -c . <<<"$map") of $all)"
done
gz=$(find labs -path "*/recordings/6.12/*.dtr.gz" | sort | head -n1)
$D diff "$gz" "$gz" >/dev/null 2>&1; is "$?" 0 "diff reads gzipped recordings ($gz)"

if [ "$(id -u)" != 0 ]; then
	skip "needs root" "tracing on the host"
	done_testing
	exit
fi

list=$($D --list 2>&1)
rc=$?
if [ $rc != 0 ] && grep -q 'no kernel BTF' <<<"$list"; then
	skip "host kernel has no BTF" "tracing on the host"
	done_testing
	exit
fi
ok $rc "--list runs on the host kernel"
if grep -q 'fentry yes' <<<"$list"; then
	diag "this host allows fentry: the degraded path is not exercised here"
else
	grep -q 'only tracepoints attach' <<<"$list"; ok $? "--list says only tracepoints attach, and what is lost"
	grep -qE '^submit_bio +bio +tracepoint +block/block_bio_queue' <<<"$list"
	ok $? "submit_bio falls back to the block_bio_queue tracepoint"
fi

f=$(mktemp -p "$top/build" dt-host.XXXXXX)
dd if=/dev/zero of="$f" bs=64k count=1 status=none
sync
$D --json -o build/dt-host.json -- dd if=/dev/zero of="$f" bs=64k count=1 oflag=direct conv=notrunc \
	status=none 2>build/dt-host.err
ok $? "diotrace traces dd on the host"
t=$(jq -c --arg p "$f" 'select(.type=="syscall" and .path==$p and .syscall=="write")' build/dt-host.json | tail -n1)
is "$(jq -r '[.o_direct, .ret] | @tsv' <<<"$t")" "$(printf 'true\t65536')" "the O_DIRECT write() is rooted with its path"
if ! grep -q 'fentry yes' <<<"$list"; then
	is "$(jq -r '[.calls[] | select(.tp=="block_bio_queue") | .args.size] | add' <<<"$t")" 65536 \
		"the 64 KiB bio shows up from the tracepoint"
fi
is "$(jq -r 'select(.type=="end") | .lost' build/dt-host.json)" 0 "no events lost"
# emulated or not, asked of the CPU: bare metal has no hypervisor bit (the
# kernel's "hypervisor" flag), and then nothing is emulated
end=$(jq -c 'select(.type=="end") | [.emulated, .accel]' build/dt-host.json)
if grep -qw hypervisor /proc/cpuinfo; then
	[[ "$end" != '[false,"none"]' && "$end" =~ ^\[(true|false|null),\"[a-z]+\"\]$ ]]
else
	[ "$end" = '[false,"none"]' ]
fi
ok $? "the end object says whether this host's CPU is emulated ($end)"
# and a timeline of the same run, live
$D --chrome-trace build/dt-host-chrome.json -o /dev/null -- dd if=/dev/zero of="$f" bs=64k count=1 \
	oflag=direct conv=notrunc status=none 2>/dev/null
res=$(tests/lib/chrome-trace-check build/dt-host-chrome.json 2>&1)
[[ "$res" == "ok "* ]]; ok $? "--chrome-trace live on the host: a timeline that passes the format check (${res:0:50})"
is "$(jq --arg n "write $f" '[.traceEvents[] | select(.ph == "X" and .name == $n)] | length' build/dt-host-chrome.json)" 1 \
	"... with dd's O_DIRECT write as a slice"
is "$(jq -c '.otherData | [.emulated, .accel]' build/dt-host-chrome.json)" "$end" "... and says the same of the CPU"
rm -f build/dt-host-chrome.json

# The lab VM is where every step attaches: the host run says how to get
# there, with this very command line, quoted for the shell.
vmcmd="$top/vm/labvm -- $top/build/bin/diotrace --json -o build/dt-host.json -- dd if=/dev/zero of=$f bs=64k count=1 oflag=direct conv=notrunc status=none"
if ! grep -q 'fentry yes' <<<"$list"; then
	grep -qxF "  $vmcmd" build/dt-host.err
	ok $? "tracepoint-only mode prints the same command for the lab VM"
	grep -qxF "  $vmcmd" build/dt-host.err || { diag "want: $vmcmd"; diag_stdin <build/dt-host.err; }
fi
$D --path "/mnt/x y" -n 1 -- true 2>build/dt-host2.err >/dev/null
grep -qF -- "-- $top/build/bin/diotrace --path '/mnt/x y' -n 1 -- true" build/dt-host2.err ||
	grep -q 'fentry yes' <<<"$list"
ok $? "arguments with spaces are quoted for the shell"

# Without root: the report hint and the lab VM, side by side.
home=$(mktemp -d)
chmod 755 "$home"
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$top/$D"; then
	HOME=$home setpriv --reuid=65534 --regid=65534 --clear-groups "$top/$D" -- dd if=/dev/zero of=/mnt/x/f bs=64k \
		>/dev/null 2>build/dt-host3.err
	is $? 1 "as nobody: diotrace refuses to trace"
	grep -q 'Without root, render a recording: diotrace report FILE' build/dt-host3.err
	ok $? "as nobody: says how to render a recording"
	grep -qxF "  $top/vm/labvm -- $top/build/bin/diotrace -- dd if=/dev/zero of=/mnt/x/f bs=64k" build/dt-host3.err
	ok $? "as nobody: and how to run the same command in the lab VM"
else
	for d in "refuses to trace" "report hint" "lab VM hint"; do
		skip "build/bin/diotrace is not executable by uid 65534 (a parent directory is closed)" "as nobody: $d"
	done
fi
rm -rf "$home"
rm -f "$f" build/dt-host2.err build/dt-host3.err
# -n, -d and --depth refuse what is not a number, before anything is loaded
for a in "-n 3x" "-n 0" "-d abc" "-d 0" "-d 1.5s" "--depth 2x" "--ringbuf-kb 3" "--ringbuf-kb 6" "--ringbuf-kb 2097152"; do
	# shellcheck disable=SC2086
	out=$($D $a -- true 2>&1); rc=$?
	is "$rc" 64 "diotrace $a: usage error (exit 64)"
	[[ "$out" == *"diotrace: invalid "*": ${a#* }"* ]]
	ok $? "... naming the bad value ($(head -n1 <<<"$out"))"
done
# A file that cannot be read or written: sysexits' codes, as diff's, and
# for a live trace before anything is loaded or started.
$D report /nonexistent.dtr 2>/dev/null; is "$?" 66 "report of a missing file: exit 66"
$D report README.md 2>/dev/null; is "$?" 66 "report of a file that is no recording: exit 66"
for a in "report -o /nonexistent/x $data/vfat-6.1.dtr" "report --chrome-trace /nonexistent/x $data/vfat-6.1.dtr" \
	"-o /nonexistent/x -- touch build/tmp/dt-ran" "record -o /nonexistent/x.dtr -- touch build/tmp/dt-ran" \
	"--chrome-trace /nonexistent/x.json -- touch build/tmp/dt-ran"; do
	rm -f build/tmp/dt-ran
	# shellcheck disable=SC2086
	out=$($D $a 2>&1 >/dev/null); rc=$?
	p=${a#*/nonexistent/} p=/nonexistent/${p%% *}
	is "$rc:$out" "73:diotrace: cannot write $p: No such file or directory" "diotrace $a: exit 73, naming the file"
	[ ! -e build/tmp/dt-ran ]; ok $? "... and the command did not run"
done

# module/dtape_abi.h names each path and fallback once; the trace format
# (dtape_trace.h's __print_symbolic tables, literals by necessity) and
# dtape.bt's tables are copies, and must map each value to the same name.
mkdir -p build/tmp
{
	echo '#include <stdio.h>'
	echo '#include "module/dtape_abi.h"'
	echo 'static const char *const path[] = DTAPE_PATH_NAMES, *const why[] = DTAPE_FALLBACK_NAMES;'
	echo 'int main(void) {'
	echo 'for (int i = 0; i < DTAPE_NR_PATHS; i++) printf("path %d %s\n", i, path[i]);'
	echo 'for (int i = 0; i < DTAPE_NR_FALLBACKS; i++) printf("why %d %s\n", i, why[i]);'
	# each { DTAPE_X, "name" } pair of the trace format, by the constant's value
	sed -n 's/.*{ \(DTAPE_PATH_[A-Z_]*\), "\([a-z_]*\)" }.*/printf("path %d \2\\n", \1);/p;
		s/.*{ \(DTAPE_FALLBACK_[A-Z_]*\), "\([a-z_]*\)" }.*/printf("tp-why %d \2\\n", \1);/p' module/dtape_trace.h |
		sed 's/printf("path/printf("tp-path/'
	echo 'return 0; }'
} >build/tmp/abi-names.c
abi=$(cc -std=c11 -I. -o build/tmp/abi-names build/tmp/abi-names.c 2>&1 && build/tmp/abi-names)
names() { grep "^$1 " <<<"$abi" | cut -d' ' -f2- | sort -n | tr '\n' ' '; }
[ -n "$(names path)" ] && [ "$(names why | wc -w)" -ge 8 ]
ok $? "dtape_abi.h's names compile and print ($(names path)| $(names why))"
is "$(names tp-path)" "$(names path)" "dtape_trace.h's path names are dtape_abi.h's"
is "$(names tp-why)" "$(names why)" "dtape_trace.h's fallback names are dtape_abi.h's"
bt_all() { grep -o "@$1\[[0-9]*\] = \"[a-z_]*\"" bpf/bpftrace/dtape.bt | sed 's/@[a-z]*\[\([0-9]*\)\] = "\(.*\)"/\1 \2/' | sort -n | tr '\n' ' '; }
is "$(bt_all path)" "$(names path)" "dtape.bt's path names are dtape_abi.h's"
is "$(bt_all why)" "$(names why)" "dtape.bt's fallback names are dtape_abi.h's"
done_testing
