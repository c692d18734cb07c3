/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dtape.h - a drive's state, and the functions the dtape files share.
 *
 * dtape is a RAM-backed tape drive that behaves like SCSI st and moves
 * data by pinning user pages.
 */
#ifndef DTAPE_H
#define DTAPE_H

#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "dtape_dio.h"
#include "dtape_queue.h"
#include "dtape_stream.h"

struct iov_iter;
struct kiocb;

#define DTAPE_NAME		"dtape"
#define DTAPE_MAX_DRIVES	32
/* Same convention as st: the no-rewind node sets minor bit 7. */
#define DTAPE_NOREWIND_MINOR	128
#define DTAPE_NR_MINORS		256

/*
 * Every record and filemark also uses this much tape, like the gap
 * between blocks on a real tape. It bounds the driver's metadata (16
 * bytes per entry) to a quarter of the capacity even for 1-byte records.
 */
#define DTAPE_GAP_BYTES		64

extern const char * const dtape_mode_names[DTAPE_NR_MODES];

/* Module parameters that the I/O path reads on every transfer. */
extern unsigned int dtape_dma_alignment;
extern int dtape_mode;
extern unsigned int dtape_max_record;

/*
 * One record or filemark. Data is one byte stream, so an entry's data
 * starts where the previous entry's ends; a filemark has no data, and
 * records are never empty, so a zero length means a filemark.
 */
struct dtape_entry {
	u64 data_end;
	/* Filemarks only: records in the file the filemark closes. */
	u64 file_records;
};

struct dtape_medium {
	struct xarray chunks;	/* arrays of struct dtape_entry */
	struct xarray pages;	/* the data stream, allocated on demand */
	u64 pages_ready;	/* data pages 0 to pages_ready - 1 are allocated */
	u64 nr_entries;		/* end of data */
	u64 capacity;		/* bytes, gaps included */
	u64 early_warning;	/* size of the zone before the physical end */
};

/* Decoded view of one entry. */
struct dtape_extent {
	u64 start;
	u64 len;
	bool filemark;
	u64 file_records;
};

/*
 * The head position. The logical block address counts filemarks too, as
 * in the SCSI-2 logical block model that MTIOCPOS and MTSEEK use.
 */
struct dtape_pos {
	u64 block;
	u64 fileno;
	u64 blkno;
};

struct dtape_stats {
	atomic64_t records_written;
	atomic64_t records_read;
	atomic64_t bytes_written;
	atomic64_t bytes_read;
	atomic64_t path_records[DTAPE_NR_PATHS];
	atomic64_t path_bytes[DTAPE_NR_PATHS];
	atomic64_t pages_pinned;
	atomic64_t pages_unpinned;
	atomic64_t legacy_refs_taken;
	atomic64_t legacy_refs_dropped;
	atomic64_t fallbacks[DTAPE_NR_FALLBACKS];
	atomic64_t filemarks_written;
	atomic64_t filemarks_read;
};

struct dtape_drive {
	unsigned int index;
	unsigned long busy;	/* bit 0: open; st allows one opener */
	struct mutex lock;	/* everything below */
	struct dtape_medium medium;
	struct dtape_pos pos;
	u32 block_size;		/* 0: variable-block mode */
	bool online;
	bool write_protected;
	/* The last operation wrote data, so a filemark is due on close. */
	bool dirty;
	bool eom_warned;
	unsigned int eod_reads;
	struct dtape_bounce bounce;
	struct dtape_stats stats;
	struct dtape_stream stream;
	struct dtape_queue queue;
	struct device *rewind_dev;
	struct device *norewind_dev;
};

/* dtape_medium.c */
int dtape_medium_init(struct dtape_medium *m, u64 capacity, u64 early_warning);
void dtape_medium_release(struct dtape_medium *m);
bool dtape_medium_extent(struct dtape_medium *m, u64 block,
			 struct dtape_extent *ext);
u64 dtape_medium_data_start(struct dtape_medium *m, u64 block);
u64 dtape_medium_used(struct dtape_medium *m, u64 block);
int dtape_medium_reserve(struct dtape_medium *m, u64 block,
			 u64 nr_entries, u64 data_len);
void dtape_medium_append_records(struct dtape_medium *m, u64 block,
				 u64 nr_records, u64 record_len);
void dtape_medium_append_filemark(struct dtape_medium *m, u64 block,
				  u64 file_records);
void dtape_medium_truncate(struct dtape_medium *m, u64 block);
void dtape_medium_copy_pages(struct dtape_medium *m, u64 offset,
			     struct page **pages, size_t first_offset,
			     size_t len, bool to_medium);

/* dtape_pos.c */
void dtape_pos_rewind(struct dtape_pos *pos);
int dtape_pos_space_records(struct dtape_medium *m, struct dtape_pos *pos,
			    long count);
int dtape_pos_space_filemarks(struct dtape_medium *m, struct dtape_pos *pos,
			      long count);
void dtape_pos_end_of_data(struct dtape_medium *m, struct dtape_pos *pos);
int dtape_pos_seek(struct dtape_medium *m, struct dtape_pos *pos, u64 block);
void dtape_pos_step_forward(struct dtape_medium *m, struct dtape_pos *pos);

/* dtape_rw.c */
ssize_t dtape_write_locked(struct dtape_drive *drive, unsigned long uaddr,
			   size_t count, bool odirect);
ssize_t dtape_read_locked(struct dtape_drive *drive, unsigned long uaddr,
			  size_t count, bool odirect);
ssize_t dtape_place(struct dtape_drive *drive, struct dtape_xfer *x,
		    bool odirect);
int dtape_write_filemarks(struct dtape_drive *drive, unsigned int count);
void dtape_flush_filemark(struct dtape_drive *drive);

/* dtape_iter.c */
ssize_t dtape_read_iter(struct kiocb *iocb, struct iov_iter *to);
ssize_t dtape_write_iter(struct kiocb *iocb, struct iov_iter *from);

/* dtape_ioctl.c */
long dtape_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);

/* dtape_sysfs.c, dtape_stream_sysfs.c */
extern const struct attribute_group *dtape_groups[];
extern const struct attribute_group dtape_stream_group;

/* dtape_nodecheck.c */
void dtape_check_node(struct device *dev);

/* dtape_debugfs.c */
void dtape_debugfs_init(void);
void dtape_debugfs_exit(void);

#endif /* DTAPE_H */
