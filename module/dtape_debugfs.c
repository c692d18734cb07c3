// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_debugfs.c - the copies' bounds for benchmarks, in debugfs.
 *
 * copy_bound: how fast the kernel copies a record into tape pages when
 * there is no system call, no pinning and no second copy. The copy is the
 * direct path's own copy routine, and the one copy both paths make.
 *
 *   echo "SIZE ITERATIONS" > /sys/kernel/debug/dtape/copy_bound
 *   cat /sys/kernel/debug/dtape/copy_bound
 *   size=SIZE iterations=ITERATIONS ns=NANOSECONDS
 *
 * user_copy_bound: how fast the buffered path's extra copy, from user
 * memory into the bounce pages, runs on its own. Each write() is copied
 * once by the buffered path's routine and only that copy is timed; an
 * open for writing starts a measurement and its close publishes it.
 *
 *   dd if=/dev/zero of=/sys/kernel/debug/dtape/user_copy_bound bs=SIZE count=N
 *   cat /sys/kernel/debug/dtape/user_copy_bound
 *   bytes=BYTES copies=N ns=NANOSECONDS
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "dtape.h"

static struct dentry *dtape_debugfs_dir;
static DEFINE_MUTEX(dtape_bound_lock);
static size_t dtape_bound_size;
static unsigned int dtape_bound_iterations;
static u64 dtape_bound_ns;

struct dtape_user_copies {
	u64 bytes;
	u64 copies;
	u64 ns;
};

/* One open file's measurement of the user copy. */
struct dtape_user_bound {
	struct mutex lock;	/* threads may share the file */
	struct dtape_bounce bounce;
	struct dtape_user_copies done;
};

/* The last measurement a close published. */
static struct dtape_user_copies dtape_user_bound_last;

/* The source pages are held as a bounce buffer is, with its helpers. */
static int dtape_measure_copy(size_t size, unsigned int iterations, u64 *ns)
{
	struct dtape_bounce source = {};
	struct dtape_medium tape;
	unsigned int i;
	u64 start;
	int err;

	err = dtape_medium_init(&tape, round_up(size, PAGE_SIZE) + PAGE_SIZE,
				0);
	if (err)
		return err;
	err = dtape_bounce_reserve(&source, size);
	if (err)
		goto out;
	err = dtape_medium_reserve(&tape, 0, 1, size);
	if (err)
		goto out;
	start = ktime_get_ns();
	for (i = 0; i < iterations; i++) {
		dtape_medium_copy_pages(&tape, 0, source.pages, 0, size, true);
		cond_resched();
	}
	*ns = ktime_get_ns() - start;
out:
	dtape_bounce_free(&source);
	dtape_medium_release(&tape);
	return err;
}

static ssize_t dtape_bound_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	unsigned int iterations;
	char line[64];
	size_t size;
	u64 ns;
	int err;

	if (count >= sizeof(line))
		return -EINVAL;
	if (copy_from_user(line, ubuf, count))
		return -EFAULT;
	line[count] = '\0';
	if (sscanf(line, "%zu %u", &size, &iterations) != 2 || !size ||
	    size > dtape_max_record || !iterations)
		return -EINVAL;
	err = dtape_measure_copy(size, iterations, &ns);
	if (err)
		return err;
	mutex_lock(&dtape_bound_lock);
	dtape_bound_size = size;
	dtape_bound_iterations = iterations;
	dtape_bound_ns = ns;
	mutex_unlock(&dtape_bound_lock);
	return count;
}

static ssize_t dtape_bound_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char line[96];
	int len;

	mutex_lock(&dtape_bound_lock);
	len = scnprintf(line, sizeof(line), "size=%zu iterations=%u ns=%llu\n",
			dtape_bound_size, dtape_bound_iterations,
			dtape_bound_ns);
	mutex_unlock(&dtape_bound_lock);
	return simple_read_from_buffer(ubuf, count, ppos, line, len);
}

static const struct file_operations dtape_bound_fops = {
	.owner = THIS_MODULE,
	.read = dtape_bound_read,
	.write = dtape_bound_write,
	.llseek = default_llseek,
};

static int dtape_user_bound_open(struct inode *inode, struct file *file)
{
	struct dtape_user_bound *ub;

	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	ub = kzalloc(sizeof(*ub), GFP_KERNEL);
	if (!ub)
		return -ENOMEM;
	mutex_init(&ub->lock);
	file->private_data = ub;
	return 0;
}

static ssize_t dtape_user_bound_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	struct dtape_user_bound *ub = file->private_data;
	u64 start;
	int err;

	if (!count || count > dtape_max_record)
		return -EINVAL;
	mutex_lock(&ub->lock);
	/* The pages are the bounce buffer's: allocated once, reused. */
	err = dtape_bounce_reserve(&ub->bounce, count);
	if (err)
		goto out;
	start = ktime_get_ns();
	err = dtape_bounce_copy_user(&ub->bounce, (unsigned long)ubuf, count,
				     true);
	if (err)
		goto out;
	ub->done.ns += ktime_get_ns() - start;
	ub->done.bytes += count;
	ub->done.copies++;
out:
	mutex_unlock(&ub->lock);
	return err ? err : count;
}

static ssize_t dtape_user_bound_read(struct file *file, char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	char line[96];
	int len;

	mutex_lock(&dtape_bound_lock);
	len = scnprintf(line, sizeof(line), "bytes=%llu copies=%llu ns=%llu\n",
			dtape_user_bound_last.bytes,
			dtape_user_bound_last.copies, dtape_user_bound_last.ns);
	mutex_unlock(&dtape_bound_lock);
	return simple_read_from_buffer(ubuf, count, ppos, line, len);
}

static int dtape_user_bound_release(struct inode *inode, struct file *file)
{
	struct dtape_user_bound *ub = file->private_data;

	if (!ub)
		return 0;
	if (ub->done.copies) {
		mutex_lock(&dtape_bound_lock);
		dtape_user_bound_last = ub->done;
		mutex_unlock(&dtape_bound_lock);
	}
	dtape_bounce_free(&ub->bounce);
	mutex_destroy(&ub->lock);
	kfree(ub);
	return 0;
}

static const struct file_operations dtape_user_bound_fops = {
	.owner = THIS_MODULE,
	.open = dtape_user_bound_open,
	.read = dtape_user_bound_read,
	.write = dtape_user_bound_write,
	.release = dtape_user_bound_release,
	.llseek = default_llseek,
};

void dtape_debugfs_init(void)
{
	/* debugfs is optional: failures leave the driver working without it. */
	dtape_debugfs_dir = debugfs_create_dir(DTAPE_NAME, NULL);
	debugfs_create_file("copy_bound", 0600, dtape_debugfs_dir, NULL,
			    &dtape_bound_fops);
	debugfs_create_file("user_copy_bound", 0600, dtape_debugfs_dir, NULL,
			    &dtape_user_bound_fops);
}

void dtape_debugfs_exit(void)
{
	debugfs_remove_recursive(dtape_debugfs_dir);
}
