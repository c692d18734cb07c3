// SPDX-License-Identifier: GPL-2.0
/*
 * The streaming-tape model, module/dtape_stream.c itself, fed made-up
 * timestamps: every expected time below follows from the model's rules,
 * with the arithmetic in the comments.
 *
 * Unless a test says otherwise: a 256 KiB buffer drained at 100 MB/s,
 * 64 KiB records, and time starting at T0.
 *   drain(64 KiB)  = 65536 * 1000 / 100  =  655360 ns  (REC_NS)
 *   drain(256 KiB) = 262144 * 1000 / 100 = 2621440 ns  (4 records)
 *   grace          = 200 us              =  200000 ns
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "dtape_stream.h"

#define BUFFER_KB	256
#define BUFFER		((size_t)BUFFER_KB * 1024)
#define RATE		100
#define REC		((size_t)64 * 1024)
#define REC_NS		655360LL
#define GRACE_NS	200000LL
#define MS		1000000LL
/* Not zero: a model that confused "time 0" with "never" would show it. */
#define T0		1000000000LL

static struct dtape_stream stream(u32 buffer_kb, u32 rate_mbps, u32 reposition_ms)
{
	struct dtape_stream s;

	/* the driver's state is kzalloc'ed; init sets only the settings */
	memset(&s, 0, sizeof(s));
	dtape_stream_init(&s, buffer_kb, rate_mbps, reposition_ms);
	return s;
}

static struct dtape_stream_slot admit(struct dtape_stream *s, ktime_t arrival, size_t len)
{
	struct dtape_stream_slot slot;

	memset(&slot, 0xa5, sizeof(slot));
	dtape_stream_admit(s, arrival, len, &slot);
	return slot;
}

static void test_first_record_never_stalls(void **state)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot a;

	(void)state;
	/* an hour after load: the tape has not moved yet, so nothing ran dry */
	a = admit(&s, T0 + 3600000 * MS, REC);
	assert_false(a.stalled);
	assert_int_equal(a.start, T0 + 3600000 * MS);
	assert_int_equal(a.done, T0 + 3600000 * MS + REC_NS);
	assert_int_equal(s.stalls, 0);
	assert_int_equal(s.reposition_ns, 0);
	/* the record itself is the buffer's content: 655360 ns * 100 / 1000 */
	assert_int_equal(s.highwater, REC);
	assert_int_equal(s.admitted, 1);
}

static void test_back_to_back_and_within_grace_never_stall(void **state)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot a, b, c;

	(void)state;
	a = admit(&s, T0, REC);
	/* arrives as a is on tape: enters at once, on tape one drain later */
	b = admit(&s, a.done, REC);
	assert_false(b.stalled);
	assert_int_equal(b.start, T0 + REC_NS);
	assert_int_equal(b.done, T0 + 2 * REC_NS);
	/* the last nanosecond of the grace still catches the tape moving */
	c = admit(&s, b.done + GRACE_NS, REC);
	assert_false(c.stalled);
	assert_int_equal(c.start, T0 + 2 * REC_NS + GRACE_NS);
	assert_int_equal(c.done, T0 + 3 * REC_NS + GRACE_NS);
	assert_int_equal(s.stalls, 0);
	assert_int_equal(s.reposition_ns, 0);
	assert_int_equal(s.admitted, 3);
}

/* the first record drains by T0 + 655360; the grace ends 200000 ns later */
#define LATE		(T0 + REC_NS + GRACE_NS + 1)

/* A record at T0, and one at LATE, which finds the tape stopped. */
static struct dtape_stream_slot stall_the_second(struct dtape_stream *s)
{
	struct dtape_stream_slot b;

	admit(s, T0, REC);
	b = admit(s, LATE, REC);
	assert_true(b.stalled);
	return b;
}

static void test_gap_past_grace_stalls_once(void **state)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot b, c;

	(void)state;
	b = stall_the_second(&s);
	assert_int_equal(s.stalls, 1);
	assert_int_equal(s.reposition_ns, 50 * MS);
	/* the drive repositions for 50 ms before b enters the buffer */
	assert_int_equal(b.start, LATE + 50 * MS);
	assert_int_equal(b.done, LATE + 50 * MS + REC_NS);
	/* the tape streams again: c right behind b costs nothing */
	c = admit(&s, b.done, REC);
	assert_false(c.stalled);
	assert_int_equal(c.start, b.done);
	assert_int_equal(s.stalls, 1);
	assert_int_equal(s.reposition_ns, 50 * MS);
	assert_int_equal(s.admitted, 3);
}

/*
 * A record that arrives while the tape repositions for the one ahead of it
 * enters the buffer behind that one, not before: the buffer then holds the
 * two records, not the reposition's 50 ms as if they were data (which made
 * a 256 KiB run report 629559 bytes on 6.1, s35b).
 */
static void test_a_record_during_a_reposition_waits_for_the_one_ahead(void **state)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot b, c;

	(void)state;
	b = stall_the_second(&s);
	c = admit(&s, LATE + 1000, REC);
	assert_false(c.stalled);
	assert_int_equal(c.start, b.start);
	assert_int_equal(c.done, b.start + 2 * REC_NS);
	/* 2 * 655360 ns * 100 / 1000 = 131072 bytes: the two records */
	assert_int_equal(s.highwater, 2 * REC);
	assert_int_equal(s.stalls, 1);
}

/*
 * A synchronous writer submits each record only once the previous one is
 * on tape, plus 1 ms of its own work: longer than the grace, so every
 * record but the first finds the tape stopped, and waits for it to
 * reposition before entering the buffer.
 */
#define N_RECORDS 24

static struct dtape_stream sync_records(u32 reposition_ms, int n)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, reposition_ms);
	struct dtape_stream_slot prev, cur;
	ktime_t at;
	int i;

	prev = admit(&s, T0, REC);
	assert_false(prev.stalled);
	for (i = 1; i < n; i++) {
		at = prev.done + MS;
		cur = admit(&s, at, REC);
		assert_true(cur.stalled);
		assert_int_equal(cur.start, at + reposition_ms * MS);
		assert_int_equal(cur.done, at + reposition_ms * MS + REC_NS);
		prev = cur;
	}
	return s;
}

/*
 * "Sync stalls on nearly every record". 7 ms repositioning, not the
 * default, so the total cannot come out right by accident.
 */
static void test_sync_with_think_time_stalls_on_all_but_the_first(void **state)
{
	struct dtape_stream s = sync_records(7, N_RECORDS);

	(void)state;
	assert_int_equal(s.stalls, N_RECORDS - 1);
	/* 23 stalls * 7 ms */
	assert_int_equal(s.reposition_ns, 161 * MS);
	assert_int_equal(s.admitted, N_RECORDS);
}

/*
 * A queue of q records submitted at once, then topped up as each one
 * completes: record k (k >= q) arrives when record k - q is on tape. The
 * tape never stops, so record k is on tape at T0 + (k + 1) * REC_NS.
 * Record k may enter once the buffer has room for it, when the records
 * before it hold at most 3 records' worth:
 *   start(k) = max(arrival(k), T0 + (k - 3) * REC_NS)
 */
static void queued(int q)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot slot[N_RECORDS];
	ktime_t at, room;
	int k;

	memset(slot, 0, sizeof(slot));
	for (k = 0; k < N_RECORDS; k++) {
		at = k < q ? T0 : slot[k - q].done;
		slot[k] = admit(&s, at, REC);
		room = T0 + (k - 3) * REC_NS;
		assert_false(slot[k].stalled);
		assert_int_equal(slot[k].start, at > room ? at : room);
		assert_int_equal(slot[k].done, T0 + (k + 1) * REC_NS);
	}
	assert_int_equal(s.stalls, 0);
	assert_int_equal(s.reposition_ns, 0);
	assert_int_equal(s.admitted, N_RECORDS);
}

static void test_queued_records_never_stall(void **state)
{
	(void)state;
	queued(2);	/* never fills the buffer: start = arrival */
	queued(4);	/* exactly fills it: room appears as the next arrives */
	queued(8);	/* overfills it: records wait for room */
}

static void test_full_buffer_makes_a_record_wait_for_room(void **state)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot e, f;
	int i;

	(void)state;
	/* four records at T0 fill the buffer; it drains by T0 + 2621440 */
	for (i = 0; i < 4; i++)
		assert_int_equal(admit(&s, T0, REC).done, T0 + (i + 1) * REC_NS);
	assert_int_equal(s.highwater, BUFFER);
	/*
	 * A fifth at T0 + 100 us waits until the first 64 KiB has drained,
	 * at T0 + 2621440 - drain(256 KiB - 64 KiB) = T0 + 655360.
	 */
	e = admit(&s, T0 + 100000, REC);
	assert_false(e.stalled);
	assert_int_equal(e.start, T0 + REC_NS);
	assert_int_equal(e.done, T0 + 5 * REC_NS);
	/*
	 * 16 KiB at the same time: the buffer drains by T0 + 3276800 and
	 * has 16 KiB free at T0 + 3276800 - drain(240 KiB) = T0 + 819200.
	 */
	f = admit(&s, T0 + 100000, (size_t)16 * 1024);
	assert_false(f.stalled);
	assert_int_equal(f.start, T0 + 819200);
	/* on tape 16384 * 1000 / 100 = 163840 ns after the buffer ahead */
	assert_int_equal(f.done, T0 + 5 * REC_NS + 163840);
	assert_int_equal(s.highwater, BUFFER);
	assert_int_equal(s.stalls, 0);
	assert_int_equal(s.admitted, 6);
}

static void test_record_larger_than_the_buffer_waits_until_it_is_empty(void **state)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot big;

	(void)state;
	admit(&s, T0, REC);
	/* 512 KiB never fits: it enters when the 64 KiB ahead has drained */
	big = admit(&s, T0 + 1000, 2 * BUFFER);
	assert_false(big.stalled);
	assert_int_equal(big.start, T0 + REC_NS);
	/* + 524288 * 1000 / 100 = 5242880 ns */
	assert_int_equal(big.done, T0 + REC_NS + 5242880);
	/* the whole record counts as the buffer's content: 5242880 * 100 / 1000 */
	assert_int_equal(s.highwater, 2 * BUFFER);
	assert_int_equal(s.stalls, 0);
	assert_int_equal(s.admitted, 2);
}

static void test_highwater_never_exceeds_the_buffer_or_the_record(void **state)
{
	static const size_t lens[] = { 1000, REC, (size_t)200 * 1024, 3, BUFFER, 4096 };
	const size_t n = sizeof(lens) / sizeof(lens[0]);
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot slot;
	size_t i;

	(void)state;
	/* everything at once, so backpressure keeps the buffer as full as it gets */
	for (i = 0; i < 5 * n; i++) {
		slot = admit(&s, T0, lens[i % n]);
		assert_false(slot.stalled);
		assert_true(s.highwater <= BUFFER);
	}
	/*
	 * A 256 KiB record waits for an empty buffer and fills it:
	 * drain(256 KiB) * 100 / 1000 = 262144 bytes.
	 */
	assert_int_equal(s.highwater, BUFFER);
	assert_int_equal(s.admitted, 30);
}

static void test_stop_makes_the_next_record_start_without_a_stall(void **state)
{
	struct dtape_stream s = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot b, c;

	(void)state;
	admit(&s, T0, REC);
	dtape_stream_stop(&s);
	/* a second later: far past the grace, but the tape was stopped on purpose */
	b = admit(&s, T0 + 1000 * MS, REC);
	assert_false(b.stalled);
	assert_int_equal(b.start, T0 + 1000 * MS);
	assert_int_equal(b.done, T0 + 1000 * MS + REC_NS);
	assert_int_equal(s.stalls, 0);
	assert_int_equal(s.reposition_ns, 0);
	/* b started the tape again, so the next gap stalls as before */
	c = admit(&s, b.done + MS, REC);
	assert_true(c.stalled);
	assert_int_equal(c.start, b.done + MS + 50 * MS);
	assert_int_equal(s.stalls, 1);
	assert_int_equal(s.admitted, 3);
}

static void test_rate_zero_turns_the_model_off(void **state)
{
	struct dtape_stream off = stream(BUFFER_KB, 0, 50);
	struct dtape_stream on = stream(BUFFER_KB, RATE, 50);
	struct dtape_stream_slot slot;
	int i;

	(void)state;
	assert_false(dtape_stream_enabled(&off));
	assert_true(dtape_stream_enabled(&on));
	/* gaps of a second and records twice the buffer: nothing waits */
	for (i = 0; i < 3; i++) {
		slot = admit(&off, T0 + 1000 * MS * i, 2 * BUFFER);
		assert_false(slot.stalled);
		assert_int_equal(slot.start, T0 + 1000 * MS * i);
		assert_int_equal(slot.done, T0 + 1000 * MS * i);
	}
	assert_int_equal(off.stalls, 0);
	assert_int_equal(off.reposition_ns, 0);
	assert_int_equal(off.highwater, 0);
	assert_int_equal(off.admitted, 3);
}

/*
 * Stalls and repositioning time are separate counters: a drive that
 * repositions in no time still stalls, and its records are not delayed.
 */
static void test_stalls_without_repositioning_time(void **state)
{
	struct dtape_stream s = sync_records(0, 5);

	(void)state;
	assert_int_equal(s.stalls, 4);
	assert_int_equal(s.reposition_ns, 0);
	assert_int_equal(s.admitted, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_record_never_stalls),
		cmocka_unit_test(test_back_to_back_and_within_grace_never_stall),
		cmocka_unit_test(test_gap_past_grace_stalls_once),
		cmocka_unit_test(test_sync_with_think_time_stalls_on_all_but_the_first),
		cmocka_unit_test(test_queued_records_never_stall),
		cmocka_unit_test(test_full_buffer_makes_a_record_wait_for_room),
		cmocka_unit_test(test_record_larger_than_the_buffer_waits_until_it_is_empty),
		cmocka_unit_test(test_highwater_never_exceeds_the_buffer_or_the_record),
		cmocka_unit_test(test_a_record_during_a_reposition_waits_for_the_one_ahead),
		cmocka_unit_test(test_stop_makes_the_next_record_start_without_a_stall),
		cmocka_unit_test(test_rate_zero_turns_the_model_off),
		cmocka_unit_test(test_stalls_without_repositioning_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
