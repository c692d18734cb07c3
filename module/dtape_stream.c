// SPDX-License-Identifier: GPL-2.0
/*
 * dtape_stream.c - the streaming-tape model (see dtape_stream.h).
 *
 * The model is arithmetic on timestamps, not on when a kernel thread
 * happens to run: a record arrives when the application submitted it,
 * enters the buffer once there is room, and is on tape after the buffer
 * ahead of it and the record itself have drained. Scheduling delays in an
 * emulated guest therefore cannot invent stalls; they only make
 * completions late.
 */
#include <linux/math64.h>
#include <linux/minmax.h>

#include "dtape_stream.h"

/*
 * A record that arrives this soon after the buffer ran dry still catches
 * the tape moving; real drives slow down before they stop.
 */
#define DTAPE_STREAM_GRACE_NS	(200 * NSEC_PER_USEC)

void dtape_stream_init(struct dtape_stream *s, u32 buffer_kb, u32 rate_mbps,
		       u32 reposition_ms)
{
	spin_lock_init(&s->lock);
	s->buffer_kb = buffer_kb;
	s->rate_mbps = rate_mbps;
	s->reposition_ms = reposition_ms;
	s->moving = false;
}

bool dtape_stream_enabled(struct dtape_stream *s)
{
	return READ_ONCE(s->rate_mbps) != 0;
}

/* Time to drain @bytes at @mbps (10^6 bytes per second). */
static u64 dtape_drain_ns(u64 bytes, u32 mbps)
{
	return div_u64(bytes * 1000, mbps);
}

/*
 * Place one record of @len bytes that the application handed over at
 * @arrival. Records are admitted in submission order, one at a time.
 */
void dtape_stream_admit(struct dtape_stream *s, ktime_t arrival, size_t len,
			struct dtape_stream_slot *slot)
{
	u64 buffer, level, need;
	ktime_t start, dry;

	spin_lock(&s->lock);
	buffer = (u64)s->buffer_kb * 1024;
	slot->stalled = false;
	if (!s->rate_mbps) {
		slot->start = arrival;
		slot->done = arrival;
		goto out;
	}
	start = arrival;
	dry = ktime_add_ns(s->drained_at, DTAPE_STREAM_GRACE_NS);
	if (!s->moving || ktime_after(arrival, dry)) {
		/* The buffer ran dry: the tape stopped and must reposition. */
		if (s->moving) {
			slot->stalled = true;
			s->stalls++;
			s->reposition_ns += (u64)s->reposition_ms * NSEC_PER_MSEC;
			start = ktime_add_ms(arrival, s->reposition_ms);
		}
		s->moving = true;
		s->drained_at = start;
	} else {
		/*
		 * Records enter the buffer in order: none before the one
		 * ahead of it, which may still wait for the tape to
		 * reposition. Counting that wait as buffered data made the
		 * high-water exceed what had been written.
		 */
		if (ktime_before(start, s->entered_at))
			start = s->entered_at;
		/*
		 * Backpressure: wait until the buffer has room. A record
		 * larger than the buffer waits until it is empty.
		 */
		need = min_t(u64, len, buffer);
		if (ktime_after(s->drained_at, start)) {
			ktime_t room = ktime_sub_ns(s->drained_at,
						    dtape_drain_ns(buffer - need,
								   s->rate_mbps));

			if (ktime_after(room, start))
				start = room;
		}
		if (ktime_before(s->drained_at, start))
			s->drained_at = start;
	}
	s->drained_at = ktime_add_ns(s->drained_at,
				     dtape_drain_ns(len, s->rate_mbps));
	level = ktime_after(s->drained_at, start) ?
		div_u64((u64)ktime_to_ns(ktime_sub(s->drained_at, start)) *
			s->rate_mbps, 1000) : 0;
	s->highwater = max(s->highwater, min(level, max_t(u64, buffer, len)));
	s->entered_at = start;
	slot->start = start;
	slot->done = s->drained_at;
out:
	s->admitted++;
	spin_unlock(&s->lock);
}

/* Rewind, unload and close stop the tape; the next record starts it. */
void dtape_stream_stop(struct dtape_stream *s)
{
	spin_lock(&s->lock);
	s->moving = false;
	spin_unlock(&s->lock);
}
