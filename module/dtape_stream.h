/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dtape_stream.h - the streaming-tape model, and its state per drive.
 *
 * A drive buffer of B KiB that the tape drains at S MB/s. When the buffer
 * runs dry (for longer than a short grace) the tape stops, and the next
 * record waits R ms while the drive repositions ("shoe-shine"). Data
 * arriving at a full buffer waits for space.
 */
#ifndef DTAPE_STREAM_H
#define DTAPE_STREAM_H

#include <linux/ktime.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/*
 * Default repositioning time: a stall must cost something even when only
 * a rate is set. 50 ms is a fast drive's figure, and the benchmark's.
 */
#define DTAPE_STREAM_REPOSITION_MS	50

struct dtape_stream {
	spinlock_t lock;	/* the model state: admissions race with sysfs */
	/* Settings; rate 0 turns the model off. */
	u32 buffer_kb;
	u32 rate_mbps;
	u32 reposition_ms;
	/* When the data admitted so far will have reached the tape. */
	ktime_t drained_at;
	/* When the last record admitted entered the buffer. */
	ktime_t entered_at;
	bool moving;		/* started, and not stopped since */
	/* Counters for sysfs and the labs. */
	u64 stalls;
	u64 reposition_ns;
	u64 highwater;		/* bytes; writing 0 in sysfs starts afresh */
	u64 admitted;		/* records */
};

/* The model's verdict for one record. */
struct dtape_stream_slot {
	ktime_t start;		/* when the record may enter the buffer */
	ktime_t done;		/* when its last byte is on tape */
	bool stalled;
};

void dtape_stream_init(struct dtape_stream *s, u32 buffer_kb, u32 rate_mbps,
		       u32 reposition_ms);
bool dtape_stream_enabled(struct dtape_stream *s);
void dtape_stream_admit(struct dtape_stream *s, ktime_t arrival, size_t len,
			struct dtape_stream_slot *slot);
void dtape_stream_stop(struct dtape_stream *s);

#endif
