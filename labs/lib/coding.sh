# SPDX-License-Identifier: GPL-2.0
# Helpers for the coding labs' run and check scripts: source after lab.sh.
#
# A coding lab keeps its solution in solution/ (with "TODO n: hint"
# markers) and the student's copy, made by `make skel`, in student/.
# run builds one of them for the running kernel and observes it; check
# grades the observations. DIOLAB_SOLUTION=1 (make ... SOLUTION=1) picks the
# solution, observed into work-solution/.

if [ "${DIOLAB_SOLUTION:-0}" = 1 ]; then
	SRC=$LAB_DIR/solution
	WORK=${LAB_WORK:-$LAB_DIR/work-solution}
	SRC_NAME="the kit's solution"
	RUN_CMD="make -C labs/$LAB_NAME run SOLUTION=1"
else
	SRC=${LAB_SRC:-$LAB_DIR/student}
	SRC_NAME="your code in ${SRC#"$LAB_TOP"/}"
	RUN_CMD="make -C labs/$LAB_NAME run"
fi

# src_hash: one hash of every source file, so check can tell a stale run.
src_hash() { "$LAB_TOP/labs/lib/build-lab-module" --hash "$SRC"; }

# coding_need_src: the sources exist (else exit 2 naming make skel).
coding_need_src() {
	[ -d "$SRC" ] || lab_env_fail "no working copy in ${SRC#"$LAB_TOP"/}: run 'make -C labs/$LAB_NAME skel' first"
}

# coding_check_init: lab_check_init, and the run must be of today's sources.
coding_check_init() {
	command -v jq >/dev/null || lab_env_fail "jq is missing: run 'make deps' (or apt-get install jq)"
	[ -s "$WORK/kernel" ] || lab_env_fail "no observations in $WORK: run '$RUN_CMD' first"
	coding_need_src
	[ -f "$WORK/build.status" ] || lab_env_fail "the last run in $WORK did not finish: run '$RUN_CMD' again"
	[ "$(first_line "$WORK/source.hash")" = "$(src_hash)" ] ||
		lab_env_fail "$SRC_NAME changed since the last run: run '$RUN_CMD' again"
	echo "$LAB_NAME: grading $SRC_NAME as run in $WORK (kernel $(first_line "$WORK/kernel"))"
}

# coding_build NAME: what the sources build into, for the running kernel:
# a driver lab's module NAME.ko (SRC has a Kbuild), or a user-space lab's
# program NAME (lab.meta "program:"); built on the host by make ... run,
# else here. work/build.log and work/build.status say how it went. Prints
# its path.
coding_build() {
	local out art
	if [ -f "$SRC/Kbuild" ]; then
		out=$("$LAB_TOP/labs/lib/build-lab-module" "$LAB_NAME" "$SRC" "$(uname -r)" 2>&1) art=$1.ko
	else
		out=$("$LAB_TOP/labs/lib/build-lab-program" "$LAB_NAME" "$SRC" 2>&1) art=$1
	fi || lab_env_fail "$out"
	# the build directory is named by src_hash: not hashed twice
	echo "${out##*/}" >"$WORK/source.hash"
	cp "$out/build.log" "$out/build.status" "$WORK/"
	echo "$out/$art"
	[ "$(first_line "$out/build.status")" = 0 ] && [ -s "$out/$art" ]
}

# coding_static_tool NAME: the lab's NAME.c, static, run from tmpfs (see
# lab_quiet_tools); built on the host by make ... run when it can be.
coding_static_tool() {
	local pre=$LAB_TOP/build/labs/$LAB_NAME/bin/$1
	if [ "$pre" -nt "$LAB_DIR/$1.c" ]; then
		cp "$pre" "/tmp/$1"
	else
		cc -static -O2 -std=gnu11 -Wall -Wextra -Werror -o "/tmp/$1" "$LAB_DIR/$1.c" ||
			lab_env_fail "could not build $1.c (is libc6-dev installed? make deps)"
	fi
	echo "/tmp/$1"
}

. "$LAB_TOP/labs/lib/pins.sh"

# --- kprobes through tracefs, in a tracing instance of the lab's own ------

TRACEFS=/sys/kernel/tracing

# kprobes_on GROUP DEFINITION...: define and enable kprobe events
# ("p:GROUP/name symbol args" lines), recording only tasks named dlab-*.
kprobes_on() {
	local g=$1 d
	shift
	[ -e $TRACEFS/kprobe_events ] || mount -t tracefs nodev $TRACEFS 2>/dev/null ||
		lab_env_fail "no tracefs at $TRACEFS"
	kprobes_off "$g"
	for d in "$@"; do
		echo "$d" >>$TRACEFS/kprobe_events || lab_env_fail "this kernel refused the kprobe '$d'"
	done
	mkdir -p $TRACEFS/instances/"$g"
	echo 8192 >$TRACEFS/instances/"$g"/buffer_size_kb
	echo "comm ~ \"$g-*\"" >$TRACEFS/instances/"$g"/events/"$g"/filter 2>/dev/null || true
	echo 1 >$TRACEFS/instances/"$g"/events/"$g"/enable
}

# kprobes_off GROUP [SAVE_TO]: stop, save the instance's trace, remove all.
kprobes_off() {
	local i=$TRACEFS/instances/$1 e
	if [ -d "$i" ]; then
		echo 0 >"$i/events/$1/enable" 2>/dev/null
		# grep finds no line when nothing was traced; that is no error
		[ -z "${2:-}" ] || grep -v '^#' "$i/trace" >"$2" || true
		rmdir "$i"
	fi
	for e in $TRACEFS/events/"$1"/*/; do
		[ -d "$e" ] && echo "-:$1/$(basename "$e")" >>$TRACEFS/kprobe_events
	done
	return 0
}

# kv FILE KEY: the value of "KEY value" in FILE.
kv() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$1" 2>/dev/null; }
