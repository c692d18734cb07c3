#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace reads kallsyms and ftrace's function list once per boot and
# module list (bpf/symcache.c): the copies must be used when nothing
# changed, dropped the moment a module comes or goes, kept where only root
# can reach them, and resolve exactly what the files themselves would.
# Whether fentry attaches is tested once per boot the same way.
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require
dt_require_dtape

C=/run/diotrace
rmmod dtape 2>/dev/null
rm -rf $C
# list: the resolution table on stdout, how many tables were copies in
# $LIST_HITS, and where fentry's verdict came from in $LIST_FENTRY
list() {
	LIST_TABLE=$("$DIOTRACE" -v --list 2>/tmp/sc.err)
	LIST_HITS=$(sed -n 's/^diotrace: \([0-9]\) of 2 symbol tables.*/\1/p' /tmp/sc.err)
	LIST_FENTRY=$(sed -n 's/^diotrace: [0-9] of 2 symbol tables[^;]*; //p' /tmp/sc.err)
}
TESTED="fentry tested on vfs_read" KNOWN="fentry works, as this boot's copy says"

list
is "$LIST_HITS" 0 "the first start reads both tables from the kernel"
is "$LIST_FENTRY" "$TESTED" "... and tests whether fentry attaches"
is "$(stat -c '%U %a %F' $C 2>/dev/null)" "root 700 directory" "... and keeps its copies in $C, root's alone"
is "$(stat -c '%U %a' $C/fentry-ok 2>/dev/null)" "root 600" "... fentry's verdict among them"
fresh=$LIST_TABLE
list
is "$LIST_HITS" 2 "the next start takes both from the copies"
is "$LIST_FENTRY" "$KNOWN" "... and fentry's verdict, without a test attach"
is "$LIST_TABLE" "$fresh" "... and resolves every step as the kernel's own files did"

check "dtape loads" load_dtape capacity_mb=4
list
is "$LIST_HITS" 0 "a module loaded since: both tables read afresh"
grep -Eq '^dtape_write_iter +.* (kprobe|kprobe\.multi|fentry) ' <<<"$LIST_TABLE"
ok $? "... and dtape's functions resolve"
rmmod dtape
list
is "$LIST_HITS" 0 "the module gone again: read afresh"
grep -Eq '^dtape_write_iter +.* (kprobe|kprobe\.multi|fentry) ' <<<"$LIST_TABLE"
ok "$([ $? = 0 ] && echo 1 || echo 0)" "... and dtape's functions no longer resolve"
is "$LIST_TABLE" "$fresh" "... the same table as before the module came"

DIOTRACE_SYMCACHE=off list
is "$LIST_HITS" 0 "DIOTRACE_SYMCACHE=off reads the kernel's files"
is "$LIST_FENTRY" "$TESTED" "... and tests fentry"
chmod 755 $C
list
is "$LIST_HITS" 0 "a copy directory others can read is not used"
is "$LIST_FENTRY" "$TESTED" "... nor its verdict on fentry"
chmod 700 $C
dmesg_clean_ok
done_testing
