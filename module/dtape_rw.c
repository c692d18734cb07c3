// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_rw.c - reading and writing records with st's rules.
 *
 * On top of the medium (dtape_medium.c) and the user-memory paths
 * (dtape_dio.c). The entry points are in dtape_iter.c; a queued request
 * arrives in dtape_place().
 */
#include <linux/fs.h>
#include <linux/uaccess.h>

#include "dtape.h"

static void dtape_account(struct dtape_drive *drive, enum dtape_path path,
			  u64 records, size_t bytes, bool to_medium)
{
	struct dtape_stats *s = &drive->stats;

	atomic64_add(records, to_medium ? &s->records_written :
					  &s->records_read);
	atomic64_add(bytes, to_medium ? &s->bytes_written : &s->bytes_read);
	atomic64_add(records, &s->path_records[path]);
	atomic64_add(bytes, &s->path_bytes[path]);
}

/*
 * End of medium, as st reports it: the first write that would reach into
 * the early-warning zone fails with ENOSPC and writes nothing, so the
 * application can wrap up. Later writes may use the zone; nothing may go
 * past the physical end (st says EIO there; ENOSPC tells dd and tar more).
 */
static int dtape_check_space(struct dtape_drive *drive, u64 nr_entries,
			     size_t bytes)
{
	struct dtape_medium *m = &drive->medium;
	u64 end = dtape_medium_used(m, drive->pos.block) + bytes +
		  nr_entries * DTAPE_GAP_BYTES;

	if (end > m->capacity)
		return -ENOSPC;
	if (end <= m->capacity - m->early_warning) {
		drive->eom_warned = false;
		return 0;
	}
	if (!drive->eom_warned) {
		drive->eom_warned = true;
		return -ENOSPC;
	}
	return 0;
}

/* Whether a write of @count bytes may go on the tape at the head. */
static int dtape_write_check(struct dtape_drive *drive, unsigned long uaddr,
			     size_t count, bool odirect, u64 *nr_records)
{
	int err;

	if (!drive->online)
		return -ENOMEDIUM;
	if (drive->write_protected)
		return -EROFS;
	if (count > dtape_max_record)
		return -EINVAL;
	err = dtape_xfer_check(uaddr, odirect);
	if (err)
		return err;
	*nr_records = 1;
	if (drive->block_size) {
		if (count % drive->block_size)
			return -EINVAL;
		*nr_records = count / drive->block_size;
	}
	return dtape_check_space(drive, *nr_records, count);
}

/* Put a write whose user side is ready (@x) on the tape at the head. */
static ssize_t dtape_write_commit(struct dtape_drive *drive,
				  struct dtape_xfer *x, u64 nr_records)
{
	struct dtape_medium *m = &drive->medium;
	u64 block = drive->pos.block;
	int err;

	err = dtape_medium_reserve(m, block, nr_records, x->len);
	if (err)
		return err;
	dtape_xfer_copy(x, m, dtape_medium_data_start(m, block), block);
	dtape_medium_append_records(m, block, nr_records,
				    x->len / nr_records);
	drive->pos.block += nr_records;
	drive->pos.blkno += nr_records;
	drive->dirty = true;
	drive->eod_reads = 0;
	dtape_account(drive, x->path, nr_records, x->len, true);
	return x->len;
}

ssize_t dtape_write_locked(struct dtape_drive *drive, unsigned long uaddr,
			   size_t count, bool odirect)
{
	struct dtape_xfer x;
	u64 nr_records;
	ssize_t ret;
	int err;

	err = dtape_write_check(drive, uaddr, count, odirect, &nr_records);
	if (err)
		return err;
	err = dtape_xfer_prepare(&x, drive, uaddr, count, true, odirect);
	if (err)
		return err;
	ret = dtape_write_commit(drive, &x, nr_records);
	dtape_xfer_done(&x, ret);
	return ret;
}

int dtape_write_filemarks(struct dtape_drive *drive, unsigned int count)
{
	struct dtape_medium *m = &drive->medium;
	unsigned int i;
	int err;

	if (!count) {
		drive->dirty = false;
		return 0;
	}
	if (dtape_medium_used(m, drive->pos.block) +
	    (u64)count * DTAPE_GAP_BYTES > m->capacity)
		return -ENOSPC;
	err = dtape_medium_reserve(m, drive->pos.block, count, 0);
	if (err)
		return err;
	for (i = 0; i < count; i++) {
		dtape_medium_append_filemark(m, drive->pos.block,
					     drive->pos.blkno);
		dtape_pos_step_forward(m, &drive->pos);
	}
	atomic64_add(count, &drive->stats.filemarks_written);
	drive->dirty = false;
	drive->eod_reads = 0;
	return 0;
}

/* st's implicit filemark: on close, and before rewinding or seeking. */
void dtape_flush_filemark(struct dtape_drive *drive)
{
	if (drive->dirty && dtape_write_filemarks(drive, 1))
		dev_warn(drive->rewind_dev, "no room for the closing filemark\n");
	drive->dirty = false;
}

/*
 * How many bytes one read() takes from the tape at the head. In fixed
 * mode that is whole blocks up to the next filemark or end of data.
 */
static ssize_t dtape_read_extent(struct dtape_drive *drive, size_t count,
				 u64 *nr_records)
{
	struct dtape_medium *m = &drive->medium;
	struct dtape_extent ext;
	u64 block = drive->pos.block;
	u64 wanted;

	dtape_medium_extent(m, block, &ext);
	if (!drive->block_size) {
		*nr_records = 1;
		/* st: the record is lost and the caller learns the buffer was too short. */
		if (count < ext.len)
			return -ENOMEM;
		return ext.len;
	}
	wanted = count / drive->block_size;
	for (*nr_records = 0; *nr_records < wanted; (*nr_records)++, block++) {
		if (!dtape_medium_extent(m, block, &ext) || ext.filemark)
			break;
		/* A block of another size: the drive reports an illegal length. */
		if (ext.len != drive->block_size) {
			if (*nr_records)
				break;
			*nr_records = 1;
			return -EIO;
		}
	}
	return *nr_records * drive->block_size;
}

/*
 * What a read of @count bytes into @uaddr finds at the head: the length it will
 * return, or 0 at a filemark or end of data (the head then moves as st's
 * does), or an error. @ext and @nr_records describe the data.
 */
static ssize_t dtape_read_locate(struct dtape_drive *drive,
				 unsigned long uaddr, size_t count,
				 bool odirect, struct dtape_extent *ext,
				 u64 *nr_records)
{
	struct dtape_medium *m = &drive->medium;
	ssize_t len;
	int err;
	u64 i;

	if (!drive->online)
		return -ENOMEDIUM;
	if (drive->block_size && count % drive->block_size)
		return -EINVAL;
	err = dtape_xfer_check(uaddr, odirect);
	if (err)
		return err;
	drive->dirty = false;
	*nr_records = 0;
	/* st: end of data reads as 0 twice, then as an error. */
	if (!dtape_medium_extent(m, drive->pos.block, ext)) {
		if (drive->eod_reads >= 2)
			return -EIO;
		drive->eod_reads++;
		return 0;
	}
	if (ext->filemark) {
		dtape_pos_step_forward(m, &drive->pos);
		atomic64_inc(&drive->stats.filemarks_read);
		return 0;
	}
	len = dtape_read_extent(drive, count, nr_records);
	if (len < 0) {
		/* The record is passed over, as st's is. */
		for (i = 0; i < *nr_records; i++)
			dtape_pos_step_forward(m, &drive->pos);
		*nr_records = 0;
	}
	return len;
}

/* Copy what dtape_read_locate() found into @x. */
static void dtape_read_copy(struct dtape_drive *drive, struct dtape_xfer *x,
			    struct dtape_extent *ext, size_t len)
{
	size_t whole = x->len;

	/* A record shorter than a queued request's buffer fills its start. */
	x->len = len;
	dtape_xfer_copy(x, &drive->medium, ext->start, drive->pos.block);
	x->len = whole;
}

/* The data reached the caller: count it and move past it. */
static void dtape_read_advance(struct dtape_drive *drive, enum dtape_path path,
			       size_t len, u64 nr_records)
{
	u64 i;

	dtape_account(drive, path, nr_records, len, false);
	for (i = 0; i < nr_records; i++)
		dtape_pos_step_forward(&drive->medium, &drive->pos);
}

ssize_t dtape_read_locked(struct dtape_drive *drive, unsigned long uaddr,
			  size_t count, bool odirect)
{
	struct dtape_extent ext;
	struct dtape_xfer x;
	u64 nr_records;
	ssize_t len;
	int err;

	len = dtape_read_locate(drive, uaddr, count, odirect, &ext, &nr_records);
	if (len <= 0)
		return len;
	err = dtape_xfer_prepare(&x, drive, uaddr, len, false, odirect);
	if (err)
		return err;
	dtape_read_copy(drive, &x, &ext, len);
	/* A fault in the second copy of a buffered read leaves the record. */
	err = dtape_xfer_done(&x, len);
	if (err)
		return err;
	dtape_read_advance(drive, x.path, len, nr_records);
	return len;
}

/*
 * A queued request reaches the tape here, in the drive's thread and in
 * submission order; its user pages were pinned when it was submitted.
 */
ssize_t dtape_place(struct dtape_drive *drive, struct dtape_xfer *x,
		    bool odirect)
{
	struct dtape_extent ext;
	u64 nr_records;
	ssize_t len;
	int err;

	lockdep_assert_held(&drive->lock);
	if (x->to_medium) {
		err = dtape_write_check(drive, x->uaddr, x->len, odirect,
					&nr_records);
		return err ? err : dtape_write_commit(drive, x, nr_records);
	}
	len = dtape_read_locate(drive, x->uaddr, x->len, odirect, &ext,
				&nr_records);
	if (len > 0) {
		dtape_read_copy(drive, x, &ext, len);
		dtape_read_advance(drive, x->path, len, nr_records);
	}
	return len;
}
