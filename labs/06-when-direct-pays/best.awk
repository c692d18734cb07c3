# SPDX-License-Identifier: GPL-2.0
# Lab 06: the best run of each point in data.csv (the fastest of its runs,
# with that run's CPU time), one table per target, for people, gnuplot
# (plot.gp reads the blocks as index 0 and 1) and the checker.  Noise in an
# emulated guest only ever slows a run down, so the fastest run is the one
# closest to what the path itself costs.  data.csv is sorted by target,
# mode and size, so each target's sizes arrive in ascending order.
BEGIN {
	FS = ","
	what["dtape"] = "tapeio writes to dtape, the driver's mode buffered or direct"
	what["ext4"] = "fio reads of a file on ext4, O_DIRECT or not"
}
NR == 1 { next }
{
	k = $1 SUBSEP $2 SUBSEP $3
	if (!(k in mbs) || $8 + 0 > mbs[k] + 0) { mbs[k] = $8; cpu[k] = $9 }
	n[k]++
	if (!(($1, $3) in seen)) { seen[$1, $3] = 1; sizes[$1] = sizes[$1] " " $3 }
	if (!($1 in order)) { order[$1] = ++ntargets; targets[ntargets] = $1 }
	if ($4 + 0 > runs[$1] + 0) runs[$1] = $4
}
END {
	for (t = 1; t <= ntargets; t++) {
		g = targets[t]
		if (t > 1) printf "\n\n"
		printf "# %s: %s; the best of %d runs per point\n", g, what[g], runs[g]
		printf "# %10s %10s %10s %8s %12s %12s\n", "record", "buffered", "direct", "direct/", "buffered", "direct"
		printf "# %10s %10s %10s %8s %12s %12s\n", "bytes", "MiB/s", "MiB/s", "buffered", "CPU us/MiB", "CPU us/MiB"
		ns = split(sizes[g], sz, " ")
		for (i = 1; i <= ns; i++) {
			b = g SUBSEP "buffered" SUBSEP sz[i]
			d = g SUBSEP "direct" SUBSEP sz[i]
			printf "%12d %10.2f %10.2f %8.2f %12.1f %12.1f\n", sz[i], mbs[b], mbs[d],
				(mbs[b] > 0 ? mbs[d] / mbs[b] : 0), cpu[b], cpu[d]
		}
	}
}
