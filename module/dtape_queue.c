// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_queue.c - the drive's request queue and its worker thread.
 *
 * Submission happens in the caller's context: the user pages are pinned
 * before the request is queued, because the iov_iter may live on the
 * submitter's stack and is gone once write_iter returns -EIOCBQUEUED.
 * The worker never touches user memory through an address, only through
 * the pinned pages.
 *
 * One thread per drive keeps records in submission order, as a tape
 * needs. Placing a record on the tape and completing it are separate: the
 * data is copied at once, and the request completes when the streaming
 * model says its last byte has left the drive's buffer.
 */
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/slab.h>

#include "dtape.h"
#include "dtape_trace.h"

static void dtape_req_complete(struct dtape_drive *drive,
			       struct dtape_req *req)
{
	struct dtape_queue *q = &drive->queue;
	struct kiocb *iocb = req->iocb;
	bool idle;

	trace_dtape_complete(drive->index, req->x.uaddr, req->x.len,
			     req->result, !iocb);
	/* Pins go before the completion lets the caller reuse the buffer. */
	if (iocb)
		dtape_xfer_done(&req->x, req->result);
	/*
	 * Out of the count before the caller can learn of the completion:
	 * it may submit again at once and must not find one request too
	 * many in flight, and an AIO completion may drop the last reference
	 * to the file, whose release expects an idle queue.
	 */
	spin_lock(&q->lock);
	idle = --q->inflight == 0;
	spin_unlock(&q->lock);
	if (iocb) {
		iocb->ki_complete(iocb, req->result);
		kfree(req);
	} else {
		complete(&req->done);
	}
	if (idle)
		wake_up_all(&q->idle);
}

/* Complete what is on tape by @now; return when the next one will be. */
static ktime_t dtape_complete_due(struct dtape_drive *drive, ktime_t now)
{
	struct dtape_queue *q = &drive->queue;
	struct dtape_req *req;

	for (;;) {
		spin_lock(&q->lock);
		req = list_first_entry_or_null(&q->draining, struct dtape_req,
					       node);
		if (req && ktime_after(req->due, now)) {
			spin_unlock(&q->lock);
			return req->due;
		}
		if (req)
			list_del(&req->node);
		spin_unlock(&q->lock);
		if (!req)
			return KTIME_MAX;
		dtape_req_complete(drive, req);
	}
}

/* Put the record on the tape, then ask the model when it is really there. */
static void dtape_req_place(struct dtape_drive *drive, struct dtape_req *req)
{
	struct dtape_stream_slot slot;

	mutex_lock(&drive->lock);
	req->result = dtape_place(drive, &req->x, req->odirect);
	mutex_unlock(&drive->lock);
	req->due = req->arrival;
	if (req->result <= 0)
		return;
	dtape_stream_admit(&drive->stream, req->arrival, req->result, &slot);
	req->due = slot.done;
	if (slot.stalled)
		trace_dtape_stall(drive->index, req->x.to_medium,
				  drive->stream.reposition_ms);
}

static bool dtape_worker_has_work(struct dtape_queue *q)
{
	bool work;

	spin_lock(&q->lock);
	work = !list_empty(&q->pending);
	spin_unlock(&q->lock);
	return work || kthread_should_stop();
}

/* Until new work arrives or the next buffered record reaches the tape. */
static void dtape_worker_sleep(struct dtape_queue *q, ktime_t timeout)
{
	wait_event_interruptible_hrtimeout(q->work, dtape_worker_has_work(q),
					   timeout);
}

static int dtape_worker(void *data)
{
	struct dtape_drive *drive = data;
	struct dtape_queue *q = &drive->queue;
	struct dtape_req *req;
	ktime_t now, next;

	while (!kthread_should_stop()) {
		now = ktime_get();
		next = dtape_complete_due(drive, now);

		spin_lock(&q->lock);
		req = list_first_entry_or_null(&q->pending, struct dtape_req,
					       node);
		if (req)
			list_del(&req->node);
		spin_unlock(&q->lock);
		if (req) {
			dtape_req_place(drive, req);
			if (ktime_after(req->due, ktime_get())) {
				spin_lock(&q->lock);
				list_add_tail(&req->node, &q->draining);
				spin_unlock(&q->lock);
			} else {
				dtape_req_complete(drive, req);
			}
			continue;
		}
		if (next == KTIME_MAX)
			wait_event_interruptible(q->work,
						 dtape_worker_has_work(q));
		else
			dtape_worker_sleep(q, ktime_sub(next, now));
	}
	return 0;
}

void dtape_queue_submit(struct dtape_drive *drive, struct dtape_req *req)
{
	struct dtape_queue *q = &drive->queue;

	if (!req->iocb)
		init_completion(&req->done);
	spin_lock(&q->lock);
	/*
	 * Stamped under the lock, so arrivals rise in queue order: the model
	 * takes a record that arrived before the one ahead of it (two io-wq
	 * workers submitting at once) as having waited for room that long,
	 * and its buffer level overshoots.
	 */
	req->arrival = ktime_get();
	list_add_tail(&req->node, &q->pending);
	q->inflight++;
	q->inflight_max = max(q->inflight_max, q->inflight);
	/* Under the lock: once it drops, the worker may complete and free req. */
	trace_dtape_submit(drive->index, req->x.uaddr, req->x.len,
			   req->x.to_medium, !req->iocb, q->inflight);
	spin_unlock(&q->lock);
	wake_up(&q->work);
}

bool dtape_queue_idle(struct dtape_drive *drive)
{
	struct dtape_queue *q = &drive->queue;
	bool idle;

	spin_lock(&q->lock);
	idle = q->inflight == 0;
	spin_unlock(&q->lock);
	return idle;
}

/* Positioning commands and close wait, as a drive flushes its buffer. */
void dtape_queue_drain(struct dtape_drive *drive)
{
	wait_event(drive->queue.idle, dtape_queue_idle(drive));
}

int dtape_queue_start(struct dtape_drive *drive)
{
	struct dtape_queue *q = &drive->queue;

	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->pending);
	INIT_LIST_HEAD(&q->draining);
	init_waitqueue_head(&q->work);
	init_waitqueue_head(&q->idle);
	q->worker = kthread_run(dtape_worker, drive, "dtape%u", drive->index);
	return PTR_ERR_OR_ZERO(q->worker);
}

/*
 * Every request holds a reference to its file, and every open file one to
 * the module, so nothing can be queued by the time the module unloads.
 */
void dtape_queue_stop(struct dtape_drive *drive)
{
	WARN_ON(!dtape_queue_idle(drive));
	kthread_stop(drive->queue.worker);
}
