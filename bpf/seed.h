/* SPDX-License-Identifier: GPL-2.0 */
/* `diotrace diff --seed B`: a trace against the seed article's 2.6 write
 * path (the table is bpf/seed-2.6.def). */
#ifndef SEED_H
#define SEED_H

#include <stdio.h>
#include "dmodel.h"

#define SEED_ROOT (DT_STEP__N + 1)

struct seed_entry {
	const char *name;
	int depth;
	bool gone;
	unsigned today, today2;		/* enum dt_step, DT_STEP__N or SEED_ROOT */
	const char *note, *cite;
};

extern const struct seed_entry seed_chain[];
extern const unsigned seed_chain_n;

/* Prints the comparison; returns the exit status (diff_cmd.h). */
int seed_compare(FILE *f, const struct dd_side *b, bool json);

#endif
