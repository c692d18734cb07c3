#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# diotrace on the dtape char driver (module BTF): one 64 KiB record written
# in each of the driver's modes must show its own path: pinned user pages
# (direct), get_user_pages references (legacy), or a copy (buffered).
. "$DIOLAB_ROOT/tests/lib/guest.sh"
. "$DIOLAB_ROOT/tests/vm/diotrace-lib.sh"
dt_require
dt_require_dtape

check "dtape loads" load_dtape capacity_mb=16
script=""
for mode in direct buffered legacy; do
	script+="echo $mode > $PARAMS/mode; mt -f $TAPE rewind;
dd if=/dev/zero of=$TAPE bs=64k count=1 status=none;
"
done
dt_trace sh -c "$script"
dt_no_lost_ok dtape

trees=$(jq -c "select(.type==\"syscall\" and .path==\"$TAPE\" and .syscall==\"write\" and .count==65536)" "$DT_OUT")
is "$(jq -s length <<<"$trees")" 3 "three 64 KiB record writes traced"
direct=$(sed -n 1p <<<"$trees")
buffered=$(sed -n 2p <<<"$trees")
legacy=$(sed -n 3p <<<"$trees")
dt_chain_ok "direct mode: dtape_write_iter pins the user pages" "$direct" vfs_write dtape_write_iter \
	dtape_pin_user pin_user_pages_fast
is "$(dt_field "$direct" '[.ret, .dio] | @tsv')" "$(printf '65536\ttrue')" "direct mode moved 64 KiB zero-copy"
dt_chain_lacks "buffered mode takes no page references" "$buffered" pin_user_pages_fast
dt_chain_ok "buffered mode copies" "$buffered" vfs_write dtape_write_iter dtape_bounce_copy_user
# dtape_legacy_get_pages is noinline so that this step of the seed's
# protocol shows in the tree (it used to be folded into dtape_pin_user)
dt_chain_ok "legacy mode references pages with get_user_pages" "$legacy" dtape_write_iter \
	dtape_pin_user dtape_legacy_get_pages get_user_pages
is "$(dt_field "$legacy" '[.. | objects | select(.fn? == "get_user_pages") | .args.foll][0]')" GET \
	"legacy mode: FOLL_GET references, as in LDD3"
dt_chain_lacks "legacy mode never pins" "$legacy" pin_user_pages_fast
# get_user_pages takes references, which the kernel does not count as pins:
# the summary says so (that difference is the lesson of the legacy path)
is "$(dt_field "$legacy" '[.pin_kind, .pages_foll_get, .pages_foll_pin] | @tsv')" "$(printf 'GET\t16\t0')" \
	"legacy mode: 16 FOLL_GET references, no pins"
is "$(dt_field "$legacy" '[.notes[] | select(.kind=="direct") | .text | contains("16 page references (FOLL_GET, not counted as pins)")] | @tsv')" true \
	"legacy mode: the summary calls them references, not pins"
is "$(dt_field "$direct" '[.pin_kind, .pages_foll_pin] | @tsv')" "$(printf 'PIN\t16')" "direct mode: 16 FOLL_PIN pins"
rmmod dtape 2>/dev/null
done_testing
