#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# dtape: device nodes, sysfs, exclusive open, O_NONBLOCK, BTF, tracepoints,
# the debugfs copy-bound knob, and module parameter checks.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/dtape-lib.sh"
require_dtape_build

load_fresh_dtape drives=2
ok $? "dtape loads with drives=2"
# From here on; the first load of a boot always logs a taint warning.
dmesg_mark
for n in dtape0 ndtape0 dtape1 ndtape1; do
	is "$(stat -c '%F %a' /dev/$n 2>&1)" "character special file 660" "/dev/$n is a char device, mode 0660"
done
is "$(( $(stat -c '0x%T' /dev/ndtape0) - $(stat -c '0x%T' /dev/dtape0) ))" 128 \
	"the no-rewind node is minor + 128, as with st"
is "$(cat $SYS/capacity_bytes)" $((64 << 20)) "default capacity is 64 MiB"
is "$(cat $PARAMS/mode)" auto "default mode is auto"
is "$(cat $PARAMS/dma_alignment)" 4 "default DMA alignment is 4, as st on x86 SCSI"
ok "$([ -e /sys/kernel/btf/dtape ] && echo 0 || echo 1)" "dtape carries BTF (/sys/kernel/btf/dtape)"

# Exclusive open, across both nodes of a drive, not across drives.
exec 3<"$TAPE"
is "$("$TAPEPROBE" "$RTAPE" read 10)" "errno=EBUSY" "a second open of the drive gets EBUSY"
is "$("$TAPEPROBE" /dev/ndtape1 read 10)" "result=0" "drive 1 is independent of drive 0"
fails "mt status on a busy drive fails" mt -f "$TAPE" status
exec 3<&-
check "mt status works once the drive is closed" mt -f "$TAPE" status

# mt opens O_NONBLOCK for status and setblk; that works offline too.
mt -f "$TAPE" offline
is "$(mt_flags)" "DR_OPEN" "after mt offline, status reports no tape (DR_OPEN)"
check "mt setblk works on an offline drive (O_NONBLOCK open)" mt -f "$TAPE" setblk 0
is "$("$TAPEPROBE" "$TAPE" read 10)" "result=0" "a blocking open reloads the cartridge"
is "$(mt_flags)" "BOT EOD ONLINE" "the drive is online again, at BOT (= EOD, the tape is empty)"

# Bad parameters are refused at load time and at run time.
rmmod dtape
for p in drives=0 drives=33 capacity_mb=0 "capacity_mb=1 early_warning_kb=1024" mode=bogus dma_alignment=3; do
	read -ra args <<<"$p"
	fails "insmod refuses $p" insmod "$DTAPE_KO" "${args[@]}"
	rmmod dtape 2>/dev/null
done
load_dtape mode=legacy dma_alignment=4096 capacity_mb=8
is "$(cat $PARAMS/mode) $(cat $PARAMS/dma_alignment) $(cat $SYS/capacity_bytes)" \
	"legacy 4096 $((8 << 20))" "parameters given at load time take effect"
echo bogus >$PARAMS/mode 2>/dev/null
is "$(cat $PARAMS/mode)" legacy "writing an unknown mode is refused"
echo 12 >$PARAMS/dma_alignment 2>/dev/null
is "$(cat $PARAMS/dma_alignment)" 4096 "a DMA alignment that is not a power of 2 is refused"
# The refusals above are logged as warnings, on purpose.
dmesg_mark
set_mode auto
echo 4 >$PARAMS/dma_alignment

# Tracepoints: each event fires with address, length, pages and path.
T=/sys/kernel/tracing
echo 0 >$T/tracing_on
echo >$T/trace
echo 1 >$T/events/dtape/enable
echo 1 >$T/tracing_on
"$TAPEIO" -q -r -s 8192 -n 1 roundtrip
"$TAPEIO" -q -r -o 1 -s 8192 -n 1 write
echo 0 >$T/tracing_on
echo 0 >$T/events/dtape/enable
trace=$(cat $T/trace)
# Back to the default: the files after this one in the same boot trace too.
echo 1 >$T/tracing_on
for ev in pin unpin transfer fallback; do
	echo "$trace" | grep -q "dtape_$ev: drive=0 uaddr=0x[0-9a-f]* len=8192 pages=[23] "
	ok $? "tracepoint dtape_$ev fires with uaddr, len and pages"
done
echo "$trace" | grep -q "dtape_transfer: .* path=direct dir=write block=[0-9]*$"
ok $? "dtape_transfer names the path, the direction and the tape block"
echo "$trace" | grep -Eq "dtape_pin: .* pages=([23]) path=direct dir=read got=\1$"
ok $? "dtape_pin says how many of the pages it got"
echo "$trace" | grep -q "dtape_unpin: .* path=direct dir=read dirty=1$"
ok $? "dtape_unpin marks a read's pages dirty"
echo "$trace" | grep -q "dtape_unpin: .* path=direct dir=write dirty=0$"
ok $? "dtape_unpin leaves a write's pages clean"
echo "$trace" | grep -q "dtape_fallback: .* path=direct dir=write reason=misaligned$"
ok $? "dtape_fallback names the path it could not take, and why"

# diotrace reads these events' arguments by position, and bpftrace their
# fields by name: both as module/dtape_abi.h lists them. The fields of a
# DECLARE_EVENT_CLASS are in TP_PROTO's order.
abi_fields() { # the field names in the comments of enum $1
	sed -n "/^enum $1 {/,/^};/s/^\t[A-Z_]*\( = [A-Z_]* + 1\)\{0,1\},[[:space:]]*\/\* \([a-z_]*\).*/\2/p" \
		"$DIOLAB_ROOT/module/dtape_abi.h" | xargs
}
tp_fields() { # the fields of tracepoint $1, in order
	sed -n 's/^\tfield:[^;]* \([a-z_]*\);.*/\1/p' "$T/events/dtape/$1/format" | grep -v '^common_' | xargs
}
pages=$(abi_fields dtape_pages_arg)
is "$pages" "drive uaddr len nr_pages path to_medium value" "dtape_abi.h lists the pages events' arguments"
for ev in pin unpin transfer fallback; do
	is "$(tp_fields dtape_$ev)" "$pages" "dtape_$ev's fields are in dtape_abi.h's order"
done
first=$(abi_fields dtape_pages_arg | cut -d' ' -f1-3)
is "$(tp_fields dtape_submit)" "$first $(abi_fields dtape_submit_arg)" "dtape_submit's fields are in dtape_abi.h's order"
is "$(tp_fields dtape_complete)" "$first $(abi_fields dtape_complete_arg)" "dtape_complete's fields are in dtape_abi.h's order"
is "$(tp_fields dtape_stall)" "$(abi_fields dtape_stall_arg)" "dtape_stall's fields are in dtape_abi.h's order"

# tapeio --huge: a buffer of transparent huge pages (bench/dtape.bench's
# direct-huge path).  The pins are still counted in 4 KiB pages.
out=$("$TAPEIO" -j -H -N -r -m direct -e direct -s 1M -n 4 write)
ok $? "tapeio --huge writes 4 records of 1 MiB through the direct path"
is "$(jq -r '[.huge, .thp_bytes >= 2097152, .stats.pages_pinned] | join(" ")' <<<"$out" 2>/dev/null)" "true true 1024" \
	"... from a buffer the kernel backs with huge pages ($(jq -r .thp_bytes <<<"$out" 2>/dev/null) bytes; THP $(cat /sys/kernel/mm/transparent_hugepage/enabled)), pinning 1024 pages"

# The single-copy bound for the benchmark.
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
check "the copy_bound knob accepts SIZE ITERATIONS" \
	sh -c 'echo "65536 16" >/sys/kernel/debug/dtape/copy_bound'
grep -Eq '^size=65536 iterations=16 ns=[1-9][0-9]*$' /sys/kernel/debug/dtape/copy_bound
ok $? "copy_bound reports the time taken"
fails "copy_bound refuses a zero size" sh -c 'echo "0 1" >/sys/kernel/debug/dtape/copy_bound'
# The user-copy bound: each write() is one timed copy into bounce pages.
check "user_copy_bound takes 16 writes of 64 KiB from dd" \
	dd if=/dev/zero of=/sys/kernel/debug/dtape/user_copy_bound bs=64k count=16 conv=notrunc status=none
grep -Eq '^bytes=1048576 copies=16 ns=[1-9][0-9]*$' /sys/kernel/debug/dtape/user_copy_bound
ok $? "user_copy_bound reports the bytes, the copies and the time taken ($(cat /sys/kernel/debug/dtape/user_copy_bound))"
max=$(( $(cat /sys/module/dtape/parameters/max_record_kb) * 1024 ))
err=$(dd if=/dev/zero of=/sys/kernel/debug/dtape/user_copy_bound bs=$((max + 4096)) count=1 conv=notrunc status=none 2>&1)
is "$?:$(grep -c 'Invalid argument' <<<"$err")" 1:1 "user_copy_bound refuses a record over max_record_kb with EINVAL ($err)"
: >>/sys/kernel/debug/dtape/user_copy_bound
grep -Eq '^bytes=1048576 copies=16 ns=' /sys/kernel/debug/dtape/user_copy_bound
ok $? "... and neither that nor an open with no write replaces the last measurement"

all_balanced_ok "the basic checks"
rmmod dtape
ok $? "dtape unloads"
dmesg_clean_ok
done_testing
