#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# tests/run's kernel suite (tests/lib/vm-suite.sh) when the guest dies,
# with a stand-in for vm/labvm whose guest runs three files and dies in
# the second with a console log from tests/data/guest-crashes/ (the
# guest's side is the real tests/vm/run-all, on three stand-in files):
#   a death outside the kit's modules reruns that file once on a fresh
#   boot, and the rerun decides its result; the crash is listed;
#   a second death there fails it, and the suite goes on after it;
#   a death in dtape fails at once, saying where, and is not rerun;
# and the report and module checks on the crash logs themselves.
. "$(dirname "$0")/../lib/host.sh"
. vm/kernel-paths
. tests/lib/vm-suite.sh

crashes=tests/data/guest-crashes
mkdir -p build/tmp
is "$(crash_report $crashes/double-fault-6.12.log)" \
	"Oops: double fault: 0000 [#1] PREEMPT SMP NOPTI at kmem_cache_alloc_noprof+0xc3/0x2f0" \
	"crash report: a double fault at boot, and where"
is "$(crash_report $crashes/oops-in-dtape-6.1.log)" \
	"BUG: unable to handle page fault for address: ffffc90000a41000 at memcpy_orig+0x31/0x140" \
	"crash report: the first line of the report, not the panic after it"
is "$(crash_report $crashes/oops-cryptomgr-boot-6.12.log)" \
	"BUG: kernel NULL pointer dereference, address: 0000000000000000 at wake_up_q+0x34/0x90" \
	"crash report: a NULL dereference in a kthread at boot"
kit_in_crash $crashes/double-fault-6.12.log
is $? 1 "a crash with no module loaded is outside the kit"
kit_in_crash $crashes/oops-beside-dtape-6.12.log
is $? 1 "a crash with dtape loaded but not in the call trace is outside the kit"
kit_in_crash $crashes/oops-cryptomgr-boot-6.12.log
is $? 1 "an oops at boot, before the command (cryptomgr_test, in host/labvm.t's first boot), is outside the kit"
kit_in_crash $crashes/oops-in-dtape-6.1.log
is $? 0 "a crash with dtape in the call trace is the kit's"
: >build/tmp/empty-console.log
is "$(crash_report build/tmp/empty-console.log)" "" "a console log without a report gives no report"

# The stand-in: the real tests/vm/run-all in a tree whose tests/vm has
# a.t, b.t and c.t; b.t "takes the guest down" FAKE_TIMES times: it leaves
# a mark, and the stand-in kills the run and writes the console log.
root=$top/build/tmp/vm-suite-tree
rm -rf "$root" && mkdir -p "$root/tests/vm" "$root/tests/lib" "$root/vm"
cp tests/vm/run-all "$root/tests/vm/"
cp tests/lib/select.sh "$root/tests/lib/"
cp vm/kernel-paths "$root/vm/"
for f in a c; do
	printf '#!/bin/sh\necho "ok 1 - %s.t starts"\necho "ok 2 - %s.t ends"\necho 1..2\n' $f $f >"$root/tests/vm/$f.t"
done
cat >"$root/tests/vm/b.t" <<'EOF'
#!/usr/bin/env bash
echo "ok 1 - b.t starts"
n=$(cat "$FAKE_STATE" 2>/dev/null || echo 0)
if [ "$n" -lt "$FAKE_TIMES" ]; then
	echo $((n + 1)) >"$FAKE_STATE"
	: >"$FAKE_ROOT/died"
	exec sleep 60
fi
echo "ok 2 - b.t ends"
echo 1..2
EOF
chmod +x "$root"/tests/vm/*.t
fake=build/tmp/fake-labvm
cat >"$fake" <<'EOF'
#!/usr/bin/env bash
echo "$*" >"$FAKE_STATE.args"
while [ "$1" != -- ]; do
	case $1 in
	--log) clog=$2; shift 2 ;;
	--kernel | --timeout | --quiet-limit) shift 2 ;;
	*) shift ;;
	esac
done
: >"$clog"
rm -f "$FAKE_ROOT/died"
n=$(cat "$FAKE_STATE.boot" 2>/dev/null || echo 0)
if [ "$n" -lt "${FAKE_BOOT_TIMES:-0}" ]; then
	echo $((n + 1)) >"$FAKE_STATE.boot"
	cat "$FAKE_OOPS" >"$clog"
	exit 125
fi
DIOLAB_ROOT=$FAKE_ROOT "$FAKE_ROOT/tests/vm/run-all" "${@:3}" &
pid=$!
while kill -0 $pid 2>/dev/null; do
	if [ -e "$FAKE_ROOT/died" ]; then
		pkill -KILL -f "$FAKE_ROOT/tests/vm/"
		pkill -KILL -f "sleep 60"
		cat "$FAKE_OOPS" >"$clog"
		exit 125
	fi
	sleep 0.1
done
wait $pid
EOF
chmod +x "$fake"

# suite OOPS TIMES [BOOT_TIMES [PART NAME]]: the fake kernel's suite (the
# guest dies at boot BOOT_TIMES times), or its part; its TAP in
# build/tmp/suite.tap, its stderr progress in build/tmp/suite.progress,
# tapsum's verdict printed.
results=$top/build/tmp/vm-suite-results T=
suite() {
	rm -rf "$results" build/tmp/fake-state* && mkdir -p "$results"
	FAKE_BOOT_TIMES=${3:-0} LABVM=$fake FAKE_ROOT=$root FAKE_OOPS=$top/$crashes/$1 FAKE_TIMES=$2 FAKE_STATE=$top/build/tmp/fake-state \
		vm_suite fake "${@:4}" 3>build/tmp/suite.progress >build/tmp/suite.tap 2>&1
	build/bin/tapsum <build/tmp/suite.tap | tail -n 1
}

is "$(suite double-fault-6.12.log 1)" "8 passed, 0 failed" \
	"died once outside the kit: b.t runs again and passes; every file counts once"
grep -qx '# (the guest died here) # diolab-file: vm/[^/]*/b.t' build/tmp/suite.tap
ok $? "... the first, unfinished b.t stays in the log as comments"
grep -q 'ok 1 - the guest died outside the kit.s modules (Oops: double fault: .* at kmem_cache_alloc_noprof+0xc3/0x2f0); b.t runs again on a fresh boot' build/tmp/suite.tap
ok $? "... the boot's line says what killed it and what runs again"
grep -q "died in b.t, outside the kit's modules: Oops: double fault" "$results/guest-crashes.txt"
ok $? "... and the crash is listed for the end of the run"
is "$(sed 's/ took.*//; s|vm/[^/]*/|vm/K/|' build/tmp/suite.progress | paste -sd' ')" "# vm/K/a.t # vm/K/b.t # vm/K/c.t" \
	"... each file's end went to stderr as it happened"

is "$(suite double-fault-6.12.log 2)" "7 passed, 2 failed" \
	"died twice outside the kit: b.t and the second boot fail, and c.t still runs"
grep -q '^not ok 1 - labvm exited 125 on fake: Oops: double fault: .* at kmem_cache_alloc_noprof' build/tmp/suite.tap
ok $? "... the failed boot says what killed the guest"

is "$(suite double-fault-6.12.log 0 1)" "8 passed, 0 failed" \
	"died at boot outside the kit: the boot runs again, and every file passes"
grep -q "died in the boot, outside the kit's modules: Oops: double fault" "$results/guest-crashes.txt"
ok $? "... and the crash is listed for the end of the run"
is "$(suite double-fault-6.12.log 0 2)" "1 passed, 1 failed" \
	"died at boot twice: the suite fails, and does not boot a third time"

is "$(suite oops-in-dtape-6.1.log 1)" "6 passed, 2 failed" \
	"died in dtape: b.t fails without a rerun, and c.t still runs"
grep -q '^not ok 1 - labvm exited 125 on fake: BUG: unable to handle page fault .* at memcpy_orig+0x31/0x140' build/tmp/suite.tap
ok $? "... the failed boot says what killed the guest"
test ! -s "$results/guest-crashes.txt"
ok $? "... and nothing is listed as a crash outside the kit"
# tests/run gives the files that mostly wait a guest of their own: a part
# of the suite, with boots and logs named apart from the rest.
is "$(suite double-fault-6.12.log 1 0 only:b.t,c.t fake-waits)" "6 passed, 0 failed" \
	"only:b.t,c.t runs those two files, b.t again after the guest died"
is "$(sed -n 's|^# diolab-file: vm/[^/]*/|vm/K/|p' build/tmp/suite.tap | paste -sd' ')" \
	"vm/K/labvm-waits-boot1 vm/K/b.t vm/K/c.t vm/K/labvm-waits-boot2" \
	"... its boots are named for the part"
ls "$results"/console-fake-waits-boot1.log "$results"/vm-segment-fake-waits.tap >/dev/null
ok $? "... and so are its console logs and its segment"
is "$(suite double-fault-6.12.log 0 0 except:b.t fake)" "5 passed, 0 failed" \
	"except:b.t runs the others"
is "$(sed -n 's|^# diolab-file: vm/[^/]*/|vm/K/|p' build/tmp/suite.tap | paste -sd' ')" \
	"vm/K/a.t vm/K/c.t vm/K/labvm-boot1" "... a.t and c.t, in the boot named for the kernel"
out=$(DIOLAB_ROOT=$root "$root/tests/vm/run-all" "" "" some:a.t 2>&1)
is "$?:$out" "2:run-all: which files is only:FILES or except:FILES, not 'some:a.t'" \
	"run-all refuses a part that is neither only: nor except:"

# A guest that hangs cannot end its own files' timeouts: labvm stops it
# after 700 s of silence (labvm.t tests --quiet-limit in a guest).
grep -q -- '--quiet-limit 700 ' build/tmp/fake-state.args
ok $? "the suite's guest is stopped after 700 s of silence ($(grep -o -- '--quiet-limit [^ ]*' build/tmp/fake-state.args))"
done_testing
