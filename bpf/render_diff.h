/* SPDX-License-Identifier: GPL-2.0 */
/* `diotrace diff`'s output: text (in the tree's style) and JSON. */
#ifndef RENDER_DIFF_H
#define RENDER_DIFF_H

#include <stdio.h>
#include "dalign.h"

/* What the times are worth: whether each side's CPU was emulated (QEMU's
 * TCG runs several times slower than native) as its input says, e.g.
 * "emulated (QEMU TCG) on both".  @b NULL: @a alone (--seed). */
char *dd_time_note(const struct dd_side *a, const struct dd_side *b, char *buf, size_t len);

void render_diff_text(FILE *f, const struct dd_side *a, const struct dd_side *b,
		      const struct dd_result *r);
/* "4 × pwrite64(d.bin, 65536 bytes), ...": what a side traced, in a line. */
void dd_describe_side(FILE *f, const struct dd_side *s);
void render_diff_json(FILE *f, const struct dd_side *a, const struct dd_side *b,
		      const struct dd_result *r);

#endif
