// SPDX-License-Identifier: GPL-2.0
/* The driver's own books, one read-only file per counter under stats/. */
#include <linux/device.h>
#include <linux/kernel.h>

#include "dlab.h"

struct dlab_stats dlab_stats;

struct dlab_stat_attr {
	struct device_attribute attr;
	atomic64_t *counter;
};

static ssize_t dlab_stat_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct dlab_stat_attr *sa = container_of(attr, struct dlab_stat_attr,
						 attr);

	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(sa->counter));
}

#define DLAB_STAT(_name, _counter) {					\
	.attr = __ATTR(_name, 0444, dlab_stat_show, NULL),		\
	.counter = _counter,						\
}

static struct dlab_stat_attr dlab_stat_attrs[] = {
	DLAB_STAT(pages_pinned, &dlab_stats.pages_pinned),
	DLAB_STAT(pages_unpinned, &dlab_stats.pages_unpinned),
	DLAB_STAT(refs_taken, &dlab_stats.refs_taken),
	DLAB_STAT(refs_dropped, &dlab_stats.refs_dropped),
	DLAB_STAT(pages_dirtied, &dlab_stats.pages_dirtied),
	DLAB_STAT(short_pins, &dlab_stats.short_pins),
};

static struct attribute *dlab_attrs[] = {
	&dlab_stat_attrs[0].attr.attr,
	&dlab_stat_attrs[1].attr.attr,
	&dlab_stat_attrs[2].attr.attr,
	&dlab_stat_attrs[3].attr.attr,
	&dlab_stat_attrs[4].attr.attr,
	&dlab_stat_attrs[5].attr.attr,
	NULL,
};

static const struct attribute_group dlab_stat_group = {
	.name = "stats",
	.attrs = dlab_attrs,
};

const struct attribute_group *dlab_groups[] = {
	&dlab_stat_group,
	NULL,
};
