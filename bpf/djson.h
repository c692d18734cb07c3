/* SPDX-License-Identifier: GPL-2.0 */
/* `diotrace diff` reads `diotrace --json` output (docs/diotrace-json.md)
 * into the trees it compares. */
#ifndef DJSON_H
#define DJSON_H

#include <stddef.h>
#include "dload.h"

enum dd_load_err dd_load_json(const char *file, const char *path_prefix, struct dd_side *s,
			      char *err, size_t errlen);

#endif
