// SPDX-License-Identifier: GPL-2.0
/*
 * The device: /dev/dlab reads and writes the medium at the file position,
 * always straight between the medium and the caller's pages.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "dlab.h"

bool dlab_legacy;
module_param_named(legacy, dlab_legacy, bool, 0644);
MODULE_PARM_DESC(legacy, "take user pages the seed's way: get_user_pages (part 2)");

/* One transfer at a time: the medium has no finer locking. */
static DEFINE_MUTEX(dlab_lock);

static ssize_t dlab_io(unsigned long uaddr, size_t len, loff_t *ppos,
		       bool to_user)
{
	loff_t pos = *ppos;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	if (pos >= DLAB_MEDIUM_SIZE)
		return to_user ? 0 : -ENOSPC;
	len = min_t(size_t, len, DLAB_MEDIUM_SIZE - pos);
	if (!len)
		return 0;
	mutex_lock(&dlab_lock);
	ret = dlab_xfer(uaddr, len, pos, to_user);
	mutex_unlock(&dlab_lock);
	if (ret > 0)
		*ppos = pos + ret;
	return ret;
}

static ssize_t dlab_read(struct file *file, char __user *buf, size_t len,
			 loff_t *ppos)
{
	return dlab_io((unsigned long)buf, len, ppos, true);
}

static ssize_t dlab_write(struct file *file, const char __user *buf,
			  size_t len, loff_t *ppos)
{
	return dlab_io((unsigned long)buf, len, ppos, false);
}

static const struct file_operations dlab_fops = {
	.owner = THIS_MODULE,
	.read = dlab_read,
	.write = dlab_write,
	.llseek = default_llseek,
};

static struct miscdevice dlab_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "dlab",
	.fops = &dlab_fops,
	.groups = dlab_groups,
	.mode = 0666,
};

static int __init dlab_init(void)
{
	int err;

	err = dlab_medium_init();
	if (err)
		return err;
	err = misc_register(&dlab_dev);
	if (err)
		dlab_medium_exit();
	return err;
}

static void __exit dlab_exit(void)
{
	misc_deregister(&dlab_dev);
	dlab_medium_exit();
}

module_init(dlab_init);
module_exit(dlab_exit);
MODULE_DESCRIPTION("diolab lab 04: direct I/O in a char driver");
MODULE_LICENSE("GPL");
