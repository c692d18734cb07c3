// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/dev/char/MAJ:MIN names a node's driver directory from the node
 * itself, so a workload reads the counters of the very drive it opened,
 * whatever the node is called.
 */
#include <stdio.h>
#include <sys/sysmacros.h>
#include "devstat.h"

void devstat_dir(dev_t rdev, char *dir, size_t size)
{
	snprintf(dir, size, "/sys/dev/char/%u:%u", major(rdev), minor(rdev));
}

bool devstat_read(const char *dir, const char *name, long long *out)
{
	char path[512];
	long long v;
	FILE *f;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	f = fopen(path, "re");
	if (!f)
		return false;
	n = fscanf(f, "%lld", &v);
	fclose(f);
	if (n != 1)
		return false;
	*out = v;
	return true;
}
