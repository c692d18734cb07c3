#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The project's code standards, as tests:
#   kernel code: checkpatch --strict, sparse (make C=2) on every lab kernel;
#   user space:  clang-tidy (.clang-tidy) and cppcheck;
#   everything:  an SPDX line, and nothing generated tracked by git.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/lib/tap.sh

report() { # desc, output: ok when output is empty
	if [ -z "$2" ]; then
		ok 0 "$1"
	else
		ok 1 "$1"
		printf '%s\n' "$2" | head -n 30 | diag_stdin
	fi
}

kfiles=$(ls module/*.c module/*.h 2>/dev/null)
if [ -n "$kfiles" ]; then
	# shellcheck disable=SC2086
	report "checkpatch --strict is clean on module/" "$(scripts/checkpatch $kfiles 2>&1 | grep -v '^total:' | grep -E 'ERROR|WARNING|CHECK')"
	for k in $(vm/kernels); do
		out=$(scripts/build-module "$k" C=2 2>&1 | grep -E 'warning:|error:' || true)
		report "sparse (make C=2) is clean on module/ for $k" "$out"
	done
fi

ufiles=$(ls workloads/*.c workloads/lib/*.c tests/harness/*.c tests/unit/*.c 2>/dev/null; ls bpf/*.c 2>/dev/null | grep -v '\.bpf\.c$')
inc=(-Itests/harness -Ibpf -Ibuild/bpf -Ibuild/bpf/include)
# cppcheck is not given build/bpf: the generated vmlinux.h and skeleton take
# it many minutes and are not our code.  LIBBPF_OPTS comes from libbpf.
cpp_inc=(-Itests/harness -Ibpf --include=/usr/include/bpf/libbpf_common.h)
if [ -n "$ufiles" ]; then
	out=$(for f in $ufiles; do clang-tidy --quiet "$f" -- -std=c11 -D_GNU_SOURCE "${inc[@]}" 2>/dev/null; done | grep -E 'warning:|error:' || true)
	report "clang-tidy has nothing to say about user-space code" "$out"
	# shellcheck disable=SC2086
	out=$(timeout 300 cppcheck -q --std=c11 --max-configs=1 \
		--enable=warning,style,performance,portability \
		--suppress=missingIncludeSystem --suppress=missingInclude \
		--suppress=unusedFunction --inline-suppr \
		-D_GNU_SOURCE "${cpp_inc[@]}" $ufiles 2>&1) || out="${out:-cppcheck failed or timed out}"
	report "cppcheck has nothing to say about user-space code" "$out"
fi

missing=$(git ls-files '*.c' '*.h' '*.sh' '*.t' '*.bt' 'Makefile' '*.mk' 'Kbuild' 'vm/*' 'scripts/*' 'tests/run' 2>/dev/null |
	while read -r f; do [ -f "$f" ] && ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier' && echo "$f"; done)
report "every source file has an SPDX line" "$missing"
tracked=$(git ls-files | grep -E '(\.ko|\.o|\.mod\.c|\.skel\.h|(^|/)vmlinux\.h|\.cpio(\.gz)?|\.bpf\.o)$' || true)
report "no generated file is tracked by git" "$tracked"
done_testing
