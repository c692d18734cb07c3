#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# vm/labvm itself: boots each lab kernel, returns exit status and output,
# brings files back, times out hung guests, reports panics, leaves no QEMU.
. "$(dirname "$0")/../lib/host.sh"

labvm() { vm/labvm "$@" </dev/null; }
# QEMU processes of one labvm run, found by its console log's path (other
# users' VMs may run beside this test).
qemu_count() { pgrep -c -f "qemu-system-x86_64.*file:$1" 2>/dev/null || true; }

mkdir -p build/tmp
kernels=$(if [ -n "${KERNEL:-}" ]; then vm/kernels --match "$KERNEL"; else vm/kernels; fi)
for k in $kernels; do
	f=build/tmp/labvm-wrote-$k
	rm -f "$f"
	# One boot checks output, stderr, a written file, quoting and the status.
	out=$(labvm --kernel "$k" -- sh -c "uname -r; echo to-stderr >&2; uname -r > $f; printf '%s\n' \"\$@\"; exit 42" \
		sh 'a b' '"c"	$HOME' 2>build/tmp/labvm-stderr)
	rc=$?
	is "$rc" 42 "$k: boots, and the command's exit status (42) comes back"
	is "$(sed -n 1p <<<"$out")" "$k" "$k: stdout comes back, and the guest runs the chosen kernel"
	# The guest must not re-expand $HOME: labvm passes arguments, not a string.
	is "$(sed -n '2,$p' <<<"$out")" "$(printf 'a b\n"c"\t$HOME')" "$k: arguments keep their quoting, output keeps its bytes"
	# labvm's own notices (waiting for the VM lock) are not the guest's stderr.
	is "$(grep -v '^labvm: waiting' build/tmp/labvm-stderr)" "to-stderr" "$k: stderr comes back separately"
	is "$(cat "$f" 2>/dev/null)" "$k" "$k: a file the guest wrote into the project tree is on the host"

	labvm --kernel "$k" -- sh -c 'echo c > /proc/sysrq-trigger; sleep 100' 2>build/tmp/labvm-stderr
	is "$?" 125 "$k: a kernel panic ends labvm with status 125"
	grep -q 'Kernel panic' build/tmp/labvm-stderr
	ok $? "$k: ... and shows the panic message"
done

# The hang is QEMU's business, not the kernel's: one kernel shows it.
k=$(tail -n 1 <<<"$kernels")
start=$(date +%s)
# --no-lock: the bound is about QEMU, not about waiting for other VMs.
labvm --kernel "$k" --no-lock --timeout 12 --log "$top/build/tmp/labvm-hang.log" -- sleep 1000 2>build/tmp/labvm-stderr
rc=$?
took=$(($(date +%s) - start))
is "$rc" 124 "$k: a hung guest is killed with status 124"
ok "$([ "$took" -lt 40 ] && echo 0 || echo 1)" "$k: ... within its bound (took ${took}s, timeout 12s)"
grep -q 'did not finish within 12s' build/tmp/labvm-stderr
ok $? "$k: ... with a clear message"
is "$(qemu_count "$top/build/tmp/labvm-hang.log")" 0 "$k: ... and no QEMU process is left behind"

vm/labvm --kernel 6.13 -- true 2>build/tmp/labvm-stderr
is "$?" 2 "a kernel that is not installed is a usage error"
grep -q "no installed lab kernel matches '6.13'" build/tmp/labvm-stderr
ok $? "... naming the problem"
if vm/kernels --match 6.12 >/dev/null 2>&1; then
	grep -q 'Did you mean --kernel 6.12 (6.12' build/tmp/labvm-stderr
	ok $? "... and the closest installed kernel"
fi
grep -q 'make deps' build/tmp/labvm-stderr
ok "$([ $? != 0 ] && echo 0 || echo 1)" "... without 'make deps' advice while lab kernels are installed"
DIOLAB_BOOT=$top/build/tmp/no-boot vm/labvm --kernel 6.1 -- true 2>build/tmp/labvm-stderr
grep -q 'install them with: make deps' build/tmp/labvm-stderr
ok $? "with no lab kernel at all, the message names make deps"

vm/labvm --bogus 2>/dev/null
is "$?" 2 "an unknown option is a usage error"

# Native mode must refuse on a host that cannot load modules or probe.
if [ ! -e /proc/modules ] || [ "$(id -u)" != 0 ]; then
	vm/labvm --native -- true 2>build/tmp/labvm-stderr
	is "$?" 125 "--native refuses on this host"
	grep -q 'cannot run the labs natively' build/tmp/labvm-stderr
	ok $? "... saying why: $(grep -m1 '  - ' build/tmp/labvm-stderr | sed 's/^ *- //')"
else
	out=$(vm/labvm --native -- sh -c 'echo $DIOLAB_GUEST')
	is "$out" native "--native runs the command on the host kernel"
fi
done_testing
