/* SPDX-License-Identifier: GPL-2.0 */
/* Reading `diotrace diff`'s inputs: a recording (plain or gzipped) or the
 * output of --json, into the trees it compares (dmodel.h). */
#ifndef DLOAD_H
#define DLOAD_H

#include <stddef.h>
#include "dmodel.h"

enum dd_load_err { DD_LOAD_OK, DD_LOAD_OPEN, DD_LOAD_FORMAT };

/* Keeps the trees `report` would show: not 9p, not VFS-only, and under
 * @path_prefix when it is set. */
enum dd_load_err dd_load(const char *file, const char *path_prefix, struct dd_side *s,
			 char *err, size_t errlen);

/* Keep @t in @s if `report` would show it; frees it otherwise. */
bool dd_keep(struct dd_side *s, struct dd_tree *t, const char *prefix);

#endif
