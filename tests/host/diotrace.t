#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace on the build host, whose kernel refuses fentry and has no kprobes:
# it must degrade to tracepoints, say what is lost, and still root a tree
# per syscall with the block layer's bio underneath.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/lib/tap.sh
D=build/bin/diotrace
[ -x $D ] || { echo "1..0 # SKIP diotrace not built"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root"; exit 0; }

list=$($D --list 2>&1)
rc=$?
if [ $rc != 0 ] && grep -q 'no kernel BTF' <<<"$list"; then
	echo "1..0 # SKIP host kernel has no BTF"
	exit 0
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
for a in "-n 3x" "-n 0" "-d abc" "-d 0" "-d 1.5s" "--depth 2x"; do
	# shellcheck disable=SC2086
	out=$($D $a -- true 2>&1); rc=$?
	is "$rc" 64 "diotrace $a: usage error (exit 64)"
	[[ "$out" == *"diotrace: invalid "*": ${a#* }"* ]]
	ok $? "... naming the bad value ($(head -n1 <<<"$out"))"
done
done_testing
