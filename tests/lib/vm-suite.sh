# SPDX-License-Identifier: GPL-2.0
# One lab kernel's VM suite for tests/run: vm_suite, which reruns a file
# once when the guest dies outside the kit.  Sourced; the caller sets $top,
# $results and $T and has sourced vm/kernel-paths.  LABVM=PROGRAM stands in
# for vm/labvm (tests/host/vm-suite.t gives it a guest that dies).

. "$top/tests/lib/guest-crash.sh"

# boot_section K NAME BOOT ok|not ok TEXT: the TAP section of one boot of
# kernel K's suite (or its part NAME).  A guest that never booted printed no
# section at all; this counts it.
boot_section() {
	printf '# diolab-file: vm/%s/labvm%s-boot%s\n1..1\n%s 1 - %s\n# diolab-exit: 0\n' \
		"$1" "${2#"$1"}" "$3" "$4" "$5"
}

# vm_suite KERNEL [PART NAME]: tests/vm/run-all in the lab VM.  A test that takes the
# guest down (panic, hang) fails, and is the only one that does: the suite
# goes on in a fresh boot from the file after it.  One exception, once a
# suite: a guest that died in a kernel report outside the kit's modules,
# with no hang, runs that file again on a fresh boot.  Under TCG, Debian's
# 6.12 has now and then died in files that pass on every other run (a double
# fault in kmem_cache_alloc during boot, an oops in mprotect in CI); the
# rerun decides the file's result, and the crash is listed at the end of
# the run all the same.  A guest that dies before any file runs boots
# again, under the same rule.  A dtape bug that corrupts memory could
# still crash elsewhere: make debug-test (KASAN) is what rules that out.
# Each file's "took" line goes to stderr (fd 3) as it happens, so a
# half-hour suite shows it moving.  PART (only:FILES or except:FILES, see
# tests/vm/run-all) runs some of the files; NAME tells its boots, logs and
# console logs from the kernel's other parts.
vm_suite() {
	local k=$1 part=${2:-} name=${3:-$1} from= boot=0 rc last lpid tpid clog slow
	local why rerun= seg=$results/vm-segment-$name.tap
	while :; do
		boot=$((boot + 1))
		echo "# lab VM: $name${from:+ (boot $boot, starting ${from/:/ })}"
		# Each boot keeps its console log: a guest that died is read later.
		# --no-lock: this run's kernels boot side by side; a machine slot
		# each is enough, and --wait-slot waits for one.
		clog=$results/console-$name-boot$boot.log
		# The debug kernel runs several times slower (tests/vm/run-all).
		slow=$(kernel_slowdown "$k")
		: >"$seg"
		# A hung guest cannot run its own per-test timeout (run-all gives
		# each file TEST_TIMEOUT, 600 s); silence well past that is a hang.
		"${LABVM:-vm/labvm}" --kernel "$k" --no-lock --wait-slot --timeout $((3600 * slow)) \
			--quiet-limit "${VM_IDLE:-$((700 * slow))}" --log "$clog" \
			-- tests/vm/run-all "$T" "$from" "$part" \
			</dev/null >>"$seg" 2>&1 &
		lpid=$!
		tail -n +1 -f --pid=$lpid "$seg" | grep --line-buffered '^# vm/.* took [0-9]* s$' >&3 &
		tpid=$!
		wait $lpid
		rc=$?
		wait $tpid
		last=$(sed -n 's|^# diolab-file: vm/[^/]*/||p' "$seg" | tail -n 1)
		why=
		[ "$rc" = 0 ] || why=$(crash_report "$clog")
		if [ "$rc" = 125 ] && [ -z "$rerun" ] && ! kit_in_crash "$clog"; then
			rerun=${last:-the boot}
			if [ -n "$last" ]; then
				# The file that was running is kept in the log as
				# comments, and runs again from its start.
				sed "/^# diolab-file: vm\/[^/]*\/${last//./\\.}\$/,\$ s/^/# (the guest died here) /" "$seg"
				from=at:$last
			fi
			boot_section "$k" "$name" $boot ok \
				"the guest died outside the kit's modules (${why:-no kernel report}); $rerun runs again on a fresh boot"
			note_guest_crash "$name" "$rerun" "$clog"
			continue
		fi
		cat "$seg"
		if [ "$rc" = 0 ]; then
			boot_section "$k" "$name" $boot ok "the lab VM ran the suite on $name"
			break
		fi
		boot_section "$k" "$name" $boot "not ok" "labvm exited $rc on $name${why:+: $why}"
		# no file started: the guest itself is broken, and retrying won't help
		[ -n "$last" ] && [ "$boot" -lt 10 ] || break
		from=after:$last
	done
}
