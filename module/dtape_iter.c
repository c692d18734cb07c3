// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_iter.c - read_iter and write_iter: inline, or a queued request.
 *
 * A synchronous call with the streaming model off runs inline, as st's
 * read() and write() do, and each segment of a readv() or writev() is one
 * record: the VFS calls st's .read and .write once per segment, so st
 * behaves the same way.
 *
 * A request that must outlive the call (aio, io_uring), or any request
 * while the streaming model times the drive, is queued for the drive's
 * thread (dtape_queue.c) with its user pages pinned first. The iov_iter is
 * never touched after that: on 6.1, aio's iovec lives on io_submit()'s
 * stack.
 *
 * The files are opened with FMODE_NOWAIT, so io_uring calls write_iter
 * from the submitting task with IOCB_NOWAIT instead of from an io-wq
 * worker. Queuing never waits for the tape, so records keep the order in
 * which they were submitted. No .poll: a tape drive accepts a queued
 * request at any time, so there is no readiness to report.
 */
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/version.h>

#include "dtape.h"

/* Where the iterator's current segment starts in user memory. */
static unsigned long dtape_iter_uaddr(const struct iov_iter *i)
{
#if KERNEL_VERSION(6, 4, 0) > LINUX_VERSION_CODE
	if (iter_is_ubuf(i))
		return (unsigned long)i->ubuf + i->iov_offset;
	return (unsigned long)i->iov->iov_base + i->iov_offset;
#else
	/* 6.4 gave ITER_UBUF and ITER_IOVEC one accessor. */
	return (unsigned long)iter_iov_addr(i);
#endif
}

static ssize_t dtape_rw_inline(struct kiocb *iocb, struct iov_iter *iter,
			       bool to_medium)
{
	struct dtape_drive *drive = iocb->ki_filp->private_data;
	bool odirect = iocb->ki_flags & IOCB_DIRECT;
	ssize_t done = 0, ret = 0;
	unsigned long uaddr;
	size_t len;

	if (iocb->ki_flags & IOCB_NOWAIT) {
		if (!mutex_trylock(&drive->lock))
			return -EAGAIN;
	} else if (mutex_lock_interruptible(&drive->lock)) {
		return -ERESTARTSYS;
	}
	while (iov_iter_count(iter)) {
		len = iov_iter_single_seg_count(iter);
		if (!len) {
			iov_iter_advance(iter, 0);
			continue;
		}
		uaddr = dtape_iter_uaddr(iter);
		ret = to_medium ? dtape_write_locked(drive, uaddr, len, odirect) :
				  dtape_read_locked(drive, uaddr, len, odirect);
		if (ret <= 0)
			break;
		done += ret;
		iov_iter_advance(iter, ret);
		/* A short record ends a readv(), as it ends st's loop. */
		if (ret < len)
			break;
	}
	mutex_unlock(&drive->lock);
	return done ? done : ret;
}

static ssize_t dtape_rw_queued(struct kiocb *iocb, struct iov_iter *iter,
			       bool to_medium)
{
	struct dtape_drive *drive = iocb->ki_filp->private_data;
	bool odirect = iocb->ki_flags & IOCB_DIRECT;
	size_t len = iov_iter_count(iter);
	struct dtape_req *req;
	ssize_t ret;
	int err;

	/* One request pins one buffer. */
	if (iov_iter_single_seg_count(iter) != len)
		return -EINVAL;
	/*
	 * Refused before anything is pinned, as an inline write is: pinning
	 * first would hold up to 2 GiB of the caller's memory for a write
	 * that dtape_place() then refuses.
	 */
	if (to_medium && len > dtape_max_record)
		return -EINVAL;
	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		return -ENOMEM;
	err = dtape_xfer_pin(&req->x, drive, dtape_iter_uaddr(iter), len,
			     to_medium, odirect);
	if (err) {
		kfree(req);
		return err;
	}
	req->odirect = odirect;
	if (!is_sync_kiocb(iocb)) {
		req->iocb = iocb;
		dtape_queue_submit(drive, req);
		/* The request may be complete and freed already. */
		return -EIOCBQUEUED;
	}
	dtape_queue_submit(drive, req);
	wait_for_completion(&req->done);
	ret = req->result;
	dtape_xfer_done(&req->x, ret);
	kfree(req);
	if (ret > 0)
		iov_iter_advance(iter, ret);
	return ret;
}

static ssize_t dtape_rw(struct kiocb *iocb, struct iov_iter *iter,
			bool to_medium)
{
	struct dtape_drive *drive = iocb->ki_filp->private_data;

	if (!iov_iter_count(iter))
		return 0;
	/* Kernel-internal buffers (splice, kernel_write) have no user pages to pin. */
	if (!user_backed_iter(iter))
		return -EINVAL;
	if (is_sync_kiocb(iocb) && dtape_queue_idle(drive) &&
	    !dtape_stream_enabled(&drive->stream))
		return dtape_rw_inline(iocb, iter, to_medium);
	/* A synchronous caller would wait for the tape. */
	if (is_sync_kiocb(iocb) && (iocb->ki_flags & IOCB_NOWAIT))
		return -EAGAIN;
	return dtape_rw_queued(iocb, iter, to_medium);
}

ssize_t dtape_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	return dtape_rw(iocb, from, true);
}

ssize_t dtape_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	return dtape_rw(iocb, to, false);
}
