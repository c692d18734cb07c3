/* SPDX-License-Identifier: GPL-2.0 */
/* `diotrace diff` in words: what changed on an aligned node and why a step
 * is on one side only.  Text and JSON print the same sentences. */
#ifndef DEXPLAIN_H
#define DEXPLAIN_H

#include <stddef.h>
#include "dalign.h"

struct dd_ctx {
	const struct dd_side *a, *b;
	const struct dd_pair *p;
};

/* "attach kprobe → fentry; symbol ... → ....part.0 (a compiler clone)" */
void dd_explain_changes(const struct dd_mnode *m, char *buf, size_t len);
/* Why a step is on one side only, or why it was replaced; @parent is the
 * symbol the step hangs under ("" at the top), @nested that its parent is
 * on one side only too. */
void dd_explain_absence(const struct dd_ctx *x, const struct dd_mnode *m, const char *parent,
			bool nested, char *buf, size_t len);
/* "16 pages pinned (FOLL_PIN)", "16 page references (FOLL_GET)", "no pages" */
void dd_fmt_pages(uint64_t pin, uint64_t get, char *buf, size_t len);
/* "= 65536", "= -EINVAL", "" for a void function */
void dd_fmt_ret(const struct dd_node *n, char *buf, size_t len);

#endif
