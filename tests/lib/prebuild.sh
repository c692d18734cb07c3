# SPDX-License-Identifier: GPL-2.0
# The kernel builds only four test files need: every coding lab's modules
# (make lab-modules, 25 s of both cores) and dtape's mutants (make
# mutants, 17 s), measured in s35.  tests/run starts them in the
# background as the run begins, at the lowest priority, so they take the
# CPU that the lab VMs leave over instead of holding every test back; the
# files that need them wait here.  That suits the mutants, needed minutes
# in.  make test builds the lab modules before the run: beside three
# booting guests the whole build took 211 s at nice 19, and lab 05's test,
# second in its guest, waited about 160 s of it (s35b); here they are then
# only checked.
# Sourced by tests/run and by those files, on the host and in the lab VM
# (which sees the project tree, and so these files, over 9p).
#
#   prebuild_start      tests/run: start the build (its pid in $PREBUILD_PID);
#                       it writes $PREBUILD.status
#   prebuild_wait       wait for a build tests/run started, if one is under
#                       way; 1, with what to do on stdout, if it failed

# $top on the host (tests/run, tests/lib/host.sh), $DIOLAB_ROOT in the VM
PREBUILD=${top:-${DIOLAB_ROOT:?}}/build/test-results/prebuild

prebuild_start() {
	rm -f "$PREBUILD.status"
	: >"$PREBUILD.pending"
	(
		nice -n 19 make --no-print-directory -s -j"$(nproc)" lab-modules mutants >"$PREBUILD.log" 2>&1
		echo $? >"$PREBUILD.status"
		rm -f "$PREBUILD.pending"
	) &
	PREBUILD_PID=$!
}

# A file run by hand, outside tests/run, finds no .pending and uses what
# make lab-modules mutants built last.  A .pending that a killed run left
# behind is waited on for PREBUILD_WAIT seconds, then named.
prebuild_wait() {
	local i
	for ((i = 0; i < ${PREBUILD_WAIT:-900}; i++)); do
		[ -e "$PREBUILD.pending" ] || break
		sleep 1
	done
	if [ -e "$PREBUILD.pending" ]; then
		echo "make lab-modules mutants, started by tests/run, has not finished in ${PREBUILD_WAIT:-900} s; if no run is under way, remove $PREBUILD.pending"
		return 1
	fi
	[ ! -e "$PREBUILD.status" ] || [ "$(cat "$PREBUILD.status")" = 0 ] && return 0
	echo "make lab-modules mutants failed (exit status $(cat "$PREBUILD.status")); its output is in $PREBUILD.log:"
	tail -n 20 "$PREBUILD.log"
	return 1
}

# prebuild_ok: prebuild_wait as a check of the test file that needs the
# builds.  A file whose builds failed stops here, where it says why,
# rather than fail check after check (or build each module itself, for
# minutes, under TCG).
prebuild_ok() {
	local out
	out=$(prebuild_wait)
	ok $? "the modules it loads are built (make lab-modules mutants)"
	[ -z "$out" ] || { printf '%s\n' "$out" | diag_stdin; done_testing; exit 1; }
}
