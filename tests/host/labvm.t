#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# vm/labvm itself: boots each lab kernel, returns exit status and output,
# brings files back, times out hung guests, reports panics, stops on
# Ctrl-C, says what is missing (QEMU, disk space) and leaves no QEMU; and
# labvm's and labfs's answers to bad arguments.
. "$(dirname "$0")/../lib/host.sh"
. tests/lib/guest-crash.sh

labvm() { vm/labvm "$@" </dev/null; }
# QEMU processes of one labvm run, found by its console log's path (other
# users' VMs may run beside this test).
qemu_count() { pgrep -c -f "qemu-system-x86_64.*file:$1" 2>/dev/null || true; }

mkdir -p build/tmp
kernels=$(if [ -n "${KERNEL:-}" ]; then vm/kernels --match "$KERNEL"; else vm/kernels; fi)
# The last kernel's boot passes DIOTRACE_ATTACH=fentry from the host, when
# there is another kernel to show the default.
over=$(tail -n 1 <<<"$kernels")
[ "$over" != "$(head -n 1 <<<"$kernels")" ] || over=
for k in $kernels; do
	f=build/tmp/labvm-wrote-$k
	rm -f "$f"
	# One boot checks output, stderr, a written file, quoting, the status
	# and diotrace's attach mode: kprobes under TCG unless the host says
	# otherwise.
	want=kprobes host_attach=
	[ "$k" = "$over" ] && want=fentry host_attach=fentry
	# Under TCG, Debian's 6.12 has now and then oopsed at boot outside
	# anything the kit loads (cryptomgr_test, in a clean run): such a
	# death boots again once, as tests/lib/vm-suite.sh does, and is
	# listed at the end of the run.
	clog=$top/build/tmp/labvm-first-$k.log
	# Its own VM lock and --quiet-limit: labvm must leave nothing behind
	# (the silence watcher's sleep once was) that holds the lock.
	lock=$top/build/tmp/labvm-lock-$k
	for try in 1 2; do
		out=$(DIOTRACE_ATTACH=$host_attach DIOLAB_VM_LOCK=$lock labvm --accel tcg --kernel "$k" --log "$clog" \
			--quiet-limit 600 -- \
			sh -c "uname -r; echo to-stderr >&2; uname -r > $f; printf '%s\n' \"\$@\"; echo \"attach=\$DIOTRACE_ATTACH\"; exit 42" \
			sh 'a b' '"c"	$HOME' 2>build/tmp/labvm-stderr)
		rc=$?
		[ "$rc" = 125 ] && [ "$try" = 1 ] && ! kit_in_crash "$clog" || break
		why=$(crash_report "$clog")
		diag "$k: the guest died outside the kit's modules (${why:-no kernel report}); it boots again"
		mv "$clog" "${clog%.log}-died.log"
		note_guest_crash "$k" "host/labvm.t's first boot" "${clog%.log}-died.log"
	done
	is "$rc" 42 "$k: boots, and the command's exit status (42) comes back"
	is "$(sed -n 1p <<<"$out")" "$k" "$k: stdout comes back, and the guest runs the chosen kernel"
	# The guest must not re-expand $HOME: labvm passes arguments, not a string.
	is "$(sed -n '2,3p' <<<"$out")" "$(printf 'a b\n"c"\t$HOME')" "$k: arguments keep their quoting, output keeps its bytes"
	is "$(sed -n 4p <<<"$out")" "attach=$want" \
		"$k: under TCG${host_attach:+, with DIOTRACE_ATTACH=$host_attach on the host,} the guest's diotrace attaches with $want"
	# labvm's own notices (waiting for the VM lock) are not the guest's stderr.
	is "$(grep -v '^labvm: waiting' build/tmp/labvm-stderr)" "to-stderr" "$k: stderr comes back separately"
	is "$(cat "$f" 2>/dev/null)" "$k" "$k: a file the guest wrote into the project tree is on the host"
	flock -n "$lock" true
	ok $? "$k: the VM lock is free as soon as labvm returns"

	labvm --kernel "$k" -- sh -c 'echo c > /proc/sysrq-trigger; sleep 100' 2>build/tmp/labvm-stderr
	is "$?" 125 "$k: a kernel panic ends labvm with status 125"
	grep -q 'Kernel panic' build/tmp/labvm-stderr
	ok $? "$k: ... and shows the panic message"
done
[ -n "$over" ] || skip "one lab kernel installed" "a DIOTRACE_ATTACH set on the host reaches the guest"

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
is "$(tail -n 1 "$top/build/tmp/labvm-hang.log")" "labvm: stopped: still running at the time limit, 12s (--timeout)" \
	"$k: ... and its console log ends with why labvm stopped it"
# A guest that spins prints nothing: --quiet-limit stops it once the command
# has been silent that long, and not while it prints (every 2 s here, with
# a limit of 5 s).  labvm counts from the command's start, so the limit
# need not cover the boot; this boot is shorter than 5 s anyway.
log=$top/build/tmp/labvm-quiet.log
start=$(date +%s)
out=$(labvm --kernel "$k" --no-lock --timeout 300 --quiet-limit 5 --log "$log" -- \
	sh -c 'for i in 1 2 3 4; do echo $i; sleep 2; done; sleep 1000' 2>build/tmp/labvm-stderr)
rc=$?
took=$(($(date +%s) - start))
is "$rc:$(paste -sd' ' <<<"$out")" "124:1 2 3 4" "$k: --quiet-limit 5: a command that prints every 2 s runs on; silent, it is stopped with status 124"
ok "$([ "$took" -lt 90 ] && echo 0 || echo 1)" "$k: ... long before --timeout (took ${took}s, timeout 300s)"
grep -q 'printed nothing for 5s, so the guest was stopped (--quiet-limit)' build/tmp/labvm-stderr
ok $? "$k: ... with a clear message ($(head -c 120 build/tmp/labvm-stderr))"
is "$(tail -n 1 "$log")" "labvm: stopped: the command printed nothing for 5s (--quiet-limit)" "$k: ... at the end of its console log too"
is "$(qemu_count "$log")" 0 "$k: ... and no QEMU process is left behind"
vm/labvm --quiet-limit 5 </dev/null 2>build/tmp/labvm-stderr
is "$?:$(cat build/tmp/labvm-stderr)" "2:labvm: --quiet-limit needs a command (-- CMD): a shell waits for you" "--quiet-limit without a command is a usage error"

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

# The debug kernel lives in the user's cache (make debug-kernel builds it),
# is chosen only by name, and is never in the list make test boots.
empty=$top/build/tmp/debug-cache-empty fake=$top/build/tmp/debug-cache-fake
rm -rf "$empty" "$fake"
DIOLAB_CACHE=$empty vm/labvm --kernel debug -- true 2>build/tmp/labvm-stderr
is "$?" 2 "--kernel debug before make debug-kernel is a usage error"
grep -q 'the debug kernel is not built; .*make debug-kernel' build/tmp/labvm-stderr
ok $? "... naming make debug-kernel ($(head -c 120 build/tmp/labvm-stderr))"
DIOLAB_CACHE=$empty scripts/debug-kernel --release >/dev/null 2>&1
is "$?" 1 "scripts/debug-kernel --release fails while nothing is built"
rel=6.1.99-diolab-debug
mkdir -p "$fake/debug-kernel/boot" "$fake/debug-kernel/lib/modules/$rel/build"
touch "$fake/debug-kernel/boot/vmlinuz-$rel" "$fake/debug-kernel/lib/modules/$rel/build/Makefile"
is "$(DIOLAB_CACHE=$fake vm/kernels --match debug 2>&1)" "$rel" "vm/kernels --match debug finds a built debug kernel"
is "$(DIOLAB_CACHE=$fake vm/kernels --match $rel 2>&1)" "$rel" "... and by its full release, as tests/run passes it to labvm"
DIOLAB_CACHE=$fake vm/kernels | grep -q diolab-debug
ok "$([ $? != 0 ] && echo 0 || echo 1)" "... but the list of lab kernels leaves it out"
is "$(DIOLAB_CACHE=$fake vm/vmlinuz $rel 2>&1)" "$fake/debug-kernel/boot/vmlinuz-$rel" "vm/vmlinuz gives the debug kernel's own image"

# labvm boots the uncompressed vmlinux through its PVH entry, with nothing
# to decompress; a vmlinux without one (here an ELF that is no kernel, as
# Debian's BTF-only vmlinux in the 6.12 headers) still serves BTF, but
# --boot refuses it and labvm boots the bzImage.
for k in $kernels; do
	img=$(vm/vmlinux --boot "$k" 2>&1)
	readelf -n "$img" 2>/dev/null | grep -q 'Xen .*(0x00000012)'
	ok $? "$k: vm/vmlinux --boot gives a vmlinux with a PVH entry ($img)"
done
mkdir -p "$fake/vmlinux" && cp /bin/true "$fake/vmlinux/$rel"
is "$(DIOLAB_CACHE=$fake vm/vmlinux $rel 2>&1)" "$fake/vmlinux/$rel" "vm/vmlinux gives an unpacked vmlinux for BTF"
out=$(DIOLAB_CACHE=$fake vm/vmlinux --boot $rel 2>&1 >/dev/null); rc=$?
[ "$rc" = 1 ] && [[ "$out" == *"has no PVH entry"*"boot its bzImage" ]]
ok $? "... but --boot refuses it, saying why ($rc: $out)"

vm/labvm --bogus 2>/dev/null
is "$?" 2 "an unknown option is a usage error"
# bad values are usage errors too, found before a slot or a boot
for a in "--timeout abc" "--timeout 0" "--quiet-limit x" "--quiet-limit 0" "--mem x" "--smp two" "--smp 0" "--accel fast" \
	"--log $top/build/tmp/no/such/dir/console.log"; do
	# shellcheck disable=SC2086
	out=$(vm/labvm $a -- true 2>&1 >/dev/null); rc=$?
	[ "$rc" = 2 ] && [[ "$out" == "labvm: "* ]] && [ "$(wc -l <<<"$out")" = 1 ]
	ok $? "labvm $a: exit 2 and one line that says what is wrong ($rc: $out)"
done
out=$(DIOLAB_TCG_ICOUNT=x vm/labvm -- true 2>&1 >/dev/null); rc=$?
[ "$rc" = 2 ] && [[ "$out" == "labvm: DIOLAB_TCG_ICOUNT is a shift"* ]] && [ "$(wc -l <<<"$out")" = 1 ]
ok $? "DIOLAB_TCG_ICOUNT=x: exit 2 and one line that says what is wrong ($rc: $out)"
# A missing package: QEMU not on PATH (every other program still is).
nq=$top/build/tmp/path-without-qemu
rm -rf "$nq" && mkdir -p "$nq"
for f in /usr/local/bin/* /usr/bin/* /bin/*; do
	case ${f##*/} in qemu-system-*) ;; *) [ -e "$nq/${f##*/}" ] || ln -s "$f" "$nq/${f##*/}" ;; esac
done
out=$(PATH=$nq vm/labvm --kernel "$k" -- true 2>&1 >/dev/null); rc=$?
[ "$rc" = 125 ] && [[ "$out" == *"qemu-system-x86_64 is missing; run: make deps"* ]]
ok $? "without QEMU: exit 125, naming make deps ($rc: $out)"
rm -rf "$nq"
# A full disk under the cache: the initramfs cannot be written.
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	full=$top/build/tmp/full-cache
	mkdir -p "$full"
	out=$(unshare -m sh -c 'mount -t tmpfs -o size=16k none "$1" && DIOLAB_CACHE=$1 "$2" --kernel "$3" -- true' \
		sh "$full" vm/labvm "$k" 2>&1 >/dev/null); rc=$?
	[ "$rc" = 125 ] && grep -q 'No space left on device' <<<"$out" &&
		grep -q "labvm: could not build the initramfs for .* in $full (the error above says why)" <<<"$out"
	ok $? "a full cache disk: exit 125, saying the disk is full and what could not be built"
	[ "$rc" = 125 ] || diag_stdin <<<"$out"
	is "$(qemu_count "$full/console-")" 0 "... and no QEMU was started"
	rmdir "$full"
else
	skip "needs root and unshare -m" "a full cache disk: exit 125, saying the disk is full"
	skip "needs root and unshare -m" "... and no QEMU was started"
fi
# Ctrl-C on the host while the guest runs: the whole process group gets
# SIGINT, as from a terminal. A job control shell starts it (set -m): a
# plain background job would begin with SIGINT ignored.
rm -f "$top/build/tmp/labvm-int.log"
set -m
vm/labvm --kernel "$k" --no-lock --wait-slot --timeout 300 --log "$top/build/tmp/labvm-int.log" -- sleep 1000 \
	</dev/null >/dev/null 2>build/tmp/labvm-stderr &
lpid=$!
set +m
for _ in $(seq 120); do grep -q . "$top/build/tmp/labvm-int.log" 2>/dev/null && break; sleep 0.5; done
sleep 2
kill -INT -- -"$lpid"
wait "$lpid"
is "$?" 130 "$k: Ctrl-C on the host ends labvm with status 130"
grep -q "labvm: interrupted; the guest ($k) is stopped" build/tmp/labvm-stderr
ok $? "... saying the guest is stopped"
is "$(qemu_count "$top/build/tmp/labvm-int.log")" 0 "$k: ... and no QEMU process is left behind"

# labfs, the guest's scratch filesystems: its usage is checked before root
for a in "" "btrfs /mnt/x" "ext4" "ext4 /mnt/x 8" "ext4 /mnt/x 64M" "raw 1000" "--umount" "xfs /mnt/x 64 extra" \
	"--write-delay" "--write-delay 20" "--write-delay x ext4 /mnt/x" "--write-delay 0 ext4 /mnt/x" \
	"--write-delay 20 raw" "--write-delay 20 --umount /mnt/x"; do
	# shellcheck disable=SC2086
	out=$(vm/guest/labfs $a 2>&1 >/dev/null); rc=$?
	[ "$rc" = 2 ] && [[ "$out" == "labfs: "* ]]
	ok $? "labfs $a: exit 2 ($out)"
done

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
