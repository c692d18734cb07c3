# SPDX-License-Identifier: GPL-2.0
# Helpers for the diotrace in-VM tests.  Source after tests/lib/guest.sh.  Trees are checked from `diotrace --json` output.

DIOTRACE=$BIN/diotrace
DIOLOAD=$BIN/dioload
DT_OUT=${DT_OUT:-/tmp/diotrace.json}

# The pinning API this kernel's DIO uses: FOLL_PIN once iov_iter_extract_pages
# exists (it replaced iov_iter_get_pages2 in the DIO paths), FOLL_GET before.
if ksym iov_iter_extract_pages; then
	PIN_FN=pin_user_pages_fast PIN_KIND=PIN
else
	PIN_FN=get_user_pages_fast PIN_KIND=GET
fi

dt_require() {
	[ -x "$DIOTRACE" ] && [ -x "$DIOLOAD" ] || {
		echo "1..0 # SKIP diotrace or dioload not built (make)"
		exit 0
	}
}

# For the dtape scenarios: the built module and tests/vm/dtape-lib.sh.
dt_require_dtape() {
	[ -f "$DTAPE_KO" ] || { echo "1..0 # SKIP $DTAPE_KO not built (make)"; exit 0; }
	. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
}

# dt_progs_left: how many of diotrace's BPF programs are loaded (a link
# holds its program, so none left means no link left either); "bpftool
# failed" when it cannot say.
dt_progs_left() {
	local l
	l=$(bpftool prog list 2>&1) || { echo "bpftool failed: $l"; return; }
	grep -cE 'name (fe|fx|kp|kr|kpm|kps|tp|rtp)_' <<<"$l"
}

# dt_trace CMD...: trace CMD (and its children) into $DT_OUT; ok if it ran.
dt_trace() {
	local rc what
	# DT_SYNC=1: wait for the detach (ftrace is busy until it is done);
	# DT_CHROME=FILE: a timeline too
	"$DIOTRACE" --json ${DT_SYNC:+--sync-detach} ${DT_CHROME:+--chrome-trace "$DT_CHROME"} -o "$DT_OUT" \
		-- "$@" >/tmp/dt-cmd.out 2>/tmp/dt-cmd.err
	rc=$?
	what=$(printf '%s' "$*" | tr '\n' ';' | cut -c1-70)
	ok "$rc" "diotrace ran the workload ($what)"
	[ "$rc" = 0 ] || { diag "stderr:"; tail -n 20 /tmp/dt-cmd.err | diag_stdin; }
	return 0
}

# dt_tree PATH SYSCALL [EXTRA_JQ_FILTER]: the last matching tree, compact JSON.
dt_tree() {
	jq -c --arg p "$1" --arg s "$2" \
		"select(.type==\"syscall\" and .path==\$p and .syscall==\$s)${3:+ | select($3)}" \
		"$DT_OUT" | tail -n 1
}

# dt_chain_ok DESC TREE PATTERN...: the tree's call order contains the
# patterns as a subsequence; a pattern is a regex such as "a|b".
dt_chain_ok() {
	local desc=$1 tree=$2 got
	shift 2
	if [ -z "$tree" ]; then
		ok 1 "$desc"
		diag "no such tree in $DT_OUT"
		return 0
	fi
	got=$(jq -r --args '
		def subseq($c; $p):
			reduce $c[] as $f ({i: 0};
				. as $s
				| if $s.i < ($p|length) and ($f | test("^(" + $p[$s.i] + ")$"))
				  then .i += 1 else . end)
			| .i == ($p|length);
		if subseq(.chain; $ARGS.positional) then "yes" else "no" end' "$@" <<<"$tree")
	if [ "$got" = yes ]; then
		ok 0 "$desc"
	else
		ok 1 "$desc"
		diag "want (in order): $*"
		diag "chain: $(jq -c .chain <<<"$tree")"
	fi
}

# dt_chain_lacks DESC TREE FN: FN must not appear.
dt_chain_lacks() {
	local n
	n=$(jq --arg f "$3" '[.chain[] | select(. == $f)] | length' <<<"$2" 2>/dev/null)
	is "${n:-missing}" 0 "$1"
}

# dt_field TREE JQ: print one field.
dt_field() { jq -r "$2" <<<"$1" 2>/dev/null; }

dt_no_lost_ok() {
	is "$(jq -r 'select(.type=="end") | .lost' "$DT_OUT")" 0 "no events lost${1:+ ($1)}"
}

# dt_no_missing_ok TREE DESC: the tree has no "step never fired" notes.
dt_no_missing_ok() {
	is "$(jq -r '[.notes[] | select(.kind=="missing")] | length' <<<"$1" 2>/dev/null)" 0 \
		"no expected step is missing ($2)"
}

# Standard scenarios on one file system mounted at $1 (fs name in $2).
#   d.bin: aligned 64 KiB O_DIRECT overwrite     b.bin: buffered 4 KiB write
#   n.bin: extending O_DIRECT write (new file)   m.bin: misaligned O_DIRECT
#   r.bin: aligned 64 KiB O_DIRECT read
dt_fs_prepare() {
	local m=$1 f
	for f in d b m r; do
		dd if=/dev/urandom of="$m/$f.bin" bs=64k count=1 status=none
	done
	sync
}

dt_fs_workload() {
	local m=$1
	cat <<EOF
$DIOLOAD write $m/d.bin 0 65536 direct
$DIOLOAD write $m/b.bin 0 4096
$DIOLOAD write $m/n.bin 0 4096 direct
$DIOLOAD write $m/m.bin 0 100 direct misalign 1
$DIOLOAD read $m/r.bin 0 65536 direct
EOF
}

# ft_pwrite -l FUNC... -- CMD...: CMD's calls of those functions under
# __x64_sys_pwrite64, as function_graph draws them, into /tmp/ft.txt; fails
# if trace-cmd or CMD does.  trace-cmd start, show and reset, not record:
# record saves every event's format with its trace, 3,400 tracefs files
# opened and closed, which took 15-21 s of a 6.12 guest under TCG against
# 7 s for these three.  CMD waits on a FIFO until tracing has started, and
# only its pid is traced.
ft_pwrite() {
	local filters=() pid rc
	while [ "$1" != -- ]; do filters+=("$1"); shift; done
	shift
	rm -f /tmp/ft.go /tmp/ft.txt
	mkfifo /tmp/ft.go
	(read -r _ </tmp/ft.go && exec "$@") >/dev/null 2>&1 &
	pid=$!
	trace-cmd start -p function_graph -P "$pid" -g __x64_sys_pwrite64 "${filters[@]}" >/dev/null 2>&1
	rc=$?
	echo go >/tmp/ft.go
	wait "$pid" || rc=$((rc ? rc : 1))
	trace-cmd stop >/dev/null 2>&1
	trace-cmd show >/tmp/ft.txt 2>/dev/null || rc=$((rc ? rc : 1))
	trace-cmd reset >/dev/null 2>&1
	return "$rc"
}

# dt_ftrace_check FS: trace one O_DIRECT pwrite with diotrace and with
# trace-cmd's function_graph (ft_pwrite); diotrace's order must be a
# subsequence of ftrace's.
dt_ftrace_check() {
	local fs=$1 M chain n ftrace m missing f filters unknown
	M=/tmp/dt-ft-$fs
	mkdir -p $M
	check "labfs $fs" "$LABFS" $fs $M
	dd if=/dev/urandom of=$M/x.bin bs=64k count=1 status=none
	sync
	DT_SYNC=1 dt_trace "$DIOLOAD" write $M/x.bin 0 65536 direct
	chain=$(jq -c "select(.type==\"syscall\" and .path==\"$M/x.bin\") | .chain" "$DT_OUT" | tail -n1)
	n=$(jq length <<<"${chain:-[]}")
	[ "${n:-0}" -ge 8 ]; ok $? "$fs: diotrace saw the chain ($n functions)"

	# same page-cache state as the traced run: cached and clean
	dd if=/dev/urandom of=$M/x.bin bs=64k count=1 conv=notrunc status=none
	sync
	# function_graph limited to the syscall and the functions diotrace
	# named: ftrace still decides their order on its own, and patching a
	# few dozen call sites instead of every function in the kernel keeps
	# the run short (and off a TCG livelock seen while patching them all).
	filters=(-l __x64_sys_pwrite64)
	unknown=
	# "name" or, for a module's function, "name [module]"
	cut -d' ' -f1 /sys/kernel/tracing/available_filter_functions >/tmp/ft-funcs
	for f in $(jq -r '.[]' <<<"${chain:-[]}" | sort -u); do
		if grep -qxF "$f" /tmp/ft-funcs; then
			filters+=(-l "$f")
		else
			unknown+=" $f"
		fi
	done
	is "$unknown" "" "$fs: every function diotrace named is one ftrace can trace"
	ft_pwrite "${filters[@]}" -- "$DIOLOAD" write $M/x.bin 0 65536 direct
	ok $? "$fs: trace-cmd traced the same pwrite"
	# "name();", "name() {", "name [module]() {"
	ftrace=$(sed -nE 's/.*\|[[:space:]]*([A-Za-z0-9_.]+)( \[[A-Za-z0-9_]+\])?\(\).*/\1/p' /tmp/ft.txt |
		jq -R -s -c 'split("\n") | map(select(length > 0))')
	m=$(jq length <<<"${ftrace:-[]}")
	[ "${m:-0}" -ge "${n:-0}" ]; ok $? "$fs: function_graph saw $m calls"
	missing=$(jq -n -r --argjson c "${chain:-[]}" --argjson f "${ftrace:-[]}" '
		reduce $c[] as $x ({i: 0, miss: null};
			if .miss then . else
				(. as $s | ($f[$s.i:] | index($x))) as $k
				| if $k == null then .miss = $x else .i += $k + 1 end
			end) | .miss // ""')
	is "$missing" "" "$fs: diotrace's call order is a subsequence of function_graph's"
	"$LABFS" --umount $M >/dev/null 2>&1
	if [ -n "$missing" ]; then
		diag "diotrace: $chain"
		diag "ftrace:   $(jq -c 'map(select(test("filemap|invalidate|iomap|dio|bio|pin|pages|write_iter|direct")))' <<<"$ftrace")"
	fi
}

# dt_mmap_check FS: the mmap-invalidation lab on FS (see diotrace-mmap-*.t).
dt_mmap_check() {
	local fs=$1 M t mapper writer who dropped rf n
	M=/tmp/dt-mmap-$fs
	mkdir -p $M
	check "labfs $fs" "$LABFS" $fs $M
	dd if=/dev/zero of=$M/map.bin bs=64k count=1 status=none
	sync
	# dioload maps the file, then forks the direct writer: both are called
	# dioload, so only pids tell them apart.
	dt_trace sh -c "echo \$\$ >/tmp/dt-mapper.pid; exec $DIOLOAD mmap $M/map.bin"
	mapper=$(cat /tmp/dt-mapper.pid)
	grep -q 'after: page0=Z page1=Z' /tmp/dt-cmd.out
	ok $? "$fs: the mapping shows the direct write's data after the refault"
	dt_no_lost_ok "$fs mmap"

	t=$(dt_tree $M/map.bin pwrite64)
	dt_chain_ok "$fs: flush, then invalidate with unmap, then the direct write" "$t" \
		'filemap_write_and_wait_range(\.part\.0)?' invalidate_inode_pages2_range \
		unmap_mapping_pages "$PIN_FN" submit_bio
	# ext4 writes the mmap-dirtied page back with a bio in the writer's
	# context.  So does vfat on 6.12; on 6.1 function_graph shows vfat's
	# write_cache_pages clearing the dirty bit with no bio from the writer,
	# so there is nothing to annotate.
	local flushes=1
	[[ $fs == vfat && $(uname -r) == 6.1.* ]] && flushes=0
	is "$(dt_field "$t" '[.. | objects | select((.fn? // "") | test("^(filemap_write_and_wait_range|__filemap_fdatawrite_range)"))
		| .. | objects | select(.fn? == "submit_bio")] | if length > 0 then 1 else 0 end')" $flushes \
		"$fs on $(uname -r): the writer's flush $( ((flushes)) && echo sends || echo sends no) writeback bio"
	is "$(dt_field "$t" '[.notes[] | select(.kind=="flush")] | length')" $flushes \
		"$fs: $flushes 'dirty pages flushed before the direct write' annotation(s)"
	((flushes == 0)) || dt_chain_ok "$fs: the dirty page is written back before the invalidation" "$t" \
		'filemap_write_and_wait_range(\.part\.0)?' submit_bio invalidate_inode_pages2_range
	is "$(dt_field "$t" '[.notes[] | select(.kind=="unmap" and (.text|test("unmapped")))] | length')" 1 \
		"$fs: annotated 'mapped pages were unmapped'"
	writer=$(dt_field "$t" '.pid')
	[[ -n "$writer" && -n "$mapper" && "$writer" != "$mapper" ]]
	ok $? "$fs: the direct write is the forked child's ($writer), not the mapper's ($mapper)"
	who=$(dt_field "$t" '[.notes[] | select(.kind=="unmap" and (.text|test("had the file mapped")))][0].text')
	[[ "$who" == *" $mapper(dioload)"* ]]; ok $? "$fs: names the mapper, pid $mapper, as having the file mapped ($who)"
	dropped=$(dt_field "$t" '.pages_dropped')
	[ "${dropped:-0}" -ge 2 ]; ok $? "$fs: both pages dropped from the page cache ($dropped)"
	is "$(dt_field "$t" '.fallback')" false "$fs: the write stayed direct"

	rf=$(jq -c 'select(.type=="refault")' "$DT_OUT")
	n=$(jq -s 'map(select(.index==0 or .index==1)) | length' <<<"$rf")
	[ "${n:-0}" -ge 1 ]; ok $? "$fs: refault reported for the dropped pages ($n)"
	is "$(jq -r '.dropped_by_pid' <<<"$rf" | sort -u | tr '\n' ' ')" "$writer " \
		"$fs: refaults attributed to the direct writer's pid"
	is "$(jq -r '.pid' <<<"$rf" | sort -u | tr '\n' ' ')" "$mapper " "$fs: the faulting process is the mapper"
	"$LABFS" --umount $M >/dev/null 2>&1
}

# dt_premapped_check FS: a process that mapped the file before diotrace
# started is still named (diotrace seeds its list from /proc/PID/maps).
dt_premapped_check() {
	local fs=$1 M hp who t
	M=/tmp/dt-pre-$fs
	mkdir -p $M
	check "labfs $fs" "$LABFS" $fs $M
	dd if=/dev/zero of=$M/map.bin bs=64k count=1 status=none
	sync
	"$DIOLOAD" hold $M/map.bin >/tmp/hold.out &
	hp=$!
	for _ in $(seq 300); do grep -q mapped /tmp/hold.out && break; sleep 0.1; done
	dt_trace "$DIOLOAD" write $M/map.bin 0 8192 direct
	kill -USR1 $hp
	wait $hp
	ok $? "$fs: the early mapper ran to its end"
	grep -q 'after: page0=Z page1=Z' /tmp/hold.out
	ok $? "$fs: the early mapper sees the direct write's data"
	t=$(dt_tree $M/map.bin pwrite64)
	who=$(dt_field "$t" '[.notes[] | select(.kind=="unmap" and (.text|test("had the file mapped")))][0].text')
	[[ "$who" == *"$hp(dioload)"* ]]
	ok $? "$fs: names the process that mapped the file before diotrace started ($who)"
	"$LABFS" --umount $M >/dev/null 2>&1
}

# The bpftrace companions' tests: skip without bpftrace, else an ext4
# ramdisk at $M with a 64 KiB file f.bin, and $S for the scripts.
dt_bt_setup() {
	command -v bpftrace >/dev/null || { echo "1..0 # SKIP bpftrace not installed"; exit 0; }
	S=$DIOLAB_ROOT/bpf/bpftrace
	M=/tmp/dt-bt
	mkdir -p $M
	check "labfs ext4" "$LABFS" ext4 $M
	dd if=/dev/zero of=$M/f.bin bs=64k count=1 status=none
	sync
}
