// SPDX-License-Identifier: GPL-2.0
/* Glyphs and durations of the text tree (see draw.h). */
#include <stdio.h>
#include "draw.h"

const char *dt_branch(bool last)
{
	return last ? "└─" : "├─";
}

void dt_child_prefix(char *buf, size_t len, const char *prefix, bool last)
{
	snprintf(buf, len, "%s%s", prefix, last ? "   " : "│  ");
}

void dt_fmt_dur(uint64_t ns, char *buf, size_t len)
{
	if (ns >= 1000000)
		snprintf(buf, len, "%.2fms", ns / 1e6);
	else
		snprintf(buf, len, "%.1fus", ns / 1e3);
}
