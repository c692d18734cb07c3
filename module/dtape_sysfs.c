// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_sysfs.c - per-drive attributes and counters.
 *
 * On both device nodes of a drive:
 *   /sys/class/dtape/{dtape,ndtape}N/{write_protect,capacity_bytes,...}
 *   /sys/class/dtape/{dtape,ndtape}N/stats/<counter>
 * One value per file, so that labs can read them with cat.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "dtape.h"

struct dtape_stat_attr {
	struct device_attribute attr;
	size_t offset;	/* of the atomic64_t in struct dtape_stats */
};

static ssize_t dtape_stat_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct dtape_drive *drive = dev_get_drvdata(dev);
	struct dtape_stat_attr *sa = container_of(attr, struct dtape_stat_attr,
						  attr);
	atomic64_t *counter = (void *)&drive->stats + sa->offset;

	return sysfs_emit(buf, "%lld\n", atomic64_read(counter));
}

#define DTAPE_STAT(_name, _field)					\
	struct dtape_stat_attr dtape_stat_##_name = {			\
		.attr = __ATTR(_name, 0444, dtape_stat_show, NULL),	\
		.offset = offsetof(struct dtape_stats, _field),		\
	}

static DTAPE_STAT(records_written, records_written);
static DTAPE_STAT(records_read, records_read);
static DTAPE_STAT(bytes_written, bytes_written);
static DTAPE_STAT(bytes_read, bytes_read);
static DTAPE_STAT(records_direct, path_records[DTAPE_PATH_DIRECT]);
static DTAPE_STAT(records_buffered, path_records[DTAPE_PATH_BUFFERED]);
static DTAPE_STAT(records_legacy, path_records[DTAPE_PATH_LEGACY]);
static DTAPE_STAT(bytes_direct, path_bytes[DTAPE_PATH_DIRECT]);
static DTAPE_STAT(bytes_buffered, path_bytes[DTAPE_PATH_BUFFERED]);
static DTAPE_STAT(bytes_legacy, path_bytes[DTAPE_PATH_LEGACY]);
static DTAPE_STAT(pages_pinned, pages_pinned);
static DTAPE_STAT(pages_unpinned, pages_unpinned);
static DTAPE_STAT(legacy_refs_taken, legacy_refs_taken);
static DTAPE_STAT(legacy_refs_dropped, legacy_refs_dropped);
static DTAPE_STAT(fallback_misaligned,
		  fallbacks[DTAPE_FALLBACK_MISALIGNED]);
static DTAPE_STAT(fallback_pin_partial,
		  fallbacks[DTAPE_FALLBACK_PIN_PARTIAL]);
static DTAPE_STAT(fallback_pin_error, fallbacks[DTAPE_FALLBACK_PIN_ERROR]);
static DTAPE_STAT(fallback_nomem, fallbacks[DTAPE_FALLBACK_NOMEM]);
static DTAPE_STAT(filemarks_written, filemarks_written);
static DTAPE_STAT(filemarks_read, filemarks_read);

static struct attribute *dtape_stat_attrs[] = {
	&dtape_stat_records_written.attr.attr,
	&dtape_stat_records_read.attr.attr,
	&dtape_stat_bytes_written.attr.attr,
	&dtape_stat_bytes_read.attr.attr,
	&dtape_stat_records_direct.attr.attr,
	&dtape_stat_records_buffered.attr.attr,
	&dtape_stat_records_legacy.attr.attr,
	&dtape_stat_bytes_direct.attr.attr,
	&dtape_stat_bytes_buffered.attr.attr,
	&dtape_stat_bytes_legacy.attr.attr,
	&dtape_stat_pages_pinned.attr.attr,
	&dtape_stat_pages_unpinned.attr.attr,
	&dtape_stat_legacy_refs_taken.attr.attr,
	&dtape_stat_legacy_refs_dropped.attr.attr,
	&dtape_stat_fallback_misaligned.attr.attr,
	&dtape_stat_fallback_pin_partial.attr.attr,
	&dtape_stat_fallback_pin_error.attr.attr,
	&dtape_stat_fallback_nomem.attr.attr,
	&dtape_stat_filemarks_written.attr.attr,
	&dtape_stat_filemarks_read.attr.attr,
	NULL
};

static const struct attribute_group dtape_stat_group = {
	.name = "stats",
	.attrs = dtape_stat_attrs,
};

static ssize_t write_protect_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct dtape_drive *drive = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", READ_ONCE(drive->write_protected));
}

/* The write-protect tab of the cartridge; it may flip while the drive is open. */
static ssize_t write_protect_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct dtape_drive *drive = dev_get_drvdata(dev);
	bool protect;
	int err;

	err = kstrtobool(buf, &protect);
	if (err)
		return err;
	mutex_lock(&drive->lock);
	drive->write_protected = protect;
	mutex_unlock(&drive->lock);
	return count;
}
static DEVICE_ATTR_RW(write_protect);

static ssize_t capacity_bytes_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct dtape_drive *drive = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", drive->medium.capacity);
}
static DEVICE_ATTR_RO(capacity_bytes);

static ssize_t early_warning_bytes_show(struct device *dev,
					struct device_attribute *attr,
					char *buf)
{
	struct dtape_drive *drive = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", drive->medium.early_warning);
}
static DEVICE_ATTR_RO(early_warning_bytes);

/* Tape used up to end of data, gaps included. */
static ssize_t used_bytes_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct dtape_drive *drive = dev_get_drvdata(dev);
	u64 used;

	mutex_lock(&drive->lock);
	used = dtape_medium_used(&drive->medium, drive->medium.nr_entries);
	mutex_unlock(&drive->lock);
	return sysfs_emit(buf, "%llu\n", used);
}
static DEVICE_ATTR_RO(used_bytes);

static struct attribute *dtape_drive_attrs[] = {
	&dev_attr_write_protect.attr,
	&dev_attr_capacity_bytes.attr,
	&dev_attr_early_warning_bytes.attr,
	&dev_attr_used_bytes.attr,
	NULL
};

static const struct attribute_group dtape_drive_group = {
	.attrs = dtape_drive_attrs,
};

const struct attribute_group *dtape_groups[] = {
	&dtape_drive_group,
	&dtape_stat_group,
	&dtape_stream_group,
	NULL
};
