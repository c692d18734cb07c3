#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# vm/labvm itself: boots each lab kernel, returns exit status and output,
# brings files back, times out hung guests, reports panics, leaves no QEMU.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/lib/tap.sh

labvm() { vm/labvm "$@" </dev/null; }
qemu_count() { pgrep -c -f "qemu-system-x86_64.*labvm\." 2>/dev/null || true; }

mkdir -p build/tmp
for k in $(if [ -n "${KERNEL:-}" ]; then vm/kernels --match "$KERNEL"; else vm/kernels; fi); do
	f=build/tmp/labvm-wrote-$k
	rm -f "$f"
	out=$(labvm --kernel "$k" -- sh -c "uname -r; echo to-stderr >&2; uname -r > $f" 2>build/tmp/labvm-stderr)
	rc=$?
	is "$rc" 0 "$k: boots and 'true'-like command exits 0"
	is "$out" "$k" "$k: stdout comes back, and the guest runs the chosen kernel"
	# labvm's own notices (waiting for the VM lock) are not the guest's stderr.
	is "$(grep -v '^labvm: waiting' build/tmp/labvm-stderr)" "to-stderr" "$k: stderr comes back separately"
	is "$(cat "$f" 2>/dev/null)" "$k" "$k: a file the guest wrote into the project tree is on the host"

	labvm --kernel "$k" -- false
	is "$?" 1 "$k: exit status 1 propagates"
	labvm --kernel "$k" -- sh -c 'exit 42'
	is "$?" 42 "$k: exit status 42 propagates"
	out=$(labvm --kernel "$k" -- printf 'a b\n"c"\t$HOME\n')
	# The guest must not re-expand $HOME: labvm passes arguments, not a string.
	is "$out" "$(printf 'a b\n"c"\t$HOME\n')" "$k: arguments keep their quoting, output keeps its bytes"

	start=$(date +%s)
	# --no-lock: the bound is about QEMU, not about waiting for other VMs.
	labvm --kernel "$k" --no-lock --timeout 12 -- sleep 1000 2>build/tmp/labvm-stderr
	rc=$?
	took=$(($(date +%s) - start))
	is "$rc" 124 "$k: a hung guest is killed with status 124"
	ok "$([ "$took" -lt 40 ] && echo 0 || echo 1)" "$k: ... within its bound (took ${took}s, timeout 12s)"
	grep -q 'did not finish within 12s' build/tmp/labvm-stderr
	ok $? "$k: ... with a clear message"
	is "$(qemu_count)" 0 "$k: ... and no QEMU process is left behind"

	labvm --kernel "$k" -- sh -c 'echo c > /proc/sysrq-trigger; sleep 100' 2>build/tmp/labvm-stderr
	is "$?" 125 "$k: a kernel panic ends labvm with status 125"
	grep -q 'Kernel panic' build/tmp/labvm-stderr
	ok $? "$k: ... and shows the panic message"
done

vm/labvm --kernel 9.99 -- true 2>build/tmp/labvm-stderr
is "$?" 125 "an unknown kernel is refused"
grep -q 'no installed lab kernel matches' build/tmp/labvm-stderr
ok $? "... naming the problem"

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
