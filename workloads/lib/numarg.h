/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers on a workload's command line: sizes, counts, offsets.
 */
#ifndef DIOLAB_NUMARG_H
#define DIOLAB_NUMARG_H

#include <stdint.h>

/*
 * Parse @arg as a non-negative decimal (or 0x hex) number with an optional
 * binary suffix k, M or G, no larger than @max.  On a bad value, print
 * "PROG: WHAT 'ARG' ..." to stderr, saying what is wrong, and return -1.
 */
int numarg(const char *prog, const char *what, const char *arg, uint64_t max, uint64_t *out);

#endif
