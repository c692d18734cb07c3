// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_main.c - module parameters, class and device nodes, open/release.
 *
 * /dev/dtapeN rewinds on close and /dev/ndtapeN does not, like /dev/stN
 * and /dev/nstN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/version.h>

#include "dtape.h"

const char * const dtape_mode_names[DTAPE_NR_MODES] = DTAPE_MODE_NAMES;

static unsigned int drives = 1;
module_param(drives, uint, 0444);
MODULE_PARM_DESC(drives, "Number of tape drives (1-32)");

static unsigned int capacity_mb = 64;
module_param(capacity_mb, uint, 0444);
MODULE_PARM_DESC(capacity_mb, "Capacity of each tape in MiB");

static unsigned int early_warning_kb = 1024;
module_param(early_warning_kb, uint, 0444);
MODULE_PARM_DESC(early_warning_kb,
		 "Size of the early-warning zone before the end of the tape, KiB");

static unsigned int max_record_kb = 16384;
module_param(max_record_kb, uint, 0444);
MODULE_PARM_DESC(max_record_kb, "Largest record or write() in KiB");
unsigned int dtape_max_record;

static bool write_protect;
module_param(write_protect, bool, 0444);
MODULE_PARM_DESC(write_protect,
		 "Load the tapes write-protected (per drive: sysfs write_protect)");

unsigned int dtape_dma_alignment = 4;

static int dtape_set_alignment(const char *val, const struct kernel_param *kp)
{
	unsigned int align;
	int err;

	err = kstrtouint(val, 0, &align);
	if (err)
		return err;
	if (!is_power_of_2(align) || align > PAGE_SIZE)
		return -EINVAL;
	WRITE_ONCE(dtape_dma_alignment, align);
	return 0;
}

static const struct kernel_param_ops dtape_alignment_ops = {
	.set = dtape_set_alignment,
	.get = param_get_uint,
};

/* 4 bytes, as st gets from a SCSI host adapter on x86. */
module_param_cb(dma_alignment, &dtape_alignment_ops, &dtape_dma_alignment,
		0644);
MODULE_PARM_DESC(dma_alignment,
		 "Buffer address alignment for direct I/O, a power of 2 up to PAGE_SIZE (default 4)");

int dtape_mode = DTAPE_MODE_AUTO;

static int dtape_set_mode(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(dtape_mode_names, val);

	if (mode < 0)
		return mode;
	WRITE_ONCE(dtape_mode, mode);
	return 0;
}

static int dtape_get_mode(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", dtape_mode_names[READ_ONCE(dtape_mode)]);
}

static const struct kernel_param_ops dtape_mode_ops = {
	.set = dtape_set_mode,
	.get = dtape_get_mode,
};

module_param_cb(mode, &dtape_mode_ops, NULL, 0644);
MODULE_PARM_DESC(mode,
		 "auto (st's alignment rule), direct, buffered or legacy (get_user_pages)");

/*
 * The streaming model, per drive (rate 0: off). Also in sysfs under
 * /sys/class/dtape/dtapeN/stream/, to change without reloading.
 */
static unsigned int stream_buffer_kb[DTAPE_MAX_DRIVES];
static unsigned int stream_rate_mbps[DTAPE_MAX_DRIVES];
static unsigned int stream_reposition_ms[DTAPE_MAX_DRIVES] = {
	[0 ... DTAPE_MAX_DRIVES - 1] = DTAPE_STREAM_REPOSITION_MS,
};
module_param_array(stream_buffer_kb, uint, NULL, 0444);
MODULE_PARM_DESC(stream_buffer_kb, "per drive: the drive's buffer in KiB");
module_param_array(stream_rate_mbps, uint, NULL, 0444);
MODULE_PARM_DESC(stream_rate_mbps,
		 "per drive: MB/s the tape streams at; 0 turns the model off");
module_param_array(stream_reposition_ms, uint, NULL, 0444);
MODULE_PARM_DESC(stream_reposition_ms,
		 "per drive: ms to reposition after the tape stopped (default 50)");

static dev_t dtape_devt;
static struct cdev dtape_cdev;
static struct dtape_drive **dtape_drives;

/* Debian's udev is not in the lab VM, so devtmpfs must get the mode right. */
#if KERNEL_VERSION(6, 2, 0) > LINUX_VERSION_CODE
static char *dtape_devnode(struct device *dev, umode_t *mode)
#else
static char *dtape_devnode(const struct device *dev, umode_t *mode)
#endif
{
	if (mode)
		*mode = 0660;
	return NULL;
}

static struct class dtape_class = {
	.name = DTAPE_NAME,
	.devnode = dtape_devnode,
};

static int dtape_open(struct inode *inode, struct file *filp)
{
	unsigned int index = iminor(inode) & ~DTAPE_NOREWIND_MINOR;
	struct dtape_drive *drive;
	int err = 0;

	if (index >= drives)
		return -ENXIO;
	drive = dtape_drives[index];
	if (test_and_set_bit(0, &drive->busy))
		return -EBUSY;

	mutex_lock(&drive->lock);
	/* O_NONBLOCK opens succeed without a tape so that mt can ask. */
	if (!drive->online && !(filp->f_flags & O_NONBLOCK))
		/* An autoloader: the same cartridge goes back in. */
		drive->online = true;
	if (drive->online && drive->write_protected &&
	    (filp->f_flags & O_ACCMODE) != O_RDONLY &&
	    !(filp->f_flags & O_NONBLOCK))
		err = -EROFS;
	drive->dirty = false;
	drive->eod_reads = 0;
	mutex_unlock(&drive->lock);
	if (err) {
		clear_bit(0, &drive->busy);
		return err;
	}

	filp->private_data = drive;
	/*
	 * Allow open(O_DIRECT): a char device has no a_ops->direct_IO.
	 * FMODE_NOWAIT: queuing a request never waits for the tape, so
	 * io_uring may submit from the caller's task (see dtape_iter.c).
	 */
	filp->f_mode |= FMODE_CAN_ODIRECT | FMODE_NOWAIT;
	return 0;
}

static int dtape_release(struct inode *inode, struct file *filp)
{
	struct dtape_drive *drive = filp->private_data;

	/* Every request holds the file, so none can be left by now. */
	WARN_ON_ONCE(!dtape_queue_idle(drive));
	dtape_stream_stop(&drive->stream);
	mutex_lock(&drive->lock);
	dtape_flush_filemark(drive);
	if (!(iminor(inode) & DTAPE_NOREWIND_MINOR)) {
		dtape_pos_rewind(&drive->pos);
		drive->eom_warned = false;
	}
	dtape_bounce_free(&drive->bounce);
	mutex_unlock(&drive->lock);
	clear_bit(0, &drive->busy);
	return 0;
}

static const struct file_operations dtape_fops = {
	.owner = THIS_MODULE,
	.open = dtape_open,
	.release = dtape_release,
	.read_iter = dtape_read_iter,
	.write_iter = dtape_write_iter,
	.unlocked_ioctl = dtape_ioctl,
	.llseek = noop_llseek,
};

static void dtape_drive_destroy(struct dtape_drive *drive)
{
	if (!IS_ERR_OR_NULL(drive->queue.worker))
		dtape_queue_stop(drive);
	if (drive->norewind_dev)
		device_destroy(&dtape_class,
			       MKDEV(MAJOR(dtape_devt),
				     drive->index | DTAPE_NOREWIND_MINOR));
	if (drive->rewind_dev)
		device_destroy(&dtape_class, MKDEV(MAJOR(dtape_devt),
						   drive->index));
	dtape_medium_release(&drive->medium);
	kfree(drive);
}

static struct dtape_drive *dtape_drive_create(unsigned int index)
{
	struct dtape_drive *drive;
	int major = MAJOR(dtape_devt);
	struct device *dev;
	int err;

	drive = kzalloc(sizeof(*drive), GFP_KERNEL);
	if (!drive)
		return ERR_PTR(-ENOMEM);
	drive->index = index;
	drive->online = true;
	drive->write_protected = write_protect;
	mutex_init(&drive->lock);
	dtape_stream_init(&drive->stream, stream_buffer_kb[index],
			  stream_rate_mbps[index], stream_reposition_ms[index]);
	err = dtape_medium_init(&drive->medium, (u64)capacity_mb << 20,
				(u64)early_warning_kb << 10);
	if (err) {
		kfree(drive);
		return ERR_PTR(err);
	}
	err = dtape_queue_start(drive);
	if (err) {
		dtape_drive_destroy(drive);
		return ERR_PTR(err);
	}

	dev = device_create_with_groups(&dtape_class, NULL,
					MKDEV(major, index), drive,
					dtape_groups, "dtape%u", index);
	if (IS_ERR(dev))
		goto fail;
	drive->rewind_dev = dev;
	dtape_check_node(dev);
	dev = device_create_with_groups(&dtape_class, NULL,
					MKDEV(major,
					      index | DTAPE_NOREWIND_MINOR),
					drive, dtape_groups, "ndtape%u", index);
	if (IS_ERR(dev))
		goto fail;
	drive->norewind_dev = dev;
	dtape_check_node(dev);
	return drive;
fail:
	dtape_drive_destroy(drive);
	return ERR_CAST(dev);
}

static void dtape_destroy_drives(void)
{
	unsigned int i;

	for (i = 0; i < drives; i++)
		if (!IS_ERR_OR_NULL(dtape_drives[i]))
			dtape_drive_destroy(dtape_drives[i]);
	kfree(dtape_drives);
}

static int __init dtape_init(void)
{
	unsigned int i;
	int err;

	if (!drives || drives > DTAPE_MAX_DRIVES || !capacity_mb ||
	    (u64)early_warning_kb << 10 >= (u64)capacity_mb << 20 ||
	    !max_record_kb || max_record_kb > (INT_MAX >> 10))
		return -EINVAL;
	dtape_max_record = max_record_kb << 10;

	err = alloc_chrdev_region(&dtape_devt, 0, DTAPE_NR_MINORS, DTAPE_NAME);
	if (err)
		return err;
	err = class_register(&dtape_class);
	if (err)
		goto out_region;
	dtape_drives = kcalloc(drives, sizeof(*dtape_drives), GFP_KERNEL);
	if (!dtape_drives) {
		err = -ENOMEM;
		goto out_class;
	}
	for (i = 0; i < drives; i++) {
		dtape_drives[i] = dtape_drive_create(i);
		if (IS_ERR(dtape_drives[i])) {
			err = PTR_ERR(dtape_drives[i]);
			goto out_drives;
		}
	}
	/* Last, so no open() can find a drive that is not set up. */
	cdev_init(&dtape_cdev, &dtape_fops);
	dtape_cdev.owner = THIS_MODULE;
	err = cdev_add(&dtape_cdev, dtape_devt, DTAPE_NR_MINORS);
	if (err)
		goto out_drives;
	dtape_debugfs_init();
	pr_info("%u drive(s) of %u MiB, major %d\n", drives, capacity_mb,
		MAJOR(dtape_devt));
	return 0;

out_drives:
	dtape_destroy_drives();
out_class:
	class_unregister(&dtape_class);
out_region:
	unregister_chrdev_region(dtape_devt, DTAPE_NR_MINORS);
	return err;
}

static void __exit dtape_exit(void)
{
	dtape_debugfs_exit();
	cdev_del(&dtape_cdev);
	dtape_destroy_drives();
	class_unregister(&dtape_class);
	unregister_chrdev_region(dtape_devt, DTAPE_NR_MINORS);
}

module_init(dtape_init);
module_exit(dtape_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("RAM-backed tape drive with st semantics and direct I/O by page pinning");
MODULE_AUTHOR("diolab");
