# SPDX-License-Identifier: GPL-2.0
# Lab 06: your curves, from work/best.txt (made by run from work/data.csv).
#   gnuplot -e "work='labs/06-when-direct-pays/work'" labs/06-when-direct-pays/plot.gp
# draws throughput against record size for each target in the terminal,
# and throughput and CPU time per MiB into work/plot.svg.
if (!exists("work")) work = "work"
f = work . "/best.txt"
targets = "dtape ext4"

set logscale x 2
set logscale y 10
set format x "%.0b%B"
set xlabel "record size (bytes)"
set key bottom right
set style data linespoints

set terminal dumb 76 20
do for [i = 0:1] {
	set title word(targets, i + 1) . ": MiB/s against record size (best of the runs)"
	set ylabel "MiB/s"
	plot f index i using 1:2 title "buffered" pt "b", \
	     f index i using 1:3 title "direct" pt "D"
}

set terminal svg size 1000, 700 dynamic
set output work . "/plot.svg"
set multiplot layout 2, 2
do for [i = 0:1] {
	set title word(targets, i + 1) . ": throughput"
	set ylabel "MiB/s"
	plot f index i using 1:2 title "buffered", f index i using 1:3 title "direct"
	set title word(targets, i + 1) . ": CPU time per MiB moved"
	set ylabel "CPU µs per MiB"
	plot f index i using 1:5 title "buffered", f index i using 1:6 title "direct"
}
unset multiplot
set output
