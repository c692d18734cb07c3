// SPDX-License-Identifier: GPL-2.0
/* The workloads' reader of a driver's sysfs counters (workloads/lib/devstat.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <cmocka.h>
#include "lib/devstat.h"

/* A stand-in for /sys/dev/char/MAJ:MIN, with files as dtape writes them. */
static char dir[64];

static void put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	char sub[96];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_devstat.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(sub, sizeof(sub), "%s/stats", dir);
	return mkdir(sub, 0700);
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void test_dir_names_the_node(void **state)
{
	char d[DEVSTAT_DIR_MAX];

	(void)state;
	devstat_dir(makedev(254, 3), d, sizeof(d));
	assert_string_equal(d, "/sys/dev/char/254:3");
	/* the largest numbers dev_t holds still fit */
	devstat_dir(makedev(0xffffffffu, 0xffffffffu), d, sizeof(d));
	assert_string_equal(d, "/sys/dev/char/4294967295:4294967295");
}

static void test_reads_a_counter(void **state)
{
	long long v = -7;

	(void)state;
	put("stats/pages_pinned", "42\n");
	assert_true(devstat_read(dir, "stats/pages_pinned", &v));
	assert_int_equal(v, 42);
	put("stats/bytes_direct", "1099511627776\n");
	assert_true(devstat_read(dir, "stats/bytes_direct", &v));
	assert_int_equal(v, 1099511627776LL);
}

/* What is not a counter is reported, and the caller's value is left alone. */
static void test_refuses_what_is_not_a_counter(void **state)
{
	long long v = 99;

	(void)state;
	assert_false(devstat_read(dir, "stats/missing", &v));
	put("stats/empty", "");
	assert_false(devstat_read(dir, "stats/empty", &v));
	put("stats/word", "none\n");
	assert_false(devstat_read(dir, "stats/word", &v));
	assert_false(devstat_read("/nonexistent", "stats/pages_pinned", &v));
	assert_int_equal(v, 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir_names_the_node),
		cmocka_unit_test(test_reads_a_counter),
		cmocka_unit_test(test_refuses_what_is_not_a_counter),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
