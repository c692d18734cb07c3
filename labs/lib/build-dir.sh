# SPDX-License-Identifier: GPL-2.0
# A build's output directory, made whole or not at all, for
# build-lab-module and build-lab-program.  coding-prebuild builds side by
# side, and two variants may have the same sources, so each build fills a
# directory of its own and renames it into place: the first to finish
# wins, and an identical build is discarded.  Sourced.
#
#   build_dir_open OUT     make $tmp beside OUT, removed on exit unless placed
#   build_dir_place OUT    rename $tmp to OUT, unless another build got there

build_dir_open() {
	mkdir -p "$(dirname "$1")"
	tmp=$(mktemp -d "$1.tmp.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# mktemp makes it 0700; the placed directory gets mkdir's mode.
	chmod "$(printf '%o' $((0777 & ~$(umask))))" "$tmp"
}

build_dir_place() {
	mv -T "$tmp" "$1" 2>/dev/null || [ -f "$1/build.status" ]
}
