/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dtape_queue.h - the drive's request queue, and the requests on it.
 *
 * Asynchronous reads and writes (and synchronous ones while the streaming
 * model is on) are placed on the tape by a per-drive kernel thread,
 * strictly in submission order, and complete when the streaming model
 * says their data is on tape.
 */
#ifndef DTAPE_QUEUE_H
#define DTAPE_QUEUE_H

#include <linux/completion.h>
#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "dtape_dio.h"

struct dtape_drive;
struct kiocb;

/* A read or write queued for the drive's thread. */
struct dtape_req {
	struct list_head node;
	struct kiocb *iocb;		/* NULL: a synchronous caller waits */
	struct completion done;
	struct dtape_xfer x;		/* pinned before the request is queued */
	bool odirect;
	ktime_t arrival;		/* when the application handed it over */
	ktime_t due;			/* when its data is on the tape */
	ssize_t result;
};

struct dtape_queue {
	spinlock_t lock;		/* the lists and counters */
	struct list_head pending;	/* submitted, not yet on the tape */
	struct list_head draining;	/* on the tape, data still buffered */
	unsigned int inflight;
	unsigned int inflight_max;	/* sysfs may restart it */
	wait_queue_head_t work;		/* the worker sleeps here */
	wait_queue_head_t idle;		/* drain waiters sleep here */
	struct task_struct *worker;
};

int dtape_queue_start(struct dtape_drive *drive);
void dtape_queue_stop(struct dtape_drive *drive);
void dtape_queue_submit(struct dtape_drive *drive, struct dtape_req *req);
void dtape_queue_drain(struct dtape_drive *drive);
bool dtape_queue_idle(struct dtape_drive *drive);

#endif /* DTAPE_QUEUE_H */
