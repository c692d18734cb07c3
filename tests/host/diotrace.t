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
rm -f "$f"
done_testing
