// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_stream_sysfs.c - the streaming model's knobs and counters.
 *
 * Per drive:
 *   /sys/class/dtape/{dtape,ndtape}N/stream/
 *     buffer_kb rate_mbps reposition_ms     settings (rate 0 = model off)
 *     stalls reposition_ns buffer_highwater counters since load
 *     inflight inflight_max                 queued requests now, and at most
 * A maximum cannot be taken as a difference of two readings, so writing 0
 * to buffer_highwater or inflight_max starts it afresh for one run.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "dtape.h"

struct dtape_stream_attr {
	struct device_attribute attr;
	size_t offset;	/* of a u32 setting or a u64 counter */
};

static struct dtape_stream *to_stream(struct device *dev)
{
	return &((struct dtape_drive *)dev_get_drvdata(dev))->stream;
}

static u32 *to_setting(struct device *dev, struct device_attribute *attr)
{
	struct dtape_stream_attr *sa = container_of(attr,
						    struct dtape_stream_attr,
						    attr);

	return (void *)to_stream(dev) + sa->offset;
}

static ssize_t dtape_setting_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(*to_setting(dev, attr)));
}

static ssize_t dtape_setting_store(struct device *dev,
				   struct device_attribute *attr,
				   const char *buf, size_t count)
{
	struct dtape_stream *s = to_stream(dev);
	u32 v;
	int err;

	err = kstrtou32(buf, 0, &v);
	if (err)
		return err;
	spin_lock(&s->lock);
	*to_setting(dev, attr) = v;
	/* New settings take effect with a stopped tape. */
	s->moving = false;
	spin_unlock(&s->lock);
	return count;
}

static ssize_t dtape_counter_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct dtape_stream *s = to_stream(dev);
	u64 v;

	spin_lock(&s->lock);
	v = *(u64 *)(void *)to_setting(dev, attr);
	spin_unlock(&s->lock);
	return sysfs_emit(buf, "%llu\n", v);
}

/* The maxima accept only 0: start measuring again from now. */
static int dtape_parse_reset(const char *buf)
{
	u32 v;
	int err;

	err = kstrtou32(buf, 0, &v);
	if (err)
		return err;
	return v ? -EINVAL : 0;
}

static ssize_t dtape_max_reset(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct dtape_stream *s = to_stream(dev);
	int err;

	err = dtape_parse_reset(buf);
	if (err)
		return err;
	spin_lock(&s->lock);
	*(u64 *)(void *)to_setting(dev, attr) = 0;
	spin_unlock(&s->lock);
	return count;
}

#define DTAPE_STREAM_SETTING(_name, _field)					\
	struct dtape_stream_attr dtape_stream_##_name = {		\
		.attr = __ATTR(_name, 0644, dtape_setting_show,		\
			       dtape_setting_store),			\
		.offset = offsetof(struct dtape_stream, _field),		\
	}

#define DTAPE_STREAM_COUNTER(_name, _field)					\
	struct dtape_stream_attr dtape_stream_##_name = {		\
		.attr = __ATTR(_name, 0444, dtape_counter_show, NULL),	\
		.offset = offsetof(struct dtape_stream, _field),		\
	}

#define DTAPE_STREAM_MAX(_name, _field)					\
	struct dtape_stream_attr dtape_stream_##_name = {		\
		.attr = __ATTR(_name, 0644, dtape_counter_show,		\
			       dtape_max_reset),			\
		.offset = offsetof(struct dtape_stream, _field),		\
	}

static DTAPE_STREAM_SETTING(buffer_kb, buffer_kb);
static DTAPE_STREAM_SETTING(rate_mbps, rate_mbps);
static DTAPE_STREAM_SETTING(reposition_ms, reposition_ms);
static DTAPE_STREAM_COUNTER(stalls, stalls);
static DTAPE_STREAM_COUNTER(reposition_ns, reposition_ns);
static DTAPE_STREAM_MAX(buffer_highwater, highwater);

static ssize_t inflight_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct dtape_drive *drive = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(drive->queue.inflight));
}
static DEVICE_ATTR_RO(inflight);

static ssize_t inflight_max_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct dtape_drive *drive = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(drive->queue.inflight_max));
}

/* Requests already queued count towards the new maximum. */
static ssize_t inflight_max_store(struct device *dev,
				  struct device_attribute *attr,
				  const char *buf, size_t count)
{
	struct dtape_queue *q = &((struct dtape_drive *)dev_get_drvdata(dev))->queue;
	int err;

	err = dtape_parse_reset(buf);
	if (err)
		return err;
	spin_lock(&q->lock);
	q->inflight_max = q->inflight;
	spin_unlock(&q->lock);
	return count;
}
static DEVICE_ATTR_RW(inflight_max);

static struct attribute *dtape_stream_attrs[] = {
	&dtape_stream_buffer_kb.attr.attr,
	&dtape_stream_rate_mbps.attr.attr,
	&dtape_stream_reposition_ms.attr.attr,
	&dtape_stream_stalls.attr.attr,
	&dtape_stream_reposition_ns.attr.attr,
	&dtape_stream_buffer_highwater.attr.attr,
	&dev_attr_inflight.attr,
	&dev_attr_inflight_max.attr,
	NULL
};

const struct attribute_group dtape_stream_group = {
	.name = "stream",
	.attrs = dtape_stream_attrs,
};
