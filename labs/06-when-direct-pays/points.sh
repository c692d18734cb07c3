# SPDX-License-Identifier: GPL-2.0
# Lab 06's measurement points, shared by run and check: source this file.
#
# Sizes four times apart, from where the per-call cost dominates to where
# the per-byte cost does. dtape starts lower: a record can be 64 bytes,
# and the tape's crossover is near a page. ext4's O_DIRECT needs whole
# 512-byte sectors.
DTAPE_SIZES="64 256 1024 4096 16384 65536 262144 1048576"
EXT4_SIZES="512 2048 8192 32768 131072 524288"
# Every point is measured this many times, in rounds over all the points.
RUNS=3
# diotrace looks at TRACED records of SMALL bytes (drive 0) and of LARGE
# bytes (drive 1), each path.
SMALL=256 LARGE=1048576 TRACED=32
