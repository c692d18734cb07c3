#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# labs/lib/generate-skels on fixtures (markers in C, shell and Kbuild
# comments, modes, every file copied, bad markers refused), and every coding
# lab's solution/: its skeleton has all its files and no markers; solution,
# skeleton and each bug patch build for both lab kernels, sparse-clean for
# the solution; checkpatch --strict is clean on the solution.
. "$(dirname "$0")/../lib/host.sh"
gen=labs/lib/generate-skels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

s=$tmp/sol
mkdir -p "$s/sub"
printf '%s\n' 'int f(void)' '{' '	int x = 0;' '' '	/* TODO 2: set x, twice */' '	x = 1;' '	x += 1;' '	return x;' '}' >"$s/a.c"
printf '%s\n' 'obj-m += m.o' '# TODO 1: list the objects' 'm-y := a.o' >"$s/Kbuild"
printf '%s\n' '#!/bin/sh' 'echo hi // TODO 1: keep this going' 'echo gone' 'echo kept' >"$s/sub/run"
chmod 755 "$s/sub/run"
printf 'no markers at all\n' >"$s/notes.txt"
out=$($gen "$s" "$tmp/sk" 2>&1)
is "$?" 0 "generate-skels succeeds on good markers"
is "$out" "generate-skels: $tmp/sk: 4 files, 3 TODOs for you" "... and says how many files and TODOs"
is "$(cat "$tmp/sk/a.c")" "$(printf '%s\n' 'int f(void)' '{' '	int x = 0;' '' '	/* TODO: set x, twice */' '	return x;' '}')" \
	"a C marker keeps its hint, loses its count and the next 2 lines"
is "$(cat "$tmp/sk/Kbuild")" "$(printf '%s\n' 'obj-m += m.o' '# TODO: list the objects')" "a # marker in Kbuild works"
is "$(cat "$tmp/sk/sub/run")" "$(printf '%s\n' '#!/bin/sh' 'echo hi // TODO: keep this going' 'echo kept')" \
	"a // marker after code keeps the code before it"
is "$(stat -c %a "$tmp/sk/sub/run")" 755 "modes are kept (an executable stays executable)"
cmp -s "$s/notes.txt" "$tmp/sk/notes.txt"
ok $? "a file without markers is copied as it is"

$gen "$s" "$tmp/sk" >/dev/null 2>"$tmp/err"
is "$?" 2 "an existing skeleton is never overwritten (exit 2)"
grep -q "already exists" "$tmp/err"
ok $? "... saying why"

bad() {
	local what=$1 want=$2
	shift 2
	rm -rf "$tmp/b" "$tmp/bo"
	mkdir "$tmp/b"
	printf '%s\n' "$@" >"$tmp/b/x.c"
	$gen "$tmp/b" "$tmp/bo" >/dev/null 2>"$tmp/err"
	[ "$?" = 1 ] && grep -q "$want" "$tmp/err" && [ ! -e "$tmp/bo" ]
	ok $? "refused: $what ($(cat "$tmp/err"))"
}
bad "a TODO past the end of its file" "x.c:2: TODO 3 runs past the end" 'a' '/* TODO 3: x */' 'b'
bad "nested TODOs" "x.c:3: a TODO inside" '/* TODO 2: x */' 'a' '/* TODO 1: y */' 'b'
bad "TODO 0" "x.c:1: TODO 0 removes nothing" '/* TODO 0: x */' 'a'

. tests/lib/prebuild.sh
prebuild_ok
kernels=$(vm/kernels)
for sol in labs/[0-9][0-9]-*/solution; do
	lab=${sol%/solution}
	lab=${lab#labs/}
	sk=$tmp/$lab-skel
	check "$lab: make skel-style generation works" "$gen" "$sol" "$sk"
	is "$(cd "$sol" && find . -type f | sort)" "$(cd "$sk" && find . -type f | sort)" \
		"$lab: the skeleton has every file of the solution"
	is "$(grep -rlE 'TODO [0-9]+:' "$sk")" "" "$lab: no TODO counts left in the skeleton"
	[ "$(grep -rc 'TODO:' "$sk" | awk -F: '{ n += $2 } END { print n }')" -gt 0 ]
	ok $? "$lab: the skeleton has TODOs for the student"
	if [ -f "$sol/Kbuild" ]; then
		out=$(scripts/checkpatch "$sol"/*.[ch] 2>&1)
		is "$(grep -E 'ERROR|WARNING|CHECK' <<<"$out")" "" "$lab: checkpatch --strict is clean on the solution"
		for k in $kernels; do
			b=$tmp/sparse-$lab-$k
			cp -r "$sol" "$b"
			out=$(make -s -C "/lib/modules/$k/build" M="$b" C=2 modules 2>&1)
			is "$(grep -E 'warning:|error:' <<<"$out")$(ls "$b"/*.ko >/dev/null 2>&1 || echo 'no .ko')" "" \
				"$lab: the solution builds for $k, no warnings, sparse clean"
			# built() VARIANT SRC: build-lab-module's verdict (cached by make)
			built() {
				local d
				d=$(labs/lib/build-lab-module "$lab" "$2" "$k") &&
					[ "$(cat "$d/build.status")" = 0 ] && ls "$d"/*.ko >/dev/null 2>&1
				ok $? "$lab: $1 builds for $k"
			}
			built "the skeleton" "$sk"
			for p in labs/"$lab"/bugs/*.patch; do
				[ -e "$p" ] || continue
				rm -rf "$tmp/p" && cp -r "$sol" "$tmp/p"
				patch -s -d "$tmp/p" -p1 <"$p" >/dev/null 2>&1
				ok $? "$lab: ${p##*/} applies to the solution"
				built "${p##*/}" "$tmp/p"
			done
		done
	else
		# A user-space lab: build-lab-program's verdict, warnings included.
		prog() {
			local d
			d=$(labs/lib/build-lab-program "$lab" "$2") && [ "$(cat "$d/build.status")" = 0 ] &&
				[ -x "$d/$(awk -F': *' '$1 == "program" { print $2 }' "labs/$lab/lab.meta")" ]
			ok $? "$lab: $1 builds"
			[ "$1" != "the solution" ] || is "$(cat "$d/build.log")" "" "$lab: ... with no warning"
		}
		prog "the solution" "$sol"
		prog "the skeleton" "$sk"
		for p in labs/"$lab"/bugs/*.patch; do
			[ -e "$p" ] || continue
			rm -rf "$tmp/p" && cp -r "$sol" "$tmp/p"
			patch -s -d "$tmp/p" -p1 <"$p" >/dev/null 2>&1
			ok $? "$lab: ${p##*/} applies to the solution"
			prog "${p##*/}" "$tmp/p"
		done
	fi
done
done_testing
