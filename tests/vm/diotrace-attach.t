#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# --attach fentry and --attach kprobes draw the same trees: the test suite
# traces with kprobes (tests/lib/guest.sh) because they load and detach in
# a fraction of the time, so this file is what makes that stand for fentry.
# Each mode's probes must also all be gone after --sync-detach.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require

M=/tmp/dt-attach
mkdir -p $M
check "labfs ext4" "$LABFS" ext4 $M
DEV=$("$LABFS" raw 64 2>/dev/null | tail -n 1)
[ -b "$DEV" ]; ok $? "labfs raw gave a block device ($DEV)"

# kprobe.multi needs CONFIG_FPROBE (Debian's 6.12 has it, 6.1 does not);
# without it the shared programs go on a kprobe per function.
if ksym register_fprobe_ips; then KMETHOD=kprobe.multi; else KMETHOD=kprobe; fi

# the page cache must start the same for both runs
workload() {
	dd if=/dev/zero of=$M/f.bin bs=64k count=1 status=none && sync &&
	echo 1 >/proc/sys/vm/drop_caches &&
	"$DIOLOAD" write $M/f.bin 0 65536 direct >/dev/null &&
	"$DIOLOAD" write $M/f.bin 0 4096 >/dev/null &&
	"$DIOLOAD" write $DEV 0 65536 direct >/dev/null
}

# one line per tree: what it was, and its call order
trees() {
	jq -r 'select(.type=="syscall" and .syscall=="pwrite64")
		| [.path, .offset, .o_direct, .dio, .ret, .pages_pinned, (.chain | join(">"))] | @tsv' "$1"
}

export M DEV DIOLOAD
export -f workload
for mode in fentry kprobes; do
	"$DIOTRACE" --json --attach $mode --sync-detach -o /tmp/at-$mode.json \
		-- bash -c workload 2>/tmp/at-$mode.err
	ok $? "--attach $mode traced the workload"
	is "$(dt_progs_left)" 0 \
		"--attach $mode: no diotrace program left after --sync-detach"
	trees /tmp/at-$mode.json >/tmp/at-$mode.trees
	is "$(wc -l </tmp/at-$mode.trees)" 3 "--attach $mode: three write trees"
done

if diff /tmp/at-fentry.trees /tmp/at-kprobes.trees >/tmp/at.diff; then
	ok 0 "the same trees, call order and counts with fentry and with kprobes"
else
	ok 1 "the same trees, call order and counts with fentry and with kprobes"
	diag_stdin </tmp/at.diff
fi
t=$(grep -F "$M/f.bin	0	true" /tmp/at-kprobes.trees)
[[ "$t" == *iomap_dio_rw* && "$t" == *"$PIN_FN"* ]]
ok $? "the ext4 O_DIRECT write went through iomap_dio_rw and $PIN_FN ($t)"

attach_of() {
	jq -r 'select(.type=="syscall" and .syscall=="pwrite64") | .calls[0].attach' "$1" | sort -u
}
is "$(attach_of /tmp/at-fentry.json)" fentry "--attach fentry: vfs_write by fentry"
is "$(attach_of /tmp/at-kprobes.json)" $KMETHOD "--attach kprobes: vfs_write by $KMETHOD"
# A module's functions join vmlinux's on the kprobes: no fentry program of
# their own to load, no module BTF to read, no trampoline per function.
is "$(jq -r 'select(.type=="syscall" and .syscall=="pwrite64") | .. | objects
	| select(.fn? == "ext4_file_write_iter") | .attach' /tmp/at-kprobes.json | sort -u)" $KMETHOD \
	"--attach kprobes: ext4_file_write_iter, in the ext4 module, by $KMETHOD"

out=$("$DIOTRACE" --attach nonsense --list 2>&1); rc=$?
[ $rc = 64 ] && grep -q 'wants fentry or kprobes' <<<"$out"; ok $? "--attach nonsense: usage error"
out=$(DIOTRACE_ATTACH=nonsense "$DIOTRACE" --list 2>&1); rc=$?
[ $rc = 2 ] && grep -q 'DIOTRACE_ATTACH wants' <<<"$out"; ok $? "DIOTRACE_ATTACH=nonsense: exit 2, names the variable"

"$LABFS" --umount $M >/dev/null 2>&1
done_testing
