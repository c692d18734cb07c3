#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The guest environment the labs rely on.
. "$DIOLAB_ROOT/tests/lib/guest.sh"

for fs in proc sysfs devtmpfs tracefs debugfs bpf; do
	grep -q " $fs " /proc/mounts
	ok $? "$fs is mounted"
done
is "$(ulimit -l)" unlimited "locked-memory limit is unlimited"
is "$(cat <(echo process-substitution))" process-substitution "/dev/fd exists, so bash's <(...) works"
touch /tmp/x /mnt/x "$DIOLAB_ROOT/build/.guest-write-check"
ok $? "/tmp, /mnt and the project tree are writable"
rm -f "$DIOLAB_ROOT/build/.guest-write-check"
! touch /usr/.labvm-ro 2>/dev/null
ok $? "the host root is read-only"
ok "$([ -e /sys/kernel/btf/vmlinux ] && echo 0 || echo 1)" "the kernel has BTF"

for fs in vfat ext4 xfs; do
	dev=$("$LABFS" "$fs" "/mnt/$fs" 2>&1)
	ok $? "labfs makes and mounts $fs ($dev)"
	dd if=/dev/urandom of=/tmp/src bs=64k count=4 status=none
	dd if=/tmp/src of="/mnt/$fs/f" bs=64k oflag=direct status=none
	ok $? "an O_DIRECT write on $fs works"
	"$LABFS" --umount "/mnt/$fs"
	ok $? "labfs unmounts $fs"
done

# --write-delay: ext4 over a delay target; a direct write waits its second.
dev=$("$LABFS" --write-delay 1000 ext4 /mnt/slow 2>&1)
[[ "$dev" == /dev/mapper/labfs-ram* ]] && grep -q "^$dev /mnt/slow ext4 " /proc/mounts
ok $? "labfs --write-delay makes and mounts ext4 on a delayed ramdisk ($dev)"
t0=$(date +%s%N)
dd if=/tmp/src of=/mnt/slow/f bs=4k count=1 oflag=direct,dsync conv=notrunc status=none
ok $? "an O_DIRECT write on it works"
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -ge 1000 ]
ok $? "... and takes at least the 1000 ms delay (${ms} ms)"
"$LABFS" --umount /mnt/slow
ok $? "labfs unmounts it"
! dmsetup info "${dev##*/}" >/dev/null 2>&1 && [ ! -e "/run/labfs/ram${dev##*labfs-ram}" ]
ok $? "... removing ${dev##*/} and giving its ramdisk back"

# A module built by the Makefile loads and unloads.
if [ -f "$DTAPE_KO" ]; then
	insmod "$DTAPE_KO"
	ok $? "dtape.ko built for $KREL loads"
	ok "$([ -e /sys/kernel/btf/dtape ] && echo 0 || echo 1)" "dtape.ko carries module BTF"
	rmmod dtape
	ok $? "dtape unloads"
else
	ok 1 "dtape.ko was built for $KREL ($DTAPE_KO)"
fi

# bpftrace 0.17 spells fentry "kfunc:".  dd with status=none makes exactly
# 5 write() calls to /dev/null, so the count is known.
out=$(timeout 120 bpftrace -e 'kfunc:vfs_write /pid == cpid/ { @writes = count(); }' \
	-c '/bin/dd if=/dev/zero of=/dev/null bs=1 count=5 status=none' 2>&1)
echo "$out" | grep -q '^@writes: 5$'
r=$?
ok $r "a bpftrace kfunc: probe attaches and counts dd's 5 writes"
[ $r = 0 ] || printf '%s\n' "$out" | diag_stdin

# vm/labvm boots TCG guests with norandmaps: TCG keys translated code by
# virtual address, so a program mapped where the last one was reuses its
# code.  Under KVM, which translates nothing, mappings stay randomized.
libc_at() { awk '/libc\.so/ { sub(/-.*/, ""); print; exit }' /proc/self/maps; }
a=$(libc_at) b=$(libc_at)
if grep -q 'QEMU TCG CPU' /proc/cpuinfo; then
	[ -n "$a" ] && [ "$a" = "$b" ]
	ok $? "under TCG two processes map libc at the same address ($a, $b)"
else
	[ -n "$a" ] && [ "$a" != "$b" ]
	ok $? "under KVM two processes map libc at different addresses ($a, $b)"
fi

# ... and with the crypto API's self-tests off (cryptomgr.notests), about a
# second of every boot under TCG; under KVM the boot is the stock one.
notests=$(cat /sys/module/cryptomgr/parameters/notests 2>&1)
if grep -q 'QEMU TCG CPU' /proc/cpuinfo; then
	is "$notests" Y "under TCG the crypto self-tests are off"
else
	is "$notests" N "under KVM the crypto self-tests run"
fi

done_testing
