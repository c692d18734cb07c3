/* SPDX-License-Identifier: GPL-2.0 */
/* What a finished tree says: the path taken, pins, fallbacks and notes. */
#ifndef ANALYZE_H
#define ANALYZE_H

#include "tree.h"

/* Fill @t's derived fields and notes; called once per finished tree. */
void dt_analyze(struct dt_ctx *c, struct dt_tree *t);

#endif
