# SPDX-License-Identifier: GPL-2.0
# What labs/lib/excerpts --check lets differ between two runs of this lab
# (sed -E).  The stall table: stalls below depth 8 and the speeds depend on
# how the guest kept up; modes, depths, inflight_max and depth 8's zero
# stalls do not.
/^(sync|uring) +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+$/{s/ +/ /g;s/^((sync|uring) [1-7]) [0-9]+/\1 N/;s/ [0-9.]+$/ N/}
/^mode +depth +stalls/s/ +/ /g
