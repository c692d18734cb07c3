# SPDX-License-Identifier: GPL-2.0
# Shared helpers for every lab's run and check scripts: source this file.
#
# A lab directory holds lab.meta (key: value lines, see labs/README.md),
# run (the experiment, in the lab VM), check (the grader) and work/, where
# run leaves the kernel's observations and the student writes answers.txt.

LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
LAB_NAME=${LAB_DIR##*/}
WORK=${LAB_WORK:-$LAB_DIR/work}
BIN=$LAB_TOP/build/bin
LABFS=$LAB_TOP/vm/guest/labfs

# lab_meta KEY [DIR]: the value of KEY in DIR/lab.meta (default: this lab).
lab_meta() {
	awk -F': *' -v k="$1" '$1 == k { sub(/^[^:]*: */, ""); print; exit }' "${2:-$LAB_DIR}/lab.meta"
}

# An environment problem is not the student's fault: exit 2 naming the fix.
lab_env_fail() {
	echo "$LAB_NAME: $*" >&2
	exit 2
}

# ---------------------------------------------------------------- run side

# lab_guest_init: run only as root inside the lab VM (or NATIVE=1); the kit
# must be built; start a fresh work/.
lab_guest_init() {
	[ -n "${DIOLAB_GUEST:-}" ] || lab_env_fail "run this with 'make -C labs/$LAB_NAME run' (it boots the lab VM)"
	[ "$(id -u)" = 0 ] || lab_env_fail "needs root inside the lab VM; use 'make -C labs/$LAB_NAME run'"
	[ -x "$BIN/diotrace" ] && [ -x "$BIN/dioload" ] || lab_env_fail "the kit is not built: run 'make' in $LAB_TOP"
	mkdir -p "$WORK"
	find "$WORK" -mindepth 1 -maxdepth 1 ! -name answers.txt -exec rm -rf {} +
	uname -r >"$WORK/kernel"
}

# say TEXT: a line of narration; show CMD...: print the command, then run it.
say() { printf '\n== %s\n' "$*"; }
show() {
	printf '$ %s\n' "$*"
	"$@"
}

# lab_trace NAME PATH_PREFIX CMD...: one diotrace session over CMD, recorded
# to work/NAME.dtr (a student without root reads it with `diotrace report`),
# rendered as text (NAME.txt) and JSON (NAME.json).  The recording is made
# in tmpfs: writes to the 9p project tree would themselves be traced noise.
lab_trace() {
	local name=$1 prefix=$2 rc
	shift 2
	local shown="$*"
	[ ${#shown} -le 100 ] || shown="${shown:0:97}..."
	printf '$ diotrace record --write --path %s -o %s.dtr -- %s\n' "$prefix" "$name" "$shown"
	rc=0
	"$BIN/diotrace" record --write --path "$prefix" -o "/tmp/$name.dtr" -- "$@" \
		>"/tmp/$name.out" 2>"/tmp/$name.err" || rc=$?
	cat "/tmp/$name.out"
	[ "$rc" = 0 ] || { cat "/tmp/$name.err" >&2; echo "diotrace failed ($rc)" >&2; return 1; }
	cp "/tmp/$name.dtr" "$WORK/$name.dtr"
	"$BIN/diotrace" report "$WORK/$name.dtr" >"$WORK/$name.txt" 2>/dev/null
	"$BIN/diotrace" report --json "$WORK/$name.dtr" >"$WORK/$name.json" 2>/dev/null
}

# A tmpfs copy of static busybox as sh, dd, cat and grep, for counting pins:
# on 6.12 every read() from the 9p root filesystem pins the reader's buffer
# (a dynamically linked dd reading its libraries would be counted too).
lab_quiet_tools() {
	local d=/tmp/labbin t
	mkdir -p $d
	cp /bin/busybox $d/busybox
	for t in sh dd cat grep; do ln -sf busybox $d/$t; done
	echo $d
}

# lab_answers_template LINES...: create work/answers.txt unless it exists.
lab_answers_template() {
	[ -e "$WORK/answers.txt" ] && return 0
	printf '%s\n' "# Answer each question after the colon, from YOUR OWN run's output." "$@" \
		>"$WORK/answers.txt"
}

# -------------------------------------------------------------- check side

_lab_tests=()
_lab_score=0
_lab_max=0

# lab_check_init: exit 2 unless jq is there and run has left observations.
lab_check_init() {
	command -v jq >/dev/null || lab_env_fail "jq is missing: run 'make deps' (or apt-get install jq)"
	[ -s "$WORK/kernel" ] || lab_env_fail "no observations in $WORK: run 'make -C labs/$LAB_NAME run' first"
	echo "$LAB_NAME: grading $WORK (kernel $(first_line "$WORK/kernel"))"
}

# grade NAME POINTS FUNCTION ARGS...: FUNCTION returns 0 when the check
# passes, and prints what to fix when it does not.
grade() {
	local name=$1 max=$2 out rc got=0 dots
	shift 2
	out=$("$@" 2>&1) && rc=0 || rc=$?
	[ "$rc" = 0 ] && got=$max
	printf -v dots '%*s' $((48 - ${#name})) ''
	dots=${dots// /.}
	if [ "$rc" = 0 ]; then
		printf '%s %s passed [%d/%d]\n' "$name" "$dots" "$got" "$max"
		out=passed
	else
		[ -n "$out" ] || out="check failed"
		printf '%s %s failed [%d/%d]\n' "$name" "$dots" "$got" "$max"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
	_lab_score=$((_lab_score + got))
	_lab_max=$((_lab_max + max))
	# JSON built by bash: under TCG a jq costs half a second
	_lab_tests+=("{\"name\":$(json_str "$name"),\"score\":$got,\"max_score\":$max,\"output\":$(json_str "$out")}")
}

# json_str TEXT: TEXT as a JSON string (checker output is printable text).
json_str() {
	local s=$1
	s=${s//\\/\\\\}
	s=${s//\"/\\\"}
	s=${s//$'\n'/\\n}
	s=${s//$'\t'/\\t}
	s=${s//$'\r'/\\r}
	printf '"%s"' "$s"
}

# lab_finish: Score line, results.json (Gradescope's format), exit status.
lab_finish() {
	local results=${LAB_RESULTS:-$LAB_DIR/results.json} tests
	echo "Score: $_lab_score/$_lab_max"
	tests=$(IFS=,; echo "${_lab_tests[*]}")
	printf '{"score":%d,"max_score":%d,"output":%s,"tests":[%s]}\n' "$_lab_score" "$_lab_max" \
		"$(json_str "kernel $(first_line "$WORK/kernel")")" "$tests" >"$results"
	[ "$_lab_score" = "$_lab_max" ]
	exit $?
}

# first_line FILE: FILE's first line, "" when FILE is missing; read by bash
# alone (see answer).
first_line() {
	local l=
	[ -r "$1" ] && IFS= read -r l <"$1"
	printf '%s\n' "$l"
}

# answer KEY: the student's answer, trimmed ("" when absent).  Read with
# bash alone: every fork and exec costs a lot under the VM's TCG.
answer() {
	local k v
	[ -f "$WORK/answers.txt" ] || return 0
	while IFS=: read -r k v; do
		[ "$k" = "$1" ] || continue
		v=${v#"${v%%[![:space:]]*}"}
		printf '%s\n' "${v%"${v##*[![:space:]]}"}"
		return 0
	done <"$WORK/answers.txt"
}

# need_answer KEY: fail with a hint when the student left KEY blank.
need_answer() {
	[ -n "$(answer "$1")" ] && return 0
	echo "answer '$1:' in work/answers.txt"
	return 1
}

# --- diotrace JSON (docs/diotrace-json.md) -----------------------------------

# trace_real FILE: FILE is diotrace's JSON: it has its end record, nothing
# was lost, and every tree's chain is the walk of its calls and its pin
# count the sum of its pinning calls (a hand-edited file rarely is).
trace_real() {
	local f=$1 v
	[ -s "$f" ] || { echo "${f#"$LAB_DIR"/} is missing: run 'make -C labs/$LAB_NAME run' again"; return 1; }
	# one jq for all three questions: under TCG each start costs half a second
	v=$(jq -r -s '[.[] | select(.type == "end" and (.kernel | type) == "string")][0] as $fin
		| if $fin == null then "no-end"
		  elif $fin.lost != 0 then "lost"
		  else [.[] | select(.type == "syscall")
			| select(.chain != [.calls[] | recurse(.children[]?) | .fn? // empty]
				or .pages_pinned != ([.calls[] | recurse(.children[]?)
					| select((.fn? // "") | test("^(pin|get)_user_pages_fast$")) | .ret // 0] | add // 0))
			| "#\(.seq) \(.path)"][:3] | "edited " + join(", ") end' "$f" 2>/dev/null)
	case $v in
	"edited ") return 0 ;;
	edited*) echo "${f##*/} was edited: its trees do not add up (${v#edited })" ;;
	lost) echo "${f##*/}: diotrace lost events; run again" ;;
	*) echo "${f##*/} is not diotrace --json output (no end record): save the whole output" ;;
	esac
	return 1
}

# tree FILE PATH [JQ_FILTER]: the last write tree of PATH, compact JSON.
tree() {
	jq -c --arg p "$2" "select(.type == \"syscall\" and .write and .path == \$p)${3:+ | select($3)}" \
		"$1" 2>/dev/null | tail -n 1
}

# field TREE JQ: one field of a tree.
field() { jq -r "$2" <<<"$1" 2>/dev/null; }

# has_fn TREE REGEX: some function in the tree's chain matches REGEX.
has_fn() { jq -e --arg r "^($2)\$" 'any(.chain[]; test($r))' <<<"$1" >/dev/null 2>&1; }

# pin_fn TREE: the function that took the user pages.
pin_fn() { field "$1" '[.chain[] | select(test("^(pin|get)_user_pages_fast$"))][0] // ""'; }

# strip_mod "name [mod]" -> name
strip_mod() { printf '%s\n' "${1%% \[*}"; }

# same_word GOT WANT WHAT: case-insensitive equality with a reason.
same_word() {
	local g=${1%% \[*} w=${2%% \[*}
	g=${g,,} w=${w,,}
	g=${g%()}
	[ -n "$w" ] || { echo "your trace has no $3 to compare with: run the lab again"; return 1; }
	[ "$g" = "$w" ] && return 0
	echo "you answered '$1' for $3; look again at your own trace"
	return 1
}

# vmstat_val FILE KEY: a counter from a /proc/vmstat snapshot.
vmstat_val() {
	local k v
	while read -r k v; do
		[ "$k" = "$2" ] && { echo "$v"; return 0; }
	done <"$1"
	return 1
}

# vm_delta FILE_BEFORE FILE_AFTER KEY: the change of a /proc/vmstat counter.
vm_delta() {
	local a b
	a=$(vmstat_val "$1" "$3" 2>/dev/null) && b=$(vmstat_val "$2" "$3" 2>/dev/null) || return 1
	echo $((b - a))
}
