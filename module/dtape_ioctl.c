// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_ioctl.c - the mtio ioctls: MTIOCTOP, MTIOCGET, MTIOCPOS.
 *
 * They have st's semantics as far as mt-st, tar and dd can tell. 32-bit
 * callers are not supported: struct mtget has longs in it, and st needs a
 * compat handler for that.
 */
#include <linux/fs.h>
#include <linux/mtio.h>
#include <linux/uaccess.h>

#include "dtape.h"

/* mtio.h has only test macros for these bits; the values are st's. */
#define DTAPE_GMT_EOF		0x80000000UL
#define DTAPE_GMT_BOT		0x40000000UL
#define DTAPE_GMT_EOT		0x20000000UL
#define DTAPE_GMT_EOD		0x08000000UL
#define DTAPE_GMT_WR_PROT	0x04000000UL
#define DTAPE_GMT_ONLINE	0x01000000UL
#define DTAPE_GMT_DR_OPEN	0x00040000UL

static unsigned long dtape_gstat(struct dtape_drive *drive)
{
	struct dtape_medium *m = &drive->medium;
	struct dtape_pos *pos = &drive->pos;
	unsigned long gstat = 0;

	if (!drive->online)
		return DTAPE_GMT_DR_OPEN;
	gstat |= DTAPE_GMT_ONLINE;
	if (!pos->block)
		gstat |= DTAPE_GMT_BOT;
	else if (!pos->blkno)
		gstat |= DTAPE_GMT_EOF;
	if (pos->block >= m->nr_entries)
		gstat |= DTAPE_GMT_EOD;
	if (dtape_medium_used(m, pos->block) > m->capacity - m->early_warning)
		gstat |= DTAPE_GMT_EOT;
	if (drive->write_protected)
		gstat |= DTAPE_GMT_WR_PROT;
	return gstat;
}

static bool dtape_op_needs_medium(short op)
{
	switch (op) {
	case MTNOP:
	case MTLOAD:
	case MTOFFL:
	case MTUNLOAD:
	case MTLOCK:
	case MTUNLOCK:
	case MTSETBLK:
		return false;
	default:
		return true;
	}
}

/* st writes the pending filemark before these, so the file is closed. */
static bool dtape_op_closes_file(short op)
{
	switch (op) {
	case MTREW:
	case MTOFFL:
	case MTUNLOAD:
	case MTRETEN:
	case MTSEEK:
	case MTBSF:
	case MTBSFM:
		return true;
	default:
		return false;
	}
}

static int dtape_erase(struct dtape_drive *drive)
{
	if (drive->write_protected)
		return -EACCES;
	if (drive->pos.block)
		dtape_medium_truncate(&drive->medium, drive->pos.block);
	else
		dtape_medium_release(&drive->medium);
	return 0;
}

static int dtape_mtioctop(struct dtape_drive *drive, const struct mtop *op)
{
	struct dtape_medium *m = &drive->medium;
	struct dtape_pos *pos = &drive->pos;
	long count = op->mt_count;
	int err;

	if (!drive->online && dtape_op_needs_medium(op->mt_op))
		return -ENOMEDIUM;
	if (dtape_op_closes_file(op->mt_op))
		dtape_flush_filemark(drive);

	switch (op->mt_op) {
	case MTNOP:
	case MTLOCK:
	case MTUNLOCK:
		return 0;
	case MTSETBLK:
		if (op->mt_count > dtape_max_record)
			return -EINVAL;
		drive->block_size = op->mt_count;
		return 0;
	case MTWEOF:
		if (drive->write_protected)
			return -EACCES;
		return dtape_write_filemarks(drive, op->mt_count);
	case MTLOAD:
		drive->online = true;
		return 0;
	case MTERASE:
		err = dtape_erase(drive);
		break;
	case MTRESET:
	case MTREW:
	case MTRETEN:
		dtape_pos_rewind(pos);
		err = 0;
		break;
	case MTOFFL:
	case MTUNLOAD:
		dtape_pos_rewind(pos);
		drive->online = false;
		err = 0;
		break;
	case MTFSF:
		err = dtape_pos_space_filemarks(m, pos, count);
		break;
	case MTBSF:
		err = dtape_pos_space_filemarks(m, pos, -count);
		break;
	case MTFSFM:
		/* As st: forward, then back over the last filemark. */
		err = dtape_pos_space_filemarks(m, pos, count);
		if (!err)
			err = dtape_pos_space_filemarks(m, pos, -1);
		break;
	case MTBSFM:
		err = dtape_pos_space_filemarks(m, pos, -count);
		if (!err)
			err = dtape_pos_space_filemarks(m, pos, 1);
		break;
	case MTFSR:
		err = dtape_pos_space_records(m, pos, count);
		break;
	case MTBSR:
		err = dtape_pos_space_records(m, pos, -count);
		break;
	case MTEOM:
		dtape_pos_end_of_data(m, pos);
		err = 0;
		break;
	case MTSEEK:
		err = dtape_pos_seek(m, pos, op->mt_count);
		break;
	default:
		return -EINVAL;
	}
	/* The head moved: no write is pending and end-of-data counting restarts. */
	drive->dirty = false;
	drive->eod_reads = 0;
	drive->eom_warned = false;
	return err;
}

static void dtape_mtget(struct dtape_drive *drive, struct mtget *get)
{
	memset(get, 0, sizeof(*get));
	/* mt-st decodes the status fields only for SCSI drives. */
	get->mt_type = MT_ISSCSI2;
	get->mt_dsreg = drive->block_size & MT_ST_BLKSIZE_MASK;
	get->mt_gstat = dtape_gstat(drive);
	get->mt_fileno = drive->pos.fileno;
	get->mt_blkno = drive->pos.blkno;
}

long dtape_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct dtape_drive *drive = filp->private_data;
	void __user *argp = (void __user *)arg;
	struct mtget get;
	struct mtpos where;
	struct mtop op;
	long err;

	switch (cmd) {
	case MTIOCTOP:
		if (copy_from_user(&op, argp, sizeof(op)))
			return -EFAULT;
		if (op.mt_count < 0)
			return -EINVAL;
		/* A drive empties its buffer before it moves the tape. */
		dtape_queue_drain(drive);
		if (op.mt_op != MTNOP)
			dtape_stream_stop(&drive->stream);
		if (mutex_lock_interruptible(&drive->lock))
			return -ERESTARTSYS;
		err = dtape_mtioctop(drive, &op);
		mutex_unlock(&drive->lock);
		return err;
	case MTIOCGET:
		dtape_queue_drain(drive);
		if (mutex_lock_interruptible(&drive->lock))
			return -ERESTARTSYS;
		dtape_mtget(drive, &get);
		mutex_unlock(&drive->lock);
		return copy_to_user(argp, &get, sizeof(get)) ? -EFAULT : 0;
	case MTIOCPOS:
		dtape_queue_drain(drive);
		if (mutex_lock_interruptible(&drive->lock))
			return -ERESTARTSYS;
		where.mt_blkno = drive->pos.block;
		mutex_unlock(&drive->lock);
		return copy_to_user(argp, &where, sizeof(where)) ? -EFAULT : 0;
	default:
		return -ENOTTY;
	}
}
