// SPDX-License-Identifier: GPL-2.0
/* The tape workloads' data pattern (workloads/lib/pattern.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "lib/pattern.h"

/*
 * The bytes tapeio wrote before the pattern moved to lib/ (its own
 * splitmix64 loop, run once to make these): tapes and recorded checksums
 * from then still verify.
 */
static void test_bytes_are_tapeios(void **state)
{
	static const unsigned char seed1_rec0[16] = {
		0xb0, 0x7f, 0xc6, 0x00, 0x81, 0xb9, 0xe5, 0x44,
		0x37, 0x4b, 0x98, 0x87, 0x06, 0x27, 0xc0, 0xd1,
	};
	static const unsigned char seed1_rec1[16] = {
		0x09, 0x1b, 0x7e, 0x9a, 0x4a, 0x26, 0x75, 0x57,
		0x82, 0x87, 0x18, 0x8c, 0x34, 0xd6, 0x65, 0xc9,
	};
	static const unsigned char seed42_rec7[11] = {
		0xd5, 0xe2, 0x7f, 0xd8, 0xa5, 0xad, 0xdf, 0x26, 0x51, 0xa1, 0x5c,
	};
	unsigned char buf[16];

	(void)state;
	pattern_fill(buf, 16, 1, 0);
	assert_memory_equal(buf, seed1_rec0, 16);
	pattern_fill(buf, 16, 1, 1);
	assert_memory_equal(buf, seed1_rec1, 16);
	pattern_fill(buf, 11, 42, 7);
	assert_memory_equal(buf, seed42_rec7, 11);
}

/*
 * A record's first bytes do not depend on its length; fill stops at the
 * length and check accepts what fill wrote, whatever the tail.
 */
static void test_length_only_cuts(void **state)
{
	unsigned char whole[4096 + 5], part[4096 + 5];
	static const size_t lens[] = { 0, 1, 3, 7, 8, 9, 1000, 4096, 4096 + 5 };
	size_t i;

	(void)state;
	pattern_fill(whole, sizeof(whole), 5, 9);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(part, 0xee, sizeof(part));
		pattern_fill(part, lens[i], 5, 9);
		assert_memory_equal(part, whole, lens[i]);
		assert_true(pattern_check(part, lens[i], 5, 9, NULL, NULL));
		if (lens[i] < sizeof(part))
			assert_int_equal(part[lens[i]], 0xee);
	}
}

/* Misplaced or foreign records must not pass for the one expected. */
static void test_records_and_seeds_differ(void **state)
{
	unsigned char a[64], b[64];

	(void)state;
	pattern_fill(a, sizeof(a), 1, 3);
	assert_true(pattern_check(a, sizeof(a), 1, 3, NULL, NULL));
	assert_false(pattern_check(a, sizeof(a), 1, 4, NULL, NULL));
	assert_false(pattern_check(a, sizeof(a), 2, 3, NULL, NULL));
	/* they differ from the first word on, in all 64 bits of the number */
	pattern_fill(b, sizeof(b), 1, 4);
	assert_memory_not_equal(a, b, 8);
	pattern_fill(b, sizeof(b), 1, 1ULL << 32 | 3);
	assert_memory_not_equal(a, b, 8);
	pattern_fill(b, sizeof(b), 2, 3);
	assert_memory_not_equal(a, b, 8);
}

/* check names the first wrong byte and what belongs there. */
static void test_check_finds_the_first_difference(void **state)
{
	static const size_t at[] = { 0, 7, 8, 500, 998 };
	unsigned char buf[999];
	size_t i, where;
	unsigned char want;

	(void)state;
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		unsigned char good;

		pattern_fill(buf, sizeof(buf), 77, 12);
		good = buf[at[i]];
		buf[at[i]] ^= 0x40;
		if (at[i] + 1 < sizeof(buf))
			buf[sizeof(buf) - 1] ^= 0x01;	/* a later difference too */
		where = 12345;
		want = 0;
		assert_false(pattern_check(buf, sizeof(buf), 77, 12, &where, &want));
		assert_int_equal(where, at[i]);
		assert_int_equal(want, good);
	}
	/* an empty record always matches, and a short one is checked to its end */
	assert_true(pattern_check(buf, 0, 77, 12, NULL, NULL));
	pattern_fill(buf, 5, 77, 12);
	buf[4] ^= 1;
	assert_false(pattern_check(buf, 5, 77, 12, &where, NULL));
	assert_int_equal(where, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes_are_tapeios),
		cmocka_unit_test(test_length_only_cuts),
		cmocka_unit_test(test_records_and_seeds_differ),
		cmocka_unit_test(test_check_finds_the_first_difference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
