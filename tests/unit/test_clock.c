// SPDX-License-Identifier: GPL-2.0
/* The workloads' clocks: a sleep passes wall time but almost no CPU time,
 * and work passes CPU time no faster than wall time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>
#include "lib/clock.h"

#define MS 1000000ull

static void test_sleep_is_wall_not_cpu(void **state)
{
	struct timespec nap = { .tv_nsec = 200 * MS };
	uint64_t t0 = clock_wall_ns(), c0 = clock_cpu_ns();

	(void)state;
	nanosleep(&nap, NULL);
	assert_true(clock_wall_ns() - t0 >= 200 * MS);
	/* a CPU clock that counted wall time would read 200 ms here */
	assert_true(clock_cpu_ns() - c0 < 100 * MS);
}

static void test_work_is_cpu_within_wall(void **state)
{
	uint64_t t0 = clock_wall_ns(), c0 = clock_cpu_ns(), c;
	volatile uint64_t spin = 0;

	(void)state;
	do
		spin++;
	while ((c = clock_cpu_ns()) - c0 < 50 * MS);
	/* one thread cannot run longer than the time that passed */
	assert_true(clock_wall_ns() - t0 >= c - c0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sleep_is_wall_not_cpu),
		cmocka_unit_test(test_work_is_cpu_within_wall),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
