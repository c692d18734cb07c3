/* SPDX-License-Identifier: GPL-2.0 */
/* The tree's drawing, shared by `report`'s text tree and `diff`, so that a
 * diff reads like the trees it compares. */
#ifndef DRAW_H
#define DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "├─" or "└─": the branch to a node, "└─" for the last one drawn. */
const char *dt_branch(bool last);
/* The prefix of @prefix's children: "│  " goes on while siblings follow. */
void dt_child_prefix(char *buf, size_t len, const char *prefix, bool last);
/* "12.59ms" or "424.8us". */
void dt_fmt_dur(uint64_t ns, char *buf, size_t len);

#endif
