// SPDX-License-Identifier: GPL-2.0
/* The workloads' number parser: what it takes, and what it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include "lib/numarg.h"

static uint64_t parse(const char *arg, uint64_t max, int want_rc)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY);
	uint64_t v = 12345;
	int rc;

	/* a refusal's message is for the workload's user, not for the TAP */
	fflush(stderr);
	dup2(null, 2);
	rc = numarg("test", "size", arg, max, &v);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	assert_int_equal(rc, want_rc);
	return v;
}

static void test_plain_and_suffixed(void **state)
{
	(void)state;
	assert_int_equal(parse("0", UINT64_MAX, 0), 0);
	assert_int_equal(parse("4096", UINT64_MAX, 0), 4096);
	assert_int_equal(parse("64k", UINT64_MAX, 0), 65536);
	assert_int_equal(parse("64K", UINT64_MAX, 0), 65536);
	assert_int_equal(parse("6M", UINT64_MAX, 0), 6 << 20);
	assert_int_equal(parse("1G", UINT64_MAX, 0), 1 << 30);
	assert_int_equal(parse("0x1000", UINT64_MAX, 0), 4096);
	/* decimal, not octal */
	assert_int_equal(parse("010", UINT64_MAX, 0), 10);
	assert_int_equal(parse("08", UINT64_MAX, 0), 8);
}

static void test_garbage_is_refused_and_leaves_the_value(void **state)
{
	static const char *const bad[] = { "", "abc", "12abc", "64kb", "-1", "+5", " 5",
					   "0x", "1.5", "64 k", "k" };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i], UINT64_MAX, -1), 12345);
}

static void test_limits(void **state)
{
	(void)state;
	assert_int_equal(parse("1M", 1 << 20, 0), 1 << 20);
	assert_int_equal(parse("1025k", 1 << 20, -1), 12345);
	assert_int_equal(parse("18446744073709551615", UINT64_MAX, 0), UINT64_MAX);
	assert_int_equal(parse("18446744073709551616", UINT64_MAX, -1), 12345);
	assert_int_equal(parse("17179869184G", UINT64_MAX, -1), 12345);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_suffixed),
		cmocka_unit_test(test_garbage_is_refused_and_leaves_the_value),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
