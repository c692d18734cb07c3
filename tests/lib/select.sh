# SPDX-License-Identifier: GPL-2.0
# T= selection, shared by tests/run (host) and tests/vm/run-all (guest).
# wanted FILTER NAME: FILTER is empty (every file) or a comma list of
# substrings; NAME is wanted when it contains any of them.
wanted() {
	local p
	[ -z "$1" ] && return 0
	for p in ${1//,/ }; do [[ "$2" == *"$p"* ]] && return 0; done
	return 1
}
