// SPDX-License-Identifier: GPL-2.0
/* tapefuzz's shadow tape (workloads/lib/tapemodel.c) against st's rules in module/README.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "lib/pattern.h"
#include "lib/tapemodel.h"

#define SEED 42

static void expect_read(const struct tapemodel *m, uint64_t block, uint64_t count, uint64_t bs,
			enum tm_read_kind kind, uint64_t len, uint64_t advance)
{
	struct tm_read r = tm_predict_read(m, block, count, bs);

	assert_int_equal(r.kind, kind);
	assert_int_equal(r.len, len);
	assert_int_equal(r.advance, advance);
}

/* Records 1000 and 3000 bytes, a filemark, then a record of 10. */
static void small_tape(struct tapemodel *m)
{
	tm_init(m, SEED);
	assert_true(tm_write(m, 0, 1, 1000, 1));
	assert_true(tm_write(m, 1, 1, 3000, 2));
	assert_true(tm_filemarks(m, 2, 1));
	assert_true(tm_write(m, 3, 1, 10, 3));
}

static void test_variable_block_reads(void **state)
{
	struct tapemodel m;

	(void)state;
	small_tape(&m);
	expect_read(&m, 0, 1000, 0, TM_DATA, 1000, 1);
	expect_read(&m, 0, 65536, 0, TM_DATA, 1000, 1);
	/* st: a buffer shorter than the record loses the record. */
	expect_read(&m, 1, 2999, 0, TM_TOO_SHORT, 0, 1);
	expect_read(&m, 2, 4096, 0, TM_FILEMARK, 0, 1);
	expect_read(&m, 4, 4096, 0, TM_END_OF_DATA, 0, 0);
	expect_read(&m, 0, 0, 0, TM_NOTHING, 0, 0);
	tm_free(&m);
}

static void test_fixed_block_reads(void **state)
{
	struct tapemodel m;

	(void)state;
	tm_init(&m, SEED);
	assert_true(tm_write(&m, 0, 3, 512, 7));	/* one write of 3 blocks */
	assert_true(tm_write(&m, 3, 1, 100, 8));	/* a record of another length */
	assert_int_equal(m.n, 4);
	expect_read(&m, 0, 1024, 512, TM_DATA, 1024, 2);
	/* Whole blocks up to the odd record, which ends the read. */
	expect_read(&m, 1, 4096, 512, TM_DATA, 1024, 2);
	expect_read(&m, 3, 512, 512, TM_ILLEGAL_LENGTH, 0, 1);
	expect_read(&m, 0, 100, 512, TM_BAD_COUNT, 0, 0);
	tm_free(&m);
}

static void test_writing_in_the_middle_truncates(void **state)
{
	struct tapemodel m;

	(void)state;
	small_tape(&m);
	assert_true(tm_write(&m, 1, 1, 50, 9));
	assert_int_equal(m.n, 2);
	expect_read(&m, 1, 50, 0, TM_DATA, 50, 1);
	expect_read(&m, 2, 50, 0, TM_END_OF_DATA, 0, 0);
	/* A write past end of data cannot happen: the head is never there. */
	assert_false(tm_write(&m, 5, 1, 50, 10));
	tm_free(&m);
}

/* MTWEOF 0 writes nothing and must not cut the tape (a bug tapefuzz once had). */
static void test_no_filemarks_truncate_nothing(void **state)
{
	struct tapemodel m;

	(void)state;
	small_tape(&m);
	assert_true(tm_filemarks(&m, 1, 0));
	assert_int_equal(m.n, 4);
	assert_true(tm_filemarks(&m, 1, 2));
	assert_int_equal(m.n, 3);
	tm_truncate(&m, 0);
	assert_int_equal(m.n, 0);
	tm_free(&m);
}

static void test_position_and_used(void **state)
{
	struct tapemodel m;
	uint64_t fileno, blkno;

	(void)state;
	small_tape(&m);
	tm_position(&m, 2, &fileno, &blkno);
	assert_int_equal(fileno, 0);
	assert_int_equal(blkno, 2);
	tm_position(&m, 3, &fileno, &blkno);
	assert_int_equal(fileno, 1);
	assert_int_equal(blkno, 0);
	tm_position(&m, 4, &fileno, &blkno);
	assert_int_equal(blkno, 1);
	/* Every entry, filemarks too, uses a 64-byte gap. */
	assert_int_equal(tm_used(&m, m.n), 1000 + 3000 + 10 + 4 * TM_GAP_BYTES);
	assert_int_equal(tm_used(&m, 1), 1000 + TM_GAP_BYTES);
	tm_free(&m);
}

static void test_check_data(void **state)
{
	struct tapemodel m;
	unsigned char *buf = malloc(1536);
	uint64_t at = 0;

	(void)state;
	tm_init(&m, SEED);
	assert_true(tm_write(&m, 0, 3, 512, 7));
	assert_true(tm_write(&m, 3, 1, 512, 8));
	/* Blocks 1 and 2 are bytes 512..1535 of stream 7. */
	pattern_fill(buf, 1536, SEED, 7);
	assert_true(tm_check_data(&m, 1, 2, buf + 512, 1024, &at));
	/* Block 2 of stream 7, then block 3, which is stream 8 from its start. */
	memmove(buf, buf + 1024, 512);
	pattern_fill(buf + 512, 512, SEED, 8);
	assert_true(tm_check_data(&m, 2, 2, buf, 1024, &at));
	buf[700] ^= 1;
	assert_false(tm_check_data(&m, 2, 2, buf, 1024, &at));
	assert_int_equal(at, 700);
	/* Data of the right bytes but the wrong length is wrong too. */
	assert_false(tm_check_data(&m, 2, 1, buf, 1024, &at));
	assert_int_equal(at, 512);
	free(buf);
	tm_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_variable_block_reads),
		cmocka_unit_test(test_fixed_block_reads),
		cmocka_unit_test(test_writing_in_the_middle_truncates),
		cmocka_unit_test(test_no_filemarks_truncate_nothing),
		cmocka_unit_test(test_position_and_used),
		cmocka_unit_test(test_check_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
